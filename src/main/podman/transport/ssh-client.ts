import http from 'node:http';
import { Duplex } from 'node:stream';
import type { Client, ConnectConfig, ServerHostKeyAlgorithm } from 'ssh2';
import type { Endpoint } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { HostKeys } from './host-keys';
import { sshError } from './ssh-errors';

type SshEndpoint = Extract<Endpoint, { kind: 'ssh' }>;

export interface SshDeps {
  /** The known_hosts every handshake is checked against; without it nothing is accepted. */
  hostKeys?: HostKeys;
  /** Reads the endpoint's identity file (a path main holds: from Podman's list, or a dialog). */
  readIdentity?: (path: string) => Promise<Buffer>;
  /** The ssh agent's socket (SSH_AUTH_SOCK), asked for keys as `podman --remote` does. */
  sshAuthSock?: string;
  keepaliveMs?: number;
  readyTimeoutMs?: number;
}

export interface SshStats {
  /** Completed handshakes (ssh2 'ready'): one per connection to the server. */
  handshakes: number;
  /** Channels opened: one streamlocal forward per HTTP connection. */
  channels: number;
}

/**
 * One ssh client per endpoint, as `podman --remote` keeps it: each HTTP connection is a new
 * streamlocal forward (a channel) to the remote Podman socket over it. A handshake costs several
 * round trips and the key exchange; a channel costs one round trip. When the client drops (the
 * server restarted, the network went, the keepalives went unanswered) the next stream connects
 * again — through the host key check again.
 */
export interface SshConnection {
  openStream(): Promise<Duplex>;
  stats(): SshStats;
  close(): void;
}

// Keys the server is asked for first when known_hosts has them for the host (ssh does the same).
const hostKeyAlgorithms: Record<string, ServerHostKeyAlgorithm[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

const channelGone = (error: unknown) => /No response from server|Not connected/i.test((error as Error)?.message ?? '');

export function createSshConnection(endpoint: SshEndpoint, deps: SshDeps): SshConnection {
  const stats: SshStats = { handshakes: 0, channels: 0 };
  let client: Promise<Client> | null = null;
  let live: Client | null = null;
  let closed = false;
  const hasAgent = Boolean(deps.sshAuthSock);

  const configFor = async (): Promise<ConnectConfig> => {
    let privateKey: Buffer | undefined;
    if (endpoint.identity && deps.readIdentity) {
      privateKey = await deps.readIdentity(endpoint.identity).catch((error: Error) => {
        throw new AppError('NOT_FOUND', `The ssh key ${endpoint.identity} cannot be read: ${error.message}`);
      });
    }
    const preferred = (await deps.hostKeys!.preferredTypes(endpoint.host, endpoint.port)).flatMap(
      (type) => hostKeyAlgorithms[type] ?? [],
    );
    return {
      host: endpoint.host,
      port: endpoint.port,
      username: endpoint.username,
      privateKey,
      agent: deps.sshAuthSock || undefined,
      readyTimeout: deps.readyTimeoutMs ?? 15_000,
      keepaliveInterval: deps.keepaliveMs ?? 15_000,
      keepaliveCountMax: 3,
      // `remove` then `prepend` moves them to the front (prepend alone skips what the list has).
      ...(preferred.length ? { algorithms: { serverHostKey: { remove: preferred, prepend: preferred } as never } } : {}),
    };
  };

  const handshake = async (): Promise<Client> => {
    if (!deps.hostKeys)
      throw new AppError('INTERNAL', 'No known_hosts to check ssh host keys against: PodDesk will not connect.');
    const config = await configFor();
    const hostKeys = deps.hostKeys;
    // Only ssh connections need ssh2: loaded with the first handshake, not with main.
    const { Client } = await import('ssh2');
    return new Promise<Client>((resolve, reject) => {
      const c = new Client();
      let refusal: AppError | null = null;
      let ready = false;
      c.on('ready', () => {
        ready = true;
        stats.handshakes++;
        live = c;
        resolve(c);
      });
      // After 'ready' an error is followed by 'close', which is what counts.
      c.on('error', (error) => {
        if (!ready) reject(refusal ?? sshError(error, endpoint, hasAgent));
      });
      c.on('close', () => {
        if (live === c) {
          live = null;
          client = null;
        }
        if (!ready) reject(refusal ?? sshError(new Error('The ssh server closed the connection'), endpoint, hasAgent));
      });
      try {
        c.connect({
          ...config,
          hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
            hostKeys.check(endpoint.host, endpoint.port, key).then(
              (problem) => {
                refusal = problem;
                verify(problem === null);
              },
              (error: unknown) => {
                refusal = error instanceof AppError ? error : new AppError('INTERNAL', String(error));
                verify(false);
              },
            );
          },
        });
        // Requests are small writes answered by small writes: Nagle's wait would add up to 40 ms to each.
        c.setNoDelay(true);
      } catch (error) {
        // ssh2 parses the private key synchronously: an encrypted or damaged key ends here.
        reject(sshError(error, endpoint, hasAgent));
      }
    });
  };

  const connected = (): Promise<Client> => {
    if (closed) return Promise.reject(new AppError('CANCELLED', 'The ssh connection was closed'));
    if (!client) {
      const attempt = handshake();
      client = attempt;
      // A failed handshake leaves nothing behind: the next request tries again (the manager backs off).
      attempt.catch(() => {
        if (client === attempt) client = null;
      });
    }
    return client;
  };

  const forward = (c: Client) =>
    new Promise<Duplex>((resolve, reject) => {
      try {
        c.openssh_forwardOutStreamLocal(endpoint.socketPath, (error, channel) => {
          if (error) return reject(error);
          stats.channels++;
          resolve(channel);
        });
      } catch (error) {
        reject(error);
      }
    });

  const drop = (c: Client) => {
    if (live === c) {
      live = null;
      client = null;
    }
    c.end();
  };

  return {
    async openStream() {
      const c = await connected();
      try {
        return await forward(c);
      } catch (error) {
        if (!channelGone(error)) throw sshError(error, endpoint, hasAgent);
        // The client died between the handshake and this channel (its 'close' not seen yet): once more, anew.
        drop(c);
        try {
          return await forward(await connected());
        } catch (again) {
          throw sshError(again, endpoint, hasAgent);
        }
      }
    },
    stats: () => ({ ...stats }),
    close() {
      closed = true;
      const pending = client;
      client = null;
      if (live) live.end();
      live = null;
      // A handshake under way when the app closes ends as soon as it is done.
      pending?.then((c) => c.end()).catch(() => undefined);
    },
  };
}

/**
 * An ssh channel as Node's http client expects a socket. ssh2's channels destroy themselves only
 * once the server confirms (a dropped client never does) and emit no 'close' of their own making,
 * so an aborted request on a dead channel would wait forever, and the agent would keep a closed
 * channel in its free list (it drops only unwritable ones). A plain Duplex around the channel has
 * Node's usual semantics: destroy() ends it at once (and tells the server), 'close' comes once.
 */
function socketLike(channel: Duplex): Duplex {
  const stream = Duplex.from({ readable: channel, writable: channel }) as Duplex & Record<string, unknown>;
  for (const method of ['setTimeout', 'setNoDelay', 'setKeepAlive', 'ref', 'unref']) {
    if (typeof stream[method] !== 'function') stream[method] = () => stream;
  }
  // ssh2 ends a channel of a dropped client without ending its writable side: end the pair.
  channel.once('close', () => stream.destroy());
  return stream;
}

export type SshHttpAgent = http.Agent & { stats(): SshStats };

/**
 * dockerode's http agent for an ssh endpoint: every connection it asks for is a channel of the
 * one client. Idle connections are kept (HTTP keep-alive), so most requests open no channel at all.
 */
export function sshHttpAgent(endpoint: SshEndpoint, deps: SshDeps): SshHttpAgent {
  const connection = createSshConnection(endpoint, deps);
  const agent = new http.Agent({ keepAlive: true, maxFreeSockets: 4 }) as SshHttpAgent;
  agent.createConnection = (_options, callback) => {
    connection.openStream().then(
      (stream) => callback?.(null, socketLike(stream) as never),
      (error: Error) => callback?.(error, undefined as never),
    );
    return undefined as never;
  };
  const destroy = agent.destroy.bind(agent);
  agent.destroy = () => {
    destroy();
    connection.close();
  };
  agent.stats = connection.stats;
  return agent;
}
