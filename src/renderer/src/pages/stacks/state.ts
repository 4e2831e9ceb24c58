import type { StackServiceView, StackStatus, StackSummary } from '../../../../shared/contract';

export const statusColor: Record<StackStatus, string> = {
  running: 'teal',
  starting: 'blue',
  unhealthy: 'red',
  partial: 'orange',
  stopped: 'gray',
  'not-created': 'gray',
};

export const statusLabel: Record<StackStatus, string> = {
  running: 'Running',
  starting: 'Starting',
  unhealthy: 'Unhealthy',
  partial: 'Partly running',
  stopped: 'Stopped',
  'not-created': 'Not launched',
};

export const sourceLabel: Record<StackSummary['source'], string> = {
  builtin: 'Built-in',
  user: 'Imported',
  external: 'podman-compose / docker compose',
};

/** One service's state in a word or two: "Healthy" (running, check passed), "Exited (1)", "Not created". */
export function serviceState(s: StackServiceView): { text: string; color: string } {
  const c = s.container;
  if (!c && s.inactive) return { text: 'Profile off', color: 'gray' };
  if (!c) return { text: 'Not created', color: 'gray' };
  if (c.state === 'running') {
    if (c.health === 'unhealthy') return { text: 'Unhealthy', color: 'red' };
    if (c.health === 'starting') return { text: 'Starting', color: 'blue' };
    return { text: c.health === 'healthy' ? 'Healthy' : 'Running', color: 'teal' };
  }
  if (c.state === 'exited') {
    if (s.oneShot && c.exitCode === 0) return { text: 'Done', color: 'teal' };
    // 137 and 143: killed or terminated by a stop, which is no failure.
    const failed = c.exitCode !== undefined && c.exitCode !== 0 && c.exitCode !== 137 && c.exitCode !== 143;
    return { text: `Exited (${c.exitCode ?? 0})`, color: failed ? 'red' : 'gray' };
  }
  return { text: c.state[0]!.toUpperCase() + c.state.slice(1), color: c.state === 'created' ? 'blue' : 'orange' };
}

export const canLaunch = (s: StackSummary) => s.source !== 'external' && !s.invalid;
export const isUp = (s: StackSummary) => s.status === 'running' || s.status === 'starting' || s.status === 'unhealthy';
