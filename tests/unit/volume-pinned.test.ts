import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFileInside, pinDir, removeEntry } from '../../src/main/podman/volumes/pinned';

let base: string;
let volume: string;
let outside: string;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'pinned-'));
  volume = join(base, 'volume');
  outside = join(base, 'home');
  await mkdir(join(volume, 'a', 'b'), { recursive: true });
  await mkdir(outside);
  await writeFile(join(outside, 'precious.txt'), 'keep me');
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('a pinned folder', () => {
  it('refuses a folder that is, by now, a link out of the volume', async () => {
    await rm(join(volume, 'a'), { recursive: true });
    await symlink(outside, join(volume, 'a'));
    await expect(pinDir(volume, join(volume, 'a'))).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('keeps acting on the folder it checked when a container swaps its name for a link afterwards', async () => {
    const pinned = await pinDir(volume, join(volume, 'a'));
    try {
      // The race: after the check, `a` becomes a link to the user's home.
      await rename(join(volume, 'a'), join(volume, 'a-moved'));
      await symlink(outside, join(volume, 'a'));
      await mkdir(join(pinned.path, 'made'));
      await removeEntry(pinned.path, 'b');
    } finally {
      await pinned.close();
    }
    expect((await readdir(join(volume, 'a-moved'))).sort()).toEqual(['made']);
    expect(await readdir(outside)).toEqual(['precious.txt']);
  });

  it('removes a tree through descriptors, unlinking links inside it without following them', async () => {
    await writeFile(join(volume, 'a', 'b', 'file.txt'), 'x');
    await symlink(outside, join(volume, 'a', 'b', 'to-home'));
    await symlink(join(outside, 'precious.txt'), join(volume, 'a', 'link-to-file'));
    const pinned = await pinDir(volume, volume);
    try {
      await removeEntry(pinned.path, 'a');
    } finally {
      await pinned.close();
    }
    expect(existsSync(join(volume, 'a'))).toBe(false);
    expect(await readdir(outside)).toEqual(['precious.txt']);
  });

  it('reads a file only when what was opened lies inside the volume', async () => {
    await writeFile(join(volume, 'a', 'b', 'notes.txt'), 'mine');
    const handle = await openFileInside(volume, join(volume, 'a', 'b', 'notes.txt'));
    try {
      expect(await handle.readFile('utf8')).toBe('mine');
    } finally {
      await handle.close();
    }
    // The race: `a` became a link to the user's home after the path was checked.
    await rename(join(volume, 'a'), join(volume, 'a-moved'));
    await mkdir(join(outside, 'b'));
    await writeFile(join(outside, 'b', 'notes.txt'), 'secret');
    await symlink(outside, join(volume, 'a'));
    await expect(openFileInside(volume, join(volume, 'a', 'b', 'notes.txt'))).rejects.toMatchObject({ code: 'CONFLICT' });
    // A link at the last step is never followed.
    await symlink(join(outside, 'precious.txt'), join(volume, 'a-moved', 'link.txt'));
    await expect(openFileInside(volume, join(volume, 'a-moved', 'link.txt'))).rejects.toMatchObject({ code: 'ELOOP' });
  });

  it('pins the volume root itself', async () => {
    const pinned = await pinDir(volume, volume);
    await pinned.close();
    expect(pinned.path).toMatch(/^\/proc\/self\/fd\/\d+$/);
  });
});
