import { describe, expect, it } from 'vitest';
import { createLiveCollection } from '../../../src/main/podman/live-collection';
import type { LiveChange } from '../../../src/shared/contract';

interface Item {
  id: string;
  v: number;
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function source(state: Map<string, Item>) {
  const calls = { list: 0, fetch: [] as string[] };
  return {
    calls,
    src: {
      key: (i: Item) => i.id,
      listAll: async () => {
        calls.list++;
        return [...state.values()];
      },
      fetchOne: async (id: string) => {
        calls.fetch.push(id);
        return state.get(id) ?? null;
      },
    },
  };
}

describe('a live collection', () => {
  it('lists once, then patches one object per refresh', async () => {
    const state = new Map([['a', { id: 'a', v: 1 }]]);
    const { src, calls } = source(state);
    const c = createLiveCollection(src);
    const changes: LiveChange<Item>[] = [];
    c.subscribe((ch) => changes.push(ch));
    await c.reload();
    state.set('a', { id: 'a', v: 2 });
    state.set('b', { id: 'b', v: 1 });
    c.refresh('a');
    c.refresh('b');
    await c.idle();
    expect(calls).toEqual({ list: 1, fetch: ['a', 'b'] });
    expect(c.items()).toEqual([
      { id: 'a', v: 2 },
      { id: 'b', v: 1 },
    ]);
    expect(changes.map((ch) => ch.type)).toEqual(['reset', 'reset', 'upsert', 'upsert']);
  });

  it('folds a burst of refreshes for one object into at most one more fetch', async () => {
    const state = new Map([['a', { id: 'a', v: 1 }]]);
    const { src, calls } = source(state);
    const gate = deferred<void>();
    const c = createLiveCollection({ ...src, fetchOne: async (id: string) => (await gate.promise, src.fetchOne(id)) });
    for (let i = 0; i < 5; i++) c.refresh('a');
    gate.resolve();
    await c.idle();
    expect(calls.fetch).toEqual(['a', 'a']);
  });

  it('drops what is gone, whether told or finding out', async () => {
    const state = new Map([
      ['a', { id: 'a', v: 1 }],
      ['b', { id: 'b', v: 1 }],
    ]);
    const { src } = source(state);
    const c = createLiveCollection(src);
    await c.reload();
    c.drop('a');
    state.delete('b');
    c.refresh('b');
    await c.idle();
    expect(c.items()).toEqual([]);
  });

  it('holds refreshes asked for during a full list until the list is in, so a stale list cannot win', async () => {
    const state = new Map([['a', { id: 'a', v: 1 }]]);
    const gate = deferred<void>();
    const { src, calls } = source(state);
    const c = createLiveCollection({
      ...src,
      listAll: async () => {
        const snapshot = [...state.values()]; // taken before the change below
        await gate.promise;
        return snapshot;
      },
    });
    const loading = c.reload();
    state.set('a', { id: 'a', v: 2 });
    c.refresh('a');
    expect(calls.fetch).toEqual([]);
    gate.resolve();
    await loading;
    await c.idle();
    expect(c.get('a')).toEqual({ id: 'a', v: 2 });
  });

  it('maps names to ids when the source knows how', async () => {
    const state = new Map([['abc123', { id: 'abc123', v: 1 }]]);
    const { src, calls } = source(state);
    const c = createLiveCollection({ ...src, resolveId: (x: string) => (x === 'web' ? 'abc123' : undefined) });
    await c.reload();
    c.refresh('web');
    await c.idle();
    expect(calls.fetch).toEqual(['abc123']);
  });

  it('starts every new subscriber with the whole list', async () => {
    const state = new Map([['a', { id: 'a', v: 1 }]]);
    const c = createLiveCollection(source(state).src);
    await c.reload();
    const first: LiveChange<Item>[] = [];
    c.subscribe((ch) => first.push(ch));
    expect(first).toEqual([{ type: 'reset', items: [{ id: 'a', v: 1 }] }]);
  });

  it('reports a background reload that fails to its source, and keeps what it had', async () => {
    const errors: unknown[] = [];
    let fail = false;
    const c = createLiveCollection<Item>({
      key: (i) => i.id,
      listAll: async () => {
        if (fail) throw new Error('image not known');
        return [{ id: 'a', v: 1 }];
      },
      fetchOne: async () => null,
      onError: (error) => errors.push(error),
    });
    await c.reload();
    fail = true;
    c.resync();
    await new Promise((r) => setTimeout(r, 0));
    expect(errors).toHaveLength(1);
    expect(c.items()).toEqual([{ id: 'a', v: 1 }]);
  });
});
