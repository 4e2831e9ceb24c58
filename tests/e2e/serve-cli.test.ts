import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { SCREENSHOT_DIR } from '../support/browser';

const info = inject('podman');

/**
 * The built browser host as a user starts it (`npm run serve` → node out/main/serve.js): the
 * bundle, not the sources, so what only goes wrong once bundled (paths to resources/) shows here.
 */
describe('npm run serve', () => {
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;
  let dataDir = '';
  afterAll(async () => {
    await browser?.close();
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
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no link printed: ${out}`)), 30_000);
      child!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
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
    const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await expect
      .poll(() => page.getByTestId('connection-state').getAttribute('data-state'), { timeout: 30_000 })
      .toBe('connected');
    await page.evaluate(() => (window.location.hash = '/stacks'));
    for (const name of ['Jupyter Lab', 'Ollama', 'AI web app', 'AI lab']) {
      await page.getByText(name, { exact: true }).first().waitFor({ timeout: 20_000 });
    }
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'serve-cli-stacks.png') });
    expect(errors).toEqual([]);
  });
});
