import type { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';

export interface FakeChild extends ChildProcessWithoutNullStreams {
  readonly argv: string[];
  readonly exited: boolean;
  /** Ends the relay as a crash or `wsl --shutdown` would: no goodbye. */
  crash(): void;
}

export interface FakeRelayOptions {
  /** The relay ignores the end of its input (it must then be killed). */
  ignoreEof?: boolean;
  /** The relay fails at once with this on stderr (wsl.exe: "There is no distribution …"). */
  failWith?: string;
}

/**
 * A spawn that starts no process: each "child" relays its stdin/stdout to a unix socket, as
 * `socat - UNIX-CONNECT:…` or `podman system dial-stdio` would, and behaves as a ChildProcess
 * does (exit, then close once its output was read; kill; ref/unref).
 */
export function fakeRelays(socketPath: string, options: FakeRelayOptions = {}) {
  const children: FakeChild[] = [];
  let nextPid = 1000;

  const spawnProcess = ((file: string, args: string[]) => {
    const child = new EventEmitter() as FakeChild & { exitCode: number | null; signalCode: NodeJS.Signals | null };
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let exited = false;
    const conn = options.failWith ? null : net.connect(socketPath);
    const exit = (code: number | null, signal: NodeJS.Signals | null) => {
      if (exited) return;
      exited = true;
      conn?.destroy();
      child.exitCode = code;
      child.signalCode = signal;
      child.emit('exit', code, signal);
      stdout.once('end', () => child.emit('close', code, signal));
      stdout.end();
      stderr.end();
    };
    Object.assign(child, {
      argv: [file, ...args],
      pid: nextPid++,
      stdin,
      stdout,
      stderr,
      stdio: [stdin, stdout, stderr],
      exitCode: null,
      signalCode: null,
      kill(signal: NodeJS.Signals = 'SIGTERM') {
        exit(null, signal);
        return true;
      },
      crash() {
        exit(null, 'SIGKILL');
      },
      ref() {},
      unref() {},
    });
    Object.defineProperty(child, 'exited', { get: () => exited });
    if (conn) {
      stdin.pipe(conn, { end: !options.ignoreEof });
      conn.on('data', (chunk: Buffer) => stdout.write(chunk));
      conn.once('end', () => exit(0, null));
      conn.once('error', () => exit(1, null));
    } else {
      setImmediate(() => {
        stderr.write(options.failWith);
        exit(1, null);
      });
    }
    children.push(child);
    return child;
  }) as unknown as typeof spawn;

  return {
    spawnProcess,
    children,
    alive: () => children.filter((c) => !c.exited).length,
  };
}

/**
 * A small HTTP server on a unix socket that answers like an engine would: JSON after `?delay=ms`,
 * and `/events` that never ends. It counts the connections open at once. With `hangUpOnReuse`
 * (while it says so) it drops a connection that comes back for a second request.
 */
export async function fakeEngineServer(options: { hangUpOnReuse?: () => boolean } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'poddesk-relay-'));
  const socketPath = join(dir, 'engine.sock');
  let open = 0;
  let mostAtOnce = 0;
  const streams = new Set<http.ServerResponse>();
  const served = new WeakSet<object>();
  const server = http.createServer((req, res) => {
    if (served.has(req.socket) && options.hangUpOnReuse?.()) {
      req.socket.destroy(); // closed just as the request came: it never reached the engine
      return;
    }
    served.add(req.socket);
    const url = new URL(req.url ?? '/', 'http://podman');
    if (url.pathname.endsWith('/events')) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"Type":"container","Action":"start","Actor":{"ID":"a"}}\n');
      streams.add(res);
      res.once('close', () => streams.delete(res));
      // As Podman (Go) does: a client that hangs up ends the stream.
      req.socket.once('end', () => res.destroy());
      return;
    }
    const delay = Number(url.searchParams.get('delay') ?? 0);
    setTimeout(() => {
      const body = JSON.stringify({ path: url.pathname });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    }, delay);
  });
  server.on('connection', (socket) => {
    open++;
    mostAtOnce = Math.max(mostAtOnce, open);
    socket.once('close', () => open--);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    mostAtOnce: () => mostAtOnce,
    open: () => open,
    /** Ends idle keep-alive connections, as a socket-activated Podman does after ten seconds. */
    closeIdle: () => server.closeIdleConnections(),
    async close() {
      for (const res of streams) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
