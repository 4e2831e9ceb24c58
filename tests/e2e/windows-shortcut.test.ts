import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/main/app';
import { memorySettings } from '../../src/main/store/settings';
import type { Runner } from '../../src/main/system/types';
import { openUi, tempDir, type UiSession } from '../support/browser';

/**
 * Settings inside a WSL distro, with Windows played by stand-ins: powershell.exe names the
 * desktop, wslpath maps it to a temporary folder; nothing else can be started (no Podman here).
 */
let app: App;
let ui: UiSession;
let desktop: string;
let dataDir: string;

beforeAll(async () => {
  desktop = await tempDir('poddesk-e2e-windows-desktop-');
  dataDir = await tempDir('poddesk-e2e-wsl-');
  const run: Runner = async (file, args) => {
    if (file === 'powershell.exe') return { code: 0, stdout: 'C:\\Users\\ana\\Desktop\r\n', stderr: '' };
    if (file === 'wslpath' && args[0] === '-u') return { code: 0, stdout: `${desktop}\n`, stderr: '' };
    return { code: null, stdout: '', stderr: `spawn ${file} ENOENT` };
  };
  app = await createApp({
    settings: memorySettings(),
    dataDir,
    nodePlatform: 'linux',
    env: { WSL_DISTRO_NAME: 'Ubuntu-24.04', PATH: '' },
    run,
    ollamaDefaultHost: 'http://127.0.0.1:9',
    log: () => undefined,
    launchTarget: { starts: 'browser', argv: ['/usr/bin/node', '/home/ana/poddesk/out/main/serve.js', '--open'] },
  });
  ui = await openUi(app, { path: '/settings' });
});
afterAll(async () => {
  await ui?.close();
  await app?.close();
  await rm(desktop, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

describe('Add to Windows desktop', () => {
  it('says what it will write and where, then adds and removes the shortcut from the keyboard', async () => {
    const card = ui.page.getByTestId('windows-shortcut');
    await card.waitFor();
    expect(await card.textContent()).toContain('PodDesk will write PodDesk (Ubuntu-24.04).vbs to C:\\Users\\ana\\Desktop');
    expect(await card.textContent()).toMatch(/opens it in your Windows browser/);
    await ui.screenshot('settings-windows-shortcut');
    expect(await readdir(desktop)).toEqual([]);

    const add = ui.page.getByRole('button', { name: 'Add to Windows desktop' });
    // Its description is what the screen reader reads with it: the file and the folder.
    expect(await add.getAttribute('aria-describedby')).toBeTruthy();
    await add.focus();
    await ui.page.keyboard.press('Enter');
    const remove = ui.page.getByRole('button', { name: 'Remove from Windows desktop' });
    await remove.waitFor();
    expect(await readdir(desktop)).toEqual(['PodDesk (Ubuntu-24.04).vbs']);
    const script = (await readFile(join(desktop, 'PodDesk (Ubuntu-24.04).vbs'))).subarray(2).toString('utf16le');
    expect(script).toContain('wsl.exe -d ""Ubuntu-24.04"" --exec ""/usr/bin/node""');
    expect(await card.textContent()).toContain('On your desktop: PodDesk (Ubuntu-24.04).vbs in C:\\Users\\ana\\Desktop.');
    await ui.screenshot('settings-windows-shortcut-added');

    await remove.focus();
    await ui.page.keyboard.press('Space');
    await ui.page.getByRole('button', { name: 'Add to Windows desktop' }).waitFor();
    expect(await readdir(desktop)).toEqual([]);
    expect(ui.errors).toEqual([]);
  });
});
