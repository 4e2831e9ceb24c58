import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtInStackIds, closeWindow, type Launched, launchWithDevTools, pageAt } from '../support/devtools-launch';
import { packagedExecutable } from '../support/packaged-app';

/**
 * Starts the app electron-builder just packed (dist/, after `npm run dist`) once: the window opens
 * on the app's page, the contract answers, and the app quits cleanly. Runs on the release
 * workflow's Windows, macOS and Linux runners (.github/workflows/release.yml), where a real
 * Electron is downloaded; not part of `npm test`, which has no Electron binary.
 */
const executable = packagedExecutable(join(process.cwd(), 'dist'));
let app: Launched | undefined;

afterAll(() => {
  if (app && app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
});

describe('the packaged app', () => {
  it('opens its window on poddesk://app, answers a contract call, and quits cleanly', async () => {
    expect(existsSync(executable), `${executable} (run npm run dist first)`).toBe(true);
    app = await launchWithDevTools(executable, []);
    const page = await pageAt(app.browser, 'poddesk://app/');
    expect(await page.title()).toBe('PodDesk');
    expect(await builtInStackIds(page)).toEqual(expect.arrayContaining(['ai-lab', 'ai-webapp', 'jupyter', 'ollama']));

    // As a person would: close the window, and PodDesk quits with it. On macOS an app stays in the
    // Dock with no window, so there it is asked to quit the way the system asks at log-out
    // (SIGTERM, which Electron turns into app.quit()).
    await closeWindow(page);
    if (process.platform === 'darwin') app.child.kill('SIGTERM');
    const { code, signal } = await app.exited;
    expect({ code, signal }, app.output()).toEqual({ code: 0, signal: null });
  });
});
