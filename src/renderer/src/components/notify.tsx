import { notifications } from '@mantine/notifications';
import { CallError } from '../api/client';

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

export function notifyDone(message: string): void {
  notifications.show({ color: 'teal', message, autoClose: 3_000 });
}
