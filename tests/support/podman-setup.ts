import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildBusyboxImage, podman, preparePodman, startService, type PodmanInfo } from './podman';

declare module 'vitest' {
  export interface ProvidedContext {
    podman: PodmanInfo;
  }
}

/** One private Podman service for the whole run, with the offline test image in its storage. */
export default async function setup(project: TestProject) {
  const base = await preparePodman();
  const socketPath = join(base.dir, 'podman.sock');
  await buildBusyboxImage(base);
  const service = await startService(base, socketPath);
  project.provide('podman', { ...base, socketPath });
  return async () => {
    // Containers first (they hold mounts under the private root), then the service, then the files.
    await podman(base, 'rm', '--all', '--force', '--time', '0').catch(() => undefined);
    await podman(base, 'pod', 'rm', '--all', '--force').catch(() => undefined);
    await podman(base, 'network', 'prune', '--force').catch(() => undefined);
    await service.stop();
    await podman(base, 'system', 'reset', '--force').catch(() => undefined);
    await rm(base.dir, { recursive: true, force: true }).catch(() => undefined);
  };
}
