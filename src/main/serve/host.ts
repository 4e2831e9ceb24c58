import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ClientMessage, ServerMessage } from '../../shared/ws-protocol';
import type { Dispatcher } from '../rpc/dispatcher';
import type { UploadInbox } from '../uploads';
import { toErrorShape } from '../rpc/dispatcher';
import { contentSecurityPolicy } from '../security';

/**
 * Serves the built renderer to a browser and the contract over a WebSocket: the e2e tests drive
 * the real UI this way, and users can run PodDesk in a browser (WSL without a desktop). It binds
 * to loopback only and lets in only a browser that presented the random token once.
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

const COOKIE = 'poddesk_token';
const BRIDGE = '<script type="module" src="/ws-bridge.js"></script>';

function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(request: IncomingMessage): string | undefined {
  const header = request.headers.cookie ?? '';
  const match = header
    .split(';')
    .map((p) => p.trim())
    .find((p) => p.startsWith(`${COOKIE}=`));
  return match?.slice(COOKIE.length + 1);
}

export async function startHost(options: {
  dispatcher: Dispatcher;
  rendererDir: string;
  port?: number;
  token?: string;
  log?: (message: string) => void;
  /** Where uploaded files go (PUT /upload/<ticket>/<index>): the page has no file paths to give. */
  uploads?: UploadInbox;
}): Promise<Host> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const headers = {
    'content-security-policy': contentSecurityPolicy(),
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  };

  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const presented = url.searchParams.get('token');
    const authorised = sameToken(cookieToken(request), token) || sameToken(presented ?? undefined, token);
    if (!authorised) {
      response
        .writeHead(403, { 'content-type': 'text/plain; charset=utf-8' })
        .end('Open PodDesk with the link it printed (it carries a token).');
      return;
    }
    if (presented) {
      // Trade the token in the URL for a cookie, and drop it from the address bar.
      response.writeHead(302, { location: '/', 'set-cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/` }).end();
      return;
    }
    if (request.method === 'PUT' && url.pathname.startsWith('/upload/')) {
      receiveUpload(request, response, url, options.uploads);
      return;
    }
    const parts = decodeURIComponent(url.pathname).split('/').filter(Boolean);
    if (parts.some((p) => p === '..' || p.includes('\\') || p.includes('\0'))) {
      response.writeHead(400).end();
      return;
    }
    const file = parts.length === 0 ? 'index.html' : join(...parts);
    try {
      let body: Buffer | string = await readFile(join(options.rendererDir, file));
      if (file === 'index.html') body = body.toString('utf8').replace('<head>', `<head>\n    ${BRIDGE}`);
      response.writeHead(200, { ...headers, 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404, headers).end('Not found');
    }
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  server.on('upgrade', (request, socket, head) => {
    const origin = request.headers.origin;
    const address = server.address() as AddressInfo;
    const sameOrigin = origin === `http://127.0.0.1:${address.port}` || origin === `http://localhost:${address.port}`;
    if (new URL(request.url ?? '/', 'http://x').pathname !== '/rpc' || !sameOrigin || !sameToken(cookieToken(request), token)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, options.dispatcher));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    entryUrl: `${url}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * One file of an upload the page streams to us: the body goes, paused and resumed by
 * backpressure, straight into the transfer waiting for it; the answer says whether it arrived.
 */
function receiveUpload(request: IncomingMessage, response: ServerResponse, url: URL, uploads: UploadInbox | undefined): void {
  const host = request.headers.host ?? '';
  const origin = request.headers.origin;
  // Same origin only: the cookie is SameSite=Strict already; this says so twice.
  if (!uploads || (origin !== undefined && origin !== `http://${host}`)) {
    response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('Uploads are not accepted here');
    request.resume();
    return;
  }
  const [, , ticket, index] = url.pathname.split('/');
  uploads.deliver(ticket ?? '', Number(index), request).then(
    () => response.writeHead(204).end(),
    (error: unknown) => {
      const shape = toErrorShape(error);
      const status =
        shape.code === 'NOT_FOUND' ? 404 : shape.code === 'CANCELLED' ? 409 : shape.code === 'INVALID_INPUT' ? 400 : 500;
      if (!response.headersSent) response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(shape));
      // Whatever of the body is left is not wanted.
      request.resume();
    },
  );
}

function serveSocket(ws: WebSocket, dispatcher: Dispatcher): void {
  const reply = (message: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const session = dispatcher.session((event) => reply({ t: 'event', event }));
  ws.on('close', () => session.closeAll());
  ws.on('message', async (raw) => {
    let message: ClientMessage;
    try {
      message = JSON.parse(raw.toString()) as ClientMessage;
    } catch {
      return;
    }
    if (message.t === 'call') reply({ t: 'result', n: message.n, result: await session.call(message.name, message.input) });
    else if (message.t === 'open')
      reply({ t: 'result', n: message.n, result: session.open(message.id, message.name, message.input) });
    else if (message.t === 'close') session.close(message.id);
  });
}
