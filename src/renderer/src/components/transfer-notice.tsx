import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { StreamInput, TransferProgress } from '../../../shared/contract';
import { startTransfer, type PickedFile, type TransferStream } from '../api/transfers';
import { formatBytes } from '../lib/format';
import { cancelledTitle, type TransferTitles } from '../lib/transfer-titles';
import { notifyError } from './notify';

let counter = 0;

function body(progress: TransferProgress | null, cancel: () => void) {
  const running = progress?.phase === 'running' ? progress : null;
  const percent = running?.totalBytes ? Math.min(100, (running.bytes / running.totalBytes) * 100) : null;
  return (
    <Stack gap={6} data-testid="transfer-progress">
      <Text size="xs" c="dimmed" lineClamp={1}>
        {running
          ? `${formatBytes(running.bytes)}${running.totalBytes ? ` of ${formatBytes(running.totalBytes)}` : ''}${running.files ? ` · ${running.files} file${running.files === 1 ? '' : 's'}` : ''}${running.current ? ` · ${running.current}` : ''}`
          : 'Starting…'}
      </Text>
      <Progress
        value={percent ?? 100}
        animated={percent === null}
        striped={percent === null}
        size="sm"
        aria-label="Transfer progress"
      />
      <Group justify="flex-end">
        <Button size="compact-xs" variant="subtle" color="red" onClick={cancel}>
          Cancel
        </Button>
      </Group>
    </Stack>
  );
}

/**
 * Runs a transfer with a notification that shows its progress and a Cancel button, then says
 * what it did and where the result went, under a title that says it is over.
 * Resolves with the last progress (null when it failed or was cancelled).
 */
export async function runTransfer<N extends TransferStream>(
  titles: TransferTitles,
  name: N,
  input: StreamInput<N>,
  picked: PickedFile[] = [],
  /** Return true to take over an error (e.g. to ask "Replace?"): no notification is shown. */
  handleError?: (error: unknown) => boolean,
): Promise<TransferProgress | null> {
  const id = `transfer-${++counter}`;
  const title = titles.running;
  let cancelled = false;
  const transfer = startTransfer(
    name,
    input,
    (progress) => {
      if (progress.phase === 'running')
        notifications.update({ id, title, message: body(progress, cancel), autoClose: false, withCloseButton: false });
    },
    picked,
  );
  function cancel() {
    cancelled = true;
    transfer.cancel();
    notifications.update({
      id,
      title: cancelledTitle(title),
      message: 'Nothing more is copied.',
      color: 'gray',
      autoClose: 2_000,
      withCloseButton: true,
      loading: false,
    });
  }
  notifications.show({ id, title, message: body(null, cancel), autoClose: false, withCloseButton: false, loading: true });
  try {
    const last = await transfer.done;
    if (cancelled || last.phase === 'cancelled') {
      notifications.hide(id);
      return null;
    }
    const done = last.phase === 'done' ? last : null;
    notifications.update({
      id,
      title: <span data-testid="transfer-title">{done ? titles.done(done) : title}</span>,
      color: 'teal',
      loading: false,
      autoClose: 6_000,
      withCloseButton: true,
      message: (
        <Text size="sm" data-testid="transfer-done">
          {done?.images?.length
            ? `${done.images.join(', ')} · ${formatBytes(done.bytes)}`
            : `${formatBytes(done?.bytes ?? 0)} in ${done?.files ?? 0} file${done?.files === 1 ? '' : 's'}`}
          {done?.savedTo ? ` — saved to ${done.savedTo}` : ''}
        </Text>
      ),
    });
    return last;
  } catch (error) {
    notifications.hide(id);
    if (!cancelled && !handleError?.(error)) notifyError(titles.failed, error);
    return null;
  }
}
