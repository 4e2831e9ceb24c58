import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { downloadsFolder } from '../../src/main/host-files';
import type { ContainerFileListing } from '../../src/shared/contract';
import { connectedApp, uniqueName } from '../support/app';
import { podman } from '../support/podman';

const info = inject('podman');
let app: App;
let saveDir: string;
let name: string;
beforeAll(async () => {
  saveDir = await mkdtemp(join(tmpdir(), 'pdt-files-'));
  app = await connectedApp(info, { hostFiles: downloadsFolder(saveDir) });
  // Created and never started: the archive API still reads its files.
  name = uniqueName('files');
  await podman(info, 'create', '--name', name, info.busybox);
});
afterAll(async () => {
  await podman(info, 'rm', '-f', name).catch(() => undefined);
  await app.close();
  await rm(saveDir, { recursive: true, force: true });
});

const list = async (path: string) => {
  const result = await app.dispatcher.call('containers.listFiles', { id: name, path });
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.data as ContainerFileListing;
};

describe('the container file browser', () => {
  it('lists the root of a never-started container, folders first, with folder sizes', async () => {
    const root = await list('/');
    expect(root.truncated).toBe(false);
    const names = root.entries.map((e) => e.name);
    for (const dir of ['bin', 'etc', 'www', 'data']) expect(names).toContain(dir);
    const bin = root.entries.find((e) => e.name === 'bin')!;
    expect(bin.type).toBe('directory');
    expect(bin.size).toBeGreaterThan(500_000); // busybox itself is inside
    const firstFile = root.entries.findIndex((e) => e.type !== 'directory');
    expect(root.entries.slice(0, firstFile === -1 ? undefined : firstFile).every((e) => e.type === 'directory')).toBe(true);
  });

  it('lists a folder with files and symlinks', async () => {
    const etc = await list('/etc');
    expect(etc.entries.find((e) => e.name === 'passwd')).toMatchObject({ type: 'file', size: expect.any(Number) });
    const bin = await list('/bin');
    expect(bin.entries.find((e) => e.name === 'sh')).toMatchObject({ type: 'symlink', linkTarget: 'busybox' });
  });

  it('stops at the budget and says the listing is partial', async () => {
    const { listFiles } = await import('../../src/main/podman/containers/files');
    const partial = await listFiles(app.connection.engine(), name, '/', 64 * 1024);
    expect(partial.truncated).toBe(true);
  });

  it('downloads a file as itself and a folder as a tar', async () => {
    const file = await app.dispatcher.call('containers.downloadPath', { id: name, path: '/www/index.html' });
    expect(file).toEqual({ ok: true, data: { savedTo: join(saveDir, 'index.html') } });
    expect(await readFile(join(saveDir, 'index.html'), 'utf8')).toBe('<h1>hello from busybox</h1>\n');
    const folder = await app.dispatcher.call('containers.downloadPath', { id: name, path: '/etc' });
    expect(folder).toEqual({ ok: true, data: { savedTo: join(saveDir, 'etc.tar') } });
    const tar = await readFile(join(saveDir, 'etc.tar'));
    expect(tar.subarray(0, 100).toString('latin1')).toMatch(/^etc\/?/);
    expect(tar.includes(Buffer.from('root:x:0:0'))).toBe(true);
  });

  it('answers a missing path, a file given as a folder, and a relative path clearly', async () => {
    expect(await app.dispatcher.call('containers.listFiles', { id: name, path: '/nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No /nope in this container' },
    });
    expect(await app.dispatcher.call('containers.listFiles', { id: name, path: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await app.dispatcher.call('containers.listFiles', { id: name, path: 'etc' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });
});
