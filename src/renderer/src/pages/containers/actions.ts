import { useState } from 'react';
import type { BulkAction, BulkResult, ContainerSummary } from '../../../../shared/contract';
import { call } from '../../api/client';
import { notifyDone, notifyError } from '../../components/notify';
import { notifications } from '@mantine/notifications';
import { removeCommand, restartCommand, startCommand, stopCommand, type Command } from '../../../../shared/podman-commands';

/** Runs an action for one container, remembers it is busy, and shows the engine's refusal. */
export function useContainerAction() {
  const [busy, setBusy] = useState<Record<string, boolean>>({});
  const run = async (id: string, title: string, action: () => Promise<unknown>, done?: string) => {
    setBusy((b) => ({ ...b, [id]: true }));
    try {
      await action();
      if (done) notifyDone(done);
      return true;
    } catch (error) {
      notifyError(title, error);
      return false;
    } finally {
      setBusy((b) => ({ ...b, [id]: false }));
    }
  };
  return { busy, run };
}
export type ContainerAction = ReturnType<typeof useContainerAction>;

const verbs: Record<BulkAction, [string, string]> = {
  start: ['Started', 'start'],
  stop: ['Stopped', 'stop'],
  restart: ['Restarted', 'restart'],
  remove: ['Removed', 'remove'],
};

/** One call for many containers; a summary says what worked and what the engine refused, by name. */
export async function runBulk(
  containers: ContainerSummary[],
  action: BulkAction,
  options: { force?: boolean; volumes?: boolean } = {},
): Promise<BulkResult[]> {
  const ids = containers.map((c) => c.id);
  const results = await call('containers.bulk', {
    ids,
    action,
    force: options.force ?? false,
    volumes: options.volumes ?? false,
  });
  const failed = results.filter((r) => !r.ok);
  const name = (id: string) => containers.find((c) => c.id === id)?.name ?? id.slice(0, 12);
  const [done, verb] = verbs[action];
  if (failed.length === 0)
    notifyDone(`${done} ${results.length} container${results.length === 1 ? '' : 's'}`, bulkCommand(containers, action, options));
  else
    notifications.show({
      color: 'red',
      title: `Could not ${verb} ${failed.length} of ${results.length}`,
      message: failed.map((f) => `${name(f.id)}: ${f.error?.message ?? 'failed'}`).join('\n'),
      autoClose: 10_000,
      style: { whiteSpace: 'pre-line' },
    });
  return results;
}

/** What the bulk action is in one podman command. */
export function bulkCommand(
  containers: ContainerSummary[],
  action: BulkAction,
  options: { force?: boolean; volumes?: boolean } = {},
): Command {
  const names = containers.map((c) => c.name);
  switch (action) {
    case 'start':
      return startCommand(names);
    case 'stop':
      return stopCommand(names);
    case 'restart':
      return restartCommand(names);
    case 'remove':
      return removeCommand(names, options);
  }
}
