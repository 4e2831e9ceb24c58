import type { LiveChange } from '../../shared/contract';

/**
 * A cached list the engine's events keep current. A full list happens only on (re)connect; an
 * event about one object costs one targeted fetch of that object, and a burst of events about
 * the same object (init, start, …) costs at most one more.
 */
export interface LiveCollection<T> {
  /** Replace everything (on connect and reconnect). */
  reload(): Promise<void>;
  /** A reload nobody waits for (an event that names no object): a failure goes to the source's onError. */
  resync(): void;
  /** The object with this id changed: fetch it and patch the cache. */
  refresh(id: string): void;
  /** The object with this id is gone (no fetch needed). */
  drop(id: string): void;
  /** The object is known to be in this state (no fetch needed). */
  put(item: T): void;
  items(): T[];
  get(id: string): T | undefined;
  /** Listeners receive every change; the first thing a new listener gets is a reset. */
  subscribe(listener: (change: LiveChange<T>) => void): () => void;
  /** Resolves when no refresh is in flight (tests and benchmarks wait on it). */
  idle(): Promise<void>;
  clear(): void;
}

export interface LiveCollectionSource<T> {
  listAll(): Promise<T[]>;
  /** The object, or null when it no longer exists. */
  fetchOne(id: string): Promise<T | null>;
  key(item: T): string;
  /** Events name objects by full id or by name; this maps either to the cache key. */
  resolveId?(idOrName: string, cache: Map<string, T>): string | undefined;
  onError?(error: unknown): void;
}

export function createLiveCollection<T>(source: LiveCollectionSource<T>): LiveCollection<T> {
  const cache = new Map<string, T>();
  const listeners = new Set<(change: LiveChange<T>) => void>();
  const inFlight = new Map<string, Promise<void>>();
  const again = new Set<string>();
  // Refreshes asked for while a full list is on its way wait for it: the list may predate them.
  let reloading = false;
  const afterReload = new Set<string>();
  let generation = 0;

  const emit = (change: LiveChange<T>) => {
    for (const listener of listeners) listener(change);
  };

  const fetchAndPatch = async (id: string, gen: number) => {
    try {
      const item = await source.fetchOne(id);
      if (gen !== generation) return; // a reload happened meanwhile and already has it
      if (item) {
        cache.set(source.key(item), item);
        emit({ type: 'upsert', item });
      } else if (cache.delete(id)) {
        emit({ type: 'remove', id });
      }
    } catch (error) {
      source.onError?.(error);
    }
  };

  const refresh = (rawId: string) => {
    const id = source.resolveId?.(rawId, cache) ?? rawId;
    if (reloading) {
      afterReload.add(id);
      return;
    }
    if (inFlight.has(id)) {
      again.add(id);
      return;
    }
    const gen = generation;
    const run = fetchAndPatch(id, gen).then(() => {
      inFlight.delete(id);
      if (again.delete(id)) refresh(id);
    });
    inFlight.set(id, run);
  };

  const reload = async () => {
    const gen = ++generation;
    reloading = true;
    try {
      const items = await source.listAll();
      if (gen !== generation) return;
      cache.clear();
      for (const item of items) cache.set(source.key(item), item);
      emit({ type: 'reset', items });
    } finally {
      if (gen === generation) {
        reloading = false;
        const pending = [...afterReload];
        afterReload.clear();
        for (const id of pending) refresh(id);
      }
    }
  };

  return {
    reload,
    refresh,
    resync() {
      reload().catch((error: unknown) => source.onError?.(error));
    },
    drop(rawId) {
      const id = source.resolveId?.(rawId, cache) ?? rawId;
      if (cache.delete(id)) emit({ type: 'remove', id });
    },
    put(item) {
      cache.set(source.key(item), item);
      emit({ type: 'upsert', item });
    },
    items: () => [...cache.values()],
    get: (id) => cache.get(id),
    subscribe(listener) {
      listeners.add(listener);
      listener({ type: 'reset', items: [...cache.values()] });
      return () => listeners.delete(listener);
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight.values()]);
    },
    clear() {
      generation++;
      reloading = false;
      cache.clear();
      again.clear();
      afterReload.clear();
      emit({ type: 'reset', items: [] });
    },
  };
}
