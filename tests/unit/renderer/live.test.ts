import { describe, expect, it } from 'vitest';
import { applyChanges } from '../../../src/renderer/src/api/live';
import { formatBytes, timeAgo } from '../../../src/renderer/src/lib/format';
import { matches, statusText } from '../../../src/renderer/src/pages/containers/state';
import type { ContainerSummary } from '../../../src/shared/contract';

const key = (i: { id: string }) => i.id;

describe('applying live changes in the page', () => {
  it('resets, upserts and removes, returning a new array only when something changed', () => {
    const start = [{ id: 'a', v: 1 }];
    const next = applyChanges(
      start,
      [
        { type: 'upsert', item: { id: 'a', v: 2 } },
        { type: 'upsert', item: { id: 'b', v: 1 } },
        { type: 'remove', id: 'a' },
      ],
      key,
    );
    expect(next).toEqual([{ id: 'b', v: 1 }]);
    expect(start).toEqual([{ id: 'a', v: 1 }]); // never mutated: React sees a new array
    expect(applyChanges(start, [{ type: 'remove', id: 'zzz' }], key)).toBe(start);
    expect(
      applyChanges(
        start,
        [
          { type: 'reset', items: [] },
          { type: 'upsert', item: { id: 'c', v: 1 } },
        ],
        key,
      ),
    ).toEqual([{ id: 'c', v: 1 }]);
  });

  it('handles a large batch in one pass', () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({ id: String(i), v: 0 }));
    const changes = items.map((i) => ({ type: 'upsert' as const, item: { ...i, v: 1 } }));
    const next = applyChanges(items, changes, key);
    expect(next).toHaveLength(1000);
    expect(next.every((i) => i.v === 1)).toBe(true);
  });
});

describe('formatting', () => {
  it('says how long ago', () => {
    const now = 1_000_000_000_000;
    expect(timeAgo(now / 1000 - 5, now)).toBe('just now');
    expect(timeAgo(now / 1000 - 90, now)).toBe('1 minute ago');
    expect(timeAgo(now / 1000 - 3 * 86400, now)).toBe('3 days ago');
    expect(timeAgo(0, now)).toBe('—');
  });

  it('writes sizes as people read them', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1500)).toBe('1.5 KB');
    expect(formatBytes(123_456_789)).toBe('123 MB');
    expect(formatBytes(-1)).toBe('—');
  });

  it('says what a container is doing, as podman ps does', () => {
    const base: ContainerSummary = {
      id: 'abcdef1234567',
      name: 'web',
      image: 'nginx',
      imageId: '',
      command: '',
      state: 'running',
      created: 0,
      ports: [],
      labels: {},
      isInfra: false,
      networks: [],
    };
    const now = 1_000_000_000_000;
    expect(statusText({ ...base, startedAt: now / 1000 - 120, health: 'healthy' }, now)).toBe('Up 2 minutes (healthy)');
    expect(statusText({ ...base, state: 'exited', exitCode: 137 }, now)).toBe('Exited (137)');
    expect(statusText({ ...base, state: 'created' }, now)).toBe('Created');
    expect(matches({ ...base, project: 'ai-lab' }, 'AI-LAB')).toBe(true);
    expect(matches(base, 'abcdef12')).toBe(true);
    expect(matches(base, 'postgres')).toBe(false);
  });
});
