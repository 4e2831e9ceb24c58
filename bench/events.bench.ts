import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/main/app';
import { LIBPOD } from '../src/main/podman/engine';
import { memorySettings } from '../src/main/store/settings';
import { podmanEnv, type PodmanInfo } from '../tests/support/podman';
import { benchPodman, stats, timed } from './support';

/**
 * Live state from events (docs/architecture.md §3), measured: with 100 and 1,000 containers (created, not
 * started), how long from a CLI `podman start` to the updated entry in the app's cache, and what
 * the engine spends per event — one targeted fetch — against a full re-list, in the same run.
 */
const TRIALS = 12;

function cli(info: PodmanInfo, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('podman', [...info.args, ...args], { env: podmanEnv(info), stdio: 'ignore' });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`podman ${args.join(' ')} exited ${code}`))));
  });
}

async function createMany(app: Awaited<ReturnType<typeof createApp>>, info: PodmanInfo, prefix: string, count: number) {
  const engine = app.connection.engine();
  const names = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  for (let i = 0; i < names.length; i += 8) {
    await Promise.all(
      names
        .slice(i, i + 8)
        .map((name) =>
          engine.json('POST', `${LIBPOD}/containers/create`, { body: { name, image: info.busybox, command: ['sleep', '3600'] } }),
        ),
    );
  }
  return names;
}

async function measure(app: Awaited<ReturnType<typeof createApp>>, info: PodmanInfo, total: number, names: string[]) {
  const engine = app.connection.engine();
  // The create events of the last containers may still be on their way.
  for (let waited = 0; app.containers.items().length < total; waited += 50) {
    if (waited > 20_000) throw new Error(`cache has ${app.containers.items().length} of ${total}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await app.containers.idle();

  const startToCache: number[] = [];
  const cliOnly: number[] = [];
  const fetchesPerStart: number[] = [];
  for (const name of names.slice(0, TRIALS)) {
    const id = app.containers.items().find((c) => c.name === name)!.id;
    const requestsSoFar = () => [...engine.requests.values()].reduce((a, b) => a + b, 0);
    const before = requestsSoFar();
    const t0 = performance.now();
    const seen = new Promise<number>((resolve) => {
      const stop = app.containers.subscribe((change) => {
        if (change.type === 'upsert' && change.item.id === id && change.item.state === 'running') {
          stop();
          resolve(performance.now());
        }
      });
    });
    const cliDone = cli(info, ['start', name]).then(() => performance.now());
    const [t1, t2] = await Promise.all([seen, cliDone]);
    startToCache.push(t1 - t0);
    cliOnly.push(t2 - t0);
    await new Promise((r) => setTimeout(r, 200)); // let the burst's last events land
    await app.containers.idle();
    fetchesPerStart.push(requestsSoFar() - before);
  }

  // What one event costs the engine in this design (an inspect), what a list filtered to one id
  // would cost, and what a full re-list costs.
  const inspect: number[] = [];
  const filtered: number[] = [];
  const full: number[] = [];
  const anyId = app.containers.items()[0]!.id;
  for (let i = 0; i < 15; i++) {
    inspect.push((await timed(() => engine.json('GET', `${LIBPOD}/containers/${anyId}/json`)))[1]);
    filtered.push(
      (await timed(() => engine.json('GET', `${LIBPOD}/containers/json`, { query: { all: true, filters: { id: [anyId] } } })))[1],
    );
    full.push((await timed(() => engine.json('GET', `${LIBPOD}/containers/json`, { query: { all: true } })))[1]);
  }
  const perEvent = stats(inspect);
  const fullList = stats(full);
  return {
    containers: total,
    cliStartToCacheMs: stats(startToCache),
    cliStartProcessMs: stats(cliOnly),
    engineRequestsPerStart: stats(fetchesPerStart),
    perEventInspectMs: perEvent,
    filteredListMs: stats(filtered),
    fullListMs: fullList,
    fullListOverPerEvent: Math.round((fullList.median / perEvent.median) * 10) / 10,
  };
}

export default async function eventsBench() {
  const podman = await benchPodman();
  const { info } = podman;
  const app = await createApp({
    settings: memorySettings({ connection: { endpoint: { kind: 'unix', path: info.socketPath }, label: 'bench' } }),
    dataDir: await mkdtemp(join(tmpdir(), 'bench-')),
    env: { PATH: process.env.PATH, ...info.env },
    log: () => undefined,
  });
  try {
    const status = await app.connection.connect();
    if (status.state !== 'connected') throw new Error(`not connected: ${status.state}`);
    const first = await createMany(app, info, 'b100', 100);
    const at100 = await measure(app, info, 100, first);
    await cli(info, ['stop', '-t', '0', ...first.slice(0, TRIALS)]);
    const more = await createMany(app, info, 'b1000', 900);
    const at1000 = await measure(app, info, 1000, more);
    return {
      description:
        'CLI `podman start` → updated entry in the app cache; engine time per event (targeted fetch) vs a full re-list',
      trials: TRIALS,
      at100,
      at1000,
    };
  } finally {
    await app.close();
    await podman.stop();
  }
}
