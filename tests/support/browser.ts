import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { App } from '../../src/main/app';
import { startHost, type Host } from '../../src/main/serve/host';

/**
 * The real UI in Debian's Chromium, through the browser host, against real services: the same
 * renderer bundle the Electron app loads, with `window.poddesk` over a WebSocket.
 */
export interface UiSession {
  host: Host;
  browser: Browser;
  page: Page;
  /** Console errors and page errors seen so far: a test can assert there were none. */
  errors: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Debian's Chromium, headless and quiet (no downloads, no sync, no network of its own). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots');

export async function openUi(app: App, options: { path?: string; colorScheme?: 'light' | 'dark' } = {}): Promise<UiSession> {
  const host = await startHost({
    dispatcher: app.dispatcher,
    rendererDir: join(process.cwd(), 'out', 'renderer'),
    uploads: app.uploads,
  });
  const browser = await launchChromium();
  const context = await browser.newContext({
    viewport: { width: 1360, height: 860 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // Failed loads are reported below with their URL, which says more.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(host.entryUrl);
  if (options.path) await page.evaluate((path) => (window.location.hash = path), options.path);
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  return {
    host,
    browser,
    page,
    errors,
    async screenshot(name) {
      const file = join(SCREENSHOT_DIR, `${name}.png`);
      // Finished transitions: a drawer or dialog caught mid-fade shows nothing true about the page.
      await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
      return file;
    },
    async close() {
      await browser.close();
      await host.close();
    },
  };
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}
