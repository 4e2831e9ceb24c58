import { describe, expect, it } from 'vitest';
import { shortDate } from '../../src/renderer/src/pages/volumes/FileList';
import { hexLines } from '../../src/renderer/src/pages/volumes/FilePreview';
import { ownerText, sortEntries } from '../../src/renderer/src/pages/volumes/sort';
import type { FileEntry } from '../../src/shared/contract';

const entry = (
  name: string,
  type: FileEntry['type'],
  size: number,
  mtime: number,
  uid = 0,
  permissions = '-rw-r--r--',
): FileEntry => ({
  name,
  path: `dir/${name}`,
  type,
  size,
  mode: 0o644,
  permissions,
  uid,
  gid: uid,
  mtime,
});

const entries = [
  entry('file10.txt', 'file', 300, 30),
  entry('File2.txt', 'file', 100, 10, 1000, '-rwx------'),
  entry('logs', 'dir', 4096, 5),
  entry('archive.tar', 'file', 200, 20),
  entry('Cache', 'dir', 4096, 50),
  entry('link', 'symlink', 11, 40),
];
const names = (list: FileEntry[]) => list.map((e) => e.name);

describe('sorting and filtering a folder', () => {
  it('puts folders first, then names the way people count', () => {
    expect(names(sortEntries(entries, 'name', false, ''))).toEqual([
      'Cache',
      'logs',
      'archive.tar',
      'File2.txt',
      'file10.txt',
      'link',
    ]);
    // Descending turns each group around; folders still lead.
    expect(names(sortEntries(entries, 'name', true, ''))).toEqual([
      'logs',
      'Cache',
      'link',
      'file10.txt',
      'File2.txt',
      'archive.tar',
    ]);
  });

  it('sorts by size, modified time, permissions and owner', () => {
    expect(names(sortEntries(entries, 'size', false, '')).slice(2)).toEqual(['link', 'File2.txt', 'archive.tar', 'file10.txt']);
    expect(names(sortEntries(entries, 'size', true, '')).slice(2)).toEqual(['file10.txt', 'archive.tar', 'File2.txt', 'link']);
    expect(names(sortEntries(entries, 'mtime', true, ''))).toEqual([
      'Cache',
      'logs',
      'link',
      'file10.txt',
      'archive.tar',
      'File2.txt',
    ]);
    expect(names(sortEntries(entries, 'permissions', false, '')).slice(2)).toEqual([
      'archive.tar',
      'file10.txt',
      'link',
      'File2.txt',
    ]);
    expect(names(sortEntries(entries, 'owner', true, '')).slice(2, 3)).toEqual(['File2.txt']);
  });

  it('filters by name, ignoring case, without touching the list it was given', () => {
    const before = names(entries);
    expect(names(sortEntries(entries, 'name', false, '  FILE '))).toEqual(['File2.txt', 'file10.txt']);
    expect(sortEntries(entries, 'name', false, 'nothing like it')).toEqual([]);
    expect(names(entries)).toEqual(before);
  });

  it('writes owners and dates the way the list shows them', () => {
    expect(ownerText(0, 0)).toBe('root:root');
    expect(ownerText(1000, 100)).toBe('1000:100');
    expect(shortDate(0)).toBe('');
    expect(shortDate(new Date(2026, 10, 29, 3, 8).getTime() / 1000)).toBe('2026-11-29 03:08');
  });
});

describe('the hex preview', () => {
  it('writes eight bytes a row, with offsets and printable characters', () => {
    const bytes = Uint8Array.from([0, 1, 2, 0xff, 0x62, 0x69, 0x6e, 0x0a, 0x41, 0x42]);
    expect(hexLines(bytes)).toEqual(['0000  00 01 02 ff 62 69 6e 0a  ....bin.', '0008  41 42                    AB']);
    // A longer buffer gets the full offset; sixteen a row on request.
    const long = new Uint8Array(0x10010).fill(0x41);
    expect(hexLines(long, 16).at(-1)).toBe(`00010000  ${'41 '.repeat(15)}41  ${'A'.repeat(16)}`);
  });
});
