import net from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp, type App } from '../../src/main/app';
import { memorySettings } from '../../src/main/store/settings';
import { waitFor } from '../support/podman';

const info = inject('podman');

interface Attempt {
  host?: string;
  port?: number;
  path?: string;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * PodDesk starts on a machine with no network at all: at start it talks to Podman (a socket) and
 * looks for Ollama on this machine, and nothing else — no update check, no registry, no
 * telemetry. Every TCP connection the process opens is recorded here, and any that would leave the
 * machine is refused as a network without a route would refuse it.
 */
describe('starting with no network', () => {
  const attempts: Attempt[] = [];
  const connect = net.Socket.prototype.connect;
  let dataDir: string;
  let app: App | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'poddesk-offline-'));
    net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
      // net.connect() hands its normalized arguments over as one array: [options, listener].
      const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
      const attempt: Attempt =
        typeof first === 'object' && first !== null
          ? (first as Attempt)
          : typeof first === 'string'
            ? { path: first }
            : { port: Number(first), host: typeof args[1] === 'string' ? args[1] : 'localhost' };
      // undici gives the port as a string.
      attempts.push({
        host: attempt.host,
        port: attempt.port === undefined ? undefined : Number(attempt.port),
        path: attempt.path,
      });
      if (attempt.path === undefined && !LOOPBACK.test(attempt.host ?? 'localhost')) {
        const error = Object.assign(new Error(`connect ENETUNREACH ${attempt.host}:${attempt.port}`), {
          code: 'ENETUNREACH',
        });
        process.nextTick(() => this.destroy(error));
        return this;
      }
      return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
    } as typeof net.Socket.prototype.connect;
  });

  afterAll(async () => {
    net.Socket.prototype.connect = connect;
    await app?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('connects to Podman and looks for Ollama on this machine only', async () => {
    // As a user's first start: no saved choice; the engine is found from the environment.
    app = await createApp({
      settings: memorySettings(),
      dataDir,
      env: { PATH: process.env.PATH, HOME: dataDir, CONTAINER_HOST: `unix://${info.socketPath}`, ...info.env },
      log: () => undefined,
    });
    // What the page asks for first, as it opens.
    for (const name of ['settings.get', 'connection.status', 'ollama.status', 'chat.list', 'stacks.list']) {
      expect((await app.dispatcher.call(name, undefined)).ok, name).toBe(true);
    }
    expect((await app.connection.connect()).state).toBe('connected');
    await app.ollama.endpoint.refresh();
    await waitFor(() => app!.ollama.endpoint.status().state !== 'searching', 'the Ollama search to end');

    const outside = attempts.filter((a) => a.path === undefined && !LOOPBACK.test(a.host ?? 'localhost'));
    expect(outside).toEqual([]);
    // It did look: the Podman socket, and Ollama's usual address on this machine.
    expect(attempts.some((a) => a.path === info.socketPath)).toBe(true);
    expect(attempts.some((a) => a.port === 11434 && LOOPBACK.test(a.host ?? ''))).toBe(true);
  });
});
