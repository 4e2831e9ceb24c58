import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  enter,
  exchange,
  exchangeFrames,
  handshake,
  openSocket,
  startTestHost,
  statuses,
  textFrame,
  type TestHost,
} from './raw-client';

let host: TestHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

async function start() {
  host = await startTestHost();
  return host;
}

const get = (h: TestHost, target: string, headers: Record<string, string> = {}) => {
  const lines = Object.entries({ Host: `127.0.0.1:${h.port}`, Cookie: h.cookie, Connection: 'close', ...headers })
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}: ${v}\r\n`);
  return exchange(h.port, `GET ${target} HTTP/1.1\r\n${lines.join('')}\r\n`);
};

/** Collects a socket's messages until `until` says enough, or the socket closes. */
function collect(ws: WebSocket, until: (messages: unknown[]) => boolean): Promise<{ messages: unknown[]; code?: number }> {
  return new Promise((resolve) => {
    const messages: unknown[] = [];
    ws.on('message', (m) => {
      messages.push(JSON.parse(m.toString()));
      if (until(messages)) resolve({ messages });
    });
    ws.on('close', (code) => resolve({ messages, code }));
  });
}

describe('the browser host', () => {
  it('listens on loopback only', async () => {
    const h = await start();
    expect(new URL(h.url).hostname).toBe('127.0.0.1');
  });

  it('refuses everything without the token', async () => {
    const h = await start();
    expect((await fetch(`${h.url}/`)).status).toBe(403);
    expect((await fetch(`${h.url}/assets/a.js`)).status).toBe(403);
    expect((await fetch(`${h.url}/?token=wrong`)).status).toBe(403);
    // The old cookie name, which every port shared, opens nothing.
    expect((await fetch(`${h.url}/`, { headers: { cookie: `poddesk_token=${h.token}` } })).status).toBe(403);
  });

  it('trades the token for a cookie named for its port and a page key in the fragment', async () => {
    const h = await start();
    const { setCookie, location } = await enter(h);
    expect(setCookie).toMatch(new RegExp(`^poddesk_${h.port}=`));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    // The cookie reaches every server on 127.0.0.1: it must not be the token, nor carry the key.
    expect(setCookie).not.toContain(h.token);
    expect(setCookie).not.toContain(h.pageKey);
    expect(location).toBe(`/#poddesk-key=${h.pageKey}`);
    expect(h.pageKey.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the page with the bridge and the CSP, and never the page key', async () => {
    const h = await start();
    const page = await fetch(`${h.url}/`, { headers: { cookie: h.cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/ws-bridge.js"></script>');
    expect(html).not.toContain(h.pageKey);
    expect((await fetch(`${h.url}/assets/a.js`, { headers: { cookie: h.cookie } })).status).toBe(200);
  });

  it('never serves files outside the renderer folder', async () => {
    const h = await start();
    for (const path of [
      '/..%2foutside.txt',
      '/assets/..%2f..%2foutside.txt',
      '/%2e%2e/outside.txt',
      '/a%5c..%5c..%5coutside.txt',
      '/../outside.txt',
      '/assets/../../outside.txt',
    ]) {
      const answer = await get(h, path);
      expect([400, 404], path).toContain(statuses(answer)[0]);
      expect(answer).not.toContain('secret');
    }
  });

  it('refuses a request for another Host, even with the cookie (DNS rebinding)', async () => {
    const h = await start();
    expect(statuses(await get(h, '/'))).toEqual([200]);
    expect(statuses(await get(h, '/', { Host: `localhost:${h.port}` }))).toEqual([200]);
    for (const other of ['attacker.example', `attacker.example:${h.port}`, `127.0.0.1:${h.port + 1}`, `127.0.0.1`, '']) {
      const answer = await get(h, '/', { Host: other });
      expect(statuses(answer), other).toEqual([other === '' ? 400 : 403]);
      expect(answer).not.toContain('PodDesk page');
    }
    // The entry link too: a rebinding page must not be handed the cookie.
    expect(statuses(await get(h, `/?token=${h.token}`, { Host: 'attacker.example', Cookie: '' }))).toEqual([403]);
  });

  it('refuses what a page on another port asks for with the cookie (an <img>, a fetch)', async () => {
    const h = await start();
    const img = await get(h, '/%', { 'Sec-Fetch-Site': 'same-site', 'Sec-Fetch-Mode': 'no-cors', 'Sec-Fetch-Dest': 'image' });
    expect(statuses(img)).toEqual([403]);
    const upload = await exchange(
      h.port,
      `PUT /upload/x/0 HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\nCookie: ${h.cookie}\r\nOrigin: http://127.0.0.1:${h.port + 1}\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx`,
    );
    expect(statuses(upload)).toEqual([403]);
    // The page's own requests pass.
    expect(statuses(await get(h, '/assets/a.js', { 'Sec-Fetch-Site': 'same-origin' }))).toEqual([200]);
  });

  it('survives the requests that used to end it, and answers each with a 4xx', async () => {
    const h = await start();
    const answers = [
      await exchange(h.port, 'GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
      await exchange(h.port, `GET //[ HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\nConnection: close\r\n\r\n`),
      await get(h, '/%'),
      await get(h, '/%', { Cookie: '' }),
      await exchange(h.port, handshake(h, {}, 'http://a:99999/rpc')),
      await exchange(h.port, handshake(h, { Host: 'x', Origin: undefined, Cookie: undefined }, 'http://a:99999/rpc')),
    ];
    for (const answer of answers) expect(statuses(answer)[0]).toBeGreaterThanOrEqual(400);
    // A message that parses to null, then a call: the socket still answers.
    const ws = await exchangeFrames(h.port, handshake(h), [
      textFrame(JSON.stringify({ t: 'hello', key: h.pageKey })),
      textFrame('null'),
      textFrame(JSON.stringify({ t: 'call', n: 1, name: 'demo.echo', input: { text: 'still here' } })),
    ]);
    expect(statuses(ws)[0]).toBe(101);
    expect(ws).toContain('{"t":"result","n":1,"result":{"ok":true,"data":"STILL HERE"}}');
    expect(h.logged).toEqual([]);
    expect(statuses(await get(h, '/'))).toEqual([200]);
  });

  it('refuses a WebSocket without the cookie, from another origin or for another Host', async () => {
    const h = await start();
    expect(statuses(await exchange(h.port, handshake(h)))[0]).toBe(101);
    for (const [name, extra] of [
      ['no cookie', { Cookie: undefined }],
      ['another origin', { Origin: 'https://evil.example' }],
      ['another port', { Origin: `http://127.0.0.1:${h.port + 1}` }],
      ['no origin', { Origin: undefined }],
      ['another host', { Host: `attacker.example:${h.port}` }],
    ] as const) {
      expect(statuses(await exchange(h.port, handshake(h, extra))), name).toEqual([403]);
    }
    expect(statuses(await exchange(h.port, handshake(h, {}, '/other')))).toEqual([403]);
  });

  it('accepts nothing on a WebSocket before a hello with the page key', async () => {
    const h = await start();
    const sayFirst = (first: unknown) => {
      const ws = new WebSocket(`ws://127.0.0.1:${h.port}/rpc`, { headers: { origin: h.url, cookie: h.cookie } });
      ws.on('open', () => {
        ws.send(JSON.stringify(first));
        ws.send(JSON.stringify({ t: 'call', n: 2, name: 'demo.echo', input: { text: 'hi' } }));
      });
      return collect(ws, () => false);
    };
    for (const first of [
      { t: 'call', n: 1, name: 'demo.echo', input: { text: 'hi' } },
      { t: 'hello', key: 'wrong' },
      { t: 'hello', key: h.cookie.split('=')[1] },
      { t: 'hello', key: h.token },
      { t: 'hello' },
      null,
    ]) {
      const { messages, code } = await sayFirst(first);
      expect(code, JSON.stringify(first)).toBe(4401);
      expect(messages).toEqual([]);
    }
    // The right key: the same call is answered.
    const ws = await openSocket(h);
    const answered = collect(ws, (m) => m.length === 1);
    ws.send(JSON.stringify({ t: 'call', n: 2, name: 'demo.echo', input: { text: 'hi' } }));
    expect((await answered).messages).toEqual([{ t: 'result', n: 2, result: { ok: true, data: 'HI' } }]);
    ws.close();
  });

  it('speaks the contract after the hello, and answers a bad message with an error where it has a number', async () => {
    const h = await start();
    const ws = await openSocket(h);
    const done = collect(ws, (m) => m.length >= 8);
    ws.send(JSON.stringify({ t: 'call', n: 1, name: 'demo.echo', input: { text: 'hi' } }));
    ws.send(JSON.stringify({ t: 'open', n: 2, id: 's', name: 'demo.ticks', input: { count: 2 } }));
    ws.send('not json');
    ws.send('null');
    ws.send(JSON.stringify({ t: 'call', n: 3, name: 42 }));
    ws.send(JSON.stringify({ t: 'nope', n: 4 }));
    ws.send(JSON.stringify({ t: 'call', n: 5, name: 'demo.big', input: undefined }));
    ws.send(JSON.stringify({ t: 'call', n: 6, name: 'demo.crash' }));
    ws.send(JSON.stringify({ t: 'call', n: 7, name: 'nothing.here' }));
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    const { messages } = await done;
    const results = new Map(
      messages
        .filter(
          (m): m is { t: 'result'; n: number; result: { ok: boolean; error?: { code: string } } } =>
            (m as { t: string }).t === 'result',
        )
        .map((m) => [m.n, m.result]),
    );
    expect(results.get(1)).toEqual({ ok: true, data: 'HI' });
    expect(results.get(2)).toEqual({ ok: true, data: null });
    expect(results.get(3)?.error?.code).toBe('INVALID_INPUT');
    expect(results.get(4)?.error?.code).toBe('INVALID_INPUT');
    expect(results.get(5)?.ok).toBe(false);
    expect(results.get(6)?.error?.code).toBe('INTERNAL');
    expect(results.get(7)?.error?.code).toBe('UNKNOWN_CALL');
    expect(messages).toContainEqual({ t: 'event', event: { id: 's', type: 'batch', items: [0, 1] } });
    expect(messages).toContainEqual({ t: 'event', event: { id: 's', type: 'end' } });
    ws.close();
  });
});
