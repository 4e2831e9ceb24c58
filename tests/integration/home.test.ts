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
      await podman(info, 'run', '-d', '--name', web, '-p', `127.0.0.1:${port}:8080`, info.busybox, 'httpd', '-f', '-p', '8080', '-h', '/');
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
      expect(await podman(info, 'run', '--name', reader, '-v', `${volume}:/data`, info.busybox, 'cat', '/data/note')).toBe('kept');
      await until(app, 'volume');

      // Two containers on a network with DNS, one reaching the other by name.
      const network = uniqueName('home-net');
      made.networks.push(network);
      await podman(info, 'network', 'create', network);
      const [api, client] = [uniqueName('home-api'), uniqueName('home-client')];
      made.containers.push(api, client);
      await podman(info, 'run', '-d', '--name', api, '--network', network, info.busybox, 'sh', '-c', 'echo hello > /tmp/index.html && exec httpd -f -p 8080 -h /tmp');
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
