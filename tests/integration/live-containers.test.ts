import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import type { RequestRecord } from '../../src/main/podman/engine';
import type { ContainerSummary, LiveChange } from '../../src/shared/contract';
import { podman, waitFor } from '../support/podman';
import { connectedApp, settingsPastVolumeStep, uniqueName } from '../support/app';

const info = inject('podman');
let app: App;
const seen: LiveChange<ContainerSummary>[] = [];

beforeAll(async () => {
  // Counts below are the cache's own: no first-hour tracker following the wiring beside it.
  app = await connectedApp(info, { settings: settingsPastVolumeStep(info) });
  app.containers.subscribe((change) => seen.push(change));
});
afterAll(() => app.close());

const byName = (name: string) => app.containers.items().find((c) => c.name === name);
const isList = (r: RequestRecord) => r.method === 'GET' && r.path.endsWith('/libpod/containers/json');
const isFullList = (r: RequestRecord) => isList(r) && !r.query?.filters;
const isInspectOf = (id: string) => (r: RequestRecord) => r.method === 'GET' && r.path.endsWith(`/libpod/containers/${id}/json`);

describe('the container cache follows engine events', () => {
  it('made exactly one full list, on connect', () => {
    expect(app.connection.engine().recent.filter(isFullList)).toHaveLength(1);
  });

  it('sees a container created, started, stopped and removed with the CLI', async () => {
    const name = uniqueName('live');
    await podman(info, 'create', '--name', name, info.busybox, 'sleep', '300');
    await waitFor(() => byName(name)?.state === 'created', 'create to reach the cache');

    await podman(info, 'start', name);
    await waitFor(() => byName(name)?.state === 'running', 'start to reach the cache');
    expect(byName(name)?.startedAt).toBeGreaterThan(0);

    await podman(info, 'stop', '-t', '0', name);
    await waitFor(() => byName(name)?.state === 'exited', 'stop to reach the cache');

    await podman(info, 'rm', name);
    await waitFor(() => byName(name) === undefined, 'remove to reach the cache');
    expect(seen.some((c) => c.type === 'remove')).toBe(true);
  });

  it('costs at most one targeted fetch per event, and never a full list', async () => {
    const engine = app.connection.engine();
    const name = uniqueName('count');
    let events = 0;
    const stop = app.connection.onEvent((e) => {
      if (e.type === 'container' && e.attributes.name === name) events++;
    });
    const from = engine.recent.length;

    await podman(info, 'run', '--name', name, info.busybox, 'true');
    await waitFor(() => byName(name)?.state === 'exited', 'the finished container');
    await new Promise((r) => setTimeout(r, 300)); // let the last events (cleanup) arrive
    await app.containers.idle();
    stop();

    // Other caches (images: the CLI's run emits an image "pull" event) make their own requests.
    const made = engine.recent.slice(from).filter((r) => r.path.includes('/containers/'));
    const id = byName(name)!.id;
    expect(events).toBeGreaterThanOrEqual(3); // create, init, start, died …
    expect(made.length).toBeGreaterThanOrEqual(1);
    expect(made.length).toBeLessThanOrEqual(events);
    // Each fetch is an inspect of that one container: its cost does not grow with the list.
    expect(made.every(isInspectOf(id))).toBe(true);
    expect(engine.recent.filter(isFullList)).toHaveLength(1);
    await podman(info, 'rm', name);
  });
  it('follows a network connected and disconnected with the CLI', async () => {
    const name = uniqueName('netc');
    const network = uniqueName('net');
    await podman(info, 'network', 'create', network);
    await podman(info, 'run', '-d', '--name', name, info.busybox, 'sleep', '300');
    await waitFor(() => byName(name)?.state === 'running', 'the running container');
    await podman(info, 'network', 'connect', network, name);
    await waitFor(() => byName(name)?.networks.includes(network) === true, 'the connect event to reach the cache');
    await podman(info, 'network', 'disconnect', network, name);
    await waitFor(() => byName(name)?.networks.includes(network) === false, 'the disconnect event to reach the cache');
    await podman(info, 'rm', '-f', '-t', '0', name);
    await podman(info, 'network', 'rm', network);
  });

  // Last: it reloads, which makes a second full list.
  it('builds the same summary from an inspect as from the list', async () => {
    const names = [uniqueName('same-a'), uniqueName('same-b'), uniqueName('same-pod')];
    await podman(
      info,
      'run',
      '-d',
      '--name',
      names[0]!,
      '-p',
      '127.0.0.1::80',
      '-l',
      'com.docker.compose.project=demo',
      info.busybox,
      'httpd',
      '-f',
      '-p',
      '80',
    );
    await podman(info, 'create', '--name', names[1]!, '--health-cmd', 'true', info.busybox, 'true');
    const pod = uniqueName('pod');
    await podman(info, 'pod', 'create', '--name', pod, '-p', '127.0.0.1::8080');
    await podman(info, 'create', '--pod', pod, '--name', names[2]!, info.busybox, 'sleep', '60');
    await waitFor(() => names.every((n) => byName(n)), 'the three containers');
    await app.containers.idle();
    const refreshed = names.map((n) => byName(n)!);
    await app.containers.reload();
    const listed = names.map((n) => byName(n)!);
    expect(refreshed).toEqual(listed);
    expect(listed[2]!.pod?.name).toBe(pod);
    await podman(info, 'rm', '-f', '-t', '0', ...names);
    await podman(info, 'pod', 'rm', '-f', pod);
  });
});
