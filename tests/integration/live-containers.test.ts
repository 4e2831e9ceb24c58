import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import type { RequestRecord } from '../../src/main/podman/engine';
import type { ContainerSummary, LiveChange } from '../../src/shared/contract';
import { podman, waitFor } from '../support/podman';
import { connectedApp, uniqueName } from '../support/app';

const info = inject('podman');
let app: App;
const seen: LiveChange<ContainerSummary>[] = [];

beforeAll(async () => {
  app = await connectedApp(info);
  app.containers.subscribe((change) => seen.push(change));
});
afterAll(() => app.close());

const byName = (name: string) => app.containers.items().find((c) => c.name === name);
const isList = (r: RequestRecord) => r.method === 'GET' && r.path.endsWith('/libpod/containers/json');
const isFullList = (r: RequestRecord) => isList(r) && !r.query?.filters;

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
    for (const request of made) {
      expect(isList(request)).toBe(true);
      expect(request.query?.filters).toEqual({ id: [id] });
    }
    expect(engine.recent.filter(isFullList)).toHaveLength(1);
    await podman(info, 'rm', name);
  });
});
