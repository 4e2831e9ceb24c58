import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ContainerSummary } from '../../../src/shared/contract';
import { createLiveCollection } from '../../../src/main/podman/live-collection';
import { createHealthDriver } from '../../../src/main/stacks/health-driver';

const base: ContainerSummary = {
  id: 'c1',
  name: 'shop-web-1',
  image: 'x',
  imageId: 'x',
  command: '',
  state: 'running',
  health: 'starting',
  created: 1,
  ports: [],
  labels: {},
  project: 'shop',
  isInfra: false,
  networks: [],
};

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const newCollection = () =>
  createLiveCollection<ContainerSummary>({
    key: (c) => c.id,
    listAll: async () => [],
    fetchOne: async () => null,
  });

describe('driving healthchecks where no systemd timer does', () => {
  it('runs the check while a stack container says "starting", backing off, then at its own interval', async () => {
    const collection = newCollection();
    const checks: [string, number][] = [];
    const driver = createHealthDriver({
      containers: collection,
      runHealthcheck: async (id) => void checks.push([id, Date.now()]),
      healthFacts: async () => ({ intervalMs: 10_000 }),
    });
    collection.put(base);
    collection.put({ ...base, id: 'loose', project: undefined });
    collection.put({ ...base, id: 'none', health: undefined });
    const of = (id: string) => checks.filter(([c]) => c === id).length;

    await vi.advanceTimersByTimeAsync(1_000);
    expect(of('c1')).toBe(1);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(of('c1')).toBe(2);
    await vi.advanceTimersByTimeAsync(2_250);
    expect(of('c1')).toBe(3);

    // Settled: checked at its interval from then on (an hour later it may turn unhealthy).
    collection.put({ ...base, health: 'healthy' });
    await vi.advanceTimersByTimeAsync(3_375);
    expect(of('c1')).toBe(4);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(of('c1')).toBe(5);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(of('c1')).toBe(11);
    // Never a container outside a stack, nor one without a healthcheck.
    expect(of('loose') + of('none')).toBe(0);

    // Stopped: no more checks.
    collection.put({ ...base, health: 'healthy', state: 'exited' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(of('c1')).toBe(11);
    driver.close();
  });

  it('leaves a container to the engine once a check appears that PodDesk did not run (systemd timers)', async () => {
    const collection = newCollection();
    let engineStamp = 0;
    let runs = 0;
    const driver = createHealthDriver({
      containers: collection,
      runHealthcheck: async () => {
        runs++;
        return { checkedAt: `t${++engineStamp}` };
      },
      healthFacts: async () => ({ intervalMs: 5_000, lastCheck: `t${engineStamp}` }),
    });
    collection.put({ ...base, health: 'healthy' });
    await vi.advanceTimersByTimeAsync(1_000 + 5_000 + 5_000);
    expect(runs).toBe(3);
    // The engine's own timer checks in between.
    engineStamp++;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs).toBe(3);
    driver.close();
  });
});
