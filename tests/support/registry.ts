import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { podman, waitFor, type PodmanInfo } from './podman';

/**
 * A Docker registry on loopback (Debian's `docker-registry`), storing in a temporary folder, so
 * pulls and pushes are tested with no network. The test registries.conf marks 127.0.0.1 insecure.
 */
export interface Registry {
  /** host:port, e.g. 127.0.0.1:40123 */
  host: string;
  dir: string;
  stop(): Promise<void>;
}

/** A user the auth-protected registry knows; the hash is bcrypt (cost 4: the registry checks it on every request). */
export const REGISTRY_USER = {
  username: 'poddesk',
  password: 's3cret-pass',
  htpasswd: 'poddesk:$2b$04$ikLBkYnOHSVkCXv/p4cyP.nR/fYVhkwvqcRzDc1SHyn/LJZVdEYdu',
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function answers(host: string): Promise<boolean> {
  try {
    const response = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(1_000) });
    return response.status === 200 || response.status === 401;
  } catch {
    return false;
  }
}

export async function startRegistry(options: { auth?: boolean } = {}): Promise<Registry> {
  const dir = await mkdtemp(join(tmpdir(), 'pdt-registry-'));
  await mkdir(join(dir, 'data'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = [
    'version: 0.1',
    'log:',
    '  level: error',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${host}`,
  ];
  if (options.auth) {
    await writeFile(join(dir, 'htpasswd'), `${REGISTRY_USER.htpasswd}\n`);
    config.push('auth:', '  htpasswd:', '    realm: poddesk-test', `    path: ${join(dir, 'htpasswd')}`);
  }
  await writeFile(join(dir, 'config.yml'), config.join('\n') + '\n');
  const child: ChildProcess = spawn('/usr/bin/docker-registry', ['serve', join(dir, 'config.yml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  try {
    await waitFor(() => child.exitCode === null && answers(host), `docker-registry on ${host}`, 15_000, 100);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}: ${stderr}`);
  }
  return {
    host,
    dir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        await gone;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A TCP proxy in front of a registry that sends the registry's answers at a set rate per
 * connection: a pull of a few MB then lasts seconds (Podman reports a layer's bytes once a
 * second, and a cancel needs time to land mid-pull). It counts open connections, so a test can
 * see that a cancelled pull really closed them.
 */
export interface Throttle {
  host: string;
  open(): number;
  /** Connections ever accepted. */
  accepted(): number;
  stop(): Promise<void>;
}

export async function startThrottle(target: string, bytesPerSecond: number): Promise<Throttle> {
  const [targetHost, targetPort] = target.split(':');
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((client) => {
    accepted++;
    const upstream = net.connect(Number(targetPort), targetHost);
    const slow = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        setTimeout(() => done(null, chunk), (chunk.length / bytesPerSecond) * 1000);
      },
    });
    sockets.add(client);
    client.pipe(upstream);
    upstream.pipe(slow).pipe(client);
    const close = () => {
      sockets.delete(client);
      client.destroy();
      upstream.destroy();
      slow.destroy();
    };
    client.on('close', close);
    client.on('error', close);
    upstream.on('error', close);
    upstream.on('close', () => slow.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    open: () => sockets.size,
    accepted: () => accepted,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Pushes a local image to the registry under `remote` (host/name:tag), then forgets the remote tag locally. */
export async function pushImage(
  info: Pick<PodmanInfo, 'args' | 'env'>,
  local: string,
  remote: string,
  creds?: { username: string; password: string },
): Promise<void> {
  const auth = creds ? ['--creds', `${creds.username}:${creds.password}`] : [];
  await podman(info, 'push', '--quiet', '--tls-verify=false', ...auth, local, remote);
}

/**
 * An image with layers of random (incompressible) data and no base, so none of its layers is
 * already in local storage: `layersMB` gives each layer's size.
 */
export async function buildRandomImage(info: Pick<PodmanInfo, 'args' | 'env'>, name: string, layersMB: number[]): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'pdt-random-'));
  const lines = ['FROM scratch'];
  for (const [i, mb] of layersMB.entries()) {
    await writeFile(join(dir, `layer${i}.bin`), randomBytes(Math.round(mb * 1024 * 1024)));
    lines.push(`COPY layer${i}.bin /layer${i}.bin`);
  }
  await writeFile(join(dir, 'Containerfile'), lines.join('\n') + '\n');
  await podman(info, 'build', '--quiet', '--tag', name, dir);
  await rm(dir, { recursive: true, force: true });
}

/** The compressed sizes of an image's layers, as the registry's manifest lists them. */
export async function manifestLayers(host: string, repository: string, tag: string): Promise<{ digest: string; size: number }[]> {
  const response = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, {
    headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
  });
  if (!response.ok) throw new Error(`manifest ${repository}:${tag}: HTTP ${response.status}`);
  const manifest = (await response.json()) as { layers: { digest: string; size: number }[] };
  return manifest.layers;
}
