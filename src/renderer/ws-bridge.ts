import { createBridge, type BridgeTransport, type StreamEvent } from '../shared/bridge';
import { callNames, streamNames } from 'virtual:poddesk-contract-names';
import type { ErrorShape, Result } from '../shared/errors';
import {
  CLOSE_NOT_ALLOWED,
  PAGE_KEY_FRAGMENT,
  PAGE_KEY_STORAGE,
  type ClientMessage,
  type HelloMessage,
  type ServerMessage,
} from '../shared/ws-protocol';

/**
 * `window.poddesk` for a page served by the browser host (src/main/serve): the same bridge the
 * preload builds, speaking WebSocket instead of Electron IPC. The Electron app never loads this.
 * It runs before the app's own script, so the page key is out of the address bar before the
 * router reads it.
 */
const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/rpc`);
const pageKey = takePageKey();
let closed: ErrorShape | null = null;
const opened = new Promise<void>((resolve, reject) => {
  socket.addEventListener(
    'open',
    () => {
      // The host accepts nothing before this: the cookie alone reaches every server on 127.0.0.1.
      socket.send(JSON.stringify({ t: 'hello', key: pageKey } satisfies HelloMessage));
      resolve();
    },
    { once: true },
  );
  socket.addEventListener('error', () => reject(new Error('The PodDesk host cannot be reached')), { once: true });
});
const pending = new Map<number, (result: Result<unknown>) => void>();
const eventListeners: ((event: StreamEvent) => void)[] = [];
let seq = 0;

socket.addEventListener('message', (message) => {
  const data = JSON.parse(String(message.data)) as ServerMessage;
  if (data.t === 'result') {
    pending.get(data.n)?.(data.result);
    pending.delete(data.n);
  } else {
    for (const listener of eventListeners) listener(data.event);
  }
});
socket.addEventListener('close', (event) => {
  closed =
    event.code === CLOSE_NOT_ALLOWED
      ? { code: 'FORBIDDEN', message: 'This page has no key or an old one: open PodDesk with the link it printed.' }
      : { code: 'INTERNAL', message: 'The PodDesk host closed the connection' };
  for (const resolve of pending.values()) resolve({ ok: false, error: closed });
  pending.clear();
});

const send = async (message: ClientMessage) => {
  await opened;
  if (closed) throw new Error(closed.message);
  socket.send(JSON.stringify(message));
};

const request = (make: (n: number) => ClientMessage) =>
  new Promise<Result<unknown>>((resolve) => {
    if (closed) return resolve({ ok: false, error: closed });
    const n = ++seq;
    pending.set(n, resolve);
    send(make(n)).catch((error: Error) => {
      pending.delete(n);
      resolve({ ok: false, error: closed ?? { code: 'INTERNAL', message: error.message } });
    });
  });

const transport: BridgeTransport = {
  invoke: (name, input) => request((n) => ({ t: 'call', n, name, input })),
  open: (id, name, input) => request((n) => ({ t: 'open', n, id, name, input })) as Promise<Result<null>>,
  close: (id) => void send({ t: 'close', id }).catch(() => undefined),
  onEvent: (listener) => void eventListeners.push(listener),
};

window.poddesk = createBridge(transport, callNames, streamNames);

/**
 * The key the printed link's redirect put in the fragment, kept in this origin's storage (which
 * pages on other ports cannot read) so a reload or a new tab still has it.
 */
function takePageKey(): string {
  const prefix = `#${PAGE_KEY_FRAGMENT}=`;
  if (location.hash.startsWith(prefix)) {
    const key = location.hash.slice(prefix.length);
    history.replaceState(history.state, '', location.pathname + location.search);
    try {
      localStorage.setItem(PAGE_KEY_STORAGE, key);
    } catch {
      // Storage off: the key lasts as long as this page.
    }
    return key;
  }
  try {
    return localStorage.getItem(PAGE_KEY_STORAGE) ?? '';
  } catch {
    return '';
  }
}
