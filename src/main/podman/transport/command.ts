import { spawn } from 'node:child_process';
import http from 'node:http';
import { basename } from 'node:path';
import { processSocket } from './process-socket';

/**
 * A command transport: each connection to Podman is the stdin/stdout of a process —
 * `wsl.exe -d Ubuntu --exec podman system dial-stdio` on Windows, `socat - UNIX-CONNECT:…` in the
 * tests. Starting wsl.exe costs 160–250 ms (over a second when WSL is busy), so connections are
 * kept and reused: requests share a small pool of long-lived relays over HTTP keep-alive, and
 * requests that stay open as long as someone watches (events, followed logs, stats) get a relay of
 * their own that ends with them, so they never hold a pool slot.
 */
export interface CommandAgents {
  /** Keep-alive, at most `poolSize` relays; idle ones end after `idleMs`. */
  pooled: http.Agent;
  /** One relay per request, ended with its response. */
  dedicated: http.Agent;
}

export interface CommandTransportOptions {
  spawnProcess?: typeof spawn;
  poolSize?: number;
  idleMs?: number;
  /** How long a relay may take to leave once its input ends, before it is killed. */
  graceMs?: number;
}

/** Browsers keep six connections per host; Podman on two cores gains nothing from more. */
export const POOL_SIZE = 6;
/** Idle relays end after this: a learner clicking around keeps them, an app left alone does not. */
export const IDLE_MS = 30_000;

/** Marks an error of a request that went out on a reused relay which had meanwhile been closed. */
export interface StaleConnection {
  staleConnection?: boolean;
}

export function commandAgents(argv: readonly string[], options: CommandTransportOptions = {}): CommandAgents {
  const spawnProcess = options.spawnProcess ?? spawn;
  const [file, ...args] = argv;
  if (!file) throw new Error('A command endpoint needs a program to run');
  const name = basename(file);
  // After destroy() no relay starts again: Node's agent would otherwise open new connections for
  // requests still queued when the old ones close.
  let closed = false;

  const createConnection = (_options: unknown, callback: (error: Error | null, socket?: never) => void) => {
    if (closed) {
      callback(closedError());
      return undefined;
    }
    const child = spawnProcess(file, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    callback(null, processSocket(child, { name, graceMs: options.graceMs }) as never);
    return undefined;
  };

  const pooled = new http.Agent({
    keepAlive: true,
    maxSockets: options.poolSize ?? POOL_SIZE,
    timeout: options.idleMs ?? IDLE_MS,
    // The most recently used relay goes first, so the others stay idle and end when load drops.
    scheduling: 'lifo',
  });
  const dedicated = new http.Agent({ keepAlive: false });
  for (const agent of [pooled, dedicated]) {
    agent.createConnection = createConnection as never;
    const destroy = agent.destroy.bind(agent);
    agent.destroy = () => {
      closed = true;
      // Requests waiting for a connection fail now, as Node fails one whose connection cannot be
      // opened; left in the agent's queue they would wait forever.
      const waiting = agent.requests as Record<string, http.ClientRequest[] | undefined>;
      for (const [name, queue] of Object.entries(waiting)) {
        delete waiting[name];
        for (const request of queue ?? []) (request as unknown as Failable).onSocket(null, closedError());
      }
      destroy();
    };
  }

  // A parked relay can be closed by the other side (a socket-activated Podman ends idle
  // connections after ten seconds) just as a request goes out on it. Such a request failed before
  // any answer: the engine client may safely send a GET again.
  const reuseSocket = pooled.reuseSocket.bind(pooled);
  pooled.reuseSocket = (socket, request) => {
    reuseSocket(socket, request);
    request.once('error', (error: Error & StaleConnection) => {
      if (!(request as { res?: unknown }).res) error.staleConnection = true;
    });
  };

  return { pooled, dedicated };
}

type Failable = { onSocket(socket: null, error: Error): void };

const closedError = () => Object.assign(new Error('The connection to Podman was closed'), { code: 'ECONNRESET' });
