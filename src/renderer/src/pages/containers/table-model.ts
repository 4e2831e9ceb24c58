import type { ContainerStats, ContainerSummary, PortMapping } from '../../../../shared/contract';
import { matches } from './state';
import { isMachinery } from '../../../../shared/labels';

export type StateFilter = 'all' | 'running' | 'stopped' | 'paused' | 'unhealthy';
export type SortKey = 'name' | 'image' | 'state' | 'created' | 'cpu' | 'memory';
export type GroupBy = 'none' | 'stack' | 'pod';

export interface TableOptions {
  query: string;
  state: StateFilter;
  sort: { key: SortKey; descending: boolean };
  groupBy: GroupBy;
  collapsed: ReadonlySet<string>;
  stats: ReadonlyMap<string, ContainerStats>;
}

export type TableItem =
  | { kind: 'group'; key: string; label: string; type: 'stack' | 'pod' | 'none'; count: number; running: number; ids: string[] }
  | { kind: 'row'; container: ContainerSummary; grouped: boolean };

const stateRank: Record<ContainerSummary['state'], number> = {
  running: 0,
  restarting: 1,
  paused: 2,
  stopping: 3,
  created: 4,
  exited: 5,
  dead: 6,
  removing: 7,
  unknown: 8,
};

export const isActive = (c: ContainerSummary) => c.state === 'running' || c.state === 'paused' || c.state === 'restarting';

function keep(c: ContainerSummary, state: StateFilter): boolean {
  switch (state) {
    case 'all':
      return true;
    case 'running':
      return c.state === 'running' || c.state === 'restarting';
    case 'stopped':
      return !isActive(c);
    case 'paused':
      return c.state === 'paused';
    case 'unhealthy':
      return c.health === 'unhealthy';
  }
}

/** The sort key's order alone; null when a side has no value (it goes last either way). */
function primary(
  a: ContainerSummary,
  b: ContainerSummary,
  key: SortKey,
  stats: ReadonlyMap<string, ContainerStats>,
): number | null {
  switch (key) {
    case 'name':
      return a.name.localeCompare(b.name);
    case 'image':
      return a.image.localeCompare(b.image);
    case 'state':
      return stateRank[a.state] - stateRank[b.state];
    case 'created':
      return a.created - b.created;
    case 'cpu':
    case 'memory': {
      const value = (c: ContainerSummary) => (key === 'cpu' ? stats.get(c.id)?.cpuPercent : stats.get(c.id)?.memUsed);
      const [x, y] = [value(a), value(b)];
      if (x === undefined || y === undefined) return x === y ? 0 : null;
      return x - y;
    }
  }
}

function compare(
  a: ContainerSummary,
  b: ContainerSummary,
  sort: TableOptions['sort'],
  stats: ReadonlyMap<string, ContainerStats>,
): number {
  const order = primary(a, b, sort.key, stats);
  if (order === null) {
    const aMissing = (sort.key === 'cpu' ? stats.get(a.id)?.cpuPercent : stats.get(a.id)?.memUsed) === undefined;
    return aMissing ? 1 : -1;
  }
  if (order !== 0) return sort.descending ? -order : order;
  return a.name.localeCompare(b.name);
}

function groupOf(c: ContainerSummary, by: GroupBy): { key: string; label: string; type: 'stack' | 'pod' | 'none' } {
  if (by === 'stack' && c.project) return { key: `stack:${c.project}`, label: c.project, type: 'stack' };
  if (by === 'pod' && c.pod) return { key: `pod:${c.pod.id}`, label: c.pod.name, type: 'pod' };
  return { key: 'none', label: by === 'stack' ? 'Not in a stack' : 'Not in a pod', type: 'none' };
}

/** The table's rows: filtered, sorted, and (when asked) grouped with a header row per group. */
export function tableItems(containers: readonly ContainerSummary[], options: TableOptions): TableItem[] {
  const rows = containers
    .filter((c) => !isMachinery(c) && keep(c, options.state) && matches(c, options.query))
    .sort((a, b) => compare(a, b, options.sort, options.stats));
  if (options.groupBy === 'none') return rows.map((container) => ({ kind: 'row', container, grouped: false }));

  const groups = new Map<string, { key: string; label: string; type: 'stack' | 'pod' | 'none'; members: ContainerSummary[] }>();
  for (const c of rows) {
    const g = groupOf(c, options.groupBy);
    let group = groups.get(g.key);
    if (!group) groups.set(g.key, (group = { ...g, members: [] }));
    group.members.push(c);
  }
  // Named groups by name; the ungrouped last.
  const ordered = [...groups.values()].sort(
    (a, b) => Number(a.type === 'none') - Number(b.type === 'none') || a.label.localeCompare(b.label),
  );
  const items: TableItem[] = [];
  for (const g of ordered) {
    items.push({
      kind: 'group',
      key: g.key,
      label: g.label,
      type: g.type,
      count: g.members.length,
      running: g.members.filter((c) => c.state === 'running').length,
      ids: g.members.map((c) => c.id),
    });
    if (!options.collapsed.has(g.key)) for (const container of g.members) items.push({ kind: 'row', container, grouped: true });
  }
  return items;
}

/**
 * Where a published port answers in the browser: localhost for a port bound to every address or
 * to loopback, else the one address it is bound to. UDP has no web page to open.
 */
export function portUrl(p: PortMapping): string | null {
  if (p.protocol !== 'tcp' || p.hostPort <= 0) return null;
  const ip = p.hostIp.trim();
  const wildcard = ip === '' || ip === '0.0.0.0' || ip === '::' || ip === '127.0.0.1' || ip === '::1';
  const host = wildcard ? 'localhost' : ip.includes(':') ? `[${ip}]` : ip;
  return `http://${host}:${p.hostPort}`;
}
