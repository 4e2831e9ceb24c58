import type { RawData, WebSocket } from 'ws';
import { CLOSE_NOT_ALLOWED, type ClientMessage, type ServerMessage } from '../../shared/ws-protocol';
import type { Result } from '../../shared/errors';
import { toErrorShape, type Dispatcher, type Session } from '../rpc/dispatcher';
import { clientMessage, helloMessage, numberOf } from './messages';
import { sameSecret } from './requests';

/** How long a socket may stay open without saying `hello`. */
const HELLO_TIMEOUT_MS = 10_000;

/**
 * One page's WebSocket: nothing is accepted until its first message is `hello` with the page key
 * (a cookie alone reaches every server on 127.0.0.1, so it cannot be the only credential). After
 * that, each message is parsed; one that is not a ClientMessage is answered with an error if it
 * has a number to answer to, and otherwise dropped. Nothing a client sends can throw out of here.
 */
export function serveSocket(ws: WebSocket, options: { dispatcher: Dispatcher; pageKey: string; log: (m: string) => void }): void {
  let session: Session | null = null;

  const send = (message: ServerMessage) => {
    if (ws.readyState !== ws.OPEN) return;
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch (error) {
      // A handler's answer that JSON cannot carry (a BigInt, a cycle): the page still gets an answer.
      if (message.t !== 'result') return options.log(`Dropped an event JSON cannot carry: ${String(error)}`);
      text = JSON.stringify({ t: 'result', n: message.n, result: { ok: false, error: toErrorShape(error) } });
    }
    ws.send(text);
  };

  const notAllowed = () => ws.close(CLOSE_NOT_ALLOWED, 'Open PodDesk with the link it printed');
  const helloTimer = setTimeout(notAllowed, HELLO_TIMEOUT_MS);
  helloTimer.unref();

  // Bad frames (wrong opcode, bad UTF-8, too long): ws closes the socket and reports it here.
  ws.on('error', () => ws.terminate());
  ws.on('close', () => {
    clearTimeout(helloTimer);
    try {
      session?.closeAll();
    } catch (error) {
      options.log(`Closing a page's streams failed: ${String(error)}`);
    }
  });
  ws.on('message', (raw, isBinary) => {
    try {
      const value = isBinary ? undefined : parseJson(raw);
      if (session) return answer(session, value);
      const hello = helloMessage.safeParse(value);
      if (!hello.success || !sameSecret(hello.data.key, options.pageKey)) return notAllowed();
      clearTimeout(helloTimer);
      session = options.dispatcher.session((event) => send({ t: 'event', event }));
    } catch (error) {
      options.log(`A WebSocket message failed: ${String(error)}`);
    }
  });

  const answer = (open: Session, value: unknown) => {
    const parsed = clientMessage.safeParse(value);
    if (!parsed.success) {
      const n = numberOf(value);
      if (n !== undefined) send({ t: 'result', n, result: { ok: false, error: toErrorShape(parsed.error) } });
      return;
    }
    const message: ClientMessage = parsed.data;
    if (message.t === 'close') return open.close(message.id);
    const result =
      message.t === 'call'
        ? Promise.resolve().then(() => open.call(message.name, message.input))
        : Promise.resolve().then(() => open.open(message.id, message.name, message.input));
    void result.then(
      (r: Result<unknown>) => send({ t: 'result', n: message.n, result: r }),
      (error: unknown) => send({ t: 'result', n: message.n, result: { ok: false, error: toErrorShape(error) } }),
    );
  };
}

function parseJson(raw: RawData): unknown {
  const text = Buffer.isBuffer(raw)
    ? raw.toString('utf8')
    : Array.isArray(raw)
      ? Buffer.concat(raw).toString('utf8')
      : Buffer.from(raw).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
