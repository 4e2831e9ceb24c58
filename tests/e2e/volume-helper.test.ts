import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { openUi, type UiSession } from '../support/browser';
import { uniqueName } from '../support/app';
import { helperApp, helperImageInRegistry } from '../support/helper-image';
import { podman } from '../support/podman';

const info = inject('podman');
let helper: Awaited<ReturnType<typeof helperImageInRegistry>>;
let app: App;
let ui: UiSession;
let image: string;
const volume = uniqueName('remote-data');

beforeAll(async () => {
  // The helper image is only in a registry, as on a fresh machine whose volumes are not readable directly.
  helper = await helperImageInRegistry(info);
  image = helper.image;
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
    'mkdir /d/conf && printf "[server]\\nport = 8080\\n" > /d/conf/app.ini && chown 1000:1000 /d/conf/app.ini',
  );
  app = await helperApp(info, image);
  ui = await openUi(app, { path: `/volumes/${volume}` });
});
afterAll(async () => {
  await ui?.close();
  await app?.close();
  await podman(info, 'volume', 'rm', '-f', volume).catch(() => undefined);
  await helper?.stop();
});

describe('a volume opened through the helper container, in Chromium', () => {
  it('asks before pulling the helper image, then browses and previews through it', async () => {
    const consent = ui.page.getByTestId('helper-consent');
    await consent.waitFor({ timeout: 15_000 });
    expect(await consent.textContent()).toContain(image);
    await ui.screenshot('volume-helper-consent');
    // Nothing can be written into a volume that is not open yet.
    expect(await ui.page.getByTestId('new-folder').isDisabled()).toBe(true);
    expect(await podman(info, 'images', '--format', '{{.Repository}}:{{.Tag}}')).not.toContain(image);

    await consent.getByRole('button', { name: `Pull ${image}` }).click();
    await ui.page.getByTestId('access-badge').waitFor({ timeout: 20_000 });
    expect(await ui.page.getByTestId('access-badge').textContent()).toBe('Helper container');
    await ui.page.locator('[data-testid="file-row"][data-name="conf"]').click();
    const ini = ui.page.locator('[data-testid="file-row"][data-name="app.ini"]');
    await ini.waitFor();
    expect(await ini.textContent()).toContain('1000:1000');
    await ini.click();
    const preview = ui.page.getByTestId('preview-text');
    await preview.waitFor();
    expect(await preview.textContent()).toContain('port = 8080');
    expect(await ui.page.getByTestId('new-folder').isDisabled()).toBe(false);
    await ui.screenshot('volume-helper-browse');
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
