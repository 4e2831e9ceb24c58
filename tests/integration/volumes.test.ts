import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { memorySettings } from '../../src/main/store/settings';
import type { FolderListing, TransferProgress, VolumeSummary } from '../../src/shared/contract';
import type { ErrorShape } from '../../src/shared/errors';
import { connectedApp, dropped, uniqueName } from '../support/app';
import { tempDir } from '../support/browser';
import { fakeHostFiles, type FakeHostFiles } from '../support/host-files';
import { podman, waitFor } from '../support/podman';
import { callError, callOk, runStream } from '../support/streams';

const info = inject('podman');
let app: App;
let files: FakeHostFiles;
let work: string;

beforeAll(async () => {
  work = await tempDir('poddesk-volumes-');
  files = fakeHostFiles(work);
  app = await connectedApp(info, { hostFiles: files });
});
afterAll(async () => {
  await app?.close();
  await rm(work, { recursive: true, force: true });
});

const cached = (name: string) => app.volumes.volumes.get(name);
const volumeNames = async () => (await podman(info, 'volume', 'ls', '--format', '{{.Name}}')).split('\n');

describe('volumes', () => {
  it('sees volumes made and removed with the CLI, from events alone', async () => {
    const name = uniqueName('cli-vol');
    const engine = app.connection.engine();
    const lists = () => engine.recent.filter((r) => r.method === 'GET' && r.path.endsWith('/libpod/volumes/json')).length;
    const before = lists();
    await podman(info, 'volume', 'create', '--label', 'com.docker.compose.project=shop', name);
    await waitFor(() => cached(name) !== undefined, 'the created volume in the cache');
    expect(cached(name)).toMatchObject({ name, driver: 'local', project: 'shop' });
    expect(cached(name)!.mountpoint).toContain(name);
    await podman(info, 'volume', 'rm', name);
    await waitFor(() => cached(name) === undefined, 'the removed volume gone from the cache');
    expect(lists()).toBe(before); // targeted fetches only, never the whole list again
  });

  it('creates a volume with labels and driver options, and refuses a bad name before the engine', async () => {
    const name = uniqueName('made');
    const created = await callOk<VolumeSummary>(app, 'volumes.create', { name, labels: { team: 'data' }, options: {} });
    expect(created).toMatchObject({ name, labels: { team: 'data' } });
    expect(await volumeNames()).toContain(name);
    expect((await callError(app, 'volumes.create', { name })).code).toBe('CONFLICT');
    const bad = await callError(app, 'volumes.create', { name: '../evil' });
    expect(bad.code).toBe('INVALID_INPUT');
    expect(bad.message).toMatch(/volume name/);
    await callOk(app, 'volumes.remove', { name });
    expect(await volumeNames()).not.toContain(name);

    // Driver options reach the engine: a tmpfs volume is mounted as tmpfs in a container.
    // (Not `o=size=…`: Podman 4.3 then asks the file system for project quotas, which this one lacks.)
    const inMemory = uniqueName('tmpfs');
    const options = { type: 'tmpfs', device: 'tmpfs', o: 'nodev,noexec' };
    expect(await callOk<VolumeSummary>(app, 'volumes.create', { name: inMemory, driver: 'local', options })).toMatchObject({
      name: inMemory,
      driver: 'local',
      options,
    });
    expect(JSON.parse(await podman(info, 'volume', 'inspect', '--format', '{{json .Options}}', inMemory))).toEqual(options);
    const mounted = await podman(
      info,
      'run',
      '--rm',
      '-v',
      `${inMemory}:/d`,
      info.busybox,
      'sh',
      '-c',
      'grep " /d " /proc/mounts',
    );
    expect(mounted).toMatch(/^tmpfs \/d tmpfs /);
    await callOk(app, 'volumes.remove', { name: inMemory });
  });

  it('refuses a volume that would be a folder of this computer, and makes nothing', async () => {
    const folder = join(work, 'host-folder');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'secret.txt'), 'of this computer');
    for (const options of [
      { type: 'none', o: 'bind', device: folder },
      { type: 'none', o: 'rbind,ro', device: folder },
    ]) {
      const name = uniqueName('bound');
      const refused = await callError(app, 'volumes.create', { name, driver: 'local', options });
      expect(refused.code).toBe('INVALID_INPUT');
      expect(refused.message).toMatch(/a folder of this computer \(.*host-folder\).*Folder button/);
      expect(await volumeNames()).not.toContain(name);
    }
  });

  it('refuses to remove a volume in use, names the containers, and removes them only when forced', async () => {
    const name = uniqueName('used');
    const user = uniqueName('user');
    await podman(info, 'volume', 'create', name);
    await podman(info, 'create', '--name', user, '-v', `${name}:/data`, info.busybox, 'true');
    const refused = await callError(app, 'volumes.remove', { name });
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toContain(user);
    expect(refused.details).toEqual({ containers: [user] });
    expect(await volumeNames()).toContain(name);

    await callOk(app, 'volumes.remove', { name, force: true });
    expect(await volumeNames()).not.toContain(name);
    expect(await podman(info, 'ps', '-a', '--format', '{{.Names}}')).not.toContain(user);
  });

  it('prunes exactly the unused volumes it was shown, keeping one that got used meanwhile', async () => {
    const unused = [uniqueName('prune-a'), uniqueName('prune-b')];
    const used = uniqueName('prune-used');
    const user = uniqueName('prune-user');
    for (const n of [...unused, used]) await podman(info, 'volume', 'create', n);
    await podman(info, 'create', '--name', user, '-v', `${used}:/x`, info.busybox, 'true');
    const result = await callOk<{ removed: string[]; kept: { name: string; reason: string }[] }>(app, 'volumes.prune', {
      names: [...unused, used],
    });
    expect(result.removed.sort()).toEqual([...unused].sort());
    expect(result.kept).toEqual([{ name: used, reason: `in use by ${user}` }]);
    const left = await volumeNames();
    expect(left).toContain(used);
    for (const n of unused) expect(left).not.toContain(n);
    await podman(info, 'rm', user);
    await podman(info, 'volume', 'rm', used);
  });

  it('measures a volume on demand', async () => {
    const name = uniqueName('sized');
    await podman(info, 'volume', 'create', name);
    await podman(
      info,
      'run',
      '--rm',
      '-v',
      `${name}:/d`,
      info.busybox,
      'sh',
      '-c',
      'head -c 300000 /dev/zero > /d/a; mkdir /d/b',
    );
    const size = await callOk<{ bytes: number; files?: number }>(app, 'volumes.size', { name });
    expect(size.bytes).toBe(300_000);
    expect(size.files).toBe(2);
    await podman(info, 'volume', 'rm', name);
  });
});

describe('backup, restore and clone', () => {
  const source = uniqueName('precious');

  beforeAll(async () => {
    await podman(info, 'volume', 'create', source);
    await podman(
      info,
      'run',
      '--rm',
      '-v',
      `${source}:/d`,
      info.busybox,
      'sh',
      '-c',
      'mkdir -p /d/conf/sub && echo "port=5432" > /d/conf/app.ini && head -c 100000 /dev/urandom > /d/conf/sub/blob && ln -s conf/app.ini /d/link && chmod 600 /d/conf/app.ini && chown 1000:1000 /d/conf/sub/blob',
    );
  });
  afterAll(async () => {
    await podman(info, 'volume', 'rm', '-f', source).catch(() => undefined);
  });

  const fingerprint = (name: string) =>
    podman(
      info,
      'run',
      '--rm',
      '-v',
      `${name}:/d:ro`,
      info.busybox,
      'sh',
      '-c',
      'cd /d && find . | sort | while read f; do stat -c "%n %F %a %u:%g %s" "$f"; done; md5sum conf/app.ini conf/sub/blob; readlink link',
    );

  it('backs a volume up to .tar.gz and restores it into a new volume, files, modes and owners alike', async () => {
    const items = await runStream(app, 'volumes.backup', { name: source });
    const done = items.at(-1) as Extract<TransferProgress, { phase: 'done' }>;
    expect(done.phase).toBe('done');
    expect(done.savedTo).toMatch(new RegExp(`${source}-.*\\.tar\\.gz$`));
    const listed = execFileSync('tar', ['-tzvf', done.savedTo!]).toString();
    expect(listed).toContain('conf/app.ini');
    expect(listed).toMatch(/link -> conf\/app.ini/);

    const restored = uniqueName('restored');
    files.nextOpen.push([done.savedTo!]);
    const result = await runStream(app, 'volumes.restore', { name: restored, create: true, source: { kind: 'choose' } });
    expect(result.at(-1)).toMatchObject({ phase: 'done', volume: restored });
    expect(await fingerprint(restored)).toBe(await fingerprint(source));

    // Not into a volume that has files.
    files.nextOpen.push([done.savedTo!]);
    await expect(runStream(app, 'volumes.restore', { name: restored, source: { kind: 'choose' } })).rejects.toThrow(/not empty/);
    // Cancelling the dialog creates nothing.
    const never = uniqueName('never');
    const cancelled = await runStream(app, 'volumes.restore', { name: never, create: true, source: { kind: 'choose' } });
    expect(cancelled).toEqual([{ phase: 'cancelled' }]);
    expect(await volumeNames()).not.toContain(never);
    await podman(info, 'volume', 'rm', restored);
  });

  it('refuses an archive that climbs out, and leaves no half-made volume', async () => {
    const evil = join(work, 'evil');
    await mkdir(join(evil, 'x'), { recursive: true });
    await writeFile(join(evil, 'x', 'f'), 'x');
    const tarPath = join(work, 'evil.tar');
    execFileSync('tar', ['-cf', tarPath, '-C', evil, '--transform', 's,^x,../../escape,', 'x']);
    expect(execFileSync('tar', ['-tf', tarPath]).toString()).toContain('../../escape');
    const name = uniqueName('evil');
    await expect(runStream(app, 'volumes.restore', { name, create: true, source: dropped(app, tarPath) })).rejects.toThrow(
      /outside the volume/,
    );
    expect(await volumeNames()).not.toContain(name);
    expect(await readdir(work)).not.toContain('escape');
  });

  it('keeps the new volume, and the container that took it, when a restore fails after that', async () => {
    const evil = join(work, 'evil-late');
    await mkdir(join(evil, 'x'), { recursive: true });
    await writeFile(join(evil, 'x', 'f'), 'x');
    const tarPath = join(work, 'evil-late.tar');
    execFileSync('tar', ['-cf', tarPath, '-C', evil, '--transform', 's,^x,../../escape,', 'x']);
    const archive = await readFile(tarPath);

    const name = uniqueName('taken');
    const user = uniqueName('taker');
    let took: Promise<void> | undefined;
    const restoring = runStream(
      app,
      'volumes.restore',
      { name, create: true, source: { kind: 'browser', files: [{ path: 'backup.tar', size: archive.length }] } },
      (item) => {
        if (item.phase !== 'awaiting-files') return;
        // The volume exists and waits for the archive: a container starts using it first.
        took = (async () => {
          await podman(info, 'create', '--name', user, '-v', `${name}:/d`, info.busybox, 'true');
          await app.uploads.deliver(item.ticket, 0, Readable.from([archive])).catch(() => undefined);
        })();
      },
    );
    const failed = await restoring.then(
      () => Promise.reject(new Error('the restore was expected to fail')),
      (error: { shape: ErrorShape }) => error.shape,
    );
    await took;
    expect(failed).toMatchObject({ code: 'INVALID_INPUT', details: { keptVolume: name } });
    expect(failed.message).toMatch(/outside the volume/);
    expect(failed.message).toContain(`The new volume “${name}” was kept: ${user} started using it meanwhile.`);
    expect(await volumeNames()).toContain(name);
    expect(await podman(info, 'ps', '-a', '--format', '{{.Names}}')).toContain(user);
    await podman(info, 'rm', user);
    await podman(info, 'volume', 'rm', name);
  });

  it('clones and backs up a volume through the helper too, owners and modes kept', async () => {
    const helperApp = await connectedApp(info, {
      hostFiles: files,
      settings: memorySettings({
        connection: { endpoint: { kind: 'unix', path: info.socketPath }, label: 'test podman' },
        volumeAccess: 'helper',
        volumeHelperImage: info.busybox,
      }),
    });
    try {
      const clone = uniqueName('clone');
      const items = await runStream(helperApp, 'volumes.clone', { source, target: clone });
      expect(items.at(-1)).toMatchObject({ phase: 'done', volume: clone });
      expect(await fingerprint(clone)).toBe(await fingerprint(source));
      const listing = await callOk<FolderListing>(helperApp, 'volumes.files.list', { volume: clone, path: 'conf' });
      expect(listing.access).toBe('helper');
      // Backing up through the helper gives the same archive contents as directly.
      const backup = await runStream(helperApp, 'volumes.backup', { name: clone });
      const saved = (backup.at(-1) as { savedTo: string }).savedTo;
      const out = join(work, 'unpacked');
      await mkdir(out);
      execFileSync('tar', ['-xzf', saved, '-C', out]);
      expect((await readFile(join(out, 'conf', 'app.ini'), 'utf8')).trim()).toBe('port=5432');
      await callOk(helperApp, 'volumes.remove', { name: clone });
      expect(await volumeNames()).not.toContain(clone);
    } finally {
      await helperApp.close();
    }
    // The helper is gone with the app.
    expect(await podman(info, 'ps', '-a', '--filter', 'label=io.poddesk.helper', '--format', '{{.Names}}')).toBe('');
  });

  it('clones a volume that is a folder of this computer into an ordinary volume, leaving the folder alone', async () => {
    // Made with the CLI (or by a stack the user allowed): PodDesk did not make it, but may copy it.
    const folder = join(work, 'bound-by-cli');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'note.txt'), 'kept');
    const bound = uniqueName('cli-bound');
    await podman(info, 'volume', 'create', '--opt', 'type=none', '--opt', 'o=bind', '--opt', `device=${folder}`, bound);
    const copy = uniqueName('copy');
    // A volume with options is mounted only in a container: the helper reads it.
    const helperApp = await connectedApp(info, {
      settings: memorySettings({
        connection: { endpoint: { kind: 'unix', path: info.socketPath }, label: 'test podman' },
        volumeHelperImage: info.busybox,
      }),
    });
    try {
      const items = await runStream(helperApp, 'volumes.clone', { source: bound, target: copy });
      expect(items.at(-1)).toMatchObject({ phase: 'done', volume: copy });
    } finally {
      await helperApp.close();
    }
    expect(JSON.parse(await podman(info, 'volume', 'inspect', '--format', '{{json .Options}}', copy))).toEqual({});
    const inCopy = await podman(
      info,
      'run',
      '--rm',
      '-v',
      `${copy}:/d`,
      info.busybox,
      'sh',
      '-c',
      'cat /d/note.txt && touch /d/new',
    );
    expect(inCopy).toBe('kept');
    // The copy is Podman's storage: a file made in it does not appear in the folder.
    expect((await readdir(folder)).sort()).toEqual(['note.txt']);
    await podman(info, 'volume', 'rm', bound, copy);
  });
});
