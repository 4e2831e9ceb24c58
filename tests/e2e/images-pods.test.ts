import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { openUi, type UiSession } from '../support/browser';
import { connectedApp, uniqueName } from '../support/app';
import { podman, waitFor } from '../support/podman';
import { buildRandomImage, pushImage, startRegistry, startThrottle, type Registry, type Throttle } from '../support/registry';

const info = inject('podman');
let app: App;
let ui: UiSession;
let registry: Registry;
let slow: Throttle;

beforeAll(async () => {
  app = await connectedApp(info);
  registry = await startRegistry();
  await buildRandomImage(info, 'localhost/pdt/e2e-pull:1', [3, 3]);
  await pushImage(info, 'localhost/pdt/e2e-pull:1', `${registry.host}/pdt/e2e-pull:1`);
  await podman(info, 'rmi', 'localhost/pdt/e2e-pull:1');
  // Slow enough to see the bar move (a few seconds), fast enough for a test.
  slow = await startThrottle(registry.host, 700 * 1024);
  ui = await openUi(app, { path: '/images' });
});
afterAll(async () => {
  await ui?.close();
  await slow?.stop();
  await registry?.stop();
  await app?.close();
});

describe('the Images page', () => {
  it('lists images with what uses them', async () => {
    const row = ui.page.locator(`[data-testid="image-row"][data-name="${info.busybox}"]`);
    await row.waitFor();
    expect(await row.textContent()).toMatch(/MB/);
    await ui.screenshot('images');
  });

  it('builds from a folder with a build argument, and the new image appears', async () => {
    const page = ui.page;
    const folder = await mkdtemp(path.join(tmpdir(), 'pdt-e2e-build-'));
    const tag = `localhost/pdt/${uniqueName('e2e-built')}:1`;
    try {
      await writeFile(
        path.join(folder, 'Containerfile'),
        `FROM ${info.busybox}\nARG GREETING=unset\nRUN echo "built with $GREETING" > /greeting.txt && cat /greeting.txt\n`,
      );
      await mkdir(path.join(folder, 'logs'));
      await writeFile(path.join(folder, 'logs', 'big.log'), 'x'.repeat(100_000));
      await writeFile(path.join(folder, '.containerignore'), 'logs\n');
      await page.getByTestId('open-build').click();
      // The browser has no paths to give: the page picks the folder and sends its files when main asks.
      await page.getByTestId('build-folder-input').setInputFiles(folder);
      expect(await page.getByTestId('build-folder').textContent()).toContain(`${path.basename(folder)} (3 files)`);
      await page.getByTestId('build-tag').fill(tag);
      await page.getByRole('dialog').getByRole('button', { name: 'Add' }).click();
      await page.getByLabel('Argument name').fill('GREETING');
      await page.getByLabel('Argument value').fill('e2e-arg');
      await page.getByTestId('build-start').click();
      await page.getByTestId('build-done').waitFor({ timeout: 60_000 });
      const log = await page.getByTestId('build-log').textContent();
      expect(log).toContain('built with e2e-arg');
      // Main read the Containerfile and .containerignore first, then asked only for what goes.
      expect(log).toContain('Sending 2 files (.containerignore honoured)');
      await ui.screenshot('image-build');
      await page.getByTestId('build-close').click();
      await page.locator(`[data-testid="image-row"][data-name="${tag}"]`).waitFor({ timeout: 20_000 });
      expect(await podman(info, 'run', '--rm', tag, 'cat', '/greeting.txt')).toBe('built with e2e-arg');
      await podman(info, 'rmi', tag);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('removes an image a container uses only when told, with the container', async () => {
    const page = ui.page;
    const tag = `localhost/pdt/${uniqueName('e2e-used')}:1`;
    const user = uniqueName('e2e-user');
    // An image of its own (a commit), so removing it leaves the test image alone.
    await podman(info, 'create', '--name', `${user}-src`, info.busybox, 'true');
    await podman(info, 'commit', `${user}-src`, tag);
    await podman(info, 'rm', `${user}-src`);
    await podman(info, 'create', '--name', user, tag, 'true');
    const row = page.locator(`[data-testid="image-row"][data-name="${tag}"]`);
    await row.getByText(user).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: `More actions for ${tag}` }).click();
    await page.getByRole('menuitem', { name: 'Remove…' }).click();
    const confirm = page.getByTestId('confirm');
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByTestId('remove-image-force').check();
    await ui.screenshot('image-remove-used');
    await confirm.click();
    await row.waitFor({ state: 'detached', timeout: 30_000 });
    expect(
      await podman(info, 'image', 'exists', tag).then(
        () => true,
        () => false,
      ),
    ).toBe(false);
    expect(
      await podman(info, 'container', 'exists', user).then(
        () => true,
        () => false,
      ),
    ).toBe(false);
  });

  it('pulls an image with a progress bar summed over its layers', async () => {
    const page = ui.page;
    const reference = `${slow.host}/pdt/e2e-pull:1`;
    await page.getByTestId('open-pull').click();
    await page.getByTestId('pull-reference').fill(reference);
    await page.getByTestId('pull-start').click();
    const bar = page.getByTestId('pull-bar');
    await bar.waitFor();
    // Midway: some bytes of the total, the bar neither empty nor full.
    await expect
      .poll(async () => Number((await bar.getAttribute('data-value')) || 0), { timeout: 30_000, interval: 100 })
      .toBeGreaterThan(0);
    const midway = Number(await bar.getAttribute('data-value'));
    expect(midway).toBeLessThan(100);
    expect(await page.getByTestId('pull-bytes').textContent()).toMatch(/[\d.]+ [KM]?B of [\d.]+ [KM]?B/);
    await ui.screenshot('image-pull-progress');
    await expect.poll(() => bar.getAttribute('data-value'), { timeout: 60_000 }).toBe('100');
    await page.getByText(/is ready\./).waitFor();
    await ui.screenshot('image-pull-done');
    await page.getByTestId('pull-dialog-close').click();
    await page.locator(`[data-testid="image-row"][data-name="${reference}"]`).waitFor();
    expect(await podman(info, 'image', 'exists', reference).then(() => true)).toBe(true);
  });

  it('carries a pull on in a notification when the dialog closes', async () => {
    const page = ui.page;
    const reference = `${slow.host}/pdt/e2e-pull:1`;
    await podman(info, 'rmi', '--force', reference).catch(() => undefined);
    await page.getByTestId('open-pull').click();
    await page.getByTestId('pull-reference').fill(reference);
    await page.getByTestId('pull-start').click();
    await page.getByTestId('pull-bar').waitFor();
    await page.getByTestId('pull-background').click();
    await page.getByTestId('pull-reference').waitFor({ state: 'hidden' });
    await page.getByTestId('pull-notice').waitFor();
    await ui.screenshot('image-pull-background');
    await page.getByText(`Pulled ${reference}`).waitFor({ timeout: 60_000 });
    await page.locator(`[data-testid="image-row"][data-name="${reference}"]`).waitFor();
    expect(await podman(info, 'image', 'exists', reference).then(() => true)).toBe(true);
  });

  it('says clearly when an image does not exist', async () => {
    const page = ui.page;
    await page.getByTestId('open-pull').click();
    await page.getByTestId('pull-reference').fill(`${registry.host}/pdt/nothing-here:1`);
    await page.getByTestId('pull-start').click();
    const alert = page.getByTestId('pull-error');
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.getAttribute('data-code')).toBe('NOT_FOUND');
    expect(await alert.textContent()).toContain('was not found');
    await ui.screenshot('image-pull-not-found');
    await page.keyboard.press('Escape');
  });

  it('shows the registries with where logins are kept', async () => {
    const page = ui.page;
    await page.getByTestId('open-registries').click();
    await expect.poll(() => page.getByTestId('credential-storage').textContent()).toMatch(/memory/);
    await ui.screenshot('registries');
    await page.keyboard.press('Escape');
  });
});

describe('the Pods page', () => {
  it('creates a pod with a published port and removes it', async () => {
    const page = ui.page;
    const name = uniqueName('e2e-pod');
    await page.evaluate(() => (window.location.hash = '/pods'));
    await page.getByTestId('open-create-pod').click();
    await page.getByTestId('pod-name').fill(name);
    await page.getByTestId('pod-add-port').click();
    await page.getByLabel('Host port').fill('0');
    await page.getByLabel('Container port').fill('8080');
    await ui.screenshot('pod-create');
    await page.getByTestId('pod-create').click();
    const row = page.locator(`[data-testid="pod-row"][data-name="${name}"]`);
    await row.waitFor({ timeout: 20_000 });
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 20_000 }).toBe('running');
    await ui.screenshot('pods');
    await row.getByRole('button', { name: `Remove ${name}` }).click();
    await page.getByTestId('confirm').click();
    await row.waitFor({ state: 'detached', timeout: 30_000 });
    await waitFor(async () => !(await podman(info, 'pod', 'ps', '--format', '{{.Name}}')).includes(name), 'the pod to be gone');
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
