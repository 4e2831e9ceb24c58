import { useEffect, useRef } from 'react';
import type { StreamInput, StreamItem, StreamName } from '../../../shared/contract';
import { subscribe, type CallError } from './client';

/**
 * Follows a stream while the component is on screen and its input stays the same: a new input
 * (or `null`, to pause) closes the old subscription, and leaving closes it, so main stops the
 * work. Handlers may change on every render without resubscribing.
 */
export function useSubscription<N extends StreamName>(
  name: N,
  input: StreamInput<N> | null,
  handlers: { onStart?(): void; onItems(items: StreamItem<N>[]): void; onEnd?(error?: CallError): void },
  /** Subscribe again when this changes, even with the same input (a container restarted). */
  restartKey = '',
): void {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  // `undefined` is the input of streams that take none (z.void() refuses null).
  const key = input === null ? null : input === undefined ? '' : JSON.stringify(input);
  useEffect(() => {
    if (key === null) return;
    const parsed = (key === '' ? undefined : JSON.parse(key)) as StreamInput<N>;
    latest.current.onStart?.();
    return subscribe(name, parsed, {
      onItems: (items) => latest.current.onItems(items),
      onEnd: (error) => latest.current.onEnd?.(error),
    });
  }, [name, key, restartKey]);
}
