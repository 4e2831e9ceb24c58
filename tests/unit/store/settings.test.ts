import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { downloadsFolder } from '../../../src/main/host-files';
import { fileSettings, readSettings } from '../../../src/main/store/settings';
import { restoreWindowState } from '../../../src/main/store/window-state';

const tmp = () => mkdtemp(join(tmpdir(), 'store-'));

describe('settings', () => {
  it('fall back per key to defaults when a saved value is bad, keeping the good ones', () => {
    expect(
      readSettings({
        theme: 'dark',
        autoStartService: 'yes',
        connection: { endpoint: { kind: 'bogus' } },
        firstHour: 'all done',
      }),
    ).toEqual({
      connection: null,
      autoStartService: false,
      theme: 'dark',
      ollamaHost: null,
      volumeHelperImage: 'docker.io/library/busybox:latest',
      volumeAccess: 'auto',
      firstHour: { reached: {}, hidden: false, outlived: [] },
    });
    expect(readSettings(null).theme).toBe('auto');
  });

  it('survive in a file, written atomically (no temp files left)', async () => {
    const dir = await tmp();
    const path = join(dir, 'settings.json');
    const store = fileSettings(path);
    await store.update({ theme: 'light' });
    await store.update({ autoStartService: true });
    expect(fileSettings(path).get()).toMatchObject({ theme: 'light', autoStartService: true });
    expect(await readdir(dir)).toEqual(['settings.json']);
  });

  it('open with defaults when the file is corrupt', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 's.json'), '{"theme": "dark"');
    expect(fileSettings(join(dir, 's.json')).get().theme).toBe('auto');
  });
});

describe('the window’s place', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];

  it('is restored when it is on a screen', () => {
    expect(restoreWindowState({ bounds: { x: 100, y: 100, width: 1000, height: 700 }, maximized: true }, screen)).toEqual({
      bounds: { x: 100, y: 100, width: 1000, height: 700 },
      maximized: true,
    });
  });

  it('keeps the size but not a position off every screen (an unplugged monitor)', () => {
    expect(restoreWindowState({ bounds: { x: 3000, y: 100, width: 1000, height: 700 }, maximized: false }, screen)).toEqual({
      bounds: { width: 1000, height: 700 },
      maximized: false,
    });
  });

  it('never comes back smaller than the minimum, and ignores garbage', () => {
    expect(restoreWindowState({ bounds: { x: 0, y: 0, width: 10, height: 10 } }, screen).bounds).toMatchObject({
      width: 900,
      height: 600,
    });
    expect(restoreWindowState('garbage', screen)).toEqual({ bounds: { width: 1280, height: 820 }, maximized: false });
    expect(restoreWindowState({ bounds: { x: NaN, y: 0, width: 1, height: 1 } }, screen).bounds).toEqual({
      width: 1280,
      height: 820,
    });
  });
});

describe('saving into the Downloads folder (browser host)', () => {
  it('never overwrites: picks the next free name', async () => {
    const dir = await tmp();
    const files = downloadsFolder(dir);
    const first = await files.chooseSavePath({ suggestedName: 'web.log' });
    expect(first).toBe(join(dir, 'web.log'));
    await writeFile(first!, 'x');
    expect(await files.chooseSavePath({ suggestedName: 'web.log' })).toBe(join(dir, 'web (2).log'));
    expect(await files.chooseSavePath({ suggestedName: '../../etc/passwd' })).toBe(join(dir, '.._.._etc_passwd'));
    expect(await readFile(first!, 'utf8')).toBe('x');
  });
});
