import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { memorySettings } from '../../src/main/store/settings';
import { startApp } from '../support/app';

/**
 * What a rootless user's PodDesk does on its own: find the user's socket, and when nothing
 * listens there, start the user's service at that very place. The run's service is the one the
 * app started (tests/support/rootless-setup.ts), so every other test file also runs against it.
 */
const info = inject('podman');
const started = inject('rootlessStart');
const uid = process.getuid!();
const usualSocket = `${started.runtimeDir}/podman/podman.sock`;
const run = promisify(execFile);
let app: App | null = null;

afterEach(async () => {
  await app?.close();
  app = null;
});

/** The app as a user starts it: nothing saved, only the environment a login gives. */
const freshApp = (env: Record<string, string | undefined>) =>
  startApp(info, { settings: memorySettings({ connection: null }), env, idleProbeMs: 600_000 });

describe('rootless Podman, found and started by the app', () => {
  it('found nothing listening, then its Start ran the user’s own service at $XDG_RUNTIME_DIR/podman/podman.sock', async () => {
    expect(started.runtimeDir).toBe(process.env.XDG_RUNTIME_DIR);
    expect(started.before).toMatchObject({ state: 'not-running', startAction: 'podman system service --time=0' });
    expect(started.after).toMatchObject({
      state: 'connected',
      ownedService: true,
      candidate: { source: 'owned-service', endpoint: { kind: 'unix', path: usualSocket } },
      engine: { rootless: true },
    });
    // The socket is this user's, and the CLI (the oracle) reaches a rootless engine through it.
    expect((await stat(usualSocket)).uid).toBe(uid);
    const { stdout } = await run('podman', ['--url', `unix://${usualSocket}`, 'info', '--format', '{{.Host.Security.Rootless}}']);
    expect(stdout.trim()).toBe('true');
  });

  it('finds the rootless socket by itself under $XDG_RUNTIME_DIR', async () => {
    app = await freshApp({ PATH: process.env.PATH, HOME: process.env.HOME, XDG_RUNTIME_DIR: started.runtimeDir });
    const candidates = await app.connection.candidates();
    expect(candidates.map((c) => c.source)).toContain('rootless-socket');
    const status = await app.connection.connect();
    expect(status).toMatchObject({
      state: 'connected',
      ownedService: false,
      candidate: { source: 'rootless-socket', label: 'Podman (rootless)', endpoint: { kind: 'unix', path: usualSocket } },
      engine: { rootless: true },
    });
    const listed = await app.dispatcher.call('containers.list', undefined);
    expect(listed.ok).toBe(true);
  });

  it('finds it at /run/user/<uid> when XDG_RUNTIME_DIR is not set (an app started outside a login session)', async () => {
    expect(started.runtimeDir).toBe(`/run/user/${uid}`);
    app = await freshApp({ PATH: process.env.PATH, HOME: process.env.HOME });
    const status = await app.connection.connect();
    expect(status).toMatchObject({
      state: 'connected',
      candidate: { source: 'rootless-socket', endpoint: { kind: 'unix', path: usualSocket } },
      engine: { rootless: true },
    });
  });
});
