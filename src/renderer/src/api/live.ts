import { useSyncExternalStore } from 'react';
import type { LiveChange, StreamInput, StreamItem, StreamName } from '../../../shared/contract';
import { subscribe, type CallError } from './client';

/**
 * Streams that describe state (live lists, the connection status): one subscription per stream
 * for the whole page, shared by every component that shows it, kept while anyone looks and
 * closed a little after the last one leaves.
 */
export interface StreamState<V> {
  value: V;
  loaded: boolean;
  error?: CallError;
}

type NoInputStream = { [N in StreamName]: undefined extends StreamInput<N> ? N : never }[StreamName];
type LiveStreamName = { [N in NoInputStream]: StreamItem<N> extends LiveChange<unknown> ? N : never }[NoInputStream];
type LiveItem<N extends StreamName> = StreamItem<N> extends LiveChange<infer T> ? T : never;

interface Store<V> {
  get(): StreamState<V>;
  subscribe(listener: () => void): () => void;
}

const stores = new Map<string, Store<unknown>>();
/** How long a stream stays open with nobody looking: switching pages should not reload lists. */
const LINGER_MS = 5_000;

/** Applies a batch of changes; returns a new array when anything changed (React sees it). */
export function applyChanges<T>(items: T[], changes: LiveChange<T>[], key: (item: T) => string): T[] {
  let next = items;
  let owned = false; // whether `next` is our own copy, safe to change in place
  let index: Map<string, number> | undefined;
  const positions = () => (index ??= new Map(next.map((item, i) => [key(item), i])));
  for (const change of changes) {
    if (change.type === 'reset') {
      next = change.items;
      owned = false;
      index = undefined;
    } else if (change.type === 'upsert') {
      const k = key(change.item);
      const i = positions().get(k);
      if (!owned) {
        next = [...next];
        owned = true;
      }
      if (i === undefined) {
        positions().set(k, next.length);
        next.push(change.item);
      } else next[i] = change.item;
    } else {
      const i = positions().get(change.id);
      if (i === undefined) continue;
      next = next.filter((_, j) => j !== i);
      owned = true;
      index = undefined;
    }
  }
  return next;
}

function createStore<N extends NoInputStream, V>(name: N, initial: V, reduce: (value: V, items: StreamItem<N>[]) => V): Store<V> {
  let state: StreamState<V> = { value: initial, loaded: false };
  const listeners = new Set<() => void>();
  let stop: (() => void) | null = null;
  let linger: ReturnType<typeof setTimeout> | null = null;

  const publish = (next: StreamState<V>) => {
    state = next;
    for (const listener of listeners) listener();
  };
  const open = () => {
    stop = subscribe(name, undefined as never, {
      onItems: (items) => publish({ value: reduce(state.value, items), loaded: true }),
      onEnd: (error) => {
        stop = null;
        publish(error ? { ...state, error } : state);
      },
    });
  };
  const close = () => {
    stop?.();
    stop = null;
    state = { value: state.value, loaded: false };
  };

  return {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      if (linger) clearTimeout(linger);
      linger = null;
      if (!stop) open();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) linger = setTimeout(close, LINGER_MS);
      };
    },
  };
}

function useStore<V>(name: string, make: () => Store<V>): StreamState<V> {
  let store = stores.get(name) as Store<V> | undefined;
  if (!store) {
    store = make();
    stores.set(name, store as Store<unknown>);
  }
  return useSyncExternalStore(store.subscribe, store.get);
}

/** A live list: the whole list first, then the engine's changes as they happen. */
export function useLive<N extends LiveStreamName>(name: N, key: (item: LiveItem<N>) => string): StreamState<LiveItem<N>[]> {
  return useStore(name, () =>
    createStore<N, LiveItem<N>[]>(name, [], (items, changes) => applyChanges(items, changes as LiveChange<LiveItem<N>>[], key)),
  );
}

/** The latest value of a stream that reports a state, such as the connection status. */
export function useLatest<N extends NoInputStream>(name: N): StreamState<StreamItem<N> | undefined> {
  return useStore(name, () =>
    createStore<N, StreamItem<N> | undefined>(name, undefined, (value, items) => items.at(-1) ?? value),
  );
}
