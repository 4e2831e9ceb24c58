import { describe, expect, it } from 'vitest';
import type { ContainerSummary, ContainerWiring, LiveChange, NetworkSummary, VolumeSummary } from '../../../src/shared/contract';
import { container } from './fixtures';
import { createFirstHour } from '../../../src/main/home/first-hour';
import type { LiveCollection } from '../../../src/main/podman/live-collection';
import { memorySettings } from '../../../src/main/store/settings';

/** Just enough of a live collection: items, get, subscribe, and a way to change the list. */
function fakeCollection<T>(key: (item: T) => string) {
  let items: T[] = [];
  const listeners = new Set<(change: LiveChange<T>) => void>();
  const collection = {
    items: () => items,
    get: (id: string) => items.find((i) => key(i) === id),
    subscribe(listener: (change: LiveChange<T>) => void) {
      listeners.add(listener);
      listener({ type: 'reset', items });
      return () => listeners.delete(listener);
    },
  } as unknown as LiveCollection<T>;
  const set = (next: T[]) => {
    items = next;
    for (const l of listeners) l({ type: 'reset', items });
  };
  return { collection, set };
}

function setup(settings = memorySettings()) {
  const containers = fakeCollection<ContainerSummary>((c) => c.id);
  const volumes = fakeCollection<VolumeSummary>((v) => v.name);
  const networks = fakeCollection<NetworkSummary>((n) => n.name);
  const wiringListeners = new Set<(change: LiveChange<ContainerWiring>) => void>();
  let connected = false;
  const connectionListeners = new Set<() => void>();
  const asked: string[][] = [];
  const tracker = createFirstHour({
    settings,
    connected: () => connected,
    watchConnection: (l) => (connectionListeners.add(l), () => connectionListeners.delete(l)),
    containers: containers.collection,
    volumes: volumes.collection,
    networks: networks.collection,
    noticeNetworks: (names) => asked.push(names),
    watchWiring: (l) => (wiringListeners.add(l), () => wiringListeners.delete(l)),
    stacks: { ready: Promise.resolve(), watch: () => () => undefined },
  });
  return {
    tracker,
    settings,
    containers,
    asked,
    connect() {
      connected = true;
      for (const l of connectionListeners) l();
    },
    wiringWatched: () => wiringListeners.size > 0,
  };
}

describe('the first-hour tracker', () => {
  it('stamps steps as the state shows them, keeps each one, and writes them to the settings', async () => {
    const t = setup();
    const seen: string[][] = [];
    t.tracker.subscribe((p) => seen.push(Object.keys(p.reached)));
    t.connect();
    // A second step right behind the first: neither overwrites the other.
    t.containers.set([container({ ports: [{ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp' }] })]);
    await t.tracker.settled();
    expect(Object.keys(t.settings.get().firstHour.reached).sort()).toEqual(['connect', 'container']);
    expect(seen.at(-1)?.sort()).toEqual(['connect', 'container']);
    // Everything removed: what was reached stays reached.
    t.containers.set([]);
    await t.tracker.settled();
    expect(Object.keys(t.tracker.progress().reached).sort()).toEqual(['connect', 'container']);
    t.tracker.close();
  });

  it('ticks the chat step from a reply, remembers hiding, and starts from what was saved', async () => {
    const first = setup();
    first.tracker.replied();
    await first.tracker.setHidden(true);
    await first.tracker.settled();
    first.tracker.close();
    const again = setup(first.settings);
    expect(again.tracker.progress()).toMatchObject({ hidden: true, reached: { 'ollama-chat': expect.any(Number) } });
    again.tracker.close();
  });

  it('fetches a network the cache never saw once, and stops following the wiring once the volume step is done', async () => {
    const t = setup(memorySettings({ firstHour: { reached: { volume: 1 }, hidden: false, outlived: [] } }));
    expect(t.wiringWatched()).toBe(false);
    t.containers.set([container({ networks: ['mine'] }), container({ id: 'c2', networks: ['mine'] })]);
    await t.tracker.settled();
    t.containers.set([container({ networks: ['mine'] })]);
    await t.tracker.settled();
    expect(t.asked).toEqual([['mine']]);
    t.tracker.close();
  });

  it('refuses a page patch that would tick a step', async () => {
    const { settingsPatchSchema } = await import('../../../src/shared/contract');
    expect(settingsPatchSchema.safeParse({ firstHour: { reached: { connect: 1 } } }).success).toBe(false);
  });
});
