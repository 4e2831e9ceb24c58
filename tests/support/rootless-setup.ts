import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createApp } from '../../src/main/app';
import { memorySettings } from '../../src/main/store/settings';
import type { ConnectionStatus } from '../../src/shared/contract';
import { buildBusyboxImage, ping, podman, preparePodman } from './podman';

declare module 'vitest' {
  export interface ProvidedContext {
    /** What the app said while it looked for Podman and then started the run's service itself. */
    rootlessStart: { before: ConnectionStatus; after: ConnectionStatus; runtimeDir: string };
  }
}

/**
 * The rootless run (scripts/test-rootless.sh runs it as the unprivileged user it sets up): the
 * app finds nothing listening, and its Start — `connection.start`, the owned service — starts
 * `podman system service` at the user's usual socket, $XDG_RUNTIME_DIR/podman/podman.sock. That
 * service, rootless, with private storage as in the rootful run, serves every test file.
 */
export default async function setup(project: TestProject) {
  const runtimeDir = await checkRuntimeDir();
  const socketPath = join(runtimeDir, 'podman', 'podman.sock');
  if (await ping(socketPath)) {
    throw new Error(`A Podman already answers on ${socketPath}: the rootless tests start their own and never use yours.`);
  }
  const base = await preparePodman();
  if (!base.rootless) throw new Error('podman info says this Podman is not rootless: the rootless run cannot go on.');
  await buildBusyboxImage(base);

  const dataDir = await mkdtemp(join(tmpdir(), 'poddesk-rootless-app-'));
  const app = await createApp({
    settings: memorySettings({ connection: null, autoStartService: false }),
    dataDir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, XDG_RUNTIME_DIR: runtimeDir, ...base.env },
    podmanGlobalArgs: base.args,
    idleProbeMs: 600_000,
    log: () => undefined,
  });
  const before = await app.connection.connect();
  const after = await app.connection.start();
  if (after.state !== 'connected') {
    await app.close();
    throw new Error(`The app could not start the rootless service: ${JSON.stringify(after)}`);
  }
  project.provide('podman', { ...base, socketPath });
  project.provide('rootlessStart', { before, after, runtimeDir });

  return async () => {
    await podman(base, 'rm', '--all', '--force', '--time', '0').catch(() => undefined);
    await podman(base, 'pod', 'rm', '--all', '--force').catch(() => undefined);
    await podman(base, 'network', 'prune', '--force').catch(() => undefined);
    // The service is the app's own child: closing the app ends it.
    await app.close();
    await podman(base, 'system', 'reset', '--force').catch(() => undefined);
    await rm(base.dir, { recursive: true, force: true }).catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
  };
}

/** A runtime dir as a login gives one: set, this user's, mode 0700 (Podman keeps sockets and namespaces there). */
async function checkRuntimeDir(): Promise<string> {
  const uid = process.getuid?.();
  const runtimeDir = process.env.XDG_RUNTIME_DIR;
  const how =
    'run it with `npm run test:rootless` (as root: it sets up the user poddesk-test and runs this project as that user)';
  if (uid === undefined || uid === 0) throw new Error(`The rootless project runs as an unprivileged user: ${how}.`);
  if (!runtimeDir) throw new Error(`XDG_RUNTIME_DIR is not set: ${how}.`);
  const info = await stat(runtimeDir);
  if (info.uid !== uid || (info.mode & 0o777) !== 0o700) {
    throw new Error(
      `${runtimeDir} must belong to uid ${uid} with mode 0700 (it is uid ${info.uid}, mode ${(info.mode & 0o777).toString(8)}): ${how}.`,
    );
  }
  return runtimeDir;
}
