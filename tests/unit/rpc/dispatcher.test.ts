import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { call, stream } from '../../../src/shared/contract/define';
import { AppError } from '../../../src/shared/errors';
import type { StreamEvent } from '../../../src/shared/bridge';
import { createDispatcher } from '../../../src/main/rpc/dispatcher';
import type { Handlers } from '../../../src/main/rpc/handlers';
import { createCoalescer, type Clock } from '../../../src/main/rpc/coalesce';

const contract = {
  calls: {
    'demo.echo': call(z.object({ text: z.string().min(1, 'Say something') })).returns<string>(),
    'demo.fail': call(z.void()).returns<void>(),
    'demo.crash': call(z.void()).returns<void>(),
  },
  streams: {
    'demo.ticks': stream(z.object({ count: z.number().int().min(0) })).emits<number>(),
    'demo.forever': stream(z.void()).emits<number>(),
  },
};

function setup() {
  const aborted = vi.fn();
  const handlers = {
    calls: {
      'demo.echo': ({ text }: { text: string }) => text.toUpperCase(),
      'demo.fail': () => {
        throw new AppError('NOT_FOUND', 'No such thing', { id: 'x' });
      },
      'demo.crash': () => {
        throw new TypeError('boom');
      },
    },
    streams: {
      'demo.ticks': async ({ count }: { count: number }, emit: (n: number) => void) => {
        for (let i = 0; i < count; i++) emit(i);
      },
      'demo.forever': (_: void, emit: (n: number) => void, signal: AbortSignal) =>
        new Promise<void>((resolve) => {
          emit(1);
          signal.addEventListener('abort', () => {
            aborted();
            resolve();
          });
        }),
    },
  } as unknown as Handlers;
  const onError = vi.fn();
  const dispatcher = createDispatcher(handlers, contract, { batchIntervalMs: 20, onError });
  return { dispatcher, aborted, onError };
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('calls', () => {
  it('parses input and returns the handler’s data', async () => {
    expect(await setup().dispatcher.call('demo.echo', { text: 'hi' })).toEqual({ ok: true, data: 'HI' });
  });

  it('turns bad input into a typed error that names the field, without calling the handler', async () => {
    const result = await setup().dispatcher.call('demo.echo', { text: '' });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: 'Invalid input — text: Say something',
        details: [{ path: 'text', message: 'Say something' }],
      },
    });
    expect((await setup().dispatcher.call('demo.echo', 'not an object')).ok).toBe(false);
  });

  it('refuses names that are not in the contract, including inherited ones', async () => {
    const { dispatcher } = setup();
    for (const name of ['demo.nope', 'toString', '__proto__', 'constructor']) {
      expect(await dispatcher.call(name, undefined)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } });
    }
  });

  it('keeps an AppError’s code, message and details across the boundary', async () => {
    expect(await setup().dispatcher.call('demo.fail', undefined)).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No such thing', details: { id: 'x' } },
    });
  });

  it('reports unexpected failures as INTERNAL and logs them', async () => {
    const { dispatcher, onError } = setup();
    expect(await dispatcher.call('demo.crash', undefined)).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'boom' } });
    expect(onError).toHaveBeenCalledWith('demo.crash', expect.any(TypeError));
  });
});

describe('streams', () => {
  it('sends items in batches and then the end', async () => {
    const events: StreamEvent[] = [];
    const session = setup().dispatcher.session((e) => events.push(e));
    expect(session.open('s1', 'demo.ticks', { count: 1000 })).toEqual({ ok: true, data: null });
    await tick(50);
    const items = events.flatMap((e) => (e.type === 'batch' ? e.items : []));
    expect(items).toHaveLength(1000);
    expect(events.filter((e) => e.type === 'batch').length).toBeLessThanOrEqual(2); // a burst leaves together
    expect(events.at(-1)).toEqual({ id: 's1', type: 'end' });
  });

  it('validates stream input and refuses a duplicate id', () => {
    const session = setup().dispatcher.session(() => undefined);
    expect(session.open('s', 'demo.ticks', { count: -1 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(session.open('s', 'demo.unknown', undefined)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } });
    expect(session.open('s', 'demo.forever', undefined).ok).toBe(true);
    expect(session.open('s', 'demo.forever', undefined)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    session.closeAll();
  });

  it('aborts the work when the subscriber unsubscribes, and sends nothing after', async () => {
    const { dispatcher, aborted } = setup();
    const events: StreamEvent[] = [];
    const session = dispatcher.session((e) => events.push(e));
    session.open('f', 'demo.forever', undefined);
    await tick(30);
    session.close('f');
    await tick(30);
    expect(aborted).toHaveBeenCalledTimes(1);
    const count = events.length;
    await tick(50);
    expect(events.length).toBe(count);
    expect(events.some((e) => e.type === 'end')).toBe(false);
  });

  it('aborts every stream of a page when the page goes away', async () => {
    const { dispatcher, aborted } = setup();
    const session = dispatcher.session(() => undefined);
    session.open('a', 'demo.forever', undefined);
    session.open('b', 'demo.forever', undefined);
    await tick();
    session.closeAll();
    await tick();
    expect(aborted).toHaveBeenCalledTimes(2);
  });
});

describe('coalescing', () => {
  function manualClock() {
    let now = 0;
    const timers: { at: number; fn: () => void }[] = [];
    const clock: Clock = {
      now: () => now,
      setTimeout: (fn, ms) => {
        const t = { at: now + ms, fn };
        timers.push(t);
        return t;
      },
      clearTimeout: (t) => {
        const i = timers.indexOf(t as (typeof timers)[number]);
        if (i >= 0) timers.splice(i, 1);
      },
    };
    const advance = (ms: number) => {
      now += ms;
      for (const t of timers.filter((t) => t.at <= now)) {
        timers.splice(timers.indexOf(t), 1);
        t.fn();
      }
    };
    return { clock, advance };
  }

  it('sends at most one batch per interval however fast items come', () => {
    const { clock, advance } = manualClock();
    const batches: number[][] = [];
    const sentAt: number[] = [];
    const c = createCoalescer<number>(
      (items) => {
        batches.push(items);
        sentAt.push(clock.now());
      },
      33,
      clock,
    );
    for (let ms = 0; ms < 1000; ms++) {
      for (let i = 0; i < 10; i++) c.push(ms * 10 + i); // 10,000 items a second
      advance(1);
    }
    advance(100);
    expect(batches.flat()).toEqual(Array.from({ length: 10_000 }, (_, i) => i)); // all of them, in order
    const gaps = sentAt.slice(1).map((t, i) => t - sentAt[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(33);
    expect(batches.length).toBeLessThanOrEqual(32); // one at once, then one per 33 ms
  });

  it('flushes at once on demand and drops pending items on cancel', () => {
    const { clock, advance } = manualClock();
    const batches: number[][] = [];
    const c = createCoalescer<number>((items) => batches.push(items), 33, clock);
    c.push(1);
    c.flush();
    expect(batches).toEqual([[1]]);
    c.push(2);
    c.cancel();
    advance(100);
    expect(batches).toEqual([[1]]);
  });
});
