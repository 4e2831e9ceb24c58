import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import type { FolderListing } from '../../src/shared/contract';
import { uniqueName } from '../support/app';
import { helperApp, helperImageInRegistry } from '../support/helper-image';
import { podman } from '../support/podman';
import { callError, callOk } from '../support/streams';

const info = inject('podman');
let helper: Awaited<ReturnType<typeof helperImageInRegistry>>;
let app: App | undefined;
let image: string;
const volume = uniqueName('needs-helper');

const helpers = () => podman(info, 'ps', '-a', '--filter', `label=io.poddesk.volume=${volume}`, '--format', '{{.Names}}');
const imageHere = () =>
  podman(info, 'image', 'exists', image).then(
    () => true,
    () => false,
  );

beforeAll(async () => {
  // The helper image lives in a registry only: PodDesk must ask before it fetches it.
  helper = await helperImageInRegistry(info);
  image = helper.image;
  await podman(info, 'volume', 'create', volume);
  await podman(info, 'run', '--rm', '-v', `${volume}:/d`, info.busybox, 'sh', '-c', 'echo hi > /d/hello.txt');
});
afterAll(async () => {
  await app?.close();
  await podman(info, 'volume', 'rm', '-f', volume).catch(() => undefined);
  await helper?.stop();
});

describe('the helper image', () => {
  it('is pulled only once the user agrees, then kept', async () => {
    app = await helperApp(info, image);
    expect(await imageHere()).toBe(false);
    expect(await callOk(app, 'volumes.helperImage')).toEqual({ image, present: false });

    // Opening the volume asks (the error names the image) and fetches nothing, creates nothing.
    const asked = await callError(app, 'volumes.files.list', { volume, path: '' });
    expect(asked.code).toBe('NOT_FOUND');
    expect(asked.details).toEqual({ helperImage: image });
    expect(asked.message).toContain(image);
    expect(await imageHere()).toBe(false);
    expect(await helpers()).toBe('');

    // The user agrees: one pull, and the volume opens through the helper.
    expect(await callOk(app, 'volumes.pullHelperImage')).toEqual({ image, present: true });
    const listing = await callOk<FolderListing>(app, 'volumes.files.list', { volume, path: '' });
    expect(listing.access).toBe('helper');
    expect(listing.entries.map((e) => e.name)).toEqual(['hello.txt']);
    expect(await helpers()).toMatch(/^poddesk-helper-/);

    // Kept: the helper container goes with the app, its image stays for next time.
    await app.close();
    app = undefined;
    expect(await helpers()).toBe('');
    expect(await imageHere()).toBe(true);
  });
});
