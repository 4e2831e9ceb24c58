import { lstat, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveFile, saveStream, saveText } from '../../src/main/save-file';

let dir: string;
let target: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'save-file-'));
  target = join(dir, 'report.txt');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('saving a file the user chose', () => {
  it('leaves a file and a link named like its .part alone', async () => {
    const precious = join(dir, 'precious.txt');
    await writeFile(precious, 'keep me');
    await writeFile(`${target}.part`, 'the user’s own half download');
    await symlink(precious, join(dir, 'other.txt.part'));

    await saveStream(Readable.from([Buffer.from('new '), Buffer.from('bytes')]), target);
    await saveText(join(dir, 'other.txt'), 'other');

    expect(await readFile(target, 'utf8')).toBe('new bytes');
    expect(await readFile(`${target}.part`, 'utf8')).toBe('the user’s own half download');
    expect(await readlink(join(dir, 'other.txt.part'))).toBe(precious);
    expect(await readFile(precious, 'utf8')).toBe('keep me');
    expect((await readdir(dir)).sort()).toEqual(['other.txt', 'other.txt.part', 'precious.txt', 'report.txt', 'report.txt.part']);
  });

  it('replaces the chosen file only once complete, and a link there is replaced, not written through', async () => {
    const precious = join(dir, 'precious.txt');
    await writeFile(precious, 'keep me');
    await symlink(precious, target);
    await saveText(target, 'saved', { mode: 0o600 });
    expect((await lstat(target)).isFile()).toBe(true);
    expect((await lstat(target)).mode & 0o777).toBe(0o600);
    expect(await readFile(target, 'utf8')).toBe('saved');
    expect(await readFile(precious, 'utf8')).toBe('keep me');
  });

  it('removes what it wrote when writing fails, and keeps the file that was there', async () => {
    await writeFile(target, 'old');
    const source = new PassThrough();
    const saving = saveStream(source, target);
    source.write('half of it');
    source.destroy(new Error('the engine went away'));
    await expect(saving).rejects.toThrow('the engine went away');
    expect(await readFile(target, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['report.txt']);

    await expect(
      saveFile(target, async (out) => {
        out.write('x');
        throw new Error('stopped by the writer');
      }),
    ).rejects.toThrow('stopped by the writer');
    expect(await readdir(dir)).toEqual(['report.txt']);
  });

  it('removes what it wrote when cancelled', async () => {
    const controller = new AbortController();
    const source = new PassThrough();
    const saving = saveStream(source, target, controller.signal);
    source.write('some');
    controller.abort();
    await expect(saving).rejects.toThrow(/abort/i);
    expect(source.destroyed).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });

  it('says plainly when the folder cannot be written, and lets go of the source', async () => {
    const source = new PassThrough();
    await expect(saveStream(source, join(dir, 'missing', 'x.txt'))).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `Cannot write ${join(dir, 'missing', 'x.txt')}: that folder does not exist`,
    });
    expect(source.destroyed).toBe(true);
  });
});
