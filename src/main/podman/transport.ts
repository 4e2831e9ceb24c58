import type { spawn } from 'node:child_process';
import http from 'node:http';
import { Duplex } from 'node:stream';
import type { DockerOptions } from 'dockerode';
import { Client as SshClient } from 'ssh2';
import type { Endpoint } from '../../shared/contract';
import { commandAgents } from './transport/command';

/**
 * How dockerode reaches each kind of endpoint. Unix sockets and Windows named pipes are native to
 * Node's http client; ssh and command endpoints give it an agent whose every connection is a
 * stream we open ourselves.
 */
export interface TransportDeps {
  readIdentity?: (path: string) => Promise<Buffer>;
  spawnProcess?: typeof spawn;
}

/**
 * docker-modem takes an http.Agent; dockerode's types leave it out. `streamAgent`: where requests
 * that stay open go, when they must not hold one of `agent`'s pooled connections (command.ts).
 */
export type EngineOptions = DockerOptions & { agent?: http.Agent; streamAgent?: http.Agent };

export function dockerOptions(endpoint: Endpoint, deps: TransportDeps = {}): EngineOptions {
  switch (endpoint.kind) {
    case 'unix':
    case 'npipe':
      return { socketPath: endpoint.path };
    case 'tcp':
      return { host: endpoint.host, port: endpoint.port, protocol: 'http' };
    case 'ssh':
      return { host: 'podman', port: 80, protocol: 'http', agent: sshAgent(endpoint, deps) };
    case 'command': {
      const { pooled, dedicated } = commandAgents(endpoint.argv, { spawnProcess: deps.spawnProcess });
      return { host: 'podman', port: 80, protocol: 'http', agent: pooled, streamAgent: dedicated };
    }
  }
}

/** Node's http client calls these on sockets; a child's stdio pair has none of them. */
function socketLike(stream: Duplex): Duplex {
  const s = stream as Duplex & Record<string, unknown>;
  for (const method of ['setTimeout', 'setNoDelay', 'setKeepAlive', 'ref', 'unref']) {
    if (typeof s[method] !== 'function') s[method] = () => s;
  }
  return stream;
}

/** ssh to the machine and forward to the remote Podman socket, as `podman --remote` does. */
export function sshAgent(endpoint: Extract<Endpoint, { kind: 'ssh' }>, deps: TransportDeps): http.Agent {
  const agent = new http.Agent({ keepAlive: false });
  agent.createConnection = (_options, callback) => {
    const client = new SshClient();
    const fail = (error: Error) => {
      client.end();
      callback?.(error, undefined as never);
    };
    const connect = async () => {
      const privateKey = endpoint.identity && deps.readIdentity ? await deps.readIdentity(endpoint.identity) : undefined;
      client
        .once('ready', () => {
          client.openssh_forwardOutStreamLocal(endpoint.socketPath, (error, channel) => {
            if (error) return fail(error);
            channel.once('close', () => client.end());
            callback?.(null, socketLike(channel) as never);
          });
        })
        .once('error', fail)
        .connect({
          host: endpoint.host,
          port: endpoint.port,
          username: endpoint.username,
          privateKey,
          agent: process.env.SSH_AUTH_SOCK,
          readyTimeout: 10_000,
        });
    };
    connect().catch(fail);
    return undefined as never;
  };
  return agent;
}
