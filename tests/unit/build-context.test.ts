import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectContext, packContext } from '../../src/main/podman/images/build-context';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pd-ctx-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const put = async (rel: string, text = rel) => {
  await mkdir(join(dir, rel, '..'), { recursive: true });
  await writeFile(join(dir, rel), text);
};

async function entries(files: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => chunks.push(c as Buffer));
    stream.on('end', () => {
      out.set(header.name, header.type === 'symlink' ? `-> ${header.linkname}` : Buffer.concat(chunks).toString());
      next();
    });
  });
  const done = new Promise<void>((resolve) => extract.on('finish', () => resolve()));
  packContext(dir, files).pipe(extract as unknown as NodeJS.WritableStream);
  await done;
  return out;
}

describe('the build context', () => {
  it('honours .containerignore over .dockerignore, with exceptions, and always sends the Containerfile', async () => {
    await put('Containerfile', 'FROM x');
    await put('.containerignore', '# secrets stay home\n*.log\nsecret/\nbuild\n!build/keep.txt\nContainerfile\n');
    await put('.dockerignore', 'app.py\n');
    await put('app.py');
    await put('debug.log');
    await put('secret/key');
    await put('build/out.o');
    await put('build/keep.txt');
    await symlink('app.py', join(dir, 'link'));
    const context = await collectContext(dir);
    expect(context.ignoreFile).toBe('.containerignore');
    expect(context.containerfile).toBe('Containerfile');
    expect(context.files).toContain('Containerfile');
    expect(context.files).toContain('app.py');
    expect(context.files).toContain('build/keep.txt');
    expect(context.files).not.toContain('debug.log');
    expect(context.files).not.toContain('secret/key');
    expect(context.files).not.toContain('build/out.o');
    const archive = await entries(context.files);
    expect(archive.get('app.py')).toBe('app.py');
    expect(archive.get('link')).toBe('-> app.py');
    expect(archive.get('build/keep.txt')).toBe('build/keep.txt');
  });

  it('falls back to Dockerfile and .dockerignore', async () => {
    await put('Dockerfile', 'FROM x');
    await put('.dockerignore', 'node_modules\n');
    await put('node_modules/a/b.js');
    await put('index.js');
    const context = await collectContext(dir);
    expect(context).toMatchObject({ containerfile: 'Dockerfile', ignoreFile: '.dockerignore' });
    expect(context.files.some((f) => f.startsWith('node_modules'))).toBe(false);
  });

  it('refuses a folder without a Containerfile, and one named outside the folder', async () => {
    await put('app.py');
    await expect(collectContext(dir)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(collectContext(dir, '../Containerfile')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(collectContext(join(dir, 'missing'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
