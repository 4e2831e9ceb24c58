import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { PullEvent } from '../../../../shared/contract';
import { subscribe, type CallError } from '../../api/client';
import { formatBytes } from '../../lib/format';

export interface PullState {
  progress: PullEvent | null;
  error: CallError | null;
  running: boolean;
}

/**
 * One pull, owned by no component: the dialog watches it while open, and closing the dialog
 * hands it to a notification instead of throwing the download away (as Docker Desktop does).
 */
export interface PullTask {
  reference: string;
  state(): PullState;
  listen(listener: (state: PullState) => void): () => void;
  cancel(): void;
}

export function startPull(reference: string): PullTask {
  let state: PullState = { progress: null, error: null, running: true };
  const listeners = new Set<(state: PullState) => void>();
  const set = (patch: Partial<PullState>) => {
    state = { ...state, ...patch };
    for (const listener of listeners) listener(state);
  };
  const stop = subscribe(
    'images.pull',
    { reference },
    {
      onItems: (items) => {
        const last = items.at(-1);
        if (last) set({ progress: last });
      },
      onEnd: (error) => set({ running: false, error: error ?? null }),
    },
  );
  return {
    reference,
    state: () => state,
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    cancel() {
      if (!state.running) return;
      stop();
      set({ running: false, progress: null });
    },
  };
}

/** "12 MB of 40 MB · 30%" or the engine's status while sizes are unknown. */
export function pullAmount(progress: PullEvent, percent: number | null): string {
  const amount =
    progress.bytesTotal > 0 ? `${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}` : progress.status;
  return percent !== null ? `${amount} · ${percent}%` : amount;
}

export const pullPercent = (progress: PullEvent | null): number | null =>
  progress?.fraction === null || progress?.fraction === undefined ? null : Math.round(progress.fraction * 100);

let counter = 0;

/** Follows a pull in a notification, with its progress and a Cancel, until it ends. */
export function pullInBackground(task: PullTask): void {
  const id = `pull-${++counter}`;
  const title = `Pulling ${task.reference}`;
  const running = (state: PullState) => {
    const percent = pullPercent(state.progress);
    return (
      <Stack gap={6} data-testid="pull-notice">
        <Text size="xs" c="dimmed" lineClamp={1}>
          {state.progress ? pullAmount(state.progress, percent) : 'Starting…'}
        </Text>
        <Progress
          value={percent ?? 100}
          animated={percent === null}
          striped={percent === null}
          size="sm"
          aria-label="Pull progress"
        />
        <Group justify="flex-end">
          <Button size="compact-xs" variant="subtle" color="red" onClick={() => task.cancel()} data-testid="pull-notice-cancel">
            Cancel
          </Button>
        </Group>
      </Stack>
    );
  };
  const show = (state: PullState) => {
    if (state.running) {
      notifications.update({ id, title, message: running(state), autoClose: false, withCloseButton: false, loading: false });
    } else if (state.error) {
      notifications.update({
        id,
        title: `Could not pull ${task.reference}`,
        message: state.error.message,
        color: 'red',
        autoClose: false,
        withCloseButton: true,
        loading: false,
      });
    } else if (state.progress?.id) {
      notifications.update({
        id,
        title: `Pulled ${task.reference}`,
        message: `Image ${state.progress.id.slice(0, 12)} is ready.`,
        color: 'teal',
        autoClose: 6_000,
        withCloseButton: true,
        loading: false,
      });
    } else {
      notifications.update({
        id,
        title,
        message: 'Cancelled',
        color: 'gray',
        autoClose: 2_000,
        withCloseButton: true,
        loading: false,
      });
    }
  };
  notifications.show({ id, title, message: running(task.state()), autoClose: false, withCloseButton: false });
  const unlisten = task.listen((state) => {
    show(state);
    if (!state.running) unlisten();
  });
  show(task.state());
}
