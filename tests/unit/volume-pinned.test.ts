import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { directFiles, mountPointIo } from '../../src/main/podman/volumes/direct';
import { openFileInside, pinChild, pinDir, removeEntry } from '../../src/main/podman/volumes/pinned';
import type { ResolveIo } from '../../src/main/podman/volumes/resolve';

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
    const { handle, stats } = await openFileInside(volume, join(volume, 'a', 'b', 'notes.txt'));
    try {
      expect(await handle.readFile('utf8')).toBe('mine');
      expect(stats.size).toBe(4);
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

  it('refuses a link at the last step of a pinned folder, even one that stays inside', async () => {
    // What is pinned was resolved link by link first: a link there now was swapped in since.
    await symlink('a/b', join(volume, 'to-b'));
    await expect(pinDir(volume, join(volume, 'to-b'))).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(pinDir(volume, join(volume, 'a', 'b'))).resolves.toMatchObject({
      path: expect.stringMatching(/^\/proc\/self\/fd\//),
    });
  });

  it('opens a sub-folder of a pinned folder, never through a link', async () => {
    await symlink(outside, join(volume, 'a', 'home'));
    const pinned = await pinDir(volume, join(volume, 'a'));
    try {
      const child = await pinChild(pinned.path, 'b');
      await child.close();
      await expect(pinChild(pinned.path, 'home')).rejects.toMatchObject({ code: 'ENOTDIR' });
    } finally {
      await pinned.close();
    }
  });

  it('refuses to read a FIFO, a socket or a device, saying which, without waiting on the pipe', async () => {
    execFileSync('mkfifo', [join(volume, 'pipe')]);
    await expect(openFileInside(volume, join(volume, 'pipe'), 'pipe')).rejects.toThrow(
      '“pipe” is a named pipe (FIFO), not a regular file',
    );
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(volume, 'sock'), resolve));
    try {
      await expect(openFileInside(volume, join(volume, 'sock'))).rejects.toMatchObject({ code: 'ENXIO' });
    } finally {
      server.close();
    }
    if (process.getuid?.() === 0) {
      execFileSync('mknod', [join(volume, 'zero'), 'c', '1', '5']); // /dev/zero's numbers
      await expect(openFileInside(volume, join(volume, 'zero'), 'zero')).rejects.toThrow(
        '“zero” is a character device, not a regular file',
      );
    }
  });

  it('pins the volume root itself', async () => {
    const pinned = await pinDir(volume, volume);
    await pinned.close();
    expect(pinned.path).toMatch(/^\/proc\/self\/fd\/\d+$/);
  });
});

describe('a volume read directly, raced by a container', () => {
  /** Resolves as the real thing does, then lets `race` change the files: the container acting right after the check. */
  const racedIo = (race: (rel: string) => Promise<void>): ResolveIo => {
    const real = mountPointIo(volume);
    return {
      async lstat(rel) {
        const type = await real.lstat(rel);
        await race(rel);
        return type;
      },
      readlink: (rel) => real.readlink(rel),
    };
  };
  const swapForLink = (rel: string, to: string) => async (seen: string) => {
    if (seen !== rel) return;
    await rename(join(volume, rel), join(volume, `${rel}-moved`));
    await symlink(to, join(volume, rel));
  };

  it('lists a folder through its descriptor: swapped for a link after the check, it is refused', async () => {
    await writeFile(join(volume, 'a', 'b', 'mine.txt'), 'x');
    expect((await directFiles(volume).list('a/b')).entries.map((e) => e.name)).toEqual(['mine.txt']);

    const lastStep = directFiles(volume, { io: racedIo(swapForLink('a/b', outside)) });
    await expect(lastStep.list('a/b')).rejects.toMatchObject({ code: 'CONFLICT' });
    await rm(join(volume, 'a', 'b'));
    await rename(join(volume, 'a', 'b-moved'), join(volume, 'a', 'b'));

    // A folder on the way swapped: the kernel follows it, the check of what was opened does not.
    await mkdir(join(outside, 'b'));
    const onTheWay = directFiles(volume, { io: racedIo(swapForLink('a', outside)) });
    await expect(onTheWay.list('a/b')).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('measures a volume folder by folder through descriptors, counting a link as itself', async () => {
    await writeFile(join(volume, 'a', 'b', 'five.txt'), '12345');
    await symlink(outside, join(volume, 'home'));
    // a, a/b, a/b/five.txt and the link (its size is its target's length); the home's file is not counted.
    expect(await directFiles(volume).size()).toEqual({ bytes: 5 + Buffer.byteLength(outside), files: 4 });
  });

  it('refuses to download a FIFO, saying what it is, and does not wait on it', async () => {
    execFileSync('mkfifo', [join(volume, 'a', 'pipe')]);
    await expect(directFiles(volume).openFile('a/pipe')).rejects.toThrow('“a/pipe” is a named pipe (FIFO)');
  });
});
