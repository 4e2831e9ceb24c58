import { spawn } from 'node:child_process';
import http from 'node:http';
import { Duplex } from 'node:stream';
import type { DockerOptions } from 'dockerode';
import type { Endpoint } from '../../shared/contract';
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

/** docker-modem takes an http.Agent; dockerode's types leave it out. */
export type EngineOptions = DockerOptions & { agent?: http.Agent };

export function dockerOptions(endpoint: Endpoint, deps: TransportDeps = {}): EngineOptions {
  switch (endpoint.kind) {
    case 'unix':
    case 'npipe':
      return { socketPath: endpoint.path };
    case 'tcp':
      return { host: endpoint.host, port: endpoint.port, protocol: 'http' };
    case 'ssh':
      return { host: 'podman', port: 80, protocol: 'http', agent: sshHttpAgent(endpoint, deps) };
    case 'command':
      return { host: 'podman', port: 80, protocol: 'http', agent: commandAgent(endpoint.argv, deps.spawnProcess ?? spawn) };
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

/**
 * Each HTTP connection is the stdin/stdout of a new process: `wsl.exe -d Ubuntu -- podman system
 * dial-stdio` on Windows, `socat - UNIX-CONNECT:…` in the tests. Closing the connection ends it.
 */
export function commandAgent(argv: readonly string[], spawnProcess: typeof spawn = spawn): http.Agent {
  const agent = new http.Agent({ keepAlive: false });
  const [file, ...args] = argv;
  agent.createConnection = (_options, callback) => {
    const child = spawnProcess(file!, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const stream = Duplex.from({ readable: child.stdout, writable: child.stdin });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8');
    });
    child.once('error', (error) => stream.destroy(error));
    child.once('exit', (code) => {
      if (code && !stream.destroyed) stream.destroy(new Error(`${file} exited with code ${code}: ${stderr.trim()}`));
    });
    stream.once('close', () => {
      if (child.exitCode === null) child.kill();
    });
    callback?.(null, socketLike(stream) as never);
    return undefined as never;
  };
  return agent;
}
