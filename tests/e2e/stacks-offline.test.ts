import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { openUi, type UiSession } from '../support/browser';
import { connectedApp, uniqueName } from '../support/app';
import { podman } from '../support/podman';
import { importStack } from '../support/stacks';
import { describeViolations, runAxe } from '../support/axe';

/**
 * Offline, a stack's image cannot be pulled: the failure offers, right there, Retry, Load the image
 * from a file, and Use another image. A learner with the image on a USB stick loads the .tar and
 * the launch goes on; "Use another image" opens the Variables tab at the variable that names it.
 */
const info = inject('podman');
let app: App;
let dir: string;
let archive: string;
const id = uniqueName('offline');
// Nothing listens on port 1: the pull fails at once, as it does with no network.
const image = `127.0.0.1:1/pdt/${id}:1`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pdt-offline-'));
  archive = join(dir, 'app-image.tar');
  await podman(info, 'tag', info.busybox, image);
  await podman(info, 'save', '-o', archive, image);
  await podman(info, 'rmi', image);
  app = await connectedApp(info);
  await importStack(
    app,
    `services:\n  app:\n    image: \${APP_IMAGE:-${image}}\n    command: sleep 600\n    stop_grace_period: 0s\n`,
    id,
  );
});
afterAll(async () => {
  await app?.dispatcher.call('stacks.remove', { id, deleteVolumes: false });
  await app?.close();
  await podman(info, 'rmi', '-f', image).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('a stack whose image cannot be pulled', () => {
  it.each(['dark', 'light'] as const)('offers Retry, a file and another image (%s)', async (colorScheme) => {
    const ui: UiSession = await openUi(app, { path: `/stacks/${id}`, colorScheme });
    try {
      const page = ui.page;
      // From the keyboard: the busy Launch button gives focus to the progress, where the failure shows.
      await page.getByTestId('launch').press('Enter');
      const failed = page.getByTestId('pull-failed');
      await failed.waitFor({ timeout: 60_000 });
      expect(await failed.textContent()).toContain(image);
      expect(await page.getByTestId('pull-retry').isVisible()).toBe(true);
      expect(await page.getByTestId('pull-load-file').isVisible()).toBe(true);
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('launch-panel');
      // Then the panel's Close, then Retry.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Close');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('pull-retry');
      await ui.screenshot(`stacks-offline-pull-failed-${colorScheme}`);
      expect(describeViolations(`pull failed (${colorScheme})`, await runAxe(page))).toEqual([]);

      if (colorScheme === 'dark') {
        // Use another image: the Variables tab, with the cursor in the variable that names it.
        await page.getByTestId('pull-other-image').click();
        const row = page.locator('[data-testid="variable-row"][data-name="APP_IMAGE"]');
        await row.waitFor();
        await expect.poll(() => row.evaluate((r) => r.contains(document.activeElement))).toBe(true);
        await ui.screenshot('stacks-offline-use-another-image-dark');
        return;
      }

      // Load it from a file: the browser sends the file's bytes; then the launch goes on by itself.
      await page.getByTestId('pull-load-file').click();
      await page.getByTestId('load-drop').waitFor();
      await page.locator('input[type="file"]').setInputFiles(archive);
      await expect.poll(() => page.getByTestId('load-picked').textContent()).toBe('app-image.tar');
      await ui.screenshot('stacks-offline-load-file-light');
      expect(describeViolations('load images dialog (light)', await runAxe(page))).toEqual([]);
      await page.getByTestId('load-images-start').click();
      await page.getByTestId('launch-done').waitFor({ timeout: 90_000 });
      expect(await podman(info, 'inspect', '--format', '{{.State.Running}}', `${id}-app-1`)).toBe('true');
      expect(await podman(info, 'image', 'exists', image).then(() => true)).toBe(true);
      await ui.screenshot('stacks-offline-launched-light');
      expect(ui.errors).toEqual([]);
    } finally {
      await ui.close();
    }
  });
});
