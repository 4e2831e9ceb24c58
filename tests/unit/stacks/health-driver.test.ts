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

describe('driving healthchecks where no systemd timer does', () => {
  it('runs the check while a stack container says "starting", backing off, and stops once it is settled', async () => {
    const collection = createLiveCollection<ContainerSummary>({
      key: (c) => c.id,
      listAll: async () => [],
      fetchOne: async () => null,
    });
    const checks: number[] = [];
    const driver = createHealthDriver({ containers: collection, runHealthcheck: async () => void checks.push(Date.now()) });
    collection.put(base);
    collection.put({ ...base, id: 'loose', project: undefined });
    collection.put({ ...base, id: 'settled', health: 'healthy' });

    await vi.advanceTimersByTimeAsync(1_000);
    expect(checks).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(checks).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2_250);
    expect(checks).toHaveLength(3);

    collection.put({ ...base, health: 'healthy' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(checks).toHaveLength(3);
    driver.close();
  });
});
