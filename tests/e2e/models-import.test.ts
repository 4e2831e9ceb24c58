import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/main/app';
import { openUi, type UiSession } from '../support/browser';
import { ggufShaped } from '../support/gguf';
import { chatApp } from '../support/ollama';
import { startOllamaServer, type OllamaTestServer } from '../fixtures/ollama-server/server';

/**
 * Importing a model file in Chromium, through the browser host: the page holds the File and
 * sends its bytes when main asks (twice: checksum, then upload). Light and dark screenshots.
 */
let server: OllamaTestServer;
let app: App;
const model = ggufShaped(512 * 1024);

beforeAll(async () => {
  server = await startOllamaServer({ modelsDir: join(await mkdtemp(join(tmpdir(), 'poddesk-e2e-models-')), 'models') });
  app = await chatApp(server.url);
});
afterAll(async () => {
  await app?.close();
  await server?.close();
});

async function openImport(ui: UiSession) {
  const page = ui.page;
  await page.getByTestId('import-open').click();
  await page.getByTestId('import-dialog').waitFor();
  return page.getByTestId('import-dialog');
}

describe('importing a model file in Chromium', () => {
  it('imports a GGUF file with a name, system prompt and a parameter; then it is listed and answers', async () => {
    const ui = await openUi(app, { path: '/models' });
    try {
      const page = ui.page;
      const dialog = await openImport(ui);
      await dialog.locator('input[type=file]').setInputFiles({
        name: 'Tiny-E2E-Q4_K_M.gguf',
        mimeType: 'application/octet-stream',
        buffer: model,
      });
      // The name is suggested from the file's.
      await expect.poll(() => page.getByTestId('import-name').inputValue()).toBe('tiny-e2e-q4_k_m');
      await page.getByTestId('import-name').fill('Tiny E2E');
      await expect.poll(() => dialog.getByText(/no spaces/).count()).toBe(1);
      await page.getByTestId('import-name').fill('tiny-e2e:q4');
      await page.getByTestId('import-system').fill('You answer briefly.');
      await dialog.getByRole('button', { name: 'Add a parameter' }).click();
      await dialog.getByLabel('Parameter 1 name').fill('temperature');
      await dialog.getByLabel('Parameter 1 value').fill('warm');
      await expect.poll(() => page.getByTestId('import-parameter-error').textContent()).toMatch(/temperature is a number/);
      expect(await page.getByTestId('import-start').isDisabled()).toBe(true);
      await dialog.getByLabel('Parameter 1 value').fill('0.3');
      await page.getByTestId('import-system').click(); // closes the parameter suggestions
      await ui.screenshot('models-import-dialog-light');
      await page.getByTestId('import-start').click();
      await page.locator('[data-testid="model-row"][data-name="tiny-e2e:q4"]').waitFor({ timeout: 20_000 });
      await expect.poll(() => page.getByTestId('import-dialog').count()).toBe(0);
      const create = server.requests.filter((r) => r.path === '/api/create').at(-1)!.body as Record<string, unknown>;
      expect(create).toMatchObject({ model: 'tiny-e2e:q4', system: 'You answer briefly.', parameters: { temperature: 0.3 } });
      expect(Object.keys(create.files as object)).toEqual(['Tiny-E2E-Q4_K_M.gguf']);
      await ui.screenshot('models-imported-light');

      await page.getByRole('button', { name: 'Chat with tiny-e2e:q4' }).click();
      await page.getByTestId('message-input').fill('hello there');
      await page.getByTestId('send').click();
      const reply = page.locator('[data-testid="message"][data-role="assistant"]').last();
      await expect.poll(() => reply.getAttribute('data-status'), { timeout: 20_000 }).toBe('complete');
      expect(ui.errors).toEqual([]);
    } finally {
      await ui.close();
    }
  });

  it('a file that is not GGUF is refused with a clear message, in the dark theme', async () => {
    const ui = await openUi(app, { path: '/models', colorScheme: 'dark' });
    try {
      const page = ui.page;
      const dialog = await openImport(ui);
      await dialog.locator('input[type=file]').setInputFiles({
        name: 'holiday-photos.gguf',
        mimeType: 'application/octet-stream',
        buffer: Buffer.from('\x89PNG\r\n\x1a\n not a model'),
      });
      await dialog.getByText(/holiday-photos\.gguf is not a GGUF model file/).waitFor();
      expect(await page.getByTestId('import-start').isDisabled()).toBe(true);
      await ui.screenshot('models-import-refused-dark');
      await dialog
        .locator('input[type=file]')
        .setInputFiles({ name: 'tiny.gguf', mimeType: 'application/octet-stream', buffer: model });
      await expect.poll(() => dialog.getByText(/is not a GGUF model file/).count()).toBe(0);
      await dialog.getByRole('button', { name: 'Add a parameter' }).click();
      await dialog.getByLabel('Parameter 1 name').fill('num_ctx');
      await dialog.getByLabel('Parameter 1 value').fill('4096');
      await page.getByTestId('import-system').fill('You are a helpful assistant for a classroom.');
      await page.getByTestId('import-system').click();
      await ui.screenshot('models-import-dialog-dark');
      expect(await page.getByTestId('import-start').isDisabled()).toBe(false);
      expect(server.requests.some((r) => r.path.startsWith('/api/blobs/') && r.method === 'POST' && r.at === 0)).toBe(false);
      expect(ui.errors).toEqual([]);
    } finally {
      await ui.close();
    }
  });
});
