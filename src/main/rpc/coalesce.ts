/**
 * Batches a high-rate stream: items pushed in a burst leave together, and batches leave at most
 * once per `intervalMs` (30 a second by default), so a container printing 10,000 lines a second
 * costs the renderer 30 messages, not 10,000.
 */
export interface Coalescer<T> {
  push(item: T): void;
  /** Sends what is pending now (before the stream ends). */
  flush(): void;
  cancel(): void;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function createCoalescer<T>(send: (items: T[]) => void, intervalMs = 33, clock: Clock = realClock): Coalescer<T> {
  let pending: T[] = [];
  let timer: unknown = null;
  let lastSent = -Infinity;

  const flush = () => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
    if (pending.length === 0) return;
    const items = pending;
    pending = [];
    lastSent = clock.now();
    send(items);
  };

  return {
    push(item) {
      pending.push(item);
      if (timer !== null) return;
      // A zero delay still lets the rest of a synchronous burst join this batch.
      const wait = Math.max(0, lastSent + intervalMs - clock.now());
      timer = clock.setTimeout(flush, wait);
    },
    flush,
    cancel() {
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      pending = [];
    },
  };
}
