import { join } from 'node:path';
import { buildBusyboxImage, podman, preparePodman, startService, type PodmanInfo } from '../tests/support/podman';

/** A private Podman for a benchmark, as the integration tests start it; `stop` removes it all. */
export async function benchPodman(): Promise<{ info: PodmanInfo; stop(): Promise<void> }> {
  const base = await preparePodman();
  const socketPath = join(base.dir, 'podman.sock');
  await buildBusyboxImage(base);
  const service = await startService(base, socketPath);
  const info = { ...base, socketPath };
  return {
    info,
    async stop() {
      await podman(info, 'rm', '--all', '--force', '--time', '0').catch(() => undefined);
      await service.stop();
      await podman(info, 'system', 'reset', '--force').catch(() => undefined);
    },
  };
}

export function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const round = (n: number) => Math.round(n * 100) / 100;
  return { n: sorted.length, median: round(at(0.5)), p90: round(at(0.9)), min: round(sorted[0]!), max: round(sorted.at(-1)!) };
}

export async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}
