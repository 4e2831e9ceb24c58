import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import type { Duplex, Readable } from 'node:stream';
import type Docker from 'dockerode';
import type { Endpoint } from '../../shared/contract';
import { engineError } from './errors';
import { dockerOptions, type TransportDeps } from './transport';
import type { StaleConnection } from './transport/command';
import { isLongLived } from './transport/long-lived';
import { lazy } from '../system/lazy';

const require = createRequire(import.meta.url);
// Loaded with the first engine, not with main: PodDesk's window and the browser host serve the
// page before any engine is found. (It stays outside the bundle: it reads files beside its code.)
const dockerode = lazy(() => require('dockerode') as typeof Docker);

/** The libpod API prefix; Podman 4 and 5 both answer it. */
export const LIBPOD = '/v4.0.0/libpod';

export interface RequestOptions {
  query?: Record<string, unknown>;
  body?: unknown;
  signal?: AbortSignal;
  /** Statuses that count as success besides 200–204. */
  accept?: number[];
  /** Extra request headers (X-Registry-Auth, Content-Type of a raw body …). */
  headers?: Record<string, string>;
  /** A raw request body (a tar archive) instead of JSON; `body` is ignored when it is set. */
  raw?: Readable | Buffer;
}

/**
 * One connection to one Podman API. Every request (dockerode's and our own libpod ones) passes
 * through `dial`, so the engine counts them: the tests use that to prove an event costs one
 * targeted fetch and never a full list.
 */
export interface Engine {
  readonly endpoint: Endpoint;
  readonly docker: Docker;
  json<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
  stream(method: string, path: string, options?: RequestOptions): Promise<IncomingMessage>;
  /** An upgraded connection (exec and attach with a TTY): the socket after `101 UPGRADED`. */
  upgrade(method: string, path: string, options?: RequestOptions): Promise<Duplex>;
  ping(timeoutMs?: number): Promise<void>;
  /** Requests made so far, by "METHOD /path" (query left out). */
  readonly requests: Map<string, number>;
  /** The latest requests with their queries, oldest first: for troubleshooting and the tests. */
  readonly recent: RequestRecord[];
  /** What the transport did so far (ssh: handshakes and channels opened); empty for sockets and pipes. */
  transportStats(): Record<string, number>;
  close(): void;
}

export interface RequestRecord {
  method: string;
  path: string;
  query?: Record<string, unknown>;
}

const RECENT_LIMIT = 500;

type Dial = (options: Record<string, unknown>, callback: (error: unknown, data: unknown) => void) => void;

export function createEngine(endpoint: Endpoint, deps: TransportDeps = {}): Engine {
  const options = dockerOptions(endpoint, deps);
  // docker-modem formats every request's options for its debug log, enabled or not, with
  // util.inspect at unlimited depth — an agent included, with its sockets and waiting requests.
  // Under load that cost grows with the queue (50 inspects over a pool of six took ten times as
  // long): an agent shows itself in one word instead.
  for (const agent of [options.agent, options.streamAgent])
    if (agent) Object.assign(agent, { [inspect.custom]: () => `Agent(${endpoint.kind})` });
  const Dockerode = dockerode();
  const docker = new Dockerode(options);
  const requests = new Map<string, number>();
  const recent: RequestRecord[] = [];
  const modem = docker.modem as unknown as { dial: Dial };
  const dial = modem.dial.bind(modem);
  // Where the transport pools its connections, requests that stay open go through a second modem
  // whose agent gives each its own connection (transport/command.ts).
  const streamModem = options.streamAgent
    ? (new Dockerode({ ...options, agent: options.streamAgent } as Docker.DockerOptions).modem as unknown as { dial: Dial })
    : null;
  const dialLong = streamModem ? streamModem.dial.bind(streamModem) : dial;
  modem.dial = (opts, callback) => {
    const method = String(opts.method);
    const path = String(opts.path).split('?')[0]!;
    const key = `${method} ${path}`;
    requests.set(key, (requests.get(key) ?? 0) + 1);
    const options = opts.options as Record<string, unknown> | undefined;
    const query = String(opts.path).includes('?')
      ? ((options?._query as Record<string, unknown> | undefined) ?? options)
      : undefined;
    recent.push(query ? { method, path, query } : { method, path });
    if (recent.length > RECENT_LIMIT) recent.splice(0, recent.length - RECENT_LIMIT);
    const isStream = opts.isStream === true;
    if (isLongLived({ method, path, query, isStream, hijack: opts.hijack === true })) return dialLong(opts, callback);
    // A GET that went out on a parked connection the other side had just closed never reached
    // Podman: send it once more (on another connection) rather than show the user an error.
    const retry = streamModem !== null && (method === 'GET' || method === 'HEAD') && !isStream;
    const again = { ...opts }; // docker-modem edits what it is given
    dial(opts, (error, data) => {
      if (retry && (error as StaleConnection | null)?.staleConnection) dial(again, callback);
      else callback(error, data);
    });
  };

  const request = (method: string, path: string, opts: RequestOptions, isStream: boolean, hijack = false) =>
    new Promise<unknown>((resolve, reject) => {
      const statusCodes: Record<number, boolean | string> = { 200: true, 201: true, 204: true };
      for (const status of opts.accept ?? []) statusCodes[status] = true;
      const query = opts.query && Object.keys(opts.query).length > 0 ? opts.query : undefined;
      const hasBody = opts.body !== undefined;
      // docker-modem sends `_body` (or, lacking it, the options themselves) as the body of a POST.
      const options =
        (method === 'POST' || method === 'PUT') && !opts.raw ? { _query: query ?? {}, _body: opts.body ?? {} } : query;
      modem.dial(
        {
          path: query ? `${path}?` : path,
          method,
          options: opts.raw && query ? { _query: query } : options,
          abortSignal: opts.signal,
          isStream,
          statusCodes,
          allowEmpty: hasBody,
          ...(opts.headers ? { headers: { ...opts.headers } } : {}),
          ...(opts.raw ? { file: opts.raw } : {}),
          ...(hijack ? { hijack: true } : {}),
        },
        (error, data) => (error ? reject(engineError(error)) : resolve(data)),
      );
    });

  return {
    endpoint,
    docker,
    requests,
    recent,
    json: <T>(method: string, path: string, opts: RequestOptions = {}) => request(method, path, opts, false) as Promise<T>,
    stream: (method, path, opts = {}) => request(method, path, opts, true) as Promise<IncomingMessage>,
    upgrade: (method, path, opts = {}) => request(method, path, opts, true, true) as Promise<Duplex>,
    transportStats() {
      const agent = (options as { agent?: { stats?: () => object } }).agent;
      return { ...agent?.stats?.() } as Record<string, number>;
    },
    async ping(timeoutMs = 3_000) {
      await request('GET', '/_ping', { signal: AbortSignal.timeout(timeoutMs) }, false);
    },
    close() {
      options.agent?.destroy();
      options.streamAgent?.destroy();
    },
  };
}
