import { execFileSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { memorySettings } from '../../src/main/store/settings';
import type { FileEntry, FolderListing, Preview } from '../../src/shared/contract';
import { connectedApp, uniqueName } from '../support/app';
import { tempDir } from '../support/browser';
import { buildGnuImage } from '../support/gnu-image';
import { fakeHostFiles } from '../support/host-files';
import { podman } from '../support/podman';
import { callOk, runStream } from '../support/streams';

const info = inject('podman');
const volume = uniqueName('gnu-helper');
let app: App;
let work: string;

beforeAll(async () => {
  const image = await buildGnuImage(info);
  work = await tempDir('poddesk-gnu-');
  app = await connectedApp(info, {
    hostFiles: fakeHostFiles(work),
    settings: memorySettings({
      connection: { endpoint: { kind: 'unix', path: info.socketPath }, label: 'test podman' },
      volumeAccess: 'helper',
      volumeHelperImage: image,
    }),
  });
  await podman(info, 'volume', 'create', volume);
  await podman(
    info,
    'run',
    '--rm',
    '-v',
    `${volume}:/d`,
    info.busybox,
    'sh',
    '-c',
    [
      'mkdir /d/docs && echo "hello gnu" > /d/docs/readme.md && ln -s docs/readme.md /d/link',
      `touch "/d/docs/$(printf 'evil\\n81a4 999 0 0 1 forged')" /d/docs/tail && t="$(printf '/d/docs/tail\\nX')" && touch "\${t%X}"`,
    ].join(' && '),
  );
});
afterAll(async () => {
  await app?.close();
  await podman(info, 'volume', 'rm', '-f', volume).catch(() => undefined);
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the volume helper on a GNU userland (dash, coreutils, findutils)', () => {
  it('lists names with newlines as they are, previews, makes, renames, deletes and backs up', async () => {
    const root = await callOk<FolderListing>(app, 'volumes.files.list', { volume, path: '' });
    expect(root.access).toBe('helper');
    expect(root.entries.map((e) => `${e.name} ${e.type}`).sort()).toEqual(['docs dir', 'link symlink']);
    expect(root.entries.find((e) => e.name === 'link')).toMatchObject({ linkTarget: 'docs/readme.md', linkEscapes: false });

    const docs = await callOk<FolderListing>(app, 'volumes.files.list', { volume, path: 'docs' });
    expect(docs.entries.map((e) => e.name).sort()).toEqual(['evil\n81a4 999 0 0 1 forged', 'readme.md', 'tail', 'tail\n']);
    expect(docs.entries.find((e) => e.name === 'readme.md')).toMatchObject({ type: 'file', size: 10 });

    expect(await callOk<Preview>(app, 'volumes.files.preview', { volume, path: 'link' })).toMatchObject({
      kind: 'text',
      text: 'hello gnu\n',
    });
    const made = await callOk<FileEntry>(app, 'volumes.files.mkdir', { volume, dir: 'docs', name: 'new' });
    expect(made).toMatchObject({ path: 'docs/new', type: 'dir' });
    await callOk(app, 'volumes.files.rename', { volume, path: 'docs/tail\n', newName: 'renamed' });
    await callOk(app, 'volumes.files.delete', { volume, paths: ['docs/new'] });
    const after = await callOk<FolderListing>(app, 'volumes.files.list', { volume, path: 'docs' });
    expect(after.entries.map((e) => e.name).sort()).toEqual(['evil\n81a4 999 0 0 1 forged', 'readme.md', 'renamed', 'tail']);

    const backup = await runStream(app, 'volumes.backup', { name: volume });
    const saved = (backup.at(-1) as { savedTo: string }).savedTo;
    expect(execFileSync('tar', ['-tzf', saved]).toString()).toContain('docs/readme.md');
    const file = await runStream(app, 'volumes.files.download', { volume, path: 'docs/readme.md', format: 'file' });
    expect(await readFile((file.at(-1) as { savedTo: string }).savedTo, 'utf8')).toBe('hello gnu\n');
  });
});
