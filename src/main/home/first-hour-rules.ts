import type {
  ContainerSummary,
  ContainerWiring,
  FirstHour,
  FirstHourStep,
  NetworkSummary,
  StackSummary,
  VolumeSummary,
} from '../../shared/contract';

/**
 * When each step of the first hour counts as done, read from the state the app already keeps
 * live (no request of its own). Pure: the tracker (first-hour.ts) feeds it and persists what it
 * says, and the unit tests feed it by hand.
 */
export interface Facts {
  connected: boolean;
  containers: readonly ContainerSummary[];
  /** The named volumes each container mounts (and its networks), from the wiring cache. */
  wiring: readonly ContainerWiring[];
  networks: readonly NetworkSummary[];
  volumes: readonly VolumeSummary[];
  stacks: readonly StackSummary[];
  /** Volumes seen outliving a container that mounted them (persisted). */
  outlived: FirstHour['outlived'];
}

/** The built-in stacks of the Jupyter and Flask steps (resources/stacks). */
export const JUPYTER_STACK = 'jupyter';
export const FLASK_STACK = 'ai-webapp';

/** A container that published a port on this computer and ran (it runs now, or did). */
export function ranWithPort(c: ContainerSummary): boolean {
  if (c.isInfra) return false;
  const ran = c.state === 'running' || c.state === 'paused' || (c.startedAt ?? 0) > 0;
  return ran && c.ports.some((p) => p.hostPort > 0);
}

/**
 * A named volume reused after it outlived a container: a container made after the volume was
 * seen to outlive another one mounts it, and it is the same volume (made before that moment,
 * not a new one under the old name).
 */
export function volumeReused(facts: Pick<Facts, 'containers' | 'wiring' | 'volumes' | 'outlived'>): boolean {
  if (facts.outlived.length === 0) return false;
  const created = new Map(facts.containers.map((c) => [c.id, c.created]));
  const volumeCreated = new Map(facts.volumes.map((v) => [v.name, v.created]));
  return facts.outlived.some(({ name, at }) => {
    const made = volumeCreated.get(name);
    if (made === undefined || made > at) return false;
    return facts.wiring.some((w) => w.volumes.some((m) => m.name === name) && (created.get(w.id) ?? 0) >= at);
  });
}

/**
 * Two running containers on one user network with DNS: there each reaches the other by name.
 * Podman's default network has no DNS, so it never counts.
 */
export function namedNeighbours(facts: Pick<Facts, 'containers' | 'networks'>): boolean {
  const withDns = new Set(facts.networks.filter((n) => n.dnsEnabled && !n.isDefault).map((n) => n.name));
  const running = new Map<string, number>();
  for (const c of facts.containers) {
    if (c.state !== 'running' || c.isInfra) continue;
    for (const net of c.networks) if (withDns.has(net)) running.set(net, (running.get(net) ?? 0) + 1);
  }
  return [...running.values()].some((n) => n >= 2);
}

const stackRunning = (stacks: readonly StackSummary[], id: string) =>
  stacks.some((s) => s.id === id && s.source === 'builtin' && s.status === 'running');

/** The steps the facts show as done now (the chat step comes from a reply, not from state). */
export function reachedNow(facts: Facts): Set<FirstHourStep> {
  const steps = new Set<FirstHourStep>();
  if (facts.connected) steps.add('connect');
  if (facts.containers.some(ranWithPort)) steps.add('container');
  if (volumeReused(facts)) steps.add('volume');
  if (namedNeighbours(facts)) steps.add('network');
  if (stackRunning(facts.stacks, JUPYTER_STACK)) steps.add('jupyter');
  if (stackRunning(facts.stacks, FLASK_STACK)) steps.add('flask');
  return steps;
}

/**
 * A container's removal seen by the wiring: each named volume it mounted that still exists has
 * outlived it. `at` is the moment (seconds) a later container must be made after to count as reuse.
 */
export function outlivedBy(
  gone: ContainerWiring,
  volumes: readonly VolumeSummary[],
  at: number,
  known: FirstHour['outlived'],
): FirstHour['outlived'] {
  const existing = new Set(volumes.map((v) => v.name));
  const already = new Set(known.map((o) => o.name));
  const fresh = gone.volumes
    .map((m) => m.name)
    .filter((name, i, all) => existing.has(name) && !already.has(name) && all.indexOf(name) === i)
    .map((name) => ({ name, at }));
  // Bounded: the oldest are forgotten first (the schema keeps at most 50).
  return [...known, ...fresh].slice(-50);
}

/**
 * The network doctor reached one container from another by a name (not an address, not
 * localhost): the network step, seen as directly as it can be.
 */
export function doctorReachedByName(report: { verdict: string; done: boolean; host: string }): boolean {
  if (!report.done || report.verdict !== 'reachable') return false;
  const host = report.host.trim().toLowerCase();
  const isAddress = /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
  return !isAddress && host !== 'localhost' && host !== 'host.containers.internal' && host.length > 0;
}
