import type { ContainerSummary, LiveChange } from '../../shared/contract';
import type { LiveCollection } from '../podman/live-collection';

/**
 * Without systemd (WSL distros, containers, this test machine) Podman never runs a healthcheck
 * by itself, so a stack's container would say "starting" forever, and one that turns unhealthy an
 * hour after its launch would never say so. While PodDesk is open, this runs the check of each
 * running stack container that has one: quickly at first while it is "starting", then at the
 * container's own interval. Cheap: one exec per check, none for containers without a healthcheck.
 * Where the engine runs checks itself (systemd timers), a check appears that PodDesk did not run:
 * PodDesk then leaves that container to the engine.
 */
export interface HealthDriver {
  close(): void;
}

export interface HealthFacts {
  /** The healthcheck's interval (Podman's default is 30 s). */
  intervalMs?: number;
  /** The engine's stamp of its last recorded check (its Start, as the engine wrote it). */
  lastCheck?: string;
}

const FIRST_MS = 1_000;
const MAX_STARTING_MS = 30_000;
const DEFAULT_INTERVAL_MS = 30_000;

export function createHealthDriver(deps: {
  containers: LiveCollection<ContainerSummary>;
  /** Runs the check; says the stamp the engine gave it, so a check PodDesk did not run can be told apart. */
  runHealthcheck: (id: string) => Promise<{ checkedAt?: string } | void>;
  healthFacts?: (id: string) => Promise<HealthFacts>;
  log?: (message: string, error?: unknown) => void;
}): HealthDriver {
  const active = new Map<string, { timer: ReturnType<typeof setTimeout>; delay: number; ours?: string }>();
  /** Containers whose checks the engine runs itself. */
  const engineDriven = new Set<string>();
  const intervals = new Map<string, number>();
  let closed = false;

  const wants = (c: ContainerSummary | undefined): boolean =>
    Boolean(c && c.project && c.state === 'running' && c.health !== undefined && !engineDriven.has(c.id));

  const stop = (id: string) => {
    const entry = active.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    active.delete(id);
  };

  const intervalOf = async (id: string) => {
    if (!intervals.has(id)) {
      const facts = deps.healthFacts ? await deps.healthFacts(id).catch(() => ({}) as HealthFacts) : {};
      intervals.set(id, Math.max(facts.intervalMs ?? DEFAULT_INTERVAL_MS, FIRST_MS));
    }
    return intervals.get(id)!;
  };

  /** Compared by the engine's own stamps, so a remote engine's clock does not matter. */
  const engineCheckedItself = async (id: string, ours: string | undefined) => {
    if (!deps.healthFacts || ours === undefined) return false;
    const { lastCheck } = await deps.healthFacts(id);
    return lastCheck !== undefined && lastCheck !== ours;
  };

  const schedule = (id: string, delay: number, ours?: string) => {
    const timer = setTimeout(() => {
      const c = deps.containers.get(id);
      if (closed || !wants(c)) return stop(id);
      void (async () => {
        let stamp = ours;
        try {
          if (c!.health !== 'starting' && (await engineCheckedItself(id, ours))) {
            engineDriven.add(id);
            return stop(id);
          }
          stamp = (await deps.runHealthcheck(id))?.checkedAt ?? undefined;
        } catch (error) {
          deps.log?.(`healthcheck of ${id.slice(0, 12)} failed`, error);
        }
        if (closed || !active.has(id)) return;
        // The check's event refreshes the cache: "starting" backs off, a settled one goes to its interval.
        const after = deps.containers.get(id);
        if (!wants(after)) return stop(id);
        const next = after!.health === 'starting' ? Math.min(delay * 1.5, MAX_STARTING_MS) : await intervalOf(id);
        if (!closed && active.has(id)) schedule(id, next, stamp);
      })();
    }, delay);
    timer.unref?.();
    active.set(id, { timer, delay, ...(ours !== undefined ? { ours } : {}) });
  };

  const consider = (c: ContainerSummary) => {
    if (!wants(c)) return stop(c.id);
    const entry = active.get(c.id);
    // Back to "starting" (a restart): check soon again.
    if (!entry) schedule(c.id, FIRST_MS);
    else if (c.health === 'starting' && entry.delay > FIRST_MS * 4) {
      stop(c.id);
      schedule(c.id, FIRST_MS, entry.ours);
    }
  };

  const unsubscribe = deps.containers.subscribe((change: LiveChange<ContainerSummary>) => {
    if (change.type === 'reset') {
      for (const id of [...active.keys()]) if (!change.items.some((c) => c.id === id)) stop(id);
      change.items.forEach(consider);
    } else if (change.type === 'upsert') consider(change.item);
    else {
      stop(change.id);
      engineDriven.delete(change.id);
      intervals.delete(change.id);
    }
  });

  return {
    close() {
      closed = true;
      unsubscribe();
      for (const id of [...active.keys()]) stop(id);
    },
  };
}
