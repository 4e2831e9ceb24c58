import { describe, expect, it } from 'vitest';
import { createPullProgress } from '../../src/main/podman/images/pull-progress';

describe('pull progress summed over layers', () => {
  it('sums bytes over digests, counts skipped layers as done and reports speed', () => {
    let now = 0;
    const p = createPullProgress('reg/x:1', () => now);
    p.add({ status: 'Already exists', id: 'aaa', progressDetail: {} });
    p.add({ status: 'Pulling fs layer', id: 'bbb', progressDetail: {} });
    p.add({ status: 'Pulling fs layer', id: 'ccc', progressDetail: {} });
    now = 1000;
    p.add({ status: 'Downloading', id: 'bbb', progressDetail: { current: 1000, total: 4000 } });
    const mid = p.add({ status: 'Downloading', id: 'ccc', progressDetail: { current: 3000, total: 6000 } })!;
    expect(mid).toMatchObject({ layers: 3, layersDone: 1, bytesDone: 4000, bytesTotal: 10000, done: false });
    expect(mid.bytesPerSecond).toBe(4000);
    expect(mid.fraction).toBeGreaterThan(0.4);
    expect(mid.fraction).toBeLessThan(0.7);
    now = 2000;
    p.add({ status: 'Download complete', id: 'bbb', progressDetail: {} });
    const later = p.add({ status: 'Download complete', id: 'ccc', progressDetail: {} })!;
    expect(later).toMatchObject({ layersDone: 3, bytesDone: 10000, bytesTotal: 10000 });
    const end = p.finish();
    expect(end).toMatchObject({ done: true, fraction: 1, bytesPerSecond: 0, status: 'Pulled' });
  });

  it('never goes backwards when a layer reports an older offset', () => {
    const p = createPullProgress('x');
    p.add({ status: 'Downloading', id: 'a', progressDetail: { current: 500, total: 1000 } });
    const again = p.add({ status: 'Downloading', id: 'a', progressDetail: { current: 200, total: 1000 } })!;
    expect(again.bytesDone).toBe(500);
  });

  it('moves the bar for layers that never reported a size', () => {
    const p = createPullProgress('x');
    p.add({ status: 'Pulling fs layer', id: 'a' });
    p.add({ status: 'Pulling fs layer', id: 'b' });
    expect(p.current().fraction).toBe(0);
    const half = p.add({ status: 'Download complete', id: 'a' })!;
    expect(half.fraction).toBe(0.5);
    expect(half.bytesTotal).toBe(0);
  });

  it('ignores lines without a status and keeps the latest words', () => {
    const p = createPullProgress('x');
    expect(p.add({})).toBeNull();
    expect(p.add({ status: 'Trying to pull x' })?.status).toBe('Trying to pull x');
    expect(p.current().fraction).toBeNull();
  });
});
