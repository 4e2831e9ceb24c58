import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openUi, type UiSession } from '../support/browser';
import { chatApp } from '../support/ollama';
import { startOllamaServer, type OllamaTestServer } from '../fixtures/ollama-server/server';

/**
 * 10,000 conversations in the sidebar: written as the store writes them (one journal each),
 * then opened in Chromium. Only the rows in view are in the page; scrolling reaches the oldest;
 * search finds a word in one reply among all of them. (How fast: bench territory, not here.)
 */
const COUNT = 10_000;

async function writeConversations(dataDir: string) {
  const dir = join(dataDir, 'chat', 'conversations');
  await mkdir(dir, { recursive: true });
  const base = Date.UTC(2025, 0, 1);
  for (let i = 0; i < COUNT; i += 500) {
    await Promise.all(
      Array.from({ length: 500 }, (_, j) => {
        const n = i + j;
        const id = `conv-${String(n).padStart(6, '0')}`;
        const records = [
          {
            t: 'h',
            h: {
              id,
              title: `Conversation ${n}`,
              autoTitle: false,
              createdAt: base + n * 1000,
              updatedAt: base + n * 1000,
              pinned: n === 1234,
              leafId: `msg-${n}-b`,
              model: 'llama3.2:latest',
              system: '',
              params: {},
              think: null,
            },
          },
          {
            t: 'm',
            m: { id: `msg-${n}-a`, parentId: null, role: 'user', content: `question ${n}`, createdAt: base, status: 'complete' },
          },
          {
            t: 'm',
            m: {
              id: `msg-${n}-b`,
              parentId: `msg-${n}-a`,
              role: 'assistant',
              content: n === 4242 ? 'The answer mentions **zanzibar** once.' : 'an answer',
              createdAt: base,
              status: 'complete',
            },
          },
        ];
        return writeFile(join(dir, `${id}.jsonl`), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
      }),
    );
  }
}

let server: OllamaTestServer;
let app: Awaited<ReturnType<typeof chatApp>>;
let ui: UiSession;

beforeAll(async () => {
  server = await startOllamaServer();
  const dataDir = await mkdtemp(join(tmpdir(), 'poddesk-many-ui-'));
  await writeConversations(dataDir);
  app = await chatApp(server.url, { dataDir });
  ui = await openUi(app, { path: '/chat' });
}, 120_000);
afterAll(async () => {
  await ui?.close();
  await app?.close();
  await server?.close();
  if (app) await rm(app.dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
});

describe('10,000 conversations in Chromium', () => {
  it('the sidebar holds only the rows in view, pinned first, and scrolls to the oldest', async () => {
    const page = ui.page;
    const rows = page.getByTestId('conversation-row');
    await rows.first().waitFor({ timeout: 60_000 });
    expect(await rows.first().getAttribute('data-title')).toBe('Conversation 1234');
    expect(await rows.nth(1).getAttribute('data-title')).toBe('Conversation 9999');
    const inPage = await rows.count();
    expect(inPage).toBeGreaterThan(5);
    expect(inPage).toBeLessThan(60);
    const list = page.getByTestId('conversation-list');
    expect(await list.evaluate((el) => el.scrollHeight)).toBeGreaterThan(COUNT * 40);
    await ui.screenshot('chat-10000-sidebar');

    await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.locator('[data-testid="conversation-row"][data-title="Conversation 0"]').waitFor();
    expect(await rows.count()).toBeLessThan(60);
    await page.locator('[data-testid="conversation-row"][data-title="Conversation 0"]').getByRole('button').first().click();
    await expect.poll(() => page.getByTestId('conversation-title').textContent()).toBe('Conversation 0');
  });

  it('search finds the one reply that says a word, and opens its conversation', async () => {
    const page = ui.page;
    await page.getByTestId('chat-search').fill('zanzibar');
    const hit = page.getByTestId('search-hit');
    await hit.first().waitFor({ timeout: 30_000 });
    expect(await hit.count()).toBe(1);
    expect(await hit.textContent()).toContain('Conversation 4242');
    expect(await hit.locator('mark').textContent()).toBe('zanzibar');
    await hit.click();
    await expect.poll(() => page.getByTestId('conversation-title').textContent()).toBe('Conversation 4242');
    expect(await page.locator('[data-testid="message"][data-role="assistant"] strong').textContent()).toBe('zanzibar');
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
