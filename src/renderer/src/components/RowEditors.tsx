import { ActionIcon, Button, Group, Select, TextInput } from '@mantine/core';
import { IconPlus, IconX } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { AnsiText } from './AnsiText';

/** Inputs whose text is code-like (names, values, commands) use the monospace font, not their labels. */
export const monospaceInput = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };

export function AddRowButton({
  label,
  onClick,
  testId,
  compact,
}: {
  label: string;
  onClick: () => void;
  testId?: string;
  compact?: boolean;
}) {
  return (
    <Button
      size={compact ? 'compact-xs' : 'xs'}
      variant={compact ? 'subtle' : 'light'}
      leftSection={<IconPlus size={compact ? 12 : 14} />}
      onClick={onClick}
      data-testid={testId}
    >
      {label}
    </Button>
  );
}

export function RemoveRowButton({ label, onClick, offset = 4 }: { label: string; onClick: () => void; offset?: number }) {
  return (
    <ActionIcon variant="subtle" color="gray" mt={offset} onClick={onClick} aria-label={label}>
      <IconX size={16} />
    </ActionIcon>
  );
}

/** A published port being edited: everything as text until the form turns it into numbers. */
export interface PortRowValue {
  hostIp: string;
  hostPort: string;
  containerPort: string;
  protocol: 'tcp' | 'udp';
}

export const emptyPortRow = (): PortRowValue => ({ hostIp: '', hostPort: '', containerPort: '', protocol: 'tcp' });

/** host address, host port, container port, protocol — the Run form's and the pod dialog's ports. */
export function PortRow(props: {
  value: PortRowValue;
  onChange: (patch: Partial<PortRowValue>) => void;
  onRemove: () => void;
  errors: Partial<Record<keyof PortRowValue, string | undefined>>;
  /** Leaving the host port field checks whether the port is free. */
  onHostPortBlur?: () => void;
  onHostIpBlur?: () => void;
  onContainerPortBlur?: () => void;
  labels?: boolean;
  size?: 'xs' | 'sm';
}) {
  const { value, labels, size = 'sm' } = props;
  return (
    <Group align="flex-start" gap="xs" data-testid="port-row">
      <TextInput
        w={size === 'xs' ? 130 : 150}
        size={size}
        label={labels ? 'Host address' : undefined}
        aria-label="Host address"
        placeholder="all (0.0.0.0)"
        value={value.hostIp}
        onChange={(e) => props.onChange({ hostIp: e.currentTarget.value })}
        onBlur={props.onHostIpBlur}
        error={props.errors.hostIp}
        data-testid="port-address"
      />
      <TextInput
        w={size === 'xs' ? 110 : 150}
        size={size}
        label={labels ? 'Host port' : undefined}
        aria-label="Host port"
        placeholder="random"
        inputMode="numeric"
        value={value.hostPort}
        onChange={(e) => props.onChange({ hostPort: e.currentTarget.value })}
        onBlur={props.onHostPortBlur}
        error={props.errors.hostPort}
        data-testid="port-host"
      />
      <TextInput
        w={size === 'xs' ? 110 : 130}
        size={size}
        label={labels ? 'Container port' : undefined}
        aria-label="Container port"
        placeholder="80"
        inputMode="numeric"
        value={value.containerPort}
        onChange={(e) => props.onChange({ containerPort: e.currentTarget.value })}
        onBlur={props.onContainerPortBlur}
        error={props.errors.containerPort}
        data-testid="port-container"
      />
      <Select
        w={size === 'xs' ? 80 : 90}
        size={size}
        label={labels ? 'Protocol' : undefined}
        aria-label="Protocol"
        data={['tcp', 'udp']}
        value={value.protocol}
        allowDeselect={false}
        onChange={(v) => props.onChange({ protocol: (v ?? 'tcp') as 'tcp' | 'udp' })}
      />
      <RemoveRowButton label="Remove this port" onClick={props.onRemove} offset={labels ? 28 : 4} />
    </Group>
  );
}

/** NAME = value, for environment variables and build arguments. */
export function KeyValueRow(props: {
  value: { key: string; value: string };
  onChange: (patch: Partial<{ key: string; value: string }>) => void;
  onRemove: () => void;
  keyError?: string | null;
  onKeyBlur?: () => void;
  what: string;
  size?: 'xs' | 'sm';
  testId?: string;
}) {
  return (
    <Group gap="xs" align="flex-start" data-testid={props.testId}>
      <TextInput
        w={props.size === 'xs' ? 220 : 240}
        size={props.size}
        placeholder="NAME"
        styles={monospaceInput}
        value={props.value.key}
        onChange={(e) => props.onChange({ key: e.currentTarget.value })}
        onBlur={props.onKeyBlur}
        error={props.keyError}
        aria-label={`${props.what} name`}
      />
      <TextInput
        style={{ flex: 1 }}
        size={props.size}
        placeholder="value"
        styles={monospaceInput}
        value={props.value.value}
        onChange={(e) => props.onChange({ value: e.currentTarget.value })}
        aria-label={`${props.what} value`}
      />
      <RemoveRowButton label={`Remove this ${props.what.toLowerCase()}`} onClick={props.onRemove} />
    </Group>
  );
}

/** The engine's output of a pull, push or build, kept scrolled to the latest line. */
export function StreamedLog({ lines, height, testId }: { lines: string[]; height: number; testId?: string }) {
  const end = useRef<HTMLDivElement>(null);
  // Braces: recent Chromium returns a Promise from scrollIntoView, and React would call it as the cleanup.
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [lines]);
  return (
    <div className="pd-scroll pd-log" style={{ height, padding: '6px 0' }} data-testid={testId}>
      {lines.map((line, i) => (
        <div key={i} className="pd-log-line">
          <AnsiText text={line} />
        </div>
      ))}
      <div ref={end} />
    </div>
  );
}
