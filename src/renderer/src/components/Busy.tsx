import { ActionIcon, Button, Loader, type ActionIconProps, type ButtonProps } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * Buttons that keep keyboard focus while their action runs. Mantine's `loading` disables the
 * button, and a disabled button hands focus to the page body: a keyboard user who pressed Stop
 * would have to find their place again. These stay focusable, say they are busy (`busy`: with a
 * spinner; `blocked`: another action of the same thing runs), and ignore presses meanwhile.
 */
interface BusyProps {
  busy?: boolean;
  blocked?: boolean;
  onClick: () => void;
  children: ReactNode;
  title?: string;
  'data-testid'?: string;
}

function busyAttributes({ busy, blocked, onClick }: BusyProps) {
  const waiting = Boolean(busy || blocked);
  return {
    'aria-disabled': waiting || undefined,
    'aria-busy': busy || undefined,
    'data-busy': waiting || undefined,
    onClick: () => {
      if (!waiting) onClick();
    },
  };
}

export function BusyActionIcon({
  busy,
  blocked,
  onClick,
  children,
  ...props
}: ActionIconProps & BusyProps & { 'aria-label': string }) {
  return (
    <ActionIcon {...props} {...busyAttributes({ busy, blocked, onClick, children })}>
      {busy ? <Loader size={16} color="currentColor" /> : children}
    </ActionIcon>
  );
}

export function BusyButton({ busy, blocked, onClick, children, leftSection, ...props }: ButtonProps & BusyProps) {
  return (
    <Button
      {...props}
      leftSection={busy ? <Loader size={14} color="currentColor" /> : leftSection}
      {...busyAttributes({ busy, blocked, onClick, children })}
    >
      {children}
    </Button>
  );
}
