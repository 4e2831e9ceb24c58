import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { SCREENSHOT_DIR } from '../support/browser';

const info = inject('podman');

/**
 * The built browser host as a user starts it (`npm run serve` → node out/main/serve.js): the
 * bundle, not the sources, so what only goes wrong once bundled (paths to resources/) shows here.
 */
describe('npm run serve', () => {
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let url = '';
  let other: Server | undefined;
  let dataDir = '';
  /** Everything the CLI printed on stdout: its terminal, as the user sees it. */
  let out = '';
  afterAll(async () => {
    await browser?.close();
    other?.close();
    if (child && child.exitCode === null) {
      const gone = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('prints a link that opens the app, connected, with the built-in stacks', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'poddesk-serve-'));
    child = spawn(process.execPath, ['out/main/serve.js'], {
      env: { ...process.env, ...info.env, PODDESK_DATA_DIR: dataDir, CONTAINER_HOST: `unix://${info.socketPath}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no link printed: ${out}`)), 30_000);
      child!.stdout!.on('data', () => {
        const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[0]);
        }
      });
      child!.once('exit', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
    });

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    // A context of its own (not newPage's), so a second page can share its cookies.
    page = await (await browser.newContext({ viewport: { width: 1360, height: 860 } })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await expect
      .poll(() => page!.getByTestId('connection-state').getAttribute('data-state'), { timeout: 30_000 })
      .toBe('connected');
    // The page key left the address bar before the app read it.
    expect(page.url()).toBe(`${new URL(url).origin}/`);
    await page.evaluate(() => (window.location.hash = '/stacks'));
    for (const name of ['Jupyter Lab', 'Ollama', 'AI web app', 'AI lab']) {
      await page.getByText(name, { exact: true }).first().waitFor({ timeout: 20_000 });
    }
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'serve-cli-stacks.png') });
    expect(errors).toEqual([]);
  });

  it('lets in neither a page on another port of 127.0.0.1 nor its server holding the cookie, and survives them', async () => {
    const origin = new URL(url).origin;
    // A container's web page, opened in the same browser: its server receives every 127.0.0.1 cookie.
    const cookies: string[] = [];
    other = createServer((request, response) => {
      cookies.push(request.headers.cookie ?? '');
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>other</title>');
    });
    await new Promise<void>((resolve) => other!.listen(0, '127.0.0.1', resolve));
    const otherPort = (other.address() as AddressInfo).port;
    const attacker = await page!.context().newPage();
    await attacker.goto(`http://127.0.0.1:${otherPort}/`);
    const tried = await attacker.evaluate(async (host) => {
      const socket = await new Promise<string>((resolve) => {
        // The browser's own WebSocket (the name WebSocket here is the Node one).
        const ws = new window.WebSocket(`${host.replace('http', 'ws')}/rpc`);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      });
      const image = await new Promise<string>((resolve) => {
        const img = document.createElement('img');
        img.onload = () => resolve('loaded');
        img.onerror = () => resolve('failed');
        img.src = `${host}/%`;
        document.body.append(img);
      });
      const read = await fetch(`${host}/`, { credentials: 'include' }).then(
        (r) => r.text(),
        () => 'unreadable',
      );
      return { socket, image, read, cookie: document.cookie, stored: Object.keys(localStorage) };
    }, origin);
    expect(tried).toEqual({ socket: 'refused', image: 'failed', read: 'unreadable', cookie: '', stored: [] });

    // Its server got the cookie (cookies ignore ports) and tries it from outside any browser.
    const port = new URL(url).port;
    const cookie = cookies
      .map((c) => c.split(';').find((p) => p.trim().startsWith(`poddesk_${port}=`)))
      .find(Boolean)
      ?.trim();
    expect(cookie).toBeDefined();
    const html = await fetch(`${origin}/`, { headers: { cookie: cookie! } }).then((r) => r.text());
    expect(html).toContain('ws-bridge.js');
    expect(html).not.toMatch(/poddesk-key/);
    const closed = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${origin.replace('http', 'ws')}/rpc`, { headers: { cookie: cookie!, origin } });
      ws.on('open', () => {
        ws.send(JSON.stringify({ t: 'hello', key: '' }));
        ws.send(JSON.stringify({ t: 'call', n: 1, name: 'containers.list', input: {} }));
      });
      ws.on('message', () => resolve(-1));
      ws.on('close', (code) => resolve(code));
      ws.on('error', () => resolve(-2));
    });
    expect(closed).toBe(4401);

    // Still alive, and its own page still works after a reload (the key is kept per origin).
    expect(child!.exitCode).toBeNull();
    await page!.reload();
    await expect
      .poll(() => page!.getByTestId('connection-state').getAttribute('data-state'), { timeout: 30_000 })
      .toBe('connected');
  });
  it('asks for what a stack touches on this computer in its terminal, with a code the page must type back', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'poddesk-serve-host-'));
    const yaml = `services:\n  box:\n    image: ${info.busybox}\n    volumes: ["${folder}:/host"]\n`;
    // Straight through the page's bridge, as a page that runs someone else's code could.
    const confirm = (code?: string) =>
      page!.evaluate(
        async ([yaml, code]) => {
          const calls = window.poddesk!.calls;
          if (!code) await calls['stacks.import']!({ yaml, name: 'served-host' });
          const plan = (await calls['stacks.plan']!({ id: 'served-host' })) as {
            data: { hostAccess: { fingerprint: string; needsConfirmation: boolean } };
          };
          const fingerprint = plan.data.hostAccess.fingerprint;
          const answer = await calls['stacks.confirmHostAccess']!({ id: 'served-host', fingerprint, ...(code ? { code } : {}) });
          return { answer, before: plan.data.hostAccess.needsConfirmation };
        },
        [yaml, code] as const,
      );
    try {
      const asked = await confirm();
      expect(asked).toMatchObject({ before: true, answer: { ok: true, data: { state: 'code-required', codePending: true } } });
      expect(JSON.stringify(asked)).not.toMatch(/\d{6}/);
      await expect.poll(() => /type this code in PodDesk: (\d{6})/.exec(out)?.[1]).toBeDefined();
      expect(out).toContain(`Folder or file: ${folder} → /host, read-write — box`);
      const code = /type this code in PodDesk: (\d{6})/.exec(out)![1]!;
      expect(await confirm(code)).toMatchObject({ answer: { ok: true, data: { state: 'confirmed' } } });
      expect(out).toMatch(/PodDesk: allowed with the code/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
