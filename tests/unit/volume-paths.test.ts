import { describe, expect, it } from 'vitest';
import { checkEntryName, checkVolumePath } from '../../src/shared/volume-paths';
import { volumePath } from '../../src/shared/contract';
import { linkEscapes, permissionString } from '../../src/main/podman/volumes/modes';
import { resolveInVolume, type ResolveIo } from '../../src/main/podman/volumes/resolve';
import type { FileType } from '../../src/shared/contract';

/** A volume as a map of path → type (and link target). */
function fakeVolume(entries: Record<string, FileType | { link: string }>): ResolveIo {
  return {
    async lstat(path) {
      const e = entries[path];
      return e === undefined ? null : typeof e === 'string' ? e : 'symlink';
    },
    async readlink(path) {
      const e = entries[path];
      if (typeof e !== 'object') throw new Error('not a link');
      return e.link;
    },
  };
}

const volume = fakeVolume({
  docs: 'dir',
  'docs/a.txt': 'file',
  'docs/deep': 'dir',
  'docs/deep/b.txt': 'file',
  etc: { link: '/etc' },
  up: { link: '../../etc' },
  'docs/up2': { link: '../../outside' },
  inside: { link: 'docs/deep' },
  'docs/sibling': { link: '../docs/a.txt' },
  loop: { link: 'loop' },
  'docs/deep/back': { link: '../..' },
  'a.txt': 'file',
});

describe('paths inside a volume', () => {
  it('normalises relative paths and refuses absolute ones and ..', () => {
    expect(checkVolumePath('docs//a.txt/')).toEqual({ ok: true, path: 'docs/a.txt' });
    expect(checkVolumePath('./docs/./a')).toEqual({ ok: true, path: 'docs/a' });
    expect(checkVolumePath('')).toEqual({ ok: true, path: '' });
    expect(checkVolumePath('/etc/passwd')).toMatchObject({ ok: false, message: expect.stringMatching(/absolute path/) });
    expect(checkVolumePath('C:\\Windows')).toMatchObject({ ok: false });
    expect(checkVolumePath('docs/../../etc')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/lead out of the volume/),
    });
    expect(checkVolumePath('a\0b')).toMatchObject({ ok: false });
    expect(volumePath.safeParse('../x').error?.issues[0]?.message).toMatch(/“\.\.”/);
    expect(volumePath.parse('docs/')).toBe('docs');
  });

  it('takes entry names of one part only', () => {
    expect(checkEntryName('notes.txt').ok).toBe(true);
    expect(checkEntryName('a/b').ok).toBe(false);
    expect(checkEntryName('..').ok).toBe(false);
    expect(checkEntryName('x'.repeat(256)).ok).toBe(false);
  });

  it('follows links that stay inside', async () => {
    expect(await resolveInVolume('inside/b.txt', true, volume)).toBe('docs/deep/b.txt');
    expect(await resolveInVolume('docs/sibling', true, volume)).toBe('docs/a.txt');
    expect(await resolveInVolume('docs/deep/back/a.txt', true, volume)).toBe('a.txt');
    expect(await resolveInVolume('docs/new-file', true, volume)).toBe('docs/new-file');
  });

  it('refuses links that lead out, naming the link', async () => {
    await expect(resolveInVolume('etc/passwd', true, volume)).rejects.toThrow(
      /goes through “etc”, which is a symlink to \/etc, outside the volume/,
    );
    await expect(resolveInVolume('etc', true, volume)).rejects.toThrow(/“etc” is a symlink to \/etc, outside the volume/);
    await expect(resolveInVolume('up', true, volume)).rejects.toThrow(/outside the volume/);
    await expect(resolveInVolume('docs/up2', true, volume)).rejects.toThrow(/outside the volume/);
    await expect(resolveInVolume('loop', true, volume)).rejects.toThrow(/Too many symlinks/);
  });

  it('acts on a link itself when not following the last part', async () => {
    expect(await resolveInVolume('etc', false, volume)).toBe('etc');
    await expect(resolveInVolume('etc/passwd', false, volume)).rejects.toThrow(/outside the volume/);
    await expect(resolveInVolume('missing/x', true, volume)).rejects.toThrow(/No folder “missing”/);
    await expect(resolveInVolume('a.txt/x', true, volume)).rejects.toThrow(/not a folder/);
  });

  it('judges a listed link by its text', () => {
    expect(linkEscapes('', '/etc')).toBe(true);
    expect(linkEscapes('docs', '../a.txt')).toBe(false);
    expect(linkEscapes('docs', '../../a.txt')).toBe(true);
    expect(linkEscapes('', 'docs/./deep')).toBe(false);
  });

  it('writes permissions as ls does', () => {
    expect(permissionString(0o40755)).toBe('drwxr-xr-x');
    expect(permissionString(0o100644)).toBe('-rw-r--r--');
    expect(permissionString(0o120777)).toBe('lrwxrwxrwx');
    expect(permissionString(0o104755)).toBe('-rwsr-xr-x');
    expect(permissionString(0o41777)).toBe('drwxrwxrwt');
  });
});
