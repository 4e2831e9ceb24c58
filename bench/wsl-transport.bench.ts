import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../src/main/app';
import { createEngine, LIBPOD, type Engine } from '../src/main/podman/engine';
import { commandAgents, POOL_SIZE } from '../src/main/podman/transport/command';
import { memorySettings } from '../src/main/store/settings';
import type { Endpoint } from '../src/shared/contract';
import { standInWsl } from '../tests/support/wsl-stand-in';
import { benchPodman, stats } from './support';

/**
 * Podman in a WSL distro, where every connection is `wsl.exe -d <distro> --exec podman system
 * dial-stdio`. wsl.exe is a stand-in that waits 200 ms (what starting wsl.exe costs on an idle
 * Windows machine) and becomes socat to the bench's Podman. Opening the Containers page with 100
 * containers (the list), plus 50 inspects at once, is timed for three apps in the same run:
 * straight over the unix socket and over the pooled relays, rounds alternating which goes first;
 * then one relay per request, as PodDesk did before. It counts the relays each app started.
 */
const CONTAINERS = 100;
const INSPECTS = 50;
const ROUNDS = 9; // the first is the warm-up
const PER_REQUEST_ROUNDS = 3; // slow, and it loads the machine: measured after the others
const WSL_DELAY_MS = 200;

async function open(app: App, ids: string[]): Promise<number> {
  const t0 = performance.now();
  await app.containers.reload();
  const inspected = await Promise.all(ids.slice(0, INSPECTS).map((id) => app.dispatcher.call('containers.inspect', { id })));
  const ms = performance.now() - t0;
  if (app.containers.items().length < CONTAINERS || inspected.some((r) => !r.ok)) throw new Error('the page did not load');
  return ms;
}

export default async function bench() {
  const { info, stop } = await benchPodman();
  const dataDir = await mkdtemp(join(tmpdir(), 'poddesk-bench-wsl-'));
  const apps: App[] = [];
  try {
    const wsl = await standInWsl(join(info.dir, 'wsl'), info.socketPath, WSL_DELAY_MS);
    const start = async (name: string, endpoint: Endpoint, createEngine?: (endpoint: Endpoint) => Engine) => {
      const app = await createApp({
        settings: memorySettings({ connection: { endpoint, label: name } }),
        dataDir: join(dataDir, name),
        env: {},
        ollamaDefaultHost: 'http://127.0.0.1:9',
        log: () => undefined,
        ...(endpoint.kind === 'command'
          ? { moreCandidates: async () => [{ endpoint, source: 'wsl' as const, label: name }], createEngine }
          : {}),
      });
      apps.push(app);
      const t0 = performance.now();
      const status = await app.connection.connect();
      if (status.state !== 'connected') throw new Error(`${name}: ${JSON.stringify(status)}`);
      return { app, connectMs: performance.now() - t0 };
    };

    const engine = createEngine({ kind: 'unix', path: info.socketPath });
    for (let i = 0; i < CONTAINERS; i += 10) {
      await Promise.all(
        Array.from({ length: Math.min(10, CONTAINERS - i) }, (_, j) =>
          engine.json('POST', `${LIBPOD}/containers/create`, {
            body: { name: `wsl-bench-${i + j}`, image: info.busybox, command: ['sleep', '3600'] },
          }),
        ),
      );
    }
    const listed = await engine.json<{ Id: string }[]>('GET', `${LIBPOD}/containers/json`, { query: { all: true } });
    const ids = listed.map((c) => c.Id);
    engine.close();

    // Each app connects as it starts: the event stream, then the lists of every cache.
    const direct = await start('direct', { kind: 'unix', path: info.socketPath });

    const pooledRelays = wsl.counter();
    const pooled = await start('pooled', wsl.endpoint, pooledRelays.createEngine);
    const pooledAtConnect = pooledRelays.spawned.length;
    // Before: one relay per request. The same engine client, with every request sent through the
    // agent that gives each its own relay (the one long streams use now).
    const perRequestRelays = wsl.counter();
    const perRequest = await start('per-request', wsl.endpoint, (endpoint) => {
      const counted = perRequestRelays.createEngine(endpoint);
      const argv = endpoint.kind === 'command' ? endpoint.argv : [];
      const { dedicated } = commandAgents(argv, { spawnProcess: perRequestRelays.spawnProcess });
      (counted.docker.modem as unknown as { agent: unknown }).agent = dedicated;
      return counted;
    });
    const perRequestAtConnect = perRequestRelays.spawned.length;

    const times = { direct: [] as number[], pooled: [] as number[], perRequest: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) {
        times.direct.push(await open(direct.app, ids));
        times.pooled.push(await open(pooled.app, ids));
      } else {
        times.pooled.push(await open(pooled.app, ids));
        times.direct.push(await open(direct.app, ids));
      }
    }
    for (let round = 0; round < PER_REQUEST_ROUNDS; round++) times.perRequest.push(await open(perRequest.app, ids));
    const warm = (samples: number[]) => stats(samples.slice(1));
    const median = (samples: number[]) => warm(samples).median;
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    const round = (n: number) => Math.round(n);
    return {
      containers: CONTAINERS,
      inspects: INSPECTS,
      wslStartMs: WSL_DELAY_MS,
      poolSize: POOL_SIZE,
      rounds: { directAndPooled: ROUNDS, perRequest: PER_REQUEST_ROUNDS, warmUp: 1 },
      connectMs: { direct: round(direct.connectMs), pooled: round(pooled.connectMs), perRequest: round(perRequest.connectMs) },
      firstOpenMs: { direct: round(times.direct[0]!), pooled: round(times.pooled[0]!), perRequest: round(times.perRequest[0]!) },
      openMs: { direct: warm(times.direct), pooled: warm(times.pooled), perRequest: warm(times.perRequest) },
      ratioPooledToDirect: ratio(median(times.pooled), median(times.direct)),
      ratioPerRequestToDirect: ratio(median(times.perRequest), median(times.direct)),
      processes: {
        // Everything each app started: its connect (with the event stream) and all the rounds.
        pooled: pooledRelays.spawned.length,
        pooledAtConnect,
        // The pool, plus the one long stream the app keeps open (events).
        pooledTarget: POOL_SIZE + 1,
        perRequest: perRequestRelays.spawned.length,
        perRequestAtConnect,
        perRequestPerOpen: Math.round((perRequestRelays.spawned.length - perRequestAtConnect) / PER_REQUEST_ROUNDS),
      },
    };
  } finally {
    for (const app of apps) await app.close();
    await stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
