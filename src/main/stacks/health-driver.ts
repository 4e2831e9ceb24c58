import type { ContainerSummary, LiveChange } from '../../shared/contract';
import type { LiveCollection } from '../podman/live-collection';

/**
 * Without systemd (WSL distros, containers, this test machine) Podman never runs a healthcheck
 * by itself, so a stack's container started from the Stacks page (or by podman-compose) would
 * say "starting" forever. While a stack container is running and its health is still
 * "starting", this runs the check, quickly at first, then less often, until the engine reports
 * healthy or unhealthy; then it stops. Nothing runs while every container is settled.
 */
export interface HealthDriver {
  close(): void;
}

const FIRST_MS = 1_000;
const MAX_MS = 30_000;
const GIVE_UP_MS = 10 * 60_000;

export function createHealthDriver(deps: {
  containers: LiveCollection<ContainerSummary>;
  runHealthcheck: (id: string) => Promise<unknown>;
  now?: () => number;
  log?: (message: string, error?: unknown) => void;
}): HealthDriver {
  const now = deps.now ?? Date.now;
  const active = new Map<string, { timer: ReturnType<typeof setTimeout>; delay: number; since: number }>();
  let closed = false;

  const wants = (c: ContainerSummary | undefined) => Boolean(c && c.project && c.state === 'running' && c.health === 'starting');

  const stop = (id: string) => {
    const entry = active.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    active.delete(id);
  };

  const schedule = (id: string, delay: number, since: number) => {
    const timer = setTimeout(() => {
      if (closed || !wants(deps.containers.get(id))) return stop(id);
      deps
        .runHealthcheck(id)
        .catch((error) => deps.log?.(`healthcheck of ${id.slice(0, 12)} failed`, error))
        .finally(() => {
          if (closed || !active.has(id)) return;
          // The check's event refreshes the cache; if it still says "starting", check again later.
          if (!wants(deps.containers.get(id)) || now() - since > GIVE_UP_MS) return stop(id);
          schedule(id, Math.min(delay * 1.5, MAX_MS), since);
        });
    }, delay);
    timer.unref?.();
    active.set(id, { timer, delay, since });
  };

  const consider = (c: ContainerSummary) => {
    if (wants(c)) {
      if (!active.has(c.id)) schedule(c.id, FIRST_MS, now());
    } else stop(c.id);
  };

  const unsubscribe = deps.containers.subscribe((change: LiveChange<ContainerSummary>) => {
    if (change.type === 'reset') {
      for (const id of [...active.keys()]) if (!change.items.some((c) => c.id === id)) stop(id);
      change.items.forEach(consider);
    } else if (change.type === 'upsert') consider(change.item);
    else stop(change.id);
  });

  return {
    close() {
      closed = true;
      unsubscribe();
      for (const id of [...active.keys()]) stop(id);
    },
  };
}
