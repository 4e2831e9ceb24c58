import type { StreamEvent } from './bridge';
import type { Result } from './errors';

/**
 * The browser host's WebSocket messages: a `hello` with the page key first, then the bridge's four
 * operations, numbered. The host parses each one (src/main/serve/messages.ts); the page only
 * builds them, so nothing here pulls a parser into the page.
 */
export type HelloMessage = { t: 'hello'; key: string };

// `input` may be missing: JSON drops an undefined one (`containers.list()`).
export type ClientMessage =
  | { t: 'call'; n: number; name: string; input?: unknown }
  | { t: 'open'; n: number; id: string; name: string; input?: unknown }
  | { t: 'close'; id: string };

export type ServerMessage = { t: 'result'; n: number; result: Result<unknown> } | { t: 'event'; event: StreamEvent };

/**
 * The page key travels once, in the fragment of the URL the printed link redirects to
 * (`/#poddesk-key=…`): fragments are never sent to a server, and the page keeps the key in its
 * own origin's storage, which a page on another port cannot read.
 */
export const PAGE_KEY_FRAGMENT = 'poddesk-key';
export const PAGE_KEY_STORAGE = 'poddesk.pageKey';
/** The host closes a socket with this code when its first message is not the right `hello`. */
export const CLOSE_NOT_ALLOWED = 4401;
