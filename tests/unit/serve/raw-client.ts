import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import WebSocket from 'ws';
import { createDispatcher } from '../../../src/main/rpc/dispatcher';
import type { Handlers } from '../../../src/main/rpc/handlers';
import { startHost, type Host } from '../../../src/main/serve/host';
import { createUploadInbox } from '../../../src/main/uploads';
import { call, stream } from '../../../src/shared/contract/define';
import { untilAborted } from '../../../src/main/rpc/handlers';

/**
 * A browser host over a small contract of its own (no Podman), and clients that speak to it the
 * way a hostile or broken one would: raw bytes on a TCP socket, and WebSocket frames by hand.
 */
const contract = {
  calls: {
    'demo.echo': call(z.object({ text: z.string() })).returns<string>(),
    // An answer JSON cannot carry: the host must still answer.
    'demo.big': call(z.void()).returns<bigint>(),
    'demo.crash': call(z.void()).returns<void>(),
  },
  streams: {
    'demo.ticks': stream(z.object({ count: z.number().int().min(0).max(5) })).emits<number>(),
    'demo.forever': stream(z.void()).emits<number>(),
  },
};

const handlers = {
  calls: {
    'demo.echo': ({ text }: { text: string }) => text.toUpperCase(),
    'demo.big': () => 10n,
    'demo.crash': () => {
      throw new TypeError('boom');
    },
  },
  streams: {
    'demo.ticks': ({ count }: { count: number }, emit: (n: number) => void) => {
      for (let i = 0; i < count; i++) emit(i);
    },
    'demo.forever': (_: void, emit: (n: number) => void, signal: AbortSignal) => {
      emit(1);
      return untilAborted(signal);
    },
  },
} as unknown as Handlers;

export interface TestHost extends Host {
  port: number;
  token: string;
  /** `poddesk_<port>=<value>`, as the browser would send it. */
  cookie: string;
  pageKey: string;
  logged: string[];
}

export const INDEX_HTML = '<!doctype html><html><head><title>x</title></head><body>PodDesk page</body></html>';

export async function startTestHost(): Promise<TestHost> {
  const dir = await mkdtemp(join(tmpdir(), 'host-'));
  await writeFile(join(dir, 'index.html'), INDEX_HTML);
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'assets', 'a.js'), 'console.log(1)');
  await writeFile(join(tmpdir(), 'outside.txt'), 'secret');
  const logged: string[] = [];
  const token = 'TOKEN123';
  const host = await startHost({
    dispatcher: createDispatcher(handlers, contract, { batchIntervalMs: 5 }),
    rendererDir: dir,
    token,
    uploads: createUploadInbox(),
    log: (m) => logged.push(m),
  });
  const entered = await enter(host);
  return { ...host, port: Number(new URL(host.url).port), token, logged, ...entered };
}

/** Opens the printed link as a browser would: the answer is a redirect with the cookie and the page key. */
export async function enter(host: Host): Promise<{ cookie: string; pageKey: string; setCookie: string; location: string }> {
  const response = await fetch(host.entryUrl, { redirect: 'manual' });
  if (response.status !== 302) throw new Error(`entry answered ${response.status}`);
  const setCookie = response.headers.get('set-cookie') ?? '';
  const location = response.headers.get('location') ?? '';
  return { setCookie, location, cookie: setCookie.split(';')[0]!, pageKey: location.split('=')[1] ?? '' };
}

/**
 * Writes `bytes` and collects what comes back until the host closes. Once the line has been
 * quiet for `idleMs` the client half-closes, as a client that has nothing more to say; a host that
 * still keeps the socket open after `timeoutMs` is left (some requests wait for a body that never
 * comes, and Node's own timeouts for those are long).
 */
export function exchange(port: number, bytes: Buffer | string, options: TalkOptions = {}): Promise<string> {
  return talk(
    port,
    (socket, received) => {
      if (received === null) socket.write(bytes);
      return true;
    },
    options,
  );
}

/**
 * A WebSocket by hand: the handshake, then `frames` once the answer to it is in. Resolves with
 * the whole answer (handshake included) once the host closes.
 */
export function exchangeFrames(port: number, handshake: string, frames: Buffer[], options: TalkOptions = {}): Promise<string> {
  let sent = false;
  return talk(
    port,
    (socket, received) => {
      if (received === null) socket.write(handshake);
      else if (!sent && received.includes('\r\n\r\n')) {
        sent = true;
        socket.write(Buffer.concat(frames));
      }
      return sent;
    },
    options,
  );
}

interface TalkOptions {
  idleMs?: number;
  timeoutMs?: number;
  /** Instead of a polite half-close, reset the connection (RST), as a crashed client would. */
  reset?: boolean;
}

/** `step` writes what the client has to say as answers come in, and says when it has said it all. */
function talk(
  port: number,
  step: (socket: Socket, received: Buffer | null) => boolean,
  { idleMs = 1_000, timeoutMs = 5_000, reset = false }: TalkOptions,
): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1');
    let idle: NodeJS.Timeout | undefined;
    const quiet = (done: boolean) => {
      clearTimeout(idle);
      if (done) idle = setTimeout(() => (reset ? socket.resetAndDestroy() : socket.end()), idleMs);
    };
    const done = () => {
      clearTimeout(timer);
      clearTimeout(idle);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      quiet(step(socket, Buffer.concat(chunks)));
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.on('connect', () => quiet(step(socket, null)));
  });
}

export function statuses(answer: string): number[] {
  return [...answer.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1]));
}

export function handshake(h: TestHost, extra: Record<string, string | undefined> = {}, target = '/rpc'): string {
  const headers: Record<string, string | undefined> = {
    Host: `127.0.0.1:${h.port}`,
    Origin: h.url,
    Cookie: h.cookie,
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version': '13',
    ...extra,
  };
  const lines = Object.entries(headers)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}`);
  return `GET ${target} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

/** One client frame: masked unless told otherwise, with the length encoded as asked. */
export function frame(options: {
  opcode: number;
  payload: Buffer;
  fin?: boolean;
  rsv?: number;
  masked?: boolean;
  /** Claim this length instead of the payload's. */
  length?: number;
  lengthBytes?: 0 | 2 | 8;
}): Buffer {
  const { opcode, payload, fin = true, rsv = 0, masked = true } = options;
  const length = options.length ?? payload.length;
  const form = options.lengthBytes ?? (length < 126 ? 0 : length < 65536 ? 2 : 8);
  const head = Buffer.alloc(2 + form);
  head[0] = (fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0xf);
  if (form === 0) head[1] = length & 0x7f;
  else if (form === 2) {
    head[1] = 126;
    head.writeUInt16BE(length & 0xffff, 2);
  } else {
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(length), 2);
  }
  if (masked) head[1] = head[1]! | 0x80;
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const body = masked ? Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!)) : payload;
  return Buffer.concat(masked ? [head, mask, body] : [head, body]);
}

export const textFrame = (text: string) => frame({ opcode: 1, payload: Buffer.from(text) });

/** A WebSocket that said hello with the page key: ready for calls. */
export async function openSocket(h: TestHost, key = h.pageKey): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${h.port}/rpc`, { headers: { origin: h.url, cookie: h.cookie } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ t: 'hello', key }));
  return ws;
}

/** A small deterministic PRNG, so a failing case can be found again from the seed. */
export function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(items.length)]!,
    chance: (p: number) => next() < p,
    bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => int(256))),
  };
}
