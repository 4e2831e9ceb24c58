import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import type { TransferProgress } from '../../src/shared/contract';
import { connectedApp, uniqueName } from '../support/app';
import { fakeHostFiles, type FakeHostFiles } from '../support/host-files';
import { openStream } from '../support/open-stream';
import { podman, waitFor } from '../support/podman';

const info = inject('podman');
let app: App;
let files: FakeHostFiles;
let work: string;
const a = `localhost/pdt/${uniqueName('arch-a')}:1`;
const b = `localhost/pdt/${uniqueName('arch-b')}:2`;

const imageId = (ref: string) => podman(info, 'image', 'inspect', '--format', '{{.Id}}', ref);
const allImages = async () =>
  (await podman(info, 'images', '-a', '--no-trunc', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}')).split('\n').sort();

/** An image of its own: a container of the test image that wrote `text`, committed as `tag`. */
async function makeImage(tag: string, text: string) {
  const box = await podman(info, 'create', info.busybox, 'sh', '-c', `echo ${text} > /made`);
  await podman(info, 'start', '--attach', box);
  await podman(info, 'commit', box, tag);
  await podman(info, 'rm', box);
}

async function run(name: 'images.save' | 'images.load', input: unknown, deliver?: string) {
  const stream = openStream(app, name, input);
  if (deliver) {
    await stream.until((items) => items.some((i) => i.phase === 'awaiting-files'), 'main asking for the file');
    const ask = stream.items.find((i) => i.phase === 'awaiting-files') as { ticket: string };
    await app.uploads.deliver(ask.ticket, 0, createReadStream(deliver)).catch(() => undefined);
  }
  const error = await stream.ended;
  return { error, items: stream.items as TransferProgress[], last: stream.items.at(-1) as TransferProgress | undefined };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'poddesk-imgarch-'));
  files = fakeHostFiles(work);
  app = await connectedApp(info, { hostFiles: files });
  await makeImage(a, 'one');
  await makeImage(b, 'two');
  await waitFor(() => [a, b].every((t) => app.images.items().some((i) => i.tags.includes(t))), 'both images in the cache');
});
afterAll(async () => {
  await podman(info, 'rmi', '--force', a, b).catch(() => undefined);
  await app?.close();
  await rm(work, { recursive: true, force: true });
});

describe('saving and loading images as files', () => {
  it('saves two images to one docker-archive, and loads them back with the same ids and tags', async () => {
    const ids = [await imageId(a), await imageId(b)];
    const saved = await run('images.save', { images: [a, b], format: 'docker-archive' });
    expect(saved.error).toBeUndefined();
    expect(saved.last).toMatchObject({ phase: 'done', files: 2, images: [a, b] });
    const path = (saved.last as { savedTo: string }).savedTo;
    const size = (await stat(path)).size;
    expect(size).toBeGreaterThan(100_000);
    expect((saved.last as { bytes: number }).bytes).toBe(size);
    // Written to a .part and renamed: nothing else is left in the folder.
    expect((await readdir(work)).filter((f) => f.endsWith('.part'))).toEqual([]);

    await podman(info, 'rmi', a, b);
    await waitFor(() => !app.images.items().some((i) => i.tags.includes(a)), 'the removal in the cache');
    files.nextOpen.push([path]);
    const loaded = await run('images.load', { source: { kind: 'choose' } });
    expect(loaded.error).toBeUndefined();
    expect(loaded.last).toMatchObject({ phase: 'done', bytes: size });
    expect((loaded.last as { images: string[] }).images.sort()).toEqual([a, b].sort());
    expect([await imageId(a), await imageId(b)]).toEqual(ids);
    // The page sees them without a reload.
    await waitFor(
      () => [a, b].every((t) => app.images.items().some((i) => i.tags.includes(t))),
      'the loaded images in the cache',
    );
    expect(loaded.items.some((i) => i.phase === 'running' && i.totalBytes === size)).toBe(true);
  });

  it('saves one image as an oci-archive and loads it back from the page’s bytes (browser host), gzipped', async () => {
    const id = await imageId(a);
    const saved = await run('images.save', { images: [a], format: 'oci-archive' });
    expect(saved.error).toBeUndefined();
    const path = (saved.last as { savedTo: string }).savedTo;
    expect(path).toMatch(/\.oci\.tar$/);
    const gz = `${path}.gz`;
    await writeFile(gz, gzipSync(await readFile(path)));
    await podman(info, 'rmi', a);
    const loaded = await run(
      'images.load',
      { source: { kind: 'browser', name: 'a.oci.tar.gz', size: (await stat(gz)).size } },
      gz,
    );
    expect(loaded.error).toBeUndefined();
    expect((loaded.last as { images: string[] }).images).toContain(a);
    expect(await imageId(a)).toBe(id);
  });

  it('saves one image by id as a docker-archive with all its names', async () => {
    const id = await imageId(b);
    const saved = await run('images.save', { images: [id.slice(0, 12)], format: 'docker-archive' });
    expect(saved.error).toBeUndefined();
    expect(saved.last).toMatchObject({ phase: 'done', files: 1, images: [b] });
  });

  it('refuses several images in one oci-archive before asking where to save', async () => {
    const before = files.saved.length;
    const refused = await run('images.save', { images: [a, b], format: 'oci-archive' });
    expect(refused.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/docker-archive/) });
    expect(files.saved.length).toBe(before);
  });

  it('refuses a truncated archive, a damaged .gz and a file that is no archive, and loads nothing', async () => {
    const saved = await run('images.save', { images: [a, b], format: 'docker-archive' });
    const whole = await readFile((saved.last as { savedTo: string }).savedTo);
    await podman(info, 'rmi', a, b);
    const before = await allImages();
    const cut = join(work, 'cut.tar');
    await writeFile(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const cutGz = join(work, 'cut.tar.gz');
    const gz = gzipSync(whole);
    await writeFile(cutGz, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const text = join(work, 'notes.tar');
    await writeFile(text, 'not an archive at all\n');
    for (const path of [cut, cutGz, text]) {
      files.nextOpen.push([path]);
      const loaded = await run('images.load', { source: { kind: 'choose' } });
      expect(loaded.error, path).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/nothing was loaded/) });
      expect(await allImages(), path).toEqual(before);
    }
    // The whole archive still loads (the refusals left nothing in the way).
    files.nextOpen.push([(saved.last as { savedTo: string }).savedTo]);
    expect((await run('images.load', { source: { kind: 'choose' } })).error).toBeUndefined();
  });

  it('says cancelled when the user closes the dialogs, and refuses a handle chosen for something else', async () => {
    await waitFor(() => app.images.items().some((i) => i.tags.includes(a)), 'the loaded image in the cache');
    files.cancelNextSave = true;
    const save = await run('images.save', { images: [a], format: 'docker-archive' });
    expect(save.error).toBeUndefined();
    expect(save.last).toEqual({ phase: 'cancelled' });
    expect((await run('images.load', { source: { kind: 'choose' } })).last).toEqual({ phase: 'cancelled' });
    const key = app.hostPaths.issue(join(work, 'cut.tar'), 'ssh-identity');
    expect((await run('images.load', { source: { kind: 'handle', handle: key.handle } })).error).toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
