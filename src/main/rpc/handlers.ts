import type { CallArgs, CallName, CallOutput, StreamArgs, StreamItem, StreamName } from '../../shared/contract';

/** What main implements for each call: parsed input in, the contract's output type out. */
export type CallHandlers = {
  [N in CallName]: (args: CallArgs<N>) => Promise<CallOutput<N>> | CallOutput<N>;
};

/**
 * A stream handler pushes items with `emit` until it is done (its promise settles) or the
 * subscriber goes away (`signal` aborts). Handlers must stop their work when the signal aborts.
 */
export type StreamHandlers = {
  [N in StreamName]: (args: StreamArgs<N>, emit: (item: StreamItem<N>) => void, signal: AbortSignal) => Promise<void> | void;
};

export interface Handlers {
  calls: CallHandlers;
  streams: StreamHandlers;
}

/** Resolves when the signal aborts: the body of streams that run until the subscriber leaves. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
