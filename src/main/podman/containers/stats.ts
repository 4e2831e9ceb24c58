import type { ContainerStats } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { LIBPOD, type Engine } from '../engine';
import { readJsonLines } from '../json-lines';

/** One entry of libpod's `GET /containers/stats` reports. */
interface LibpodStats {
  ContainerID: string;
  Name: string;
  CPU?: number;
  MemUsage?: number;
  MemLimit?: number;
  NetInput?: number;
  NetOutput?: number;
  BlockInput?: number;
  BlockOutput?: number;
  PIDs?: number;
}

export function toContainerStats(raw: LibpodStats, at: number): ContainerStats {
  const n = (v: number | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return {
    id: raw.ContainerID,
    name: raw.Name,
    cpuPercent: n(raw.CPU),
    memUsed: n(raw.MemUsage),
    memLimit: n(raw.MemLimit),
    netRx: n(raw.NetInput),
    netTx: n(raw.NetOutput),
    blockRead: n(raw.BlockInput),
    blockWrite: n(raw.BlockOutput),
    pids: n(raw.PIDs),
    at,
  };
}

/**
 * Follows libpod's stats stream: the engine samples every `intervalSeconds` and computes CPU %
 * between samples. Without `ids` it reports every running container, picking up ones that start
 * later. Ends when the subscriber's signal aborts (closing the request) or the engine ends it.
 */
export async function followStats(
  engine: Engine,
  options: { ids?: string[]; intervalSeconds: number; signal: AbortSignal; now?: () => number },
  onReport: (stats: ContainerStats[]) => void,
): Promise<void> {
  const query: Record<string, unknown> = { stream: true, interval: options.intervalSeconds };
  if (options.ids?.length) query.containers = options.ids;
  const response = await engine
    .stream('GET', `${LIBPOD}/containers/stats`, { query, signal: options.signal })
    .catch((error: unknown) => Promise.reject(explainStatsError(error)));
  const now = options.now ?? Date.now;
  await readJsonLines(
    response,
    (value) => {
      const report = value as { Stats?: LibpodStats[] | null; Error?: unknown };
      // Stopped containers are listed with zeros; the table only wants the running ones.
      const stats = (report.Stats ?? []).filter((s) => (s.PIDs ?? 0) > 0 || (s.MemUsage ?? 0) > 0);
      onReport(stats.map((s) => toContainerStats(s, now())));
    },
    options.signal,
  ).catch((error: unknown) => {
    if (!options.signal.aborted) throw error;
  });
}

/**
 * Rootless Podman on cgroups v1 has no per-container accounting, and says so in an HTTP 409
 * ("container stats resource only available for cgroup v2"): said here in the user's terms.
 */
export function explainStatsError(error: unknown): unknown {
  const message = error instanceof Error ? error.message : String(error);
  if (!/only available for cgroup v2|without cgroups v2/i.test(message)) return error;
  return new AppError(
    error instanceof AppError ? error.code : 'ENGINE_ERROR',
    'Live statistics are not available: Podman runs rootless here on cgroups v1, which keeps no per-container ' +
      'CPU and memory accounting for it. A system booted with cgroups v2 (the default of current distributions) has them.',
    { engine: message },
  );
}
