import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { startHost, type Host } from '../../src/main/serve/host';
import { startApp } from '../support/app';
import { builtInStackIds, closeWindow, type Launched, launchWithDevTools, pageAt } from '../support/devtools-launch';

/**
 * The release workflow's smoke test (tests/smoke/packaged-app.test.ts) starts the packaged app
 * and drives it over Chromium's DevTools port. No Electron binary runs here, so its harness runs
 * against Debian's Chromium showing the same page through the browser host instead: the same
 * launch, the same DevTools connection, the same contract call, the same way out as on macOS.
 */
const info = inject('podman');
let app: App;
let host: Host;
let profile: string;
let launched: Launched | undefined;

beforeAll(async () => {
  app = await startApp(info); // not connected: the packaged app on a runner has no Podman either
  host = await startHost({
    dispatcher: app.dispatcher,
    rendererDir: join(process.cwd(), 'out', 'renderer'),
    uploads: app.uploads,
  });
  profile = await mkdtemp(join(tmpdir(), 'smoke-profile-'));
});
afterAll(async () => {
  if (launched && launched.child.exitCode === null && launched.child.signalCode === null) launched.child.kill('SIGKILL');
  await host?.close();
  await app?.close();
  await rm(profile, { recursive: true, force: true });
});

describe('the packaged-app smoke test’s harness', () => {
  it('launches with DevTools, finds the page, gets an answer from the contract, closes the window and sees a clean exit', async () => {
    launched = await launchWithDevTools('/usr/bin/chromium', [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      `--user-data-dir=${profile}`,
      host.entryUrl,
    ]);
    const page = await pageAt(launched.browser, new URL(host.entryUrl).origin);
    expect(await page.title()).toBe('PodDesk');
    expect(await builtInStackIds(page)).toEqual(expect.arrayContaining(['ai-lab', 'ai-webapp', 'jupyter', 'ollama']));
    await closeWindow(page);
    // Chromium has no PodDesk main process to quit with its last window (the packaged app does, on
    // Windows and Linux), so it is asked to quit the way the smoke test asks PodDesk on macOS.
    launched.child.kill('SIGTERM');
    const { code, signal } = await launched.exited;
    expect({ code, signal }, launched.output()).toEqual({ code: 0, signal: null });
  });
});
