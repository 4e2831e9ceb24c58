import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createFakeElectron } from '../../support/fake-electron';

vi.mock('electron', () => {
  const fake = createFakeElectron();
  return { ...fake.electron, default: fake.electron };
});

const { electronSettings } = await import('../../../src/main/electron/settings-store');

describe('settings in electron-store', () => {
  it('keeps settings and the window state in a file, and reads them back', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'settings-'));
    const store = electronSettings({ cwd });
    expect(store.settings.get()).toMatchObject({ connection: null, theme: 'auto', autoStartService: false });
    await store.settings.update({ theme: 'dark', connection: { endpoint: { kind: 'unix', path: '/x.sock' }, label: 'x' } });
    store.saveWindowState({ bounds: { x: 1, y: 2, width: 1000, height: 700 }, maximized: false });

    const again = electronSettings({ cwd });
    expect(again.settings.get()).toMatchObject({ theme: 'dark', connection: { label: 'x' } });
    expect(again.windowState()).toEqual({ bounds: { x: 1, y: 2, width: 1000, height: 700 }, maximized: false });
    expect(JSON.parse(await readFile(join(cwd, 'settings.json'), 'utf8')).settings.theme).toBe('dark');
  });
});
