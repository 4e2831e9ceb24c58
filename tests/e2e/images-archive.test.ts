import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { openUi, type UiSession } from '../support/browser';
import { connectedApp, uniqueName } from '../support/app';
import { fakeHostFiles, type FakeHostFiles } from '../support/host-files';
import { podman } from '../support/podman';
import { buildRandomImage } from '../support/registry';

/**
 * The Images page's Files menu: two images saved to one archive, removed, and loaded back from
 * the file picked in the page. Each notification ends under a title that says what was done
 * ("Saved 2 images", "Loaded 2 images"), not the "…ing" it showed while it ran.
 */
const info = inject('podman');
let app: App;
let dir: string;
let files: FakeHostFiles;
const id = uniqueName('archive');
const images = [`localhost/pdt/${id}-a:1`, `localhost/pdt/${id}-b:1`];

const exists = (ref: string) =>
  podman(info, 'image', 'exists', ref).then(
    () => true,
    () => false,
  );

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pdt-archive-'));
  files = fakeHostFiles(dir);
  for (const image of images) await buildRandomImage(info, image, [1]);
  app = await connectedApp(info, { hostFiles: files });
});
afterAll(async () => {
  await app?.close();
  for (const image of images) await podman(info, 'rmi', '-f', image).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

/** The finished notification's title, once a transfer is over. */
const finishedTitle = async (ui: UiSession, text: string) => {
  const title = ui.page.getByTestId('transfer-title').filter({ hasText: text });
  await title.waitFor({ timeout: 60_000 });
  return title.textContent();
};

describe('images saved to a file and loaded back', () => {
  it('saves two images into one archive: the notification ends with "Saved 2 images"', async () => {
    const ui = await openUi(app, { path: '/images' });
    try {
      const page = ui.page;
      await page.getByTestId('images-table').waitFor();
      await page.getByTestId('open-files').click();
      await page.getByTestId('open-save').click();
      const pick = page.getByTestId('save-images');
      for (const image of images) {
        await pick.click();
        await pick.fill(image);
        await page.getByRole('option', { name: image }).click();
      }
      await page.keyboard.press('Escape');
      await page.getByTestId('save-images-start').click();
      expect(await finishedTitle(ui, 'Saved')).toBe('Saved 2 images');
      expect(await page.getByTestId('transfer-done').textContent()).toContain(`saved to ${files.saved.at(-1)}`);
      await ui.screenshot('images-saved-light');
      expect(ui.errors).toEqual([]);
    } finally {
      await ui.close();
    }
  });

  it.each(['light', 'dark'] as const)(
    'loads the archive picked in the page: the notification ends with "Loaded 2 images" (%s)',
    async (colorScheme) => {
      const archive = files.saved.at(-1)!;
      for (const image of images) await podman(info, 'rmi', image);
      const ui = await openUi(app, { path: '/images', colorScheme });
      try {
        const page = ui.page;
        await page.getByTestId('images-table').waitFor();
        // From the keyboard: Files, its second item, the dialog; closed, focus is back on Files.
        await page.getByTestId('open-files').press('Enter');
        await page.getByTestId('open-save').waitFor();
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Enter');
        await page.getByTestId('load-drop').waitFor();
        await page.locator('input[type="file"]').setInputFiles(archive);
        await page.getByTestId('load-images-start').press('Enter');
        expect(await finishedTitle(ui, 'Loaded')).toBe('Loaded 2 images');
        await expect
          .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? 'body'))
          .toBe('open-files');
        const message = (await page.getByTestId('transfer-done').textContent()) ?? '';
        for (const image of images) expect(message).toContain(image);
        // The running title is gone: nothing still says "Loading images…".
        expect(await page.getByText('Loading images…').count()).toBe(0);
        for (const image of images) expect(await exists(image)).toBe(true);
        await ui.screenshot(`images-loaded-${colorScheme}`);
        expect(ui.errors).toEqual([]);
      } finally {
        await ui.close();
      }
    },
  );
});
