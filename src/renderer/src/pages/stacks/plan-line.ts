import type { StackPlan } from '../../../../shared/contract';

/** "11434→11434", or "127.0.0.1:11434→11434" when published on one address only. */
export function portText(p: { hostIp: string; hostPort: number; containerPort: number }): string {
  const host = p.hostPort ? String(p.hostPort) : 'any';
  const ip = p.hostIp && p.hostIp !== '0.0.0.0' && p.hostIp !== '::' ? p.hostIp : '';
  return `${ip ? `${ip.includes(':') ? `[${ip}]` : ip}:` : ''}${host}→${p.containerPort}`;
}

const count = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
const named = (kind: string, names: string[]) => `${kind}${names.length === 1 ? '' : 's'} ${names.join(', ')}`;

/**
 * What a launch is about to do, in one line, shown the moment the plan is made: a one-click
 * launch still tells the user what it creates (the full table is under "What launch does").
 */
export function planLine(plan: StackPlan): string {
  const parts: string[] = [];
  for (const action of ['pull', 'build'] as const) {
    const refs = plan.images.filter((i) => i.action === action).map((i) => i.ref);
    if (refs.length) parts.push(`${action} ${refs.join(', ')}`);
  }
  const networks = plan.networks.filter((n) => n.action === 'create').map((n) => n.name);
  const volumes = plan.volumes.filter((v) => v.action === 'create').map((v) => v.name);
  const made = [...(networks.length ? [named('network', networks)] : []), ...(volumes.length ? [named('volume', volumes)] : [])];
  if (made.length) parts.push(`create ${made.join(' and ')}`);
  const changed = plan.services.filter((s) => s.action !== 'keep');
  for (const action of ['create', 'recreate', 'start'] as const) {
    const n = changed.filter((s) => s.action === action).reduce((sum, s) => sum + (s.replicas ?? 1), 0);
    if (n) parts.push(`${action} ${count(n, 'container')}`);
  }
  const ports = changed.flatMap((s) => s.ports.filter((p) => p.hostPort).map((p) => `${p.hostPort}→${p.containerPort}`));
  if (ports.length) parts.push(named('publish port', ports));
  if (plan.orphans.length) parts.push(`remove ${count(plan.orphans.length, 'old container')}`);
  return parts.length ? parts.join(' · ') : 'nothing to change';
}
