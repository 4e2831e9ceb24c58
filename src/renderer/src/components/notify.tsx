import { Code, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { formatCommand, type Command } from '../../../shared/podman-commands';
import { CallError } from '../api/client';
import { useShell } from '../api/shell';

/** Shows an error from main with its code, so the user (and a bug report) knows what happened. */
export function notifyError(title: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof CallError ? error.code : undefined;
  notifications.show({
    color: 'red',
    title,
    message: code ? `${message} (${code})` : message,
    autoClose: 8_000,
  });
}

/** The command a done action stands for, in the user's shell. */
function DoneWithCommand({ message, command }: { message: string; command: Command }) {
  const [shell] = useShell();
  return (
    <Stack gap={4}>
      <Text size="sm">{message}</Text>
      <Code block fz="xs" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
        {formatCommand(command, shell)}
      </Code>
    </Stack>
  );
}

/** A done action; with its podman command, a learner sees what they could have typed. */
export function notifyDone(message: string, command?: Command): void {
  notifications.show({
    color: 'teal',
    message: command ? <DoneWithCommand message={message} command={command} /> : message,
    autoClose: command ? 6_000 : 3_000,
  });
}
