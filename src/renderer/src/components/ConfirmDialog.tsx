import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * Destructive actions ask first. The safe choice (Cancel) has the focus, so Enter never
 * destroys anything by accident.
 */
export function ConfirmDialog(props: {
  opened: boolean;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  /** The confirm button waits for something in `children` (a "yes, also …" box). */
  confirmDisabled?: boolean;
  children?: ReactNode;
}) {
  return (
    <Modal opened={props.opened} onClose={props.onCancel} title={props.title} centered>
      <Stack>
        <Text size="sm">{props.message}</Text>
        {props.children}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onCancel} data-autofocus>
            Cancel
          </Button>
          <Button
            color="red"
            onClick={props.onConfirm}
            loading={props.busy}
            disabled={props.confirmDisabled}
            data-testid="confirm"
          >
            {props.confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
