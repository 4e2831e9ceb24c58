import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Endpoint } from '../../src/shared/contract';

/**
 * A real OpenSSH server for the tests and the benchmark (Debian's openssh-server): its own host
 * keys, config and authorized_keys in a temporary folder, listening on a free loopback port. The
 * login user is whoever runs the tests (root on the test machines). Nothing of the machine's own
 * sshd setup is read or changed, except that /run/sshd (privilege separation) must exist.
 */
export type HostKeyType = 'ed25519' | 'ecdsa' | 'rsa';

export interface Sshd {
  host: string;
  port: number;
  user: string;
  dir: string;
  /** The client's private key, accepted by this server. */
  identity: string;
  /** The client's public key line. */
  publicKey: string;
  /** The server's public host keys, one "type base64" line each, in the order of HostKey lines. */
  hostKeys(): Promise<string[]>;
  /** known_hosts lines naming this server (`[127.0.0.1]:port type base64`). */
  knownHostsLines(types?: HostKeyType[]): Promise<string[]>;
  /** What `ssh-keygen -lf` prints for a host key: SHA256:… */
  fingerprint(type?: HostKeyType): Promise<string>;
  /** An ssh endpoint to the remote socket, with the test key as identity. */
  endpoint(socketPath: string, withIdentity?: boolean): Extract<Endpoint, { kind: 'ssh' }>;
  /** TCP connections sshd accepted so far (its own log). */
  connections(): number;
  /** Logins sshd accepted so far (its own log): one per handshake. */
  logins(): number;
  log(): string;
  /** Ends every client connection (kills sshd's per-connection processes); the server keeps listening. */
  dropConnections(): Promise<void>;
  /** Stops and starts again on the same port; with new host keys when asked. */
  restart(options?: { newHostKeys?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

function run(file: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(file, args, { env: env ?? process.env }, (error, stdout, stderr) =>
      error ? reject(new Error(`${file} ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout),
    ),
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Every process below `pid` (read from /proc), children before their parents' siblings. */
async function descendants(pid: number): Promise<number[]> {
  const parents = new Map<number, number[]>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!ppid) continue;
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const child of parents.get(p) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

const keyFile = (dir: string, type: HostKeyType) => join(dir, `ssh_host_${type}_key`);

async function makeHostKeys(dir: string, types: HostKeyType[]): Promise<void> {
  for (const type of types) {
    await rm(keyFile(dir, type), { force: true });
    await rm(`${keyFile(dir, type)}.pub`, { force: true });
    await run('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', 'poddesk-test-host', '-f', keyFile(dir, type)]);
  }
}

export async function startSshd(options: { hostKeyTypes?: HostKeyType[] } = {}): Promise<Sshd> {
  const types = options.hostKeyTypes ?? ['ed25519'];
  const dir = await mkdtemp(join(tmpdir(), 'pd-sshd-'));
  const port = await freePort();
  const user = userInfo().username;
  // sshd refuses to start without its privilege separation folder (a package install makes it at boot).
  if (process.getuid?.() === 0) await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  await makeHostKeys(dir, types);
  const identity = join(dir, 'client_key');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'poddesk-test-client', '-f', identity]);
  const publicKey = (await readFile(`${identity}.pub`, 'utf8')).trim();
  await writeFile(join(dir, 'authorized_keys'), `${publicKey}\n`, { mode: 0o600 });
  const config = join(dir, 'sshd_config');
  await writeFile(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      ...types.map((t) => `HostKey ${keyFile(dir, t)}`),
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'UsePAM no',
      'PermitRootLogin prohibit-password',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'AllowStreamLocalForwarding yes',
      // sshd permits any forward only when local TCP forwarding is allowed: without it a
      // streamlocal forward is "denied" too (session.c, channel_permit_all).
      'AllowTcpForwarding local',
      'X11Forwarding no',
      'PrintMotd no',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );

  let child: ChildProcess | null = null;
  let log = '';
  const start = async () => {
    const listening = `Server listening on 127.0.0.1 port ${port}`;
    const proc = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`sshd did not start: ${log}`)), 10_000);
      proc.stderr!.on('data', (chunk: Buffer) => {
        log += chunk.toString('utf8');
        if (log.includes(listening)) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`sshd exited with ${code}: ${log}`));
      });
    });
  };
  const stopServer = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    // sshd leaves established sessions running when the listener ends; a stop ends them all.
    for (const pid of await descendants(proc.pid!)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    const gone = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGTERM');
    await gone;
  };
  const hostKeys = async (only?: HostKeyType[]) =>
    Promise.all(
      (only ?? types).map(async (t) => {
        const [type, base64] = (await readFile(`${keyFile(dir, t)}.pub`, 'utf8')).trim().split(/\s+/);
        return `${type} ${base64}`;
      }),
    );

  await start();
  return {
    host: '127.0.0.1',
    port,
    user,
    dir,
    identity,
    publicKey,
    hostKeys: () => hostKeys(),
    async knownHostsLines(only) {
      return (await hostKeys(only)).map((k) => `[127.0.0.1]:${port} ${k}`);
    },
    async fingerprint(type = types[0]!) {
      return (await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${keyFile(dir, type)}.pub`])).split(/\s+/)[1]!;
    },
    endpoint: (socketPath, withIdentity = true) => ({
      kind: 'ssh',
      host: '127.0.0.1',
      port,
      username: user,
      socketPath,
      ...(withIdentity ? { identity } : {}),
    }),
    connections: () => log.split('\n').filter((l) => l.startsWith('Connection from ')).length,
    logins: () => log.split('\n').filter((l) => l.includes('Accepted publickey for')).length,
    log: () => log,
    async dropConnections() {
      const proc = child;
      if (!proc?.pid) return;
      for (const pid of await descendants(proc.pid)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
    async restart(opts = {}) {
      await stopServer();
      if (opts.newHostKeys) await makeHostKeys(dir, types);
      await start();
    },
    async stop() {
      await stopServer();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** An ssh agent of the test's own holding `key`: its socket, for SSH_AUTH_SOCK. */
export async function startSshAgent(dir: string, key: string): Promise<{ socket: string; stop(): Promise<void> }> {
  const socket = join(dir, 'agent.sock');
  const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: ['ignore', 'ignore', 'pipe'] });
  for (let i = 0; i < 200 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 25));
  await run('ssh-add', [key], { ...process.env, SSH_AUTH_SOCK: socket });
  return {
    socket,
    async stop() {
      if (agent.exitCode !== null) return;
      const gone = new Promise<void>((r) => agent.once('exit', () => r()));
      agent.kill('SIGTERM');
      await gone;
    },
  };
}
