import { lstat, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractInto } from '../../src/main/podman/volumes/direct';
import { sanitizeTar, tarToZip } from '../../src/main/podman/volumes/tar';

/** A tar stream from a list of entries. */
function tarOf(
  entries: { name: string; type?: 'file' | 'directory' | 'symlink' | 'link'; body?: string; linkname?: string }[],
): Readable {
  const pack = tar.pack();
  for (const e of entries) {
    if (e.type === 'symlink' || e.type === 'link') pack.entry({ name: e.name, type: e.type, linkname: e.linkname! });
    else if (e.type === 'directory') pack.entry({ name: e.name, type: 'directory' });
    else pack.entry({ name: e.name }, e.body ?? '');
  }
  pack.finalize();
  return pack as unknown as Readable;
}

async function names(stream: Readable): Promise<string[]> {
  const extract = tar.extract();
  // As every consumer in main does: the source's failure ends the reading.
  stream.once('error', (error) => extract.destroy(error));
  stream.pipe(extract as unknown as NodeJS.WritableStream);
  const out: string[] = [];
  for await (const entry of extract) {
    out.push(entry.header.name);
    entry.resume();
  }
  return out;
}

let dir: string;
let outside: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'poddesk-tar-'));
  outside = await mkdtemp(join(tmpdir(), 'poddesk-outside-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('archives going into a volume', () => {
  it('re-packs with names made relative and renamed', async () => {
    const out = sanitizeTar(
      tarOf([
        { name: './a/', type: 'directory' },
        { name: './a/b.txt', body: 'b' },
      ]),
      (n) => `top/${n}`,
    );
    expect(await names(out)).toEqual(['top/a', 'top/a/b.txt']);
  });

  it('refuses entries that climb out, or that sit below a link of the same archive', async () => {
    await expect(names(sanitizeTar(tarOf([{ name: '../evil', body: 'x' }])))).rejects.toThrow(/outside the volume/);
    const trick = tarOf([
      { name: 'link', type: 'symlink', linkname: outside },
      { name: 'link/owned', body: 'gotcha' },
    ]);
    await expect(names(sanitizeTar(trick))).rejects.toThrow(/below a symlink/);
  });

  it('extracts without writing through links already in the volume', async () => {
    await symlink(outside, join(dir, 'escape'));
    await expect(extractInto(dir, tarOf([{ name: 'escape/owned', body: 'gotcha' }]), { preserveOwner: false })).rejects.toThrow(
      /in the way: it is a symlink/,
    );
    expect(await readdir(outside)).toEqual([]);
  });

  it('replaces a link by a file instead of writing to its target', async () => {
    await writeFile(join(outside, 'target'), 'keep me');
    await symlink(join(outside, 'target'), join(dir, 'file'));
    await extractInto(dir, tarOf([{ name: 'file', body: 'new' }]), { preserveOwner: false });
    expect(await readFile(join(outside, 'target'), 'utf8')).toBe('keep me');
    expect((await lstat(join(dir, 'file'))).isFile()).toBe(true);
    expect(await readFile(join(dir, 'file'), 'utf8')).toBe('new');
  });

  it('refuses a hard link to a file outside', async () => {
    await mkdir(join(dir, 'sub'));
    await symlink(outside, join(dir, 'sub', 'out'));
    await writeFile(join(outside, 'secret'), 's');
    await expect(
      extractInto(dir, tarOf([{ name: 'hard', type: 'link', linkname: 'sub/out/secret' }]), { preserveOwner: false }),
    ).rejects.toThrow(/symlink/);
    await expect(lstat(join(dir, 'hard'))).rejects.toThrow();
  });

  it('extracts folders, files and links that stay inside', async () => {
    await extractInto(
      dir,
      tarOf([
        { name: 'a/', type: 'directory' },
        { name: 'a/b.txt', body: 'hello' },
        { name: 'a/c', type: 'symlink', linkname: 'b.txt' },
        { name: 'a/d', type: 'link', linkname: 'a/b.txt' },
      ]),
      { preserveOwner: false },
    );
    expect(await readFile(join(dir, 'a', 'c'), 'utf8')).toBe('hello');
    expect(await readFile(join(dir, 'a', 'd'), 'utf8')).toBe('hello');
    expect((await readdir(join(dir, 'a'))).sort()).toEqual(['b.txt', 'c', 'd']);
  });
});

describe('tar to zip', () => {
  it('streams a zip with every file and folder', async () => {
    const zip = tarToZip(
      tarOf([
        { name: 'p/', type: 'directory' },
        { name: 'p/a.txt', body: 'A'.repeat(5000) },
        { name: 'p/l', type: 'symlink', linkname: 'a.txt' },
      ]),
    );
    const chunks: Buffer[] = [];
    for await (const c of zip) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    // The central directory names each entry.
    const text = bytes.toString('latin1');
    for (const name of ['p/', 'p/a.txt', 'p/l']) expect(text).toContain(name);
    expect(bytes.readUInt32LE(bytes.length - 22)).toBe(0x06054b50); // end of central directory
  });
});
