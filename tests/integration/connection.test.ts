import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { nodeRunner } from '../../src/main/system/node';
import { ping, podman } from '../support/podman';
import { connectedApp, startApp } from '../support/app';

const info = inject('podman');
let app: App | null = null;

afterEach(async () => {
  await app?.close();
  app = null;
});

describe('connecting to a real Podman', () => {
  it('connects through the saved socket and reports the engine', async () => {
    app = await connectedApp(info);
    const status = app.connection.status();
    expect(status.state).toBe('connected');
    if (status.state !== 'connected') return;
    const cliVersion = await podman(info, 'version', '--format', '{{.Client.Version}}');
    expect(status.engine.version).toBe(cliVersion);
    expect(status.engine.rootless).toBe(process.getuid?.() !== 0);
    expect(status.candidate.endpoint).toEqual({ kind: 'unix', path: info.socketPath });
    expect(status.ownedService).toBe(false);
  });

  it('spawns no process and makes no request while idle', async () => {
    let spawned = 0;
    app = await connectedApp(info, {
      run: (file, args, options) => {
        spawned++;
        return nodeRunner(file, args, options);
      },
    });
    const engine = app.connection.engine();
    const spawnedAtConnect = spawned;
    const requestsAtConnect = engine.recent.length;
    await new Promise((r) => setTimeout(r, 3_000));
    expect(spawned).toBe(spawnedAtConnect);
    expect(engine.recent.length).toBe(requestsAtConnect);
    expect(app.connection.status().state).toBe('connected');
  });

  it('lists what the CLI sees', async () => {
    const name = `list-${process.pid}`;
    await podman(info, 'create', '--name', name, info.busybox, 'true');
    try {
      app = await connectedApp(info);
      const result = await app.dispatcher.call('containers.list', undefined);
      expect(result.ok).toBe(true);
      const names = (result.ok ? (result.data as { name: string }[]) : []).map((c) => c.name);
      expect(names).toContain(name);
    } finally {
      await podman(info, 'rm', '-f', name);
    }
  });

  it('reaches Podman through a command transport (each connection is socat’s stdio)', async () => {
    // A command runs only when main's own finders made it (as they do for WSL distros): the test adds a finder.
    const socat = { kind: 'command' as const, argv: ['socat', '-', `UNIX-CONNECT:${info.socketPath}`] };
    app = await connectedApp(info, {
      endpoint: socat,
      moreCandidates: async () => [{ endpoint: socat, source: 'wsl', label: 'socat to the test Podman' }],
    });
    const status = app.connection.status();
    expect(status.state === 'connected' && status.candidate.endpoint.kind).toBe('command');
    const result = await app.dispatcher.call('containers.list', undefined);
    expect(result.ok).toBe(true);
  });

  it('never runs a saved command no finder made (a settings file written through the old hole)', async () => {
    const marker = join(info.dir, `owned-${process.pid}`);
    const logged: string[] = [];
    app = await startApp(info, {
      endpoint: { kind: 'command', argv: ['sh', '-c', `touch ${marker}; exec socat - UNIX-CONNECT:${info.socketPath}`] },
      log: (message) => logged.push(message),
    });
    const status = await app.connection.connect();
    // It found the test Podman another way, or none; either way the planted command did not run.
    expect(status.state === 'connected' ? status.candidate.endpoint.kind : 'none').not.toBe('command');
    expect(existsSync(marker)).toBe(false);
    expect(logged.join('\n')).toMatch(/ignoring the saved connection/);
  });

  it('says "not running" with a Start action when podman is installed but nothing answers', async () => {
    app = await startApp(info, {
      endpoint: { kind: 'unix', path: join(info.dir, 'nobody-listens.sock') },
      env: { PATH: process.env.PATH, ...info.env, XDG_RUNTIME_DIR: join(info.dir, 'empty-runtime') },
      idleProbeMs: 60_000,
    });
    const status = await app.connection.connect();
    expect(status.state).toBe('not-running');
    if (status.state !== 'not-running') return;
    expect(status.podmanPath).toMatch(/podman$/);
    expect(status.startAction).toBe('podman system service --time=0');
    const call = await app.dispatcher.call('containers.start', { id: 'anything' });
    expect(call).toMatchObject({ ok: false, error: { code: 'ENGINE_UNAVAILABLE' } });
  });

  it('starts `podman system service` itself, owns it, and ends it on close', async () => {
    const socketPath = join(info.dir, 'owned.sock');
    app = await startApp(info, {
      endpoint: { kind: 'unix', path: join(info.dir, 'nobody-listens.sock') },
      env: { PATH: process.env.PATH, ...info.env, XDG_RUNTIME_DIR: join(info.dir, 'empty-runtime') },
      serviceSocketPath: socketPath,
      idleProbeMs: 60_000,
    });
    expect((await app.connection.connect()).state).toBe('not-running');
    const status = await app.connection.start();
    expect(status).toMatchObject({ state: 'connected', ownedService: true, candidate: { endpoint: { path: socketPath } } });
    expect(await ping(socketPath)).toBe(true);
    const listed = await app.dispatcher.call('containers.list', undefined);
    expect(listed.ok).toBe(true);
    await app.close();
    app = null;
    expect(await ping(socketPath)).toBe(false);
  });
});
