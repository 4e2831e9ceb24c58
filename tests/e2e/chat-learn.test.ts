import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openUi, type UiSession } from '../support/browser';
import { chatApp } from '../support/ollama';
import { startOllamaServer, type OllamaTestServer } from '../fixtures/ollama-server/server';

/**
 * "Call this model from your code" (a chat's header, the Models page) and "Show request" on a
 * reply, in light and dark. The snippets run for real in tests/unit/code-snippets.test.ts.
 */
let server: OllamaTestServer;
let app: Awaited<ReturnType<typeof chatApp>>;

beforeAll(async () => {
  server = await startOllamaServer({ tokensPerSecond: 0 });
  server.setReply(() => ({ content: 'Blue light scatters more.' }));
  app = await chatApp(server.url);
});
afterAll(async () => {
  await app?.close();
  await server?.close();
});

const lastChat = () => server.requests.filter((r) => r.path === '/api/chat').at(-1)!.body;

async function chatOnce(page: Page, text: string) {
  await page.getByTestId('new-chat').click();
  await page.getByTestId('model-select').click();
  await page.getByRole('option', { name: 'llama3.2:latest', exact: true }).click();
  await page.getByTestId('message-input').fill(text);
  await page.getByTestId('message-input').press('Enter');
  const reply = page.locator('[data-testid="message"][data-role="assistant"]').last();
  await expect.poll(() => reply.getAttribute('data-status')).toBe('complete');
  return reply;
}

describe.each(['light', 'dark'] as const)('learning the API in Chromium (%s)', (scheme) => {
  let ui: UiSession;
  beforeAll(async () => {
    ui = await openUi(app, { path: '/chat', colorScheme: scheme });
  });
  afterAll(() => ui?.close());

  it('Show request shows the exact JSON sent to /api/chat and the streamed lines, collapsed', async () => {
    const page = ui.page;
    const reply = await chatOnce(page, 'Why is the sky blue?');
    await reply.getByTestId('show-request-button').click();
    const dialog = page.getByTestId('show-request');
    const json = dialog.getByTestId('request-json');
    await json.waitFor();
    expect(JSON.parse((await json.textContent())!)).toEqual(lastChat());
    expect(await dialog.getByTestId('response-lines').isVisible()).toBe(false);
    await dialog.getByTestId('response-toggle').press('Enter');
    await dialog.getByTestId('response-lines').waitFor({ state: 'visible' });
    const lines = (await dialog.getByTestId('response-lines').textContent())!.split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l: { message?: { content: string } }) => l.message?.content ?? '').join('')).toBe(
      'Blue light scatters more.',
    );
    expect(lines.at(-1).done).toBe(true);
    await ui.screenshot(`chat-show-request-${scheme}`);
    await page.keyboard.press('Escape');
  });

  it('the snippets dialog gives the chat request for where the code runs, with Copy', async () => {
    const page = ui.page;
    await page.getByTestId('open-snippets').click();
    const code = page.getByTestId('snippet-code');
    await code.waitFor();
    const port = new URL(server.url).port;
    expect(await code.textContent()).toContain(`curl -N http://localhost:${port}/api/chat`);
    expect(await code.textContent()).toContain('"content": "Why is the sky blue?"');
    // Keyboard: the place switch and the language tabs.
    // The radios of the place switch move with the arrow keys, as native radios do.
    await page.getByRole('radio', { name: 'This computer' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('radio', { name: 'Container on the Ollama stack’s network' }).isChecked()).toBe(true);
    await expect.poll(() => code.textContent()).toContain('http://ollama:11434/api/chat');
    await page.getByRole('tab', { name: 'Python (requests)' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('snippet-code').textContent()).toContain('reply.iter_lines()');
    await page.getByRole('radio', { name: 'Container on the Ollama stack’s network' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('snippet-code').textContent()).toContain(`http://host.containers.internal:${port}`);
    await ui.screenshot(`chat-snippets-${scheme}`);
    await page.keyboard.press('Escape');
  });

  it('the Models page offers the snippets per model', async () => {
    const page = ui.page;
    await page.evaluate(() => (window.location.hash = '/models'));
    await page.getByRole('button', { name: 'More for llama3.2:latest' }).click();
    await page.getByRole('menuitem', { name: 'Call from your code…' }).click();
    await page.getByRole('tab', { name: 'JavaScript (fetch)' }).click();
    await expect.poll(() => page.getByTestId('snippet-code').textContent()).toContain('response.body.getReader()');
    expect(await page.getByTestId('snippet-code').textContent()).toContain('"model": "llama3.2:latest"');
    await ui.screenshot(`models-snippets-${scheme}`);
    await page.keyboard.press('Escape');
    await page.evaluate(() => (window.location.hash = '/chat'));
  });
});
