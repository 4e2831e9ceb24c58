import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { memorySettings } from '../../src/main/store/settings';
import type { FileEntry, FolderListing, Preview, TransferProgress } from '../../src/shared/contract';
import { connectedApp, uniqueName } from '../support/app';
import { fakeHostFiles, type FakeHostFiles } from '../support/host-files';
import { podman } from '../support/podman';
import { callOk, runStream } from '../support/streams';

/**
 * Rootless Podman keeps volumes under the user's own storage, so the app can usually read them
 * directly — until a container gives a folder to one of its users (a subordinate id of this
 * user's, outside its reach). Then the volume browser must take the helper container, which sees
 * the files as the containers do. Owners are shown, and backed up, as the containers see them.
 */
const info = inject('podman');
const uid = process.getuid!();
let app: App;
let files: FakeHostFiles;
let work: string;
const made: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pdt-access-'));
  files = fakeHostFiles(work);
  app = await connectedApp(info, {
    hostFiles: files,
    settings: memorySettings({
      connection: { endpoint: { kind: 'unix', path: info.socketPath }, label: 'test podman' },
      volumeAccess: 'auto',
      volumeHelperImage: info.busybox,
    }),
  });
});
afterAll(async () => {
  await app?.close();
  for (const name of made) await podman(info, 'volume', 'rm', '-f', name).catch(() => undefined);
  await rm(work, { recursive: true, force: true });
});

/** A volume filled by a container running `script` (as the container's root) over /d. */
async function volumeWith(prefix: string, script: string): Promise<{ name: string; mountpoint: string }> {
  const name = uniqueName(prefix);
  made.push(name);
  await podman(info, 'volume', 'create', name);
  await podman(info, 'run', '--rm', '-v', `${name}:/d`, info.busybox, 'sh', '-c', script);
  return { name, mountpoint: await podman(info, 'volume', 'inspect', '--format', '{{.Mountpoint}}', name) };
}

/** How a container sees the files (the oracle): "path uid:gid" per entry. */
const owners = (name: string) =>
  podman(
    info,
    'run',
    '--rm',
    '-v',
    `${name}:/d:ro`,
    info.busybox,
    'sh',
    '-c',
    'cd /d && find . | sort | while read f; do stat -c "%n %u:%g %a" "$f"; done',
  );
const readable = (path: string) =>
  access(path, constants.R_OK | constants.X_OK).then(
    () => true,
    () => false,
  );
const helpersOf = (volume: string) =>
  podman(info, 'ps', '-a', '--filter', `label=io.poddesk.volume=${volume}`, '--format', '{{.Names}}');
const byName = (entries: FileEntry[]) => Object.fromEntries(entries.map((e) => [e.name, e]));

describe('the volume browser on rootless Podman: direct or helper, as this user may', () => {
  it('reads directly what this user owns, showing owners as the containers see them', async () => {
    const { name, mountpoint } = await volumeWith(
      'mine',
      'mkdir /d/docs && echo hello > /d/docs/a.txt && chown 1000:1000 /d/docs/a.txt',
    );
    // The container's root is this user: the mount point is ours.
    expect((await stat(mountpoint)).uid).toBe(uid);
    expect(await readable(mountpoint)).toBe(true);
    const root = await callOk<FolderListing>(app, 'volumes.files.list', { volume: name, path: '' });
    expect(root.access).toBe('direct');
    expect(byName(root.entries).docs).toMatchObject({ uid: 0, gid: 0 });
    const docs = await callOk<FolderListing>(app, 'volumes.files.list', { volume: name, path: 'docs' });
    // On this computer the file belongs to a subordinate id (100999, say); in the container to 1000.
    expect((await stat(join(mountpoint, 'docs', 'a.txt'))).uid).not.toBe(1000);
    expect(byName(docs.entries)['a.txt']).toMatchObject({ uid: 1000, gid: 1000 });
    expect(await owners(name)).toContain('./docs/a.txt 1000:1000');
    expect(await callOk<Preview>(app, 'volumes.files.preview', { volume: name, path: 'docs/a.txt' })).toMatchObject({
      kind: 'text',
      text: 'hello\n',
    });
  });

  it('takes the helper when the mount point is not readable here (given to a container user, mode 0700)', async () => {
    const { name, mountpoint } = await volumeWith('theirs', 'echo secret > /d/s.txt && chown -R 1000:1000 /d && chmod 700 /d');
    expect(await readable(mountpoint)).toBe(false);
    const root = await callOk<FolderListing>(app, 'volumes.files.list', { volume: name, path: '' });
    expect(root.access).toBe('helper');
    expect(byName(root.entries)['s.txt']).toMatchObject({ type: 'file', uid: 1000, gid: 1000 });
    expect(await callOk<Preview>(app, 'volumes.files.preview', { volume: name, path: 's.txt' })).toMatchObject({
      kind: 'text',
      text: 'secret\n',
    });
    await callOk(app, 'volumes.files.mkdir', { volume: name, dir: '', name: 'made-by-helper' });
    expect(await owners(name)).toContain('./made-by-helper 0:0');
  });

  it('reads directly but writes through the helper where this user may only read', async () => {
    const { name, mountpoint } = await volumeWith('readonly', 'echo x > /d/x.txt && chown 1000:1000 /d && chmod 755 /d');
    expect(await readable(mountpoint)).toBe(true);
    await expect(access(mountpoint, constants.W_OK)).rejects.toMatchObject({ code: 'EACCES' });
    const root = await callOk<FolderListing>(app, 'volumes.files.list', { volume: name, path: '' });
    expect(root.access).toBe('direct');
    await callOk(app, 'volumes.files.mkdir', { volume: name, dir: '', name: 'new' });
    expect(await owners(name)).toContain('./new 0:0');
  });

  it('falls back to the helper for a folder inside that this user may not open', async () => {
    const { name, mountpoint } = await volumeWith(
      'mixed',
      'mkdir /d/private && echo p > /d/private/p.txt && chown -R 1000:1000 /d/private && chmod 700 /d/private && echo open > /d/open.txt',
    );
    expect(await readable(mountpoint)).toBe(true);
    expect(await readable(join(mountpoint, 'private'))).toBe(false);
    expect(await helpersOf(name)).toBe('');
    const root = await callOk<FolderListing>(app, 'volumes.files.list', { volume: name, path: '' });
    expect(root.access).toBe('direct');
    expect(Object.keys(byName(root.entries)).sort()).toEqual(['open.txt', 'private']);
    const inside = await callOk<FolderListing>(app, 'volumes.files.list', { volume: name, path: 'private' });
    expect(inside.access).toBe('helper');
    expect(byName(inside.entries)['p.txt']).toMatchObject({ uid: 1000, gid: 1000 });
    expect(await helpersOf(name)).toMatch(/^poddesk-helper-/);
    // The rest of the volume is still read directly.
    expect((await callOk<FolderListing>(app, 'volumes.files.list', { volume: name, path: '' })).access).toBe('direct');
  });

  it('backs up with the containers’ owners, and restores them (through the helper: only root may chown here)', async () => {
    const { name } = await volumeWith(
      'owned',
      'mkdir /d/conf && echo port=1 > /d/conf/app.ini && chown 1000:1000 /d/conf/app.ini',
    );
    const backup = await runStream(app, 'volumes.backup', { name });
    const done = backup.at(-1) as Extract<TransferProgress, { phase: 'done' }>;
    const listed = execFileSync('tar', ['--numeric-owner', '-tzvf', done.savedTo!]).toString();
    expect(listed).toMatch(/ 1000\/1000 .* conf\/app\.ini\n/);
    expect(listed).toMatch(/ 0\/0 .* conf\n/);

    const restored = uniqueName('restored');
    made.push(restored);
    files.nextOpen.push([done.savedTo!]);
    const result = await runStream(app, 'volumes.restore', { name: restored, create: true, source: { kind: 'choose' } });
    expect(result.at(-1)).toMatchObject({ phase: 'done', volume: restored });
    expect(await owners(restored)).toBe(await owners(name));
  });
});
