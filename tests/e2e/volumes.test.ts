import { readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { openUi, tempDir, type UiSession } from '../support/browser';
import { fakeHostFiles, type FakeHostFiles } from '../support/host-files';
import { podman, waitFor } from '../support/podman';
import { connectedApp, uniqueName } from '../support/app';

const info = inject('podman');
/** A real 1×1 PNG, so the page has an image to decode. */
const PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
let app: App;
let ui: UiSession;
let files: FakeHostFiles;
let work: string;
const volume = uniqueName('webdata');
const owner = uniqueName('web');
const reader = uniqueName('reader');
const restored = uniqueName('restored');

beforeAll(async () => {
  work = await tempDir('poddesk-e2e-volumes-');
  files = fakeHostFiles(work);
  app = await connectedApp(info, { hostFiles: files });
  await podman(info, 'volume', 'create', '--label', 'com.docker.compose.project=blog', volume);
  await podman(
    info,
    'run',
    '--name',
    owner,
    '-v',
    `${volume}:/srv`,
    info.busybox,
    'sh',
    '-c',
    [
      'mkdir -p /srv/site/css /srv/logs',
      'printf "const greet = (name) => {\\n  return \\"hello \\" + name;\\n};\\nexport default greet;\\n" > /srv/site/app.js',
      'echo "body { color: teal; }" > /srv/site/css/main.css',
      `echo ${PIXEL_PNG} | base64 -d > /srv/site/pixel.png`,
      "printf '\\000\\001\\002\\377bin' > /srv/site/data.bin",
      'for i in 1 2 3 4 5; do echo "line $i" >> /srv/logs/access.log; done',
      'ln -s /etc /srv/etc-link',
    ].join(' && '),
  );
  // A second user, from another stack: the list says which stack each user belongs to.
  await podman(
    info,
    'create',
    '--name',
    reader,
    '--label',
    'com.docker.compose.project=ops',
    '-v',
    `${volume}:/in:ro`,
    info.busybox,
    'true',
  );
  ui = await openUi(app, { path: '/volumes' });
});
afterAll(async () => {
  await ui?.close();
  await app?.close();
  await podman(info, 'rm', '-f', owner, reader).catch(() => undefined);
  await podman(info, 'volume', 'rm', '-f', volume, restored).catch(() => undefined);
  await rm(work, { recursive: true, force: true });
});

describe('the volume browser in Chromium', () => {
  it('lists the volume with the container that uses it', async () => {
    const row = ui.page.locator(`[data-testid="volume-row"][data-name="${volume}"]`);
    await row.waitFor({ timeout: 15_000 });
    await expect.poll(() => row.textContent()).toContain(owner);
    expect(await row.textContent()).toContain('stack blog');
    const users = row.getByTestId('volume-user');
    await expect.poll(() => users.count()).toBe(2);
    expect(await users.filter({ hasText: reader }).textContent()).toBe(`${reader} · stack ops`);
    expect(await users.filter({ hasText: owner }).textContent()).toBe(owner);
    // Sized on request only, and again on the next click.
    const size = row.getByTestId('volume-size');
    expect(await size.textContent()).toBe('Measure');
    await size.click();
    // Measuring walks the volume through Podman (a second or more on a busy machine); poll's
    // default of 1 s is shorter than that.
    await expect.poll(() => size.textContent(), { timeout: 20_000 }).toMatch(/^\d+(\.\d+)? (B|KB) · \d+ items$/);
    await ui.screenshot('volumes-list');
  });

  it('browses into a folder, previews a file with highlighting, and refuses a link out', async () => {
    await ui.page.getByRole('button', { name: `Browse ${volume}` }).click();
    await ui.page.getByTestId('access-badge').waitFor();
    expect(await ui.page.getByTestId('access-badge').textContent()).toBe('Direct access');
    const site = ui.page.locator('[data-testid="file-row"][data-name="site"]');
    // By keyboard: a row takes the focus and Enter opens it.
    await site.focus();
    await site.press('Enter');
    await ui.page.locator('[data-testid="file-row"][data-name="app.js"]').click();
    const preview = ui.page.getByTestId('preview-text');
    await preview.waitFor();
    expect(await preview.textContent()).toContain('return "hello " + name;');
    // Highlighted: tokens are spans of their own.
    expect(await preview.locator('span[class^="hljs"]').count()).toBeGreaterThan(3);
    expect(await ui.page.getByTestId('breadcrumbs').textContent()).toContain('site');
    await ui.screenshot('volume-browser-preview');

    // Images are shown as images, anything else binary as hex.
    await ui.page.locator('[data-testid="file-row"][data-name="pixel.png"]').click();
    const image = ui.page.getByTestId('preview-image');
    await image.waitFor();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
    await ui.page.locator('[data-testid="file-row"][data-name="data.bin"]').click();
    const hex = ui.page.getByTestId('preview-hex');
    await hex.waitFor();
    expect(await hex.textContent()).toMatch(/^0000 {2}00 01 02 ff 62 69 6e +\.\.\.\.bin$/);
    await ui.screenshot('volume-browser-hex');

    await ui.page.getByTestId('breadcrumbs').getByRole('button', { name: volume }).click();
    await ui.page.locator('[data-testid="file-row"][data-name="etc-link"]').click();
    await ui.page.getByTestId('preview-refused').waitFor();
  });

  it('uploads files dropped on the list, streamed to the volume over HTTP', async () => {
    await ui.page.locator('[data-testid="tree-node"][data-path="logs"]').click();
    await ui.page.locator('[data-testid="file-row"][data-name="access.log"]').waitFor();
    // A drop as Chromium delivers it: files in a DataTransfer (the browser host has no paths).
    const dataTransfer = await ui.page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['dropped by the e2e test\n'], 'notes.txt', { type: 'text/plain' }));
      dt.items.add(new File([new Uint8Array(300_000).fill(7)], 'blob.bin'));
      return dt;
    });
    const zone = ui.page.getByTestId('drop-zone');
    await zone.dispatchEvent('dragenter', { dataTransfer });
    await ui.screenshot('volume-browser-dragging');
    await zone.dispatchEvent('drop', { dataTransfer });
    await ui.page.locator('[data-testid="file-row"][data-name="notes.txt"]').waitFor({ timeout: 20_000 });
    await ui.page.locator('[data-testid="file-row"][data-name="blob.bin"]').waitFor();
    const inVolume = await podman(
      info,
      'run',
      '--rm',
      '-v',
      `${volume}:/v`,
      info.busybox,
      'sh',
      '-c',
      'cat /v/logs/notes.txt; wc -c < /v/logs/blob.bin',
    );
    expect(inVolume).toContain('dropped by the e2e test');
    expect(inVolume).toContain('300000');
    await ui.screenshot('volume-browser-uploaded');

    // The same name again: PodDesk asks before it overwrites, and Cancel (the focused button) keeps the file.
    const again = await ui.page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['replaced by the e2e test\n'], 'notes.txt', { type: 'text/plain' }));
      return dt;
    });
    await zone.dispatchEvent('drop', { dataTransfer: again });
    const dialog = ui.page.getByRole('dialog', { name: 'Replace what is there?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('notes.txt');
    await ui.screenshot('volume-browser-replace-confirm');
    await dialog.getByTestId('confirm').click();
    await waitFor(
      async () =>
        (await podman(info, 'run', '--rm', '-v', `${volume}:/v`, info.busybox, 'cat', '/v/logs/notes.txt')).includes('replaced'),
      'the replaced file in the volume',
    );
  });

  it('downloads a folder as .zip and deletes a file after confirming', async () => {
    await ui.page.getByTestId('breadcrumbs').getByRole('button', { name: volume }).click();
    await ui.page.getByRole('button', { name: 'Actions for site' }).click();
    await ui.page.getByRole('menuitem', { name: 'Download as .zip' }).click();
    const zip = join(work, 'site.zip');
    await ui.page.getByTestId('transfer-done').filter({ hasText: 'site.zip' }).waitFor({ timeout: 20_000 });
    expect((await readFile(zip)).subarray(0, 2).toString()).toBe('PK');

    await ui.page.getByRole('button', { name: 'Actions for etc-link' }).click();
    await ui.page.getByRole('menuitem', { name: 'Delete…' }).click();
    await ui.page.getByRole('dialog').waitFor();
    await ui.screenshot('volume-browser-delete-confirm');
    await ui.page.getByTestId('confirm').click();
    await ui.page.locator('[data-testid="file-row"][data-name="etc-link"]').waitFor({ state: 'detached' });
    await waitFor(
      async () => !(await podman(info, 'run', '--rm', '-v', `${volume}:/v`, info.busybox, 'ls', '/v')).includes('etc-link'),
      'the link to be gone',
    );
  });

  it('backs the volume up and restores the archive, picked in the page, into a new volume', async () => {
    await ui.page.getByRole('button', { name: 'Back to volumes' }).click();
    await ui.page.getByRole('button', { name: `More for ${volume}` }).click();
    await ui.page.getByRole('menuitem', { name: 'Back up to .tar.gz' }).click();
    await ui.page.getByTestId('transfer-done').filter({ hasText: '.tar.gz' }).waitFor({ timeout: 20_000 });
    const archive = files.saved.at(-1)!;
    expect(archive).toMatch(new RegExp(`${volume}-.*\\.tar\\.gz$`));

    await ui.page.getByRole('button', { name: 'Restore', exact: true }).click();
    await ui.page.getByTestId('restore-name').fill(restored);
    await ui.page.locator('input[type="file"][accept*=".tgz"]').setInputFiles(archive);
    await ui.page.getByRole('dialog').getByText(basename(archive)).waitFor();
    await ui.screenshot('volume-restore');
    await ui.page.getByTestId('restore-submit').click();
    await ui.page.locator(`[data-testid="volume-row"][data-name="${restored}"]`).waitFor({ timeout: 20_000 });
    await waitFor(
      async () =>
        (await podman(info, 'run', '--rm', '-v', `${restored}:/v:ro`, info.busybox, 'cat', '/v/site/app.js')).includes(
          'return "hello " + name;',
        ),
      'the restored files in the new volume',
    );
  });

  it('says why a volume that would be a folder of this computer is not made, and makes an in-memory one', async () => {
    await ui.page.evaluate(() => (window.location.hash = '/volumes'));
    await ui.page.getByTestId('create-volume').click();
    const name = uniqueName('in-memory');
    await ui.page.getByTestId('volume-name').fill(name);
    const options = ui.page.getByTestId('volume-options');
    await options.fill(`type=none\no=bind\ndevice=${work}`);
    const dialog = ui.page.getByRole('dialog', { name: 'Create a volume' });
    await expect.poll(() => dialog.textContent()).toMatch(/would make the volume a folder of this computer/);
    expect(await options.getAttribute('aria-invalid')).toBe('true');
    expect(await ui.page.getByTestId('create-volume-submit').isDisabled()).toBe(true);
    await ui.screenshot('volumes-create-bind-refused');

    await options.fill('type=tmpfs\ndevice=tmpfs');
    await expect.poll(() => ui.page.getByTestId('create-volume-submit').isDisabled()).toBe(false);
    await ui.page.getByTestId('create-volume-submit').click();
    await ui.page.locator(`[data-testid="volume-row"][data-name="${name}"]`).waitFor({ timeout: 20_000 });
    expect(JSON.parse(await podman(info, 'volume', 'inspect', '--format', '{{json .Options}}', name))).toEqual({
      type: 'tmpfs',
      device: 'tmpfs',
    });
    await podman(info, 'volume', 'rm', name);
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
