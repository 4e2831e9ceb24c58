import { createBridge, type BridgeTransport, type StreamEvent } from '../shared/bridge';
import { callNames, streamNames } from 'virtual:poddesk-contract-names';
import type { Result } from '../shared/errors';
import type { ClientMessage, ServerMessage } from '../shared/ws-protocol';

/**
 * `window.poddesk` for a page served by the browser host (src/main/serve): the same bridge the
 * preload builds, speaking WebSocket instead of Electron IPC. The Electron app never loads this.
 */
const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/rpc`);
const opened = new Promise<void>((resolve, reject) => {
  socket.addEventListener('open', () => resolve(), { once: true });
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
socket.addEventListener('close', () => {
  for (const resolve of pending.values())
    resolve({ ok: false, error: { code: 'INTERNAL', message: 'The PodDesk host closed the connection' } });
  pending.clear();
});

const send = async (message: ClientMessage) => {
  await opened;
  socket.send(JSON.stringify(message));
};

const request = (make: (n: number) => ClientMessage) =>
  new Promise<Result<unknown>>((resolve) => {
    const n = ++seq;
    pending.set(n, resolve);
    send(make(n)).catch((error: Error) => {
      pending.delete(n);
      resolve({ ok: false, error: { code: 'INTERNAL', message: error.message } });
    });
  });

const transport: BridgeTransport = {
  invoke: (name, input) => request((n) => ({ t: 'call', n, name, input })),
  open: (id, name, input) => request((n) => ({ t: 'open', n, id, name, input })) as Promise<Result<null>>,
  close: (id) => void send({ t: 'close', id }).catch(() => undefined),
  onEvent: (listener) => void eventListeners.push(listener),
};

window.poddesk = createBridge(transport, callNames, streamNames);
