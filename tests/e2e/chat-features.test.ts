import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openUi, type UiSession } from '../support/browser';
import { chatApp } from '../support/ollama';
import { startOllamaServer, type OllamaTestServer } from '../fixtures/ollama-server/server';

/**
 * What chat.test.ts leaves out, as the user meets it: thinking, pasted and dropped images,
 * errors with Retry and the offer to pull a missing model, the context warning, and the
 * sidebar's rename, pin and delete. No Podman here: Ollama is the test server.
 */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

let server: OllamaTestServer;
let app: Awaited<ReturnType<typeof chatApp>>;
let ui: UiSession;

beforeAll(async () => {
  server = await startOllamaServer({ tokensPerSecond: 0 });
  app = await chatApp(server.url);
  ui = await openUi(app, { path: '/chat' });
});
afterAll(async () => {
  await ui?.close();
  await app?.close();
  await server?.close();
});

const lastChat = () => server.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as Record<string, unknown>;
const assistant = (page: Page) => page.locator('[data-testid="message"][data-role="assistant"]').last();

async function newChat(page: Page, model: string) {
  const open = page.getByTestId('conversation');
  const before = (await open.count()) ? await open.getAttribute('data-id') : null;
  await page.getByTestId('new-chat').click();
  await expect.poll(() => page.getByTestId('conversation').getAttribute('data-id')).not.toBe(before);
  await page.getByTestId('model-select').click();
  await page.getByRole('option', { name: model, exact: true }).click();
  await expect.poll(() => page.getByTestId('model-select').inputValue()).toBe(model);
}

async function send(page: Page, text: string) {
  // Enter sends (and a notification in the corner cannot be in the way of it).
  await page.getByTestId('message-input').fill(text);
  await page.getByTestId('message-input').press('Enter');
}

/** Sends and waits for this message's own reply to complete. */
async function exchange(page: Page, text: string) {
  const replies = page.locator('[data-testid="message"][data-role="assistant"]');
  const before = await replies.count();
  await send(page, text);
  await expect.poll(() => replies.count()).toBe(before + 1);
  await expect.poll(() => assistant(page).getAttribute('data-status')).toBe('complete');
}

/** Hands files to an element as the browser does for a paste or a drop. */
async function giveFiles(
  page: Page,
  testId: string,
  kind: 'paste' | 'drop',
  files: { name: string; type: string; b64: string }[],
) {
  await page.getByTestId(testId).evaluate(
    (el, { kind, files }) => {
      const data = new DataTransfer();
      for (const f of files)
        data.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
      const init = { bubbles: true, cancelable: true };
      el.dispatchEvent(
        kind === 'paste'
          ? new ClipboardEvent('paste', { ...init, clipboardData: data })
          : new DragEvent('drop', { ...init, dataTransfer: data }),
      );
    },
    { kind, files },
  );
}

describe('chat features in Chromium', () => {
  it('a thinking model: the Think toggle asks for thinking, the thoughts fold away with their duration', async () => {
    const page = ui.page;
    await newChat(page, 'qwen3:0.6b');
    // The model cannot see: no attaching; it thinks: the toggle is there.
    expect(await page.getByTestId('attach').isDisabled()).toBe(true);
    const toggle = page.getByTestId('think-toggle');
    await toggle.waitFor();
    await toggle.click({ force: true });
    await expect.poll(() => toggle.isChecked()).toBe(false);
    await exchange(page, 'Is the sky blue?');
    expect(lastChat().think).toBe(false);
    expect(await assistant(page).getByTestId('thinking').count()).toBe(0);

    await toggle.click({ force: true });
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await exchange(page, 'And the grass?');
    expect(lastChat().think).toBe(true);
    const thinking = assistant(page).getByTestId('thinking');
    expect(await thinking.textContent()).toMatch(/Thought for \d+\.\d s/);
    const thoughts = thinking.getByText('Let me think about it step by step');
    expect(await thoughts.isVisible()).toBe(false);
    await thinking.getByRole('button').click();
    await thoughts.waitFor({ state: 'visible' });
    expect(await assistant(page).getByTestId('markdown').textContent()).toContain('You said: And the grass?');
    await ui.screenshot('chat-thinking');
  });

  it('a vision model: a pasted image is sent as base64; a dropped file that is not an image is refused by name at once', async () => {
    const page = ui.page;
    await newChat(page, 'llava:7b');
    expect(await page.getByTestId('think-toggle').count()).toBe(0);
    await giveFiles(page, 'message-input', 'paste', [{ name: 'dot.png', type: 'image/png', b64: PNG }]);
    await page.getByTestId('composer').getByRole('img', { name: 'dot.png' }).waitFor();
    await exchange(page, 'What is in this picture?');
    const messages = lastChat().messages as { images?: string[] }[];
    expect(messages.at(-1)!.images).toEqual([PNG]);
    await page.locator('[data-testid="message"][data-role="user"]').getByTestId('message-image').waitFor();
    expect(await assistant(page).getByTestId('markdown').textContent()).toContain('I see 1 image');
    expect(await page.getByTestId('composer').locator('img').count()).toBe(0);

    // Its type says PNG; its bytes say otherwise: refused as it is dropped, by name (main checks the bytes again).
    const requests = server.requests.length;
    await giveFiles(page, 'composer', 'drop', [{ name: 'notes.png', type: 'image/png', b64: btoa('just some text') }]);
    await page.getByText('notes.png is not an image (PNG, JPEG, WebP or GIF)').waitFor();
    await ui.screenshot('chat-vision-refused');
    expect(await page.getByTestId('composer').locator('img').count()).toBe(0);
    await exchange(page, 'And without a picture?');
    expect((lastChat().messages as { images?: string[] }[]).at(-1)!.images).toBeUndefined();
    expect(server.requests.slice(requests).filter((r) => r.path === '/api/chat')).toHaveLength(1);
  });

  it('an error mid-stream is shown in the conversation with the text so far, and Retry writes a new version', async () => {
    const page = ui.page;
    await newChat(page, 'llama3.2:latest');
    server.setReply(() => ({
      content: 'The first words arrive and then the runner stops working.',
      errorAfter: 5,
      error: 'model runner has unexpectedly stopped, this may be due to resource limitations',
    }));
    try {
      await send(page, 'Say something');
      const error = assistant(page).getByTestId('reply-error');
      await error.waitFor();
      expect(await assistant(page).getAttribute('data-status')).toBe('error');
      expect(await error.textContent()).toContain('model runner has unexpectedly stopped');
      expect(await assistant(page).getByTestId('markdown').textContent()).toMatch(/^The first words/);
      await ui.screenshot('chat-error-mid-stream');
    } finally {
      server.setReply(null);
    }
    await assistant(page).getByTestId('retry').click();
    await expect.poll(() => assistant(page).getAttribute('data-status')).toBe('complete');
    expect(await assistant(page).getByTestId('markdown').textContent()).toContain('You said: Say something');
    expect(await assistant(page).getByTestId('versions').textContent()).toBe('2/2');
  });

  it('a model that is gone: the reply says so and offers to pull it', async () => {
    const page = ui.page;
    await newChat(page, 'llava:7b');
    // Removed behind the app's back (another client, the CLI).
    const removed = await fetch(`${server.url}/api/delete`, { method: 'DELETE', body: JSON.stringify({ model: 'llava:7b' }) });
    expect(removed.status).toBe(200);
    await send(page, 'Hello there');
    const error = assistant(page).getByTestId('reply-error');
    await error.waitFor();
    expect(await error.getAttribute('data-code')).toBe('NOT_FOUND');
    expect(await error.textContent()).toContain('llava:7b is not installed');
    await ui.screenshot('chat-model-missing');
    await error.getByTestId('pull-missing').click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe('#/models/pull/llava%3A7b');
    await expect.poll(() => page.getByTestId('pull-name').inputValue()).toBe('llava:7b');
    await page.evaluate(() => (window.location.hash = '/chat'));
  });

  it('warns when the conversation nears the context window, and names the way out', async () => {
    const page = ui.page;
    await newChat(page, 'llama3.2:latest');
    await exchange(page, 'Show me some code, please');
    expect(await page.getByTestId('context-warning').count()).toBe(0);
    await page.getByTestId('open-settings').click();
    await page.getByLabel('Context (num_ctx)').fill('256');
    await page.getByTestId('save-settings').click();
    await page.getByTestId('conversation-settings').waitFor({ state: 'hidden' });
    const warning = page.getByTestId('context-warning');
    await warning.waitFor();
    expect(await warning.textContent()).toMatch(/fills about \d+ of 256 tokens of context/);
    expect(await warning.textContent()).toContain('Raise num_ctx');
    await ui.screenshot('chat-context-warning');
    await exchange(page, 'Thanks');
    expect(lastChat().options).toMatchObject({ num_ctx: 256 });
  });

  it('renames, pins and deletes conversations from the sidebar (delete asks, Cancel keeps it)', async () => {
    const page = ui.page;
    const rows = page.getByTestId('conversation-row');
    const count = await rows.count();
    expect(count).toBeGreaterThanOrEqual(4);
    const last = rows.nth(count - 1);
    const title = (await last.getAttribute('data-title'))!;
    const id = (await last.getAttribute('data-id'))!;

    await last.getByRole('button', { name: `Actions for ${title}` }).click();
    await page.getByRole('menuitem', { name: 'Rename…' }).click();
    await page.getByTestId('rename-input').fill('Thinking about the sky');
    await page.getByRole('button', { name: 'Rename', exact: true }).click();
    const row = page.locator(`[data-testid="conversation-row"][data-id="${id}"]`);
    await expect.poll(() => row.getAttribute('data-title')).toBe('Thinking about the sky');

    await row.getByRole('button', { name: 'Actions for Thinking about the sky' }).click();
    await page.getByRole('menuitem', { name: 'Pin to the top' }).click();
    await expect.poll(() => rows.first().getAttribute('data-id')).toBe(id);

    await row.getByRole('button', { name: 'Actions for Thinking about the sky' }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete “Thinking about the sky”?' });
    await dialog.waitFor();
    // The dialog fades in: let it finish before the picture.
    await page.waitForTimeout(400);
    await ui.screenshot('chat-delete-confirm');
    // Enter presses the focused button: Cancel.
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    expect(await row.count()).toBe(1);

    await row.getByRole('button', { name: 'Actions for Thinking about the sky' }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    await dialog.getByTestId('confirm').click();
    await expect.poll(() => row.count()).toBe(0);
    expect(await rows.count()).toBe(count - 1);
  });

  it('model output never becomes markup: raw HTML shows as text, only http(s) links are links; code copies to the clipboard', async () => {
    const page = ui.page;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await newChat(page, 'llama3.2:latest');
    server.setReply(() => ({
      content: [
        '<img src="x" onerror="window.__pwned = 1"> and <script>window.__pwned = 2</script>',
        '',
        'Read [the docs](https://docs.podman.io/en/latest/) but not [this](javascript:window.__pwned=3) ![pic](data:image/png;base64,AAAA)',
        '',
        '```sh',
        'podman run --rm -it busybox',
        '```',
      ].join('\n'),
    }));
    try {
      await exchange(page, 'Try to break out');
    } finally {
      server.setReply(null);
    }
    const reply = assistant(page);
    expect(await reply.locator('img, script, iframe').count()).toBe(0);
    expect(await reply.getByTestId('markdown').textContent()).toContain('<img src="x" onerror="window.__pwned = 1">');
    const links = await reply
      .locator('a')
      .evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('target')]));
    expect(links).toEqual([['the docs', 'https://docs.podman.io/en/latest/', '_blank']]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

    await reply.getByTestId('copy-code').click();
    await expect.poll(() => reply.getByTestId('copy-code').textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('podman run --rm -it busybox');
    await reply.getByRole('button', { name: 'Copy reply' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toMatch(/^<img src="x"[\s\S]*busybox\n```$/);
  });

  it('edits a sent message: the new version gets its own reply, the old branch stays a click away', async () => {
    const page = ui.page;
    await newChat(page, 'llama3.2:latest');
    await exchange(page, 'What is a pod?');
    const user = page.locator('[data-testid="message"][data-role="user"]').last();
    await user.getByTestId('edit').click();
    await user.getByTestId('edit-box').fill('What is a volume?');
    await user.getByTestId('edit-send').click();
    await expect.poll(() => assistant(page).getByTestId('markdown').textContent()).toContain('You said: What is a volume?');
    await expect.poll(() => assistant(page).getAttribute('data-status')).toBe('complete');
    expect(await user.getByTestId('versions').textContent()).toBe('2/2');
    await user.getByRole('button', { name: 'Previous version' }).click();
    await expect.poll(() => user.textContent()).toContain('What is a pod?');
    expect(await assistant(page).getByTestId('markdown').textContent()).toContain('You said: What is a pod?');
    expect(await page.locator('[data-testid="message"]').count()).toBe(2);
    await ui.screenshot('chat-edit-versions');
  });

  it('models: unloads a loaded one, copies, renames and deletes (delete asks first, Cancel keeps it)', async () => {
    const page = ui.page;
    await page.evaluate(() => (window.location.hash = '/models'));
    await page.getByTestId('models-table').waitFor();
    const running = page.locator('[data-testid="running-row"][data-name="llama3.2:latest"]');
    await running.waitFor();
    await running.getByRole('button', { name: 'Unload' }).click();
    await expect.poll(() => running.count()).toBe(0);
    expect(server.requests.filter((r) => r.path === '/api/generate').at(-1)!.body).toMatchObject({
      model: 'llama3.2:latest',
      keep_alive: 0,
    });

    const row = (name: string) => page.locator(`[data-testid="model-row"][data-name="${name}"]`);
    const act = async (name: string, item: string) => {
      await page.getByRole('button', { name: `More for ${name}` }).click();
      await page.getByRole('menuitem', { name: item }).click();
    };
    await act('qwen3:0.6b', 'Copy…');
    expect(await page.getByTestId('model-new-name').inputValue()).toBe('qwen3-copy:latest');
    await page.getByTestId('model-name-confirm').click();
    await row('qwen3-copy:latest').waitFor();

    await act('qwen3-copy:latest', 'Rename…');
    await page.getByTestId('model-new-name').fill('qwen 3!');
    expect(await page.getByTestId('model-name-confirm').isDisabled()).toBe(true);
    await page.getByTestId('model-new-name').fill('qwen3-mine:latest');
    await page.getByTestId('model-name-confirm').click();
    await row('qwen3-mine:latest').waitFor();
    await expect.poll(() => row('qwen3-copy:latest').count()).toBe(0);

    await act('qwen3-mine:latest', 'Delete…');
    const dialog = page.getByRole('dialog', { name: 'Delete qwen3-mine:latest?' });
    await dialog.waitFor();
    // The dialog fades in: let it finish before the picture.
    await page.waitForTimeout(400);
    await ui.screenshot('models-delete-confirm');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    expect(server.installed()).toContain('qwen3-mine:latest');
    await act('qwen3-mine:latest', 'Delete…');
    await dialog.getByTestId('confirm').click();
    await expect.poll(() => row('qwen3-mine:latest').count()).toBe(0);
    expect(server.installed()).not.toContain('qwen3-mine:latest');
    expect(server.installed()).toContain('qwen3:0.6b');
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
