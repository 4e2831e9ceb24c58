import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startHost, type Host } from '../../../src/main/serve/host';
import type { Dispatcher } from '../../../src/main/rpc/dispatcher';

let host: Host | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

async function start() {
  const dir = await mkdtemp(join(tmpdir(), 'host-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><html><head><title>x</title></head><body></body></html>');
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'assets', 'a.js'), 'console.log(1)');
  await writeFile(join(tmpdir(), 'outside.txt'), 'secret');
  const dispatcher: Dispatcher = {
    call: vi.fn(),
    session: (send) => ({
      call: async (name, input) => ({ ok: true, data: { name, input } }),
      open: (id) => {
        setTimeout(() => send({ id, type: 'batch', items: ['hello'] }), 5);
        return { ok: true, data: null };
      },
      close: vi.fn(),
      closeAll: vi.fn(),
    }),
  };
  host = await startHost({ dispatcher, rendererDir: dir, token: 'TOKEN123' });
  return host;
}

async function enter(h: Host): Promise<string> {
  const response = await fetch(h.entryUrl, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const cookie = response.headers.get('set-cookie')!;
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Strict/);
  return cookie.split(';')[0]!;
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
  });

  it('trades the token for a cookie and serves the page with the bridge and the CSP', async () => {
    const h = await start();
    const cookie = await enter(h);
    const page = await fetch(`${h.url}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/ws-bridge.js"></script>');
    expect((await fetch(`${h.url}/assets/a.js`, { headers: { cookie } })).status).toBe(200);
  });

  it('never serves files outside the renderer folder', async () => {
    const h = await start();
    const cookie = await enter(h);
    for (const path of [
      '/..%2foutside.txt',
      '/assets/..%2f..%2foutside.txt',
      '/%2e%2e/outside.txt',
      '/a%5c..%5c..%5coutside.txt',
    ]) {
      const response = await fetch(`${h.url}${path}`, { headers: { cookie } });
      expect([400, 404], path).toContain(response.status);
      expect(await response.text()).not.toContain('secret');
    }
  });

  it('speaks the contract over a WebSocket, only with the cookie and from its own origin', async () => {
    const h = await start();
    const cookie = await enter(h);
    const url = `${h.url.replace('http', 'ws')}/rpc`;
    const refused = (headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => resolve(-1));
        ws.on('open', () => resolve(101));
      });
    expect(await refused({ origin: h.url })).not.toBe(101);
    expect(await refused({ origin: 'https://evil.example', cookie })).not.toBe(101);

    const ws = new WebSocket(url, { headers: { origin: h.url, cookie } });
    await new Promise((r) => ws.once('open', r));
    const messages: unknown[] = [];
    ws.on('message', (m) => messages.push(JSON.parse(m.toString())));
    ws.send(JSON.stringify({ t: 'call', n: 1, name: 'containers.list', input: null }));
    ws.send(JSON.stringify({ t: 'open', n: 2, id: 's', name: 'containers.watch', input: null }));
    ws.send('not json');
    for (let i = 0; i < 100 && messages.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    // Results are numbered, so their order may differ from the requests'.
    expect(messages).toHaveLength(3);
    expect(messages).toEqual(
      expect.arrayContaining([
        { t: 'result', n: 1, result: { ok: true, data: { name: 'containers.list', input: null } } },
        { t: 'result', n: 2, result: { ok: true, data: null } },
        { t: 'event', event: { id: 's', type: 'batch', items: ['hello'] } },
      ]),
    );
    ws.close();
  });
});
