import type { PodDeskBridge, StreamMessage } from '../../../shared/bridge';
import type { CallInput, CallName, CallOutput, StreamInput, StreamItem, StreamName } from '../../../shared/contract';
import type { ErrorCode, ErrorShape } from '../../../shared/errors';

declare global {
  interface Window {
    poddesk?: PodDeskBridge;
  }
}

/** An error from main, with the code the UI acts on. */
export class CallError extends Error implements ErrorShape {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(shape: ErrorShape) {
    super(shape.message);
    this.name = 'CallError';
    this.code = shape.code;
    this.details = shape.details;
  }
}

function bridge(): PodDeskBridge {
  if (!window.poddesk) throw new CallError({ code: 'INTERNAL', message: 'PodDesk’s back end is not available in this window' });
  return window.poddesk;
}

type OptionalInput<N extends CallName> = undefined extends CallInput<N> ? [input?: CallInput<N>] : [input: CallInput<N>];

/** Calls main and returns its data, or throws a CallError with main's code and message. */
export async function call<N extends CallName>(name: N, ...[input]: OptionalInput<N>): Promise<CallOutput<N>> {
  const fn = bridge().calls[name];
  if (!fn) throw new CallError({ code: 'UNKNOWN_CALL', message: `No such call: ${name}` });
  const result = await fn(input);
  if (!result.ok) throw new CallError(result.error);
  return result.data as CallOutput<N>;
}

export interface StreamHandlers<T> {
  onItems(items: T[]): void;
  onEnd?(error?: CallError): void;
}

/** Subscribes to a stream; the returned function unsubscribes (and main stops the work). */
export function subscribe<N extends StreamName>(
  name: N,
  input: StreamInput<N>,
  handlers: StreamHandlers<StreamItem<N>>,
): () => void {
  const fn = bridge().streams[name];
  if (!fn) {
    handlers.onEnd?.(new CallError({ code: 'UNKNOWN_CALL', message: `No such stream: ${name}` }));
    return () => undefined;
  }
  return fn(input, (message: StreamMessage) => {
    if (message.type === 'batch') handlers.onItems(message.items as StreamItem<N>[]);
    else handlers.onEnd?.(message.error ? new CallError(message.error) : undefined);
  });
}
