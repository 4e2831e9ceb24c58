import type { ContainerSummary } from '../../../../shared/contract';
import { timeAgo } from '../../lib/format';

export const stateColor: Record<ContainerSummary['state'], string> = {
  running: 'teal',
  created: 'blue',
  paused: 'yellow',
  restarting: 'orange',
  exited: 'gray',
  stopping: 'orange',
  removing: 'red',
  dead: 'red',
  unknown: 'gray',
};

/** What `podman ps` says in its STATUS column, from the summary's fields. */
export function statusText(c: ContainerSummary, nowMs = Date.now()): string {
  switch (c.state) {
    case 'running':
      return `Up ${timeAgo(c.startedAt ?? c.created, nowMs).replace(' ago', '')}${c.health ? ` (${c.health})` : ''}`;
    case 'exited':
      return `Exited (${c.exitCode ?? 0})`;
    default:
      return c.state[0]!.toUpperCase() + c.state.slice(1);
  }
}

export function matches(c: ContainerSummary, query: string): boolean {
  if (!query) return true;
  const q = query.toLowerCase();
  return [c.name, c.image, c.id.slice(0, 12), c.project ?? '', c.pod?.name ?? ''].some((field) =>
    field.toLowerCase().includes(q),
  );
}
