import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { memorySettings } from '../../src/main/store/settings';
import { openUi, type UiSession } from '../support/browser';
import { connectedApp } from '../support/app';
import { chatApp } from '../support/ollama';
import { startOllamaServer, type OllamaTestServer } from '../fixtures/ollama-server/server';
import { defaultInstalled } from '../fixtures/ollama-server/catalog';
import { describeViolations, runAxe } from '../support/axe';
import { ggufShaped } from '../support/gguf';

const info = inject('podman');
let server: OllamaTestServer;
let app: App;
let ui: UiSession;

beforeAll(async () => {
  server = await startOllamaServer({ tokensPerSecond: 150, pullMs: 4_000 });
  app = await connectedApp(info, {
    settings: memorySettings({
      connection: { endpoint: { kind: 'unix', path: info.socketPath }, label: 'test podman' },
      ollamaHost: server.url,
    }),
  });
  ui = await openUi(app, { path: '/chat' });
});
afterAll(async () => {
  await ui?.close();
  await app?.close();
  await server?.close();
});

describe('chat in Chromium', () => {
  it('picks a model, sends a message and watches the reply stream with a code block and a table', async () => {
    const page = ui.page;
    await page.getByTestId('start-chat').click();
    await page.getByTestId('conversation').waitFor();
    await page.getByTestId('model-select').click();
    await page.getByRole('option', { name: 'llama3.2:latest' }).click();
    await expect.poll(() => page.getByTestId('model-select').inputValue()).toBe('llama3.2:latest');

    await page.getByTestId('message-input').fill('Show me some code, please');
    await page.getByTestId('send').click();
    // While it streams: the Stop button, and the code block appearing before the reply ends.
    await page.getByTestId('stop').waitFor();
    await page.locator('[data-testid="code-block"]').first().waitFor();
    await ui.screenshot('chat-streaming');
    await page.getByTestId('send').waitFor({ timeout: 30_000 });
    const reply = page.locator('[data-testid="message"][data-role="assistant"]').last();
    await expect.poll(() => reply.getAttribute('data-status')).toBe('complete');
    expect(await reply.locator('[data-testid="code-block"][data-lang="python"]').count()).toBe(1);
    expect(await reply.locator('.hljs-keyword').count()).toBeGreaterThan(0);
    expect(await reply.locator('table th').allTextContents()).toEqual(['Command', 'What it does', 'Example 1']);
    expect(await reply.getByTestId('copy-code').count()).toBe(1);
    expect(await reply.getByTestId('reply-stats').textContent()).toMatch(/tokens\/s.*tokens.*first token/);
    expect(await page.getByTestId('conversation-title').textContent()).toBe('Show me some code, please');
    await ui.screenshot('chat-code-reply');
  });

  it('stops a long reply: the server sees the request closed and the partial reply stays, marked', async () => {
    const page = ui.page;
    server.setTokensPerSecond(40);
    try {
      const since = Date.now();
      await page.getByTestId('message-input').fill('Now write something long about containers');
      await page.getByTestId('send').click();
      const reply = page.locator('[data-testid="message"][data-role="assistant"]').nth(1);
      await expect.poll(() => reply.getAttribute('data-status')).toBe('streaming');
      await expect
        .poll(
          async () =>
            ((await reply.getByTestId('markdown').count()) ? ((await reply.getByTestId('markdown').textContent()) ?? '') : '')
              .length,
          {
            timeout: 20_000,
          },
        )
        .toBeGreaterThan(60);
      await page.getByTestId('stop').click();
      const gone = await server.waitForDisconnect(since);
      expect(gone.path).toBe('/api/chat');
      await expect.poll(() => reply.getAttribute('data-status')).toBe('stopped');
      await reply.getByTestId('stopped-badge').waitFor();
      expect((await reply.getByTestId('markdown').textContent())!.length).toBeGreaterThan(60);
      await ui.screenshot('chat-stopped');
    } finally {
      server.setTokensPerSecond(0);
    }
  });

  it('regenerates a reply and switches between the versions', async () => {
    const page = ui.page;
    await page.getByTestId('regenerate').click();
    const reply = page.locator('[data-testid="message"][data-role="assistant"]').last();
    // The long reply (4,000 tokens) streams and renders in full.
    await expect.poll(() => reply.getAttribute('data-status'), { timeout: 60_000 }).toBe('complete');
    await expect.poll(() => reply.getByTestId('versions').textContent()).toBe('2/2');
    await reply.getByRole('button', { name: 'Previous version' }).click();
    await expect
      .poll(() => page.locator('[data-testid="message"][data-role="assistant"]').last().getAttribute('data-status'))
      .toBe('stopped');
  });

  it('finds a past conversation by a word in it', async () => {
    const page = ui.page;
    await page.getByTestId('new-chat').click();
    await expect.poll(() => page.getByTestId('conversation-title').textContent()).toBe('New conversation');
    await page.getByTestId('message-input').fill('Tell me about the quokka');
    await page.getByTestId('send').click();
    await page.getByTestId('send').waitFor({ timeout: 30_000 });
    await page.getByTestId('chat-search').fill('fibonacci');
    const hit = page.getByTestId('search-hit').first();
    await hit.waitFor();
    expect(await hit.textContent()).toContain('Show me some code, please');
    await ui.screenshot('chat-search');
    await hit.click();
    await expect.poll(() => page.getByTestId('conversation-title').textContent()).toBe('Show me some code, please');
    await page.getByTestId('chat-search').fill('');
    await expect.poll(() => page.getByTestId('conversation-row').count()).toBe(2);
  });

  it('refuses an empty or oversized message in the UI and names the problem', async () => {
    const page = ui.page;
    await page.getByTestId('message-input').fill('   ');
    expect(await page.getByTestId('send').isDisabled()).toBe(true);
    await page.getByTestId('message-input').fill('x'.repeat(500_001));
    expect(await page.getByText(/at most 500,000 characters \(this one has 500,001\)/).count()).toBe(1);
    expect(await page.getByTestId('send').isDisabled()).toBe(true);
    await page.getByTestId('message-input').fill('');
  });
});

describe('models in Chromium', () => {
  it('lists models, pulls one with a progress bar, shows details', async () => {
    const page = ui.page;
    await page.evaluate(() => (window.location.hash = '/models'));
    await page.getByTestId('models-table').waitFor();
    const names = await page
      .locator('[data-testid="model-row"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')));
    expect(names).toEqual(['llama3.2:latest', 'llava:7b', 'qwen3:0.6b']);
    await page.getByTestId('pull-name').fill('bad name!');
    expect(await page.getByTestId('pull-button').isDisabled()).toBe(true);
    await page.getByTestId('pull-name').fill('tinyllama');
    await page.getByTestId('pull-button').click();
    const pull = page.locator('[data-testid="pull"][data-name="tinyllama"]');
    await expect
      .poll(async () => (await pull.getByTestId('pull-status').textContent()) ?? '', { timeout: 10_000 })
      .toMatch(/MB of 638 MB/);
    await ui.screenshot('models-pulling');
    await expect.poll(() => pull.getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    await page.locator('[data-testid="model-row"][data-name="tinyllama:latest"]').waitFor();
    await page.getByRole('button', { name: 'Details of qwen3:0.6b' }).click();
    await page.getByTestId('model-details').waitFor();
    expect(await page.getByTestId('capability').allTextContents()).toEqual(['completion', 'tools', 'thinking']);
    await ui.screenshot('models-details');
    await page.keyboard.press('Escape');
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});

describe('without Ollama', () => {
  it('says Ollama is not running and launches the Ollama stack in place', async () => {
    const lonely = await chatApp('http://127.0.0.1:9');
    const other = await openUi(lonely, { path: '/models' });
    try {
      const panel = other.page.getByTestId('ollama-panel');
      await expect.poll(() => panel.getAttribute('data-state'), { timeout: 15_000 }).toBe('unreachable');
      expect(await other.page.getByTestId('launch-ollama-stack').textContent()).toContain('Launch the Ollama stack');
      await other.screenshot('ollama-unreachable');
      await other.page.getByTestId('launch-ollama-stack').click();
      // This app has no Podman: the launch, run right here, says so where the user is.
      await panel.getByTestId('launch-panel').waitFor();
      await expect.poll(() => panel.getByTestId('launch-error').textContent()).toContain('Podman is not connected');
      expect(await other.page.evaluate(() => window.location.hash)).toBe('#/models');
      await other.screenshot('ollama-launch-in-place');
      // Closed from the keyboard, the panel gives focus back to Launch.
      await panel.getByTestId('launch-panel').getByRole('button', { name: 'Close' }).press('Enter');
      await panel.getByTestId('launch-panel').waitFor({ state: 'detached' });
      await expect
        .poll(() => other.page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
        .toBe('launch-ollama-stack');
    } finally {
      await other.close();
      await lonely.close();
    }
  });
});

describe('with no models yet', () => {
  it('offers to pull one instead of opening a conversation that cannot answer, then starts the chat with it', async () => {
    // Nothing installed; the library has the starters (qwen3:0.6b among them).
    const empty = await startOllamaServer({ installed: [], registry: defaultInstalled(), tokensPerSecond: 0, pullMs: 1_500 });
    const lonely = await chatApp(empty.url);
    const other = await openUi(lonely, { path: '/chat' });
    try {
      const page = other.page;
      await page.getByTestId('new-chat').click();
      const offer = page.getByTestId('get-a-model');
      await offer.waitFor();
      // No conversation was made for nothing.
      expect(await lonely.dispatcher.call('chat.list', undefined)).toEqual({ ok: true, data: [] });
      expect(await page.getByRole('dialog').getByText('Pull from the Ollama library').count()).toBe(1);
      await page.getByText('llama3.2:1b · 1.3 GB').click();
      expect(await page.getByRole('radio', { name: /llama3\.2:1b/ }).isChecked()).toBe(true);
      expect(await page.getByTestId('get-model-name').inputValue()).toBe('llama3.2:1b');
      await page.getByTestId('get-model-name').fill('qwen3:0.6b');
      await other.screenshot('chat-get-a-model');
      expect(describeViolations('get a model', await runAxe(page))).toEqual([]);
      await page.getByTestId('get-model-pull').click();
      await page.getByTestId('get-model-chat').waitFor({ timeout: 30_000 });
      expect(empty.installed()).toContain('qwen3:0.6b');
      await page.getByTestId('get-model-chat').click();
      await page.getByTestId('conversation').waitFor();
      await expect.poll(() => page.getByTestId('model-select').inputValue()).toBe('qwen3:0.6b');
      expect(other.errors).toEqual([]);
    } finally {
      await other.close();
      await lonely.close();
      await empty.close();
    }
  });
});

describe('with no models yet and a model file', () => {
  it('imports the file from the offer, then starts the chat with the model imported', async () => {
    const empty = await startOllamaServer({ installed: [], tokensPerSecond: 0 });
    const lonely = await chatApp(empty.url);
    const other = await openUi(lonely, { path: '/chat', colorScheme: 'dark' });
    try {
      const page = other.page;
      await page.getByTestId('new-chat').press('Enter');
      await page.getByTestId('get-a-model').waitFor();
      await page.getByTestId('get-model-import').press('Enter');
      const dialog = page.getByTestId('import-dialog');
      await dialog.waitFor();
      await dialog.locator('input[type=file]').setInputFiles({
        name: 'Offline-Tiny.gguf',
        mimeType: 'application/octet-stream',
        buffer: ggufShaped(64 * 1024),
      });
      await expect.poll(() => page.getByTestId('import-name').inputValue()).toBe('offline-tiny');
      expect(describeViolations('import dialog (dark)', await runAxe(page))).toEqual([]);
      await page.getByTestId('import-start').click();
      await dialog.waitFor({ state: 'detached', timeout: 30_000 });
      const chat = page.getByTestId('get-model-chat');
      expect(await chat.textContent()).toBe('Start a chat with offline-tiny:latest');
      await other.screenshot('chat-get-a-model-imported-dark');
      await chat.click();
      await page.getByTestId('conversation').waitFor();
      await expect.poll(() => page.getByTestId('model-select').inputValue()).toBe('offline-tiny:latest');
      expect(other.errors).toEqual([]);
    } finally {
      await other.close();
      await lonely.close();
      await empty.close();
    }
  });
});
