import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { extname, join } from 'node:path';
import { WebSocketServer } from 'ws';
import { PAGE_KEY_FRAGMENT } from '../../shared/ws-protocol';
import type { Dispatcher } from '../rpc/dispatcher';
import type { UploadInbox } from '../uploads';
import { toErrorShape } from '../rpc/dispatcher';
import { contentSecurityPolicy } from '../security';
import { isForeignFetch, isOwnHost, isOwnOrigin, parseTarget, readCookie, sameSecret, type Target } from './requests';
import { serveSocket } from './socket';

/**
 * Serves the built renderer to a browser and the contract over a WebSocket: the e2e tests drive
 * the real UI this way, and users can run PodDesk in a browser (WSL without a desktop).
 *
 * Who gets in: it binds to loopback and answers only requests whose Host is its own
 * (127.0.0.1:PORT or localhost:PORT, so a DNS-rebinding page is refused). The printed link's
 * token is traded at once for two credentials: a cookie named for this port, which lets the
 * browser load the files, and a page key, which the redirect hands to the page in the URL fragment
 * and which the page sends as its first WebSocket message. Cookies ignore ports, so every server
 * on 127.0.0.1 the user opens in the same browser receives the cookie; none of them ever sees
 * the page key or the token, and without the key the WebSocket accepts nothing.
 */
export interface Host {
  url: string;
  /** The URL to open, with the token. */
  entryUrl: string;
  close(): Promise<void>;
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const BRIDGE = '<script type="module" src="/ws-bridge.js"></script>';
const TEXT = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };

const secret = () => randomBytes(24).toString('base64url');

export async function startHost(options: {
  dispatcher: Dispatcher;
  rendererDir: string;
  port?: number;
  token?: string;
  log?: (message: string) => void;
  /** Where uploaded files go (PUT /upload/<ticket>/<index>): the page has no file paths to give. */
  uploads?: UploadInbox;
}): Promise<Host> {
  const token = options.token ?? secret();
  // Distinct from the token: the cookie reaches other servers on 127.0.0.1, the token must not.
  const cookieValue = secret();
  const pageKey = secret();
  const log = options.log ?? (() => undefined);
  const headers = {
    'content-security-policy': contentSecurityPolicy(),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
  let port = 0;
  const cookieName = () => `poddesk_${port}`;
  const refuse = (response: ServerResponse, status: number, text: string) => {
    if (!response.headersSent) response.writeHead(status, TEXT);
    response.end(text);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (!isOwnHost(request.headers.host, port) || isForeignFetch(request.headers)) {
      return refuse(response, 403, 'PodDesk answers only its own pages.');
    }
    const target = parseTarget(request.url);
    if (!target) return refuse(response, 400, 'Bad request');
    const presented = target.query.get('token');
    if (presented !== null && sameSecret(presented, token)) {
      // Trade the token in the URL for the cookie and the page key, and drop it from the address bar.
      response
        .writeHead(302, {
          ...headers,
          location: `/#${PAGE_KEY_FRAGMENT}=${pageKey}`,
          'set-cookie': `${cookieName()}=${cookieValue}; HttpOnly; SameSite=Strict; Path=/`,
        })
        .end();
      return;
    }
    if (!sameSecret(readCookie(request.headers.cookie, cookieName()), cookieValue)) {
      return refuse(response, 403, 'Open PodDesk with the link it printed (it carries a token).');
    }
    if (request.method === 'PUT' && target.segments[0] === 'upload')
      return receiveUpload(request, response, target, port, options.uploads);
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(response, 405, 'Method not allowed');
    const file = target.segments.length === 0 ? 'index.html' : join(...target.segments);
    let body: Buffer | string;
    try {
      body = await readFile(join(options.rendererDir, file));
    } catch {
      return refuse(response, 404, 'Not found');
    }
    if (file === 'index.html') body = body.toString('utf8').replace('<head>', `<head>\n    ${BRIDGE}`);
    response.writeHead(200, { ...headers, 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(`The browser host failed a request: ${String(error)}`);
      if (!response.headersSent) refuse(response, 500, 'Something went wrong');
      else response.destroy();
    });
  });
  // Upgraded and refused sockets leave the server's books; close() must still end them.
  const sockets = new Set<Duplex>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node drops its own error listener before this event: without ours a reset would throw.
    socket.on('error', () => socket.destroy());
    try {
      const target = parseTarget(request.url);
      const allowed =
        isOwnHost(request.headers.host, port) &&
        isOwnOrigin(request.headers.origin, port) &&
        target !== null &&
        target.segments.join('/') === 'rpc' &&
        sameSecret(readCookie(request.headers.cookie, cookieName()), cookieValue);
      if (!allowed) return refuseUpgrade(socket);
      wss.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, { dispatcher: options.dispatcher, pageKey, log }));
    } catch (error) {
      log(`The browser host failed an upgrade: ${String(error)}`);
      refuseUpgrade(socket);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      port = (server.address() as AddressInfo).port;
      resolve();
    });
  });
  server.on('error', (error) => log(`The browser host: ${error.message}`));
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    entryUrl: `${url}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function refuseUpgrade(socket: Duplex): void {
  if (socket.writable) socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  else socket.destroy();
}

/**
 * One file of an upload the page streams to us: the body goes, paused and resumed by
 * backpressure, straight into the transfer waiting for it; the answer says whether it arrived.
 */
function receiveUpload(
  request: IncomingMessage,
  response: ServerResponse,
  target: Target,
  port: number,
  uploads: UploadInbox | undefined,
): void {
  // Same origin only: the cookie is SameSite=Strict already, and a page on another port is same-site.
  const origin = request.headers.origin;
  if (!uploads || (origin !== undefined && !isOwnOrigin(origin, port)) || target.segments.length !== 3) {
    response.writeHead(403, TEXT).end('Uploads are not accepted here');
    request.resume();
    return;
  }
  const [, ticket = '', index = ''] = target.segments;
  const answer = (error: unknown) => {
    const shape = toErrorShape(error);
    const status = uploadStatus[shape.code] ?? 500;
    if (!response.headersSent) response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(shape));
    // Whatever of the body is left is not wanted.
    request.resume();
  };
  Promise.resolve()
    .then(() => uploads.deliver(ticket, /^\d{1,9}$/.test(index) ? Number(index) : Number.NaN, request))
    .then(() => {
      if (!response.headersSent) response.writeHead(204).end();
    }, answer)
    .catch(() => response.destroy());
}

const uploadStatus: Partial<Record<string, number>> = { NOT_FOUND: 404, CANCELLED: 409, CONFLICT: 409, INVALID_INPUT: 400 };
