import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { namedNeighbours, ranWithPort } from '../../src/main/home/first-hour-rules';
import { fileSettings, type SettingsStore } from '../../src/main/store/settings';
import type { CleanupPlan, CleanupResult, DiskUsage, FirstHourProgress } from '../../src/shared/contract';
import { connectedApp, uniqueName } from '../support/app';
import { podman, waitFor } from '../support/podman';
import { callOk } from '../support/streams';

const info = inject('podman');
let dataDir: string;
const made = { containers: [] as string[], volumes: [] as string[], networks: [] as string[], images: [] as string[] };

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'poddesk-home-'));
});
afterAll(async () => {
  for (const c of made.containers) await podman(info, 'rm', '-f', '-t', '0', c).catch(() => undefined);
  for (const v of made.volumes) await podman(info, 'volume', 'rm', '-f', v).catch(() => undefined);
  for (const n of made.networks) await podman(info, 'network', 'rm', '-f', n).catch(() => undefined);
  for (const i of made.images) await podman(info, 'rmi', '-f', i).catch(() => undefined);
  await rm(dataDir, { recursive: true, force: true });
});

/** The app as the browser host starts it: settings in a file of the data folder. */
let settings: SettingsStore;
async function appWithFile(): Promise<App> {
  settings = fileSettings(join(dataDir, 'settings.json'));
  await settings.update({ connection: { endpoint: { kind: 'unix', path: info.socketPath }, label: 'test podman' } });
  return connectedApp(info, { settings, dataDir });
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** What the CLI calls unused: stopped containers (not PodDesk's helpers), images no container uses (as `podman images` lists them: no intermediate layers), dangling volumes. */
async function cliUnused() {
  const containers = (
    JSON.parse(
      await podman(info, 'ps', '-a', '--no-trunc', '--filter', 'status=exited', '--filter', 'status=created', '--format', 'json'),
    ) as CliContainer[]
  )
    .filter((c) => !c.Labels?.['io.poddesk.helper'])
    .map((c) => c.Id);
  const images = (JSON.parse(await podman(info, 'images', '--no-trunc', '--format', 'json')) as CliImage[])
    .filter((i) => (i.Containers ?? 0) === 0)
    .map((i) => i.Id.replace(/^sha256:/, ''));
  const volumes = (await podman(info, 'volume', 'ls', '--filter', 'dangling=true', '--format', '{{.Name}}'))
    .split('\n')
    .filter(Boolean);
  return { containers, images, volumes };
}

/** The plan lists exactly what the CLI called unused both before and after it, give or take what changed meanwhile. */
function expectSameAsCli(planned: string[], before: string[], after: string[]) {
  const stable = before.filter((id) => after.includes(id));
  const changing = new Set([...before, ...after].filter((id) => !stable.includes(id)));
  expect(new Set(planned.filter((id) => !changing.has(id)))).toEqual(new Set(stable));
}

const reached = (app: App) => app.firstHour.progress().reached;
const until = (app: App, step: keyof FirstHourProgress['reached']) =>
  waitFor(() => reached(app)[step] !== undefined, `the ${step} step to be ticked`, 30_000);

describe('the first hour, ticked from what really happens', () => {
  it('ticks the container, volume and network steps, keeps them over a restart and after everything is removed', async () => {
    let app = await appWithFile();
    try {
      await until(app, 'connect');
      await app.containers.idle();
      // Other files of the suite may have left a running container with a port: only a clean engine can say "not yet".
      if (!app.containers.items().some(ranWithPort)) expect(reached(app).container).toBeUndefined();
      expect(reached(app).volume).toBeUndefined();

      // A first container with its port open.
      const web = uniqueName('home-web');
      made.containers.push(web);
      const port = await freePort();
      await podman(
        info,
        'run',
        '-d',
        '--name',
        web,
        '-p',
        `127.0.0.1:${port}:8080`,
        info.busybox,
        'httpd',
        '-f',
        '-p',
        '8080',
        '-h',
        '/',
      );
      await until(app, 'container');
      const answer = await fetch(`http://127.0.0.1:${port}/`).catch(() => null);
      expect(answer).not.toBeNull();

      // Data in a volume survives removing the container that wrote it, and a new container reads it.
      const volume = uniqueName('home-data');
      made.volumes.push(volume);
      await podman(info, 'volume', 'create', volume);
      const writer = uniqueName('home-writer');
      await podman(info, 'run', '--name', writer, '-v', `${volume}:/data`, info.busybox, 'sh', '-c', 'echo kept > /data/note');
      await waitFor(() => app.networking.wiring.items().some((w) => w.name === writer), 'the writer in the wiring');
      await podman(info, 'rm', writer);
      await waitFor(
        () => settings.get().firstHour.outlived.some((o) => o.name === volume),
        'the volume to be seen outliving its container',
      );
      expect(reached(app).volume).toBeUndefined();
      const reader = uniqueName('home-reader');
      made.containers.push(reader);
      expect(await podman(info, 'run', '--name', reader, '-v', `${volume}:/data`, info.busybox, 'cat', '/data/note')).toBe(
        'kept',
      );
      await until(app, 'volume');

      // Two containers on a network with DNS, one reaching the other by name.
      const network = uniqueName('home-net');
      made.networks.push(network);
      await podman(info, 'network', 'create', network);
      const [api, client] = [uniqueName('home-api'), uniqueName('home-client')];
      made.containers.push(api, client);
      await podman(
        info,
        'run',
        '-d',
        '--name',
        api,
        '--network',
        network,
        info.busybox,
        'sh',
        '-c',
        'echo hello > /tmp/index.html && exec httpd -f -p 8080 -h /tmp',
      );
      if (!namedNeighbours({ containers: app.containers.items(), networks: app.networking.networks.items() }))
        expect(reached(app).network).toBeUndefined();
      await podman(info, 'run', '-d', '--name', client, '--network', network, info.busybox, 'sleep', '600');
      // The name resolves inside the network (aardvark-dns): what the step teaches.
      expect(await podman(info, 'exec', client, 'wget', '-q', '-O', '-', `http://${api}:8080/`)).toBe('hello');
      await until(app, 'network');
      await app.firstHour.settled();
    } finally {
      await app.close();
    }

    const before = JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8')) as { firstHour: FirstHourProgress };
    expect(Object.keys(before.firstHour.reached).sort()).toEqual(['connect', 'container', 'network', 'volume']);

    // Everything removed, then the app started again: what was reached stays reached.
    for (const c of made.containers) await podman(info, 'rm', '-f', '-t', '0', c).catch(() => undefined);
    for (const v of made.volumes) await podman(info, 'volume', 'rm', '-f', v).catch(() => undefined);
    app = await appWithFile();
    try {
      await app.containers.idle();
      await app.firstHour.settled();
      expect(reached(app)).toMatchObject(before.firstHour.reached);
      // Hidden, and still hidden after a restart.
      expect((await callOk<FirstHourProgress>(app, 'home.setChecklistHidden', { hidden: true })).hidden).toBe(true);
    } finally {
      await app.close();
    }
    app = await appWithFile();
    try {
      expect(app.firstHour.progress().hidden).toBe(true);
    } finally {
      await app.close();
    }
  });
});

interface CliContainer {
  Id: string;
  Labels?: Record<string, string> | null;
}
interface CliImage {
  Id: string;
  Containers?: number;
}

describe('disk use and Clean up', () => {
  let app: App;
  beforeAll(async () => {
    app = await appWithFile();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lists what is really unused, and deletes exactly the chosen items, keeping what is in use or not chosen', async () => {
    const stopped = uniqueName('clean-stopped');
    const lateStart = uniqueName('clean-late');
    const user = uniqueName('clean-user');
    const [chosenVolume, keptVolume, busyVolume] = [uniqueName('clean-vol'), uniqueName('clean-keep'), uniqueName('clean-busy')];
    const image = `localhost/${uniqueName('clean-image')}:1`;
    made.containers.push(stopped, lateStart, user);
    made.volumes.push(chosenVolume, keptVolume, busyVolume);
    made.images.push(image);
    await podman(info, 'run', '--name', stopped, info.busybox, 'sh', '-c', 'echo x > /made');
    await podman(info, 'create', '--name', lateStart, info.busybox, 'sleep', '600');
    // An image of its own (nothing uses it): the stopped container, committed.
    await podman(info, 'commit', stopped, image);
    // Two names on it: deleting it by id must take both.
    await podman(info, 'tag', image, `${image}-again`);
    made.images.push(`${image}-again`);
    const imageId = (await podman(info, 'image', 'inspect', image, '--format', '{{.Id}}')).trim();
    for (const v of [chosenVolume, keptVolume, busyVolume]) await podman(info, 'volume', 'create', v);
    await podman(info, 'run', '--name', user, '-d', '-v', `${busyVolume}:/data`, info.busybox, 'sleep', '600');
    await podman(info, 'volume', 'create', keptVolume).catch(() => undefined);

    // The CLI's own view of what is unused, just before and just after the plan: other test files
    // share this Podman, so what changed in between is left out of the comparison.
    const before = await cliUnused();
    const plan = await callOk<CleanupPlan>(app, 'home.cleanupPlan');
    const after = await cliUnused();
    expectSameAsCli(
      plan.containers.map((c) => c.id),
      before.containers,
      after.containers,
    );
    expectSameAsCli(
      plan.images.map((i) => i.id),
      before.images,
      after.images,
    );
    expectSameAsCli(
      plan.volumes.map((v) => v.name),
      before.volumes,
      after.volumes,
    );
    expect(plan.containers.map((c) => c.name)).toEqual(expect.arrayContaining([stopped, lateStart]));
    expect(plan.images.find((i) => i.id === imageId.replace(/^sha256:/, ''))?.tags.sort()).toEqual([image, `${image}-again`]);
    expect(plan.volumes.map((v) => v.name)).toEqual(expect.arrayContaining([chosenVolume, keptVolume]));
    expect(plan.volumes.map((v) => v.name)).not.toContain(busyVolume);

    const usage = await callOk<DiskUsage>(app, 'home.diskUsage');
    expect(usage.images.bytes).toBeGreaterThan(0);
    expect(usage.images.reclaimableBytes).toBeGreaterThan(0);
    expect(usage.volumes.count).toBeGreaterThanOrEqual(3);
    expect(usage.containers.unused).toBe(plan.containers.length);

    // After the list was shown: one of the listed containers starts, and a volume gets a user.
    await podman(info, 'start', lateStart);
    const lateUser = uniqueName('clean-late-user');
    made.containers.push(lateUser);
    await podman(info, 'run', '--name', lateUser, '-d', '-v', `${chosenVolume}:/data`, info.busybox, 'sleep', '600');
    await podman(info, 'rm', '-f', '-t', '0', lateUser);

    const ids = (name: string) => plan.containers.find((c) => c.name === name)!.id;
    const result = await callOk<CleanupResult>(app, 'home.cleanup', {
      containers: [ids(stopped), ids(lateStart)],
      images: [imageId],
      volumes: [chosenVolume, busyVolume],
    });
    const outcome = (id: string) => result.outcomes.find((o) => o.id === id);
    expect(outcome(ids(stopped))).toMatchObject({ kind: 'container', removed: true });
    expect(outcome(ids(lateStart))).toMatchObject({ kind: 'container', removed: false });
    expect(outcome(ids(lateStart))!.reason).toMatch(/running/i);
    expect(outcome(imageId.replace(/^sha256:/, ''))).toMatchObject({ kind: 'image', removed: true });
    expect(outcome(chosenVolume)).toMatchObject({ kind: 'volume', removed: true });
    expect(outcome(busyVolume)).toMatchObject({ kind: 'volume', removed: false });
    expect(result.outcomes).toHaveLength(5);

    // Really gone, and really kept.
    await expect(podman(info, 'container', 'exists', stopped)).rejects.toThrow();
    await expect(podman(info, 'image', 'exists', image)).rejects.toThrow();
    await expect(podman(info, 'volume', 'exists', chosenVolume)).rejects.toThrow();
    await podman(info, 'container', 'exists', lateStart);
    await podman(info, 'volume', 'exists', busyVolume);
    await podman(info, 'volume', 'exists', keptVolume);
    await podman(info, 'image', 'exists', info.busybox);
    expect(await podman(info, 'exec', user, 'ls', '/data')).toBe('');
  });

  it('refuses an empty choice and anything that is not an id, with a clear error', async () => {
    const empty = await app.dispatcher.call('home.cleanup', {});
    expect(empty).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const bad = await app.dispatcher.call('home.cleanup', { images: ['../../etc'] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
