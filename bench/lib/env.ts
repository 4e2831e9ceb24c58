import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { App } from '../../src/main/app';
import { connectedApp } from '../../tests/support/app';
import { buildBusyboxImage, podman, preparePodman, startService, type PodmanInfo } from '../../tests/support/podman';

/**
 * A private Podman for a benchmark (its own storage and socket, as the tests have), and the
 * app's back end connected to it. The renderer must be built (`npm run build`).
 */
export interface BenchEnv {
  info: PodmanInfo;
  app: App;
  close(): Promise<void>;
}

export async function startBenchEnv(): Promise<BenchEnv> {
  if (!existsSync(join(process.cwd(), 'out', 'renderer', 'index.html'))) throw new Error('Run `npm run build` first');
  const base = await preparePodman();
  const socketPath = join(base.dir, 'podman.sock');
  await buildBusyboxImage(base);
  const service = await startService(base, socketPath);
  const info: PodmanInfo = { ...base, socketPath };
  const app = await connectedApp(info);
  return {
    info,
    app,
    async close() {
      await app.close();
      await podman(base, 'rm', '--all', '--force', '--time', '0').catch(() => undefined);
      await service.stop();
      await podman(base, 'system', 'reset', '--force').catch(() => undefined);
      await rm(base.dir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
