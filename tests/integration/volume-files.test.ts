import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { memorySettings } from '../../src/main/store/settings';
import type { FileEntry, FolderListing, Preview } from '../../src/shared/contract';
import { connectedApp, dropped, uniqueName } from '../support/app';
import { tempDir } from '../support/browser';
import { fakeHostFiles, type FakeHostFiles } from '../support/host-files';
import { podman } from '../support/podman';
import { callError, callOk, runStream } from '../support/streams';

const info = inject('podman');

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A file of random bytes, written in slices (never held whole in memory). */
async function randomFile(path: string, bytes: number): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  for (let left = bytes; left > 0;) {
    const slice = randomBytes(Math.min(left, 4 * 1024 * 1024));
    hash.update(slice);
    if (!out.write(slice)) await new Promise<void>((r) => out.once('drain', () => r()));
    left -= slice.length;
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return hash.digest('hex');
}

async function treeOf(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(`${rel}/`, ...(await treeOf(join(dir, entry.name), rel)));
    else out.push(`${rel} ${(await readFile(join(dir, entry.name))).toString('base64').slice(0, 40)}`);
  }
  return out.sort();
}

describe.each([
  { mode: 'direct' as const, volumeAccess: 'auto' as const },
  { mode: 'helper' as const, volumeAccess: 'helper' as const },
])('the volume file browser, $mode access', ({ mode, volumeAccess }) => {
  let app: App;
  let files: FakeHostFiles;
  let work: string;
  const volume = uniqueName(`files-${mode}`);
  const owner = uniqueName(`owner-${mode}`);

  beforeAll(async () => {
    work = await tempDir('poddesk-files-');
    files = fakeHostFiles(work);
    app = await connectedApp(info, {
      hostFiles: files,
      settings: memorySettings({
        connection: { endpoint: { kind: 'unix', path: info.socketPath }, label: 'test podman' },
        volumeAccess,
        volumeHelperImage: info.busybox,
      }),
    });
    await podman(info, 'volume', 'create', volume);
    // A container that is not running owns the volume: it made files, links in and out, then stopped.
    await podman(
      info,
      'run',
      '--name',
      owner,
      '-v',
      `${volume}:/data`,
      info.busybox,
      'sh',
      '-c',
      [
        'mkdir -p /data/docs/deep /data/empty',
        'echo "hello volume" > /data/docs/readme.md',
        'printf "line one\\nline two\\n" > /data/docs/deep/notes.txt',
        "printf '\\x89PNG\\r\\n\\x1a\\n0000' > /data/docs/pic.png",
        "printf '\\x00\\x01\\x02binary' > /data/blob.bin",
        'ln -s /etc /data/etclink',
        'ln -s ../../../../etc/passwd /data/docs/up',
        'ln -s docs/readme.md /data/inside-link',
      ].join(' && '),
    );
  });

  afterAll(async () => {
    await app?.close();
    await podman(info, 'rm', '-f', owner).catch(() => undefined);
    await podman(info, 'volume', 'rm', '-f', volume).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  });

  it(`lists a folder of a volume whose container is not running (${mode})`, async () => {
    const state = await podman(info, 'inspect', '--format', '{{.State.Status}}', owner);
    expect(state).toMatch(/exited|stopped/);
    const root = await callOk<FolderListing>(app, 'volumes.files.list', { volume, path: '' });
    expect(root.access).toBe(mode);
    const byName = new Map(root.entries.map((e) => [e.name, e]));
    expect([...byName.keys()].sort()).toEqual(['blob.bin', 'docs', 'empty', 'etclink', 'inside-link']);
    expect(byName.get('docs')).toMatchObject({ type: 'dir', uid: 0, gid: 0 });
    expect(byName.get('docs')!.permissions).toMatch(/^d[rwx-]{9}$/);
    expect(byName.get('blob.bin')).toMatchObject({ type: 'file', size: 9 });
    expect(byName.get('etclink')).toMatchObject({ type: 'symlink', linkTarget: '/etc', linkEscapes: true });
    expect(byName.get('inside-link')).toMatchObject({ type: 'symlink', linkEscapes: false });

    const docs = await callOk<FolderListing>(app, 'volumes.files.list', { volume, path: 'docs' });
    expect(docs.entries.map((e) => e.path).sort()).toEqual(['docs/deep', 'docs/pic.png', 'docs/readme.md', 'docs/up']);
    expect(docs.entries.find((e) => e.name === 'up')).toMatchObject({ linkEscapes: true });
  });

  it('previews text, images and binary files', async () => {
    const text = await callOk<Preview>(app, 'volumes.files.preview', { volume, path: 'docs/readme.md' });
    expect(text).toMatchObject({ kind: 'text', text: 'hello volume\n', language: 'markdown', truncated: false });
    const viaLink = await callOk<Preview>(app, 'volumes.files.preview', { volume, path: 'inside-link' });
    expect(viaLink).toMatchObject({ kind: 'text', text: 'hello volume\n' });
    const image = await callOk<Preview>(app, 'volumes.files.preview', { volume, path: 'docs/pic.png' });
    expect(image).toMatchObject({ kind: 'image', mime: 'image/png' });
    const binary = await callOk<Preview>(app, 'volumes.files.preview', { volume, path: 'blob.bin' });
    expect(binary.kind).toBe('binary');
    expect(Buffer.from((binary as { base64: string }).base64, 'base64')).toEqual(Buffer.from('\x00\x01\x02binary', 'latin1'));
  });

  it('refuses paths that lead out of the volume, with a clear message', async () => {
    for (const path of ['../etc/passwd', 'docs/../../etc', '/etc/passwd']) {
      const error = await callError(app, 'volumes.files.list', { volume, path });
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(/lead out of the volume|absolute path/);
    }
    const throughLink = await callError(app, 'volumes.files.list', { volume, path: 'etclink' });
    expect(throughLink.code).toBe('INVALID_INPUT');
    expect(throughLink.message).toMatch(/outside the volume/);
    const readPasswd = await callError(app, 'volumes.files.preview', { volume, path: 'etclink/passwd' });
    expect(readPasswd.message).toMatch(/outside the volume/);
    const upLink = await callError(app, 'volumes.files.preview', { volume, path: 'docs/up' });
    expect(upLink.message).toMatch(/outside the volume/);
    await expect(runStream(app, 'volumes.files.download', { volume, path: 'etclink', format: 'tar' })).rejects.toThrow(
      /outside the volume/,
    );
    await expect(runStream(app, 'volumes.files.upload', { volume, dir: 'etclink', source: dropped(app, work) })).rejects.toThrow(
      /outside the volume/,
    );
  });

  it('uploads a 200 MB file and reads back the same bytes', async () => {
    await mkdir(join(work, 'source'), { recursive: true });
    const big = join(work, 'source', 'big.bin');
    const expected = await randomFile(big, 200 * 1024 * 1024);
    const items = await runStream(app, 'volumes.files.upload', { volume, dir: 'docs', source: dropped(app, big) });
    expect(items.at(-1)).toMatchObject({ phase: 'done', files: 1, bytes: 200 * 1024 * 1024 });
    const listed = await callOk<FolderListing>(app, 'volumes.files.list', { volume, path: 'docs' });
    expect(listed.entries.find((e) => e.name === 'big.bin')?.size).toBe(200 * 1024 * 1024);

    const done = await runStream(app, 'volumes.files.download', { volume, path: 'docs/big.bin', format: 'file' });
    const saved = done.at(-1) as { phase: string; savedTo: string };
    expect(saved.phase).toBe('done');
    expect(await sha256(saved.savedTo)).toBe(expected);
    // And the engine sees the same bytes inside a container.
    const inContainer = await podman(info, 'run', '--rm', '-v', `${volume}:/v`, info.busybox, 'sha256sum', '/v/docs/big.bin');
    expect(inContainer.split(' ')[0]).toBe(expected);
    await rm(saved.savedTo);
    await rm(big);

    // A name that exists is not overwritten unless asked to.
    await writeFile(join(work, 'readme.md'), 'other');
    await expect(
      runStream(app, 'volumes.files.upload', {
        volume,
        dir: 'docs',
        source: dropped(app, join(work, 'readme.md')),
      }),
    ).rejects.toThrow(/already exists/);
    // Picked in the native dialog: the refusal gives the page handles (never the paths), to send back once the user says Replace.
    files.nextOpen.push([join(work, 'readme.md')]);
    const refused = await runStream(app, 'volumes.files.upload', { volume, dir: 'docs', source: { kind: 'choose' } }).catch(
      (error: { shape: { code: string; details: { handles: string[] } } }) => error.shape,
    );
    expect(refused).toMatchObject({
      code: 'CONFLICT',
      details: { existing: ['readme.md'], handles: [expect.stringMatching(/^hp_/)] },
    });
    expect(JSON.stringify(refused)).not.toContain(work);
    await runStream(app, 'volumes.files.upload', {
      volume,
      dir: 'docs',
      source: { kind: 'handles', handles: (refused as { details: { handles: string[] } }).details.handles },
      overwrite: true,
    });
    expect(await callOk(app, 'volumes.files.preview', { volume, path: 'docs/readme.md' })).toMatchObject({ text: 'other' });
    await rm(join(work, 'readme.md'));
  });

  it('uploads a folder and downloads it as .tar and .zip with the same contents', async () => {
    const src = join(work, 'project');
    await mkdir(join(src, 'src', 'lib'), { recursive: true });
    await writeFile(join(src, 'README'), 'read me\n');
    await writeFile(join(src, 'src', 'main.py'), 'print("hi")\n');
    await writeFile(join(src, 'src', 'lib', 'data.bin'), randomBytes(70_000));
    await runStream(app, 'volumes.files.upload', { volume, dir: '', source: dropped(app, src) });

    for (const format of ['tar', 'zip'] as const) {
      const done = await runStream(app, 'volumes.files.download', { volume, path: 'project', format });
      const saved = (done.at(-1) as { savedTo: string }).savedTo;
      expect(saved.endsWith(`project.${format}`)).toBe(true);
      const out = join(work, `unpacked-${format}`);
      await mkdir(out);
      if (format === 'tar') execFileSync('tar', ['-xf', saved, '-C', out]);
      else execFileSync('busybox', ['unzip', '-q', saved, '-d', out]);
      expect(await treeOf(join(out, 'project'))).toEqual(await treeOf(src));
      await rm(out, { recursive: true });
      await rm(saved);
    }
  });

  it('creates folders, renames and deletes', async () => {
    const made = await callOk<FileEntry>(app, 'volumes.files.mkdir', { volume, dir: 'docs', name: 'new folder' });
    expect(made).toMatchObject({ name: 'new folder', path: 'docs/new folder', type: 'dir' });
    expect((await callError(app, 'volumes.files.mkdir', { volume, dir: 'docs', name: 'new folder' })).code).toBe('CONFLICT');
    expect((await callError(app, 'volumes.files.mkdir', { volume, dir: 'docs', name: 'a/b' })).code).toBe('INVALID_INPUT');

    const renamed = await callOk<FileEntry>(app, 'volumes.files.rename', { volume, path: 'docs/new folder', newName: 'renamed' });
    expect(renamed).toMatchObject({ path: 'docs/renamed', type: 'dir' });
    expect((await callError(app, 'volumes.files.rename', { volume, path: 'docs/renamed', newName: 'deep' })).code).toBe(
      'CONFLICT',
    );
    // Renaming a link renames the link, even one that points outside.
    await callOk(app, 'volumes.files.rename', { volume, path: 'docs/up', newName: 'up2' });

    await callOk(app, 'volumes.files.delete', { volume, paths: ['docs/renamed', 'docs/up2', 'project'] });
    const docs = await callOk<FolderListing>(app, 'volumes.files.list', { volume, path: 'docs' });
    expect(docs.entries.map((e) => e.name).sort()).toEqual(['big.bin', 'deep', 'pic.png', 'readme.md']);
    // Deleting a link to /etc removes the link, and /etc is still there.
    await callOk(app, 'volumes.files.delete', { volume, paths: ['etclink'] });
    expect((await readdir('/etc')).length).toBeGreaterThan(5);
    expect((await callError(app, 'volumes.files.delete', { volume, paths: [''] })).message).toMatch(/root cannot be deleted/);
  });

  it(`lists file names holding newlines each as one entry, as they are (${mode})`, async () => {
    // Split on newlines, this name would read as a second entry, "forged"; and "tail\n", its
    // newline lost, would pass for the file "tail" beside it.
    const forged = 'evil\n81a4 999 0 0 1 forged';
    await podman(
      info,
      'run',
      '--rm',
      '-v',
      `${volume}:/data`,
      info.busybox,
      'sh',
      '-c',
      [
        'mkdir -p /data/names && cd /data/names',
        `touch "$(printf 'evil\\n81a4 999 0 0 1 forged')" tail "$(printf 'tail\\nX')" && t="$(printf 'tail\\nX')"`,
        'mv "$t" "${t%X}"',
      ].join(' && '),
    );
    const listed = await callOk<FolderListing>(app, 'volumes.files.list', { volume, path: 'names' });
    expect(listed.entries.map((e) => e.name).sort()).toEqual([forged, 'tail', 'tail\n']);
    expect(listed.entries.find((e) => e.name === forged)).toMatchObject({ type: 'file', size: 0, path: `names/${forged}` });
    await callOk(app, 'volumes.files.delete', { volume, paths: ['names/tail\n'] });
    const left = await callOk<FolderListing>(app, 'volumes.files.list', { volume, path: 'names' });
    expect(left.entries.map((e) => e.name).sort()).toEqual([forged, 'tail']);
    await callOk(app, 'volumes.files.delete', { volume, paths: ['names'] });
  });

  /** Refuses to preview or download each of `odd/<name>`, saying what it is. */
  const refusesEach = async (kinds: (readonly [string, string])[]) => {
    for (const [name, what] of kinds) {
      const refused = await callError(app, 'volumes.files.preview', { volume, path: `odd/${name}` });
      expect(refused).toEqual({
        code: 'INVALID_INPUT',
        message: `“odd/${name}” is ${what}, not a regular file: PodDesk reads regular files only`,
      });
      await expect(runStream(app, 'volumes.files.download', { volume, path: `odd/${name}`, format: 'file' })).rejects.toThrow(
        `is ${what}, not a regular file`,
      );
    }
  };

  it(`refuses to read a FIFO or a socket, saying which, without waiting (${mode})`, async () => {
    await podman(
      info,
      'run',
      '--rm',
      '-v',
      `${volume}:/data`,
      info.busybox,
      'sh',
      '-c',
      'mkdir /data/odd && mkfifo /data/odd/pipe',
    );
    // A socket made on this computer: busybox has no way to leave one behind.
    const mountpoint = await podman(info, 'volume', 'inspect', '--format', '{{.Mountpoint}}', volume);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(mountpoint, 'odd', 'sock'), resolve));
    try {
      const listed = await callOk<FolderListing>(app, 'volumes.files.list', { volume, path: 'odd' });
      expect(listed.entries.map((e) => `${e.name} ${e.type} ${e.permissions[0]}`).sort()).toEqual([
        'pipe other p',
        'sock other s',
      ]);
      await refusesEach([
        ['pipe', 'a named pipe (FIFO)'],
        ['sock', 'a socket'],
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    await callOk(app, 'volumes.files.delete', { volume, paths: ['odd'] });
  });

  // Podman's containers may not mknod, so the device is made on this computer — which only root
  // may do; and a rootless engine's volumes cannot hold a device at all (no mknod in a user namespace).
  it.skipIf(info.rootless)(`refuses to read a device, saying so (${mode}; rootful: only root makes device nodes)`, async () => {
    await podman(info, 'run', '--rm', '-v', `${volume}:/data`, info.busybox, 'mkdir', '/data/odd');
    const mountpoint = await podman(info, 'volume', 'inspect', '--format', '{{.Mountpoint}}', volume);
    execFileSync('mknod', [join(mountpoint, 'odd', 'zero'), 'c', '1', '5']);
    const listed = await callOk<FolderListing>(app, 'volumes.files.list', { volume, path: 'odd' });
    expect(listed.entries.map((e) => `${e.name} ${e.type} ${e.permissions[0]}`)).toEqual(['zero other c']);
    await refusesEach([['zero', 'a character device']]);
    await callOk(app, 'volumes.files.delete', { volume, paths: ['odd'] });
  });

  it(`leaves a file and a link named like the download's .part alone (${mode})`, async () => {
    const precious = join(work, 'precious.txt');
    await writeFile(precious, 'keep me');
    await writeFile(join(work, 'blob.bin.part'), 'a download of my own, half done');
    await symlink(precious, join(work, 'docs.tar.part'));

    const file = await runStream(app, 'volumes.files.download', { volume, path: 'blob.bin', format: 'file' });
    expect(await readFile((file.at(-1) as { savedTo: string }).savedTo)).toEqual(Buffer.from('\x00\x01\x02binary', 'latin1'));
    const folder = await runStream(app, 'volumes.files.download', { volume, path: 'docs', format: 'tar' });
    expect(execFileSync('tar', ['-tf', (folder.at(-1) as { savedTo: string }).savedTo]).toString()).toContain('docs/readme.md');

    expect(await readFile(join(work, 'blob.bin.part'), 'utf8')).toBe('a download of my own, half done');
    expect(await readlink(join(work, 'docs.tar.part'))).toBe(precious);
    expect(await readFile(precious, 'utf8')).toBe('keep me');
    expect((await readdir(work)).filter((n) => n.endsWith('.part')).sort()).toEqual(['blob.bin.part', 'docs.tar.part']);
    for (const name of ['precious.txt', 'blob.bin.part', 'docs.tar.part', 'blob.bin', 'docs.tar']) await rm(join(work, name));
  });
});
