import type { StreamEvent } from './bridge';
import type { Result } from './errors';

/** The browser host's WebSocket messages: the bridge's four operations, numbered. */
export type ClientMessage =
  | { t: 'call'; n: number; name: string; input: unknown }
  | { t: 'open'; n: number; id: string; name: string; input: unknown }
  | { t: 'close'; id: string };

export type ServerMessage = { t: 'result'; n: number; result: Result<unknown> } | { t: 'event'; event: StreamEvent };
