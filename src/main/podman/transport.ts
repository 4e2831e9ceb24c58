import type { spawn } from 'node:child_process';
import type http from 'node:http';
import type { DockerOptions } from 'dockerode';
import type { Endpoint } from '../../shared/contract';
import { commandAgents } from './transport/command';
import { sshHttpAgent, type SshDeps } from './transport/ssh-client';

/**
 * How dockerode reaches each kind of endpoint. Unix sockets and Windows named pipes are native to
 * Node's http client; ssh and command endpoints give it an agent whose every connection is a
 * stream we open ourselves.
 */
export interface TransportDeps extends SshDeps {
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
      return { host: 'podman', port: 80, protocol: 'http', agent: sshHttpAgent(endpoint, deps) };
    case 'command': {
      const { pooled, dedicated } = commandAgents(endpoint.argv, { spawnProcess: deps.spawnProcess });
      return { host: 'podman', port: 80, protocol: 'http', agent: pooled, streamAgent: dedicated };
    }
  }
}
