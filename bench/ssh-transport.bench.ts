import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, LIBPOD, type Engine } from '../src/main/podman/engine';
import { createHostKeys } from '../src/main/podman/transport/host-keys';
import { startSshd } from '../tests/support/sshd';
import { benchPodman, stats, timed } from './support';

/**
 * Podman over ssh (Debian's OpenSSH server on loopback, forwarding to a private Podman's socket)
 * against the same Podman on its unix socket, in one run:
 * - 100 requests over one ssh engine: how many handshakes (client count and sshd's own log), how
 *   many channels;
 * - per-request time, ssh and direct, interleaved in rounds so both see the same machine load;
 * - what a handshake per request (the old transport) cost: a fresh engine for each request.
 */
const REQUESTS = 100;
const ROUNDS = 5;
const FRESH = 10;

async function requestOnce(engine: Engine, kind: 'ping' | 'list'): Promise<void> {
  if (kind === 'ping') await engine.ping(15_000);
  else await engine.json('GET', `${LIBPOD}/containers/json`, { query: { all: true } });
}

export default async function run() {
  const { info, stop } = await benchPodman();
  const sshd = await startSshd();
  const dir = await mkdtemp(join(tmpdir(), 'pd-bench-ssh-'));
  const knownHosts = join(dir, 'known_hosts');
  await writeFile(knownHosts, (await sshd.knownHostsLines()).join('\n') + '\n');
  const hostKeys = createHostKeys({ userFile: knownHosts, systemFiles: [] });
  const sshDeps = { hostKeys, readIdentity: (path: string) => readFile(path) };
  const endpoint = sshd.endpoint(info.socketPath);
  const ssh = createEngine(endpoint, sshDeps);
  const direct = createEngine({ kind: 'unix', path: info.socketPath });
  try {
    // A few containers, so the list has something to carry.
    for (let i = 0; i < 5; i++) {
      await direct.json('POST', `${LIBPOD}/containers/create`, { body: { image: info.busybox, command: ['true'] } });
    }
    const loginsBefore = sshd.logins();
    const connectionsBefore = sshd.connections();
    const [, firstMs] = await timed(() => requestOnce(ssh, 'ping'));
    await requestOnce(direct, 'ping');

    const times = { ssh: { ping: [] as number[], list: [] as number[] }, direct: { ping: [] as number[], list: [] as number[] } };
    let sshRequests = 1;
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of ['ping', 'list'] as const) {
        for (const [name, engine] of [
          ['ssh', ssh],
          ['direct', direct],
        ] as const) {
          for (let i = 0; i < REQUESTS / ROUNDS / 2; i++) {
            const [, ms] = await timed(() => requestOnce(engine, kind));
            times[name][kind].push(ms);
            if (name === 'ssh') sshRequests++;
          }
        }
      }
    }
    // 20 at once: the pool grows channels (not handshakes) to carry them.
    const [, parallelMs] = await timed(() => Promise.all(Array.from({ length: 20 }, () => requestOnce(ssh, 'list'))));
    sshRequests += 20;
    await new Promise((r) => setTimeout(r, 200)); // sshd's log lines arrive through a pipe
    const transport = ssh.transportStats();
    const sshdConnections = sshd.connections() - connectionsBefore;
    const sshdLogins = sshd.logins() - loginsBefore;

    // The old way: a new ssh connection (handshake, login, channel) for each request.
    const freshMs: number[] = [];
    for (let i = 0; i < FRESH; i++) {
      const once = createEngine(endpoint, sshDeps);
      const [, ms] = await timed(() => requestOnce(once, 'ping'));
      freshMs.push(ms);
      once.close();
    }

    const median = (xs: number[]) => stats(xs).median;
    return {
      requestsOverSsh: sshRequests,
      handshakes: transport.handshakes,
      channels: transport.channels,
      sshdConnections,
      sshdLogins,
      firstRequestWithHandshakeMs: Math.round(firstMs * 100) / 100,
      pingMs: { ssh: stats(times.ssh.ping), direct: stats(times.direct.ping) },
      listMs: { ssh: stats(times.ssh.list), direct: stats(times.direct.list) },
      ratioSshToDirect: {
        ping: Math.round((median(times.ssh.ping) / median(times.direct.ping)) * 10) / 10,
        list: Math.round((median(times.ssh.list) / median(times.direct.list)) * 10) / 10,
      },
      twentyParallelListsMs: Math.round(parallelMs),
      handshakePerRequestPingMs: stats(freshMs),
    };
  } finally {
    ssh.close();
    direct.close();
    await sshd.stop();
    await rm(dir, { recursive: true, force: true });
    await stop();
  }
}
