import { mkdtemp, readdir, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChatStore } from '../../src/main/chat/store';
import { createSearch } from '../../src/main/chat/search';
import { importJson, toJson, toMarkdown } from '../../src/main/chat/transfer';
import { startOllamaServer, type OllamaTestServer } from '../fixtures/ollama-server/server';
import { chatApp, ok, settled } from '../support/ollama';
import { crashRounds } from '../support/chat-crash';
import { downloadsFolder } from '../../src/main/host-files';
import type { Conversation } from '../../src/shared/contract';

let server: OllamaTestServer;
beforeAll(async () => {
  server = await startOllamaServer({ tokensPerSecond: 3_000 });
});
afterAll(async () => {
  await server?.close();
});

describe('chat history survives SIGKILL', () => {
  it('reopens after every kill with everything saved so far (repeated 12 times)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'poddesk-crash-'));
    const report = await crashRounds({ dir, ollamaUrl: server.url, rounds: 12 });
    expect(report.problems).toEqual([]);
    expect({
      lost: report.lost,
      corrupt: report.corrupt,
      unlisted: report.unlisted,
      leftStreaming: report.leftStreaming,
    }).toEqual({
      lost: 0,
      corrupt: 0,
      unlisted: 0,
      leftStreaming: 0,
    });
    expect(report.repliesSaved).toBeGreaterThan(12);
    // Most kills land during a reply (the child is always streaming): its partial text survives.
    expect(report.interruptedKept).toBeGreaterThan(0);
  }, 240_000);
});

describe('the chat store', () => {
  it('opens 10,000 conversations, lists them all, and finds text in any of them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'poddesk-many-'));
    await mkdir(join(dir, 'conversations'), { recursive: true });
    const base = Date.UTC(2025, 0, 1);
    for (let i = 0; i < 10_000; i += 500) {
      await Promise.all(
        Array.from({ length: 500 }, (_, j) => {
          const n = i + j;
          const id = `conv-${String(n).padStart(6, '0')}`;
          const header = {
            id,
            title: `Conversation ${n}`,
            autoTitle: false,
            createdAt: base + n,
            updatedAt: base + n,
            pinned: n % 1000 === 0,
            leafId: `msg-${n}-b`,
            model: 'llama3.2:latest',
            system: '',
            params: {},
            think: null,
          };
          const user = {
            id: `msg-${n}-a`,
            parentId: null,
            role: 'user',
            content: `question number ${n} about podman volumes`,
            createdAt: base + n,
            status: 'complete',
          };
          const reply = {
            id: `msg-${n}-b`,
            parentId: `msg-${n}-a`,
            role: 'assistant',
            content: n === 4242 ? 'the answer mentions zanzibar' : 'an answer',
            createdAt: base + n,
            status: 'complete',
          };
          const lines =
            [
              { t: 'h', h: header },
              { t: 'm', m: user },
              { t: 'm', m: reply },
            ]
              .map((r) => JSON.stringify(r))
              .join('\n') + '\n';
          return writeFile(join(dir, 'conversations', `${id}.jsonl`), lines);
        }),
      );
    }
    // The first open builds the index from the files; the next one reads the index alone.
    const first = await openChatStore(dir);
    expect(first.list()).toHaveLength(10_000);
    await first.close();
    const store = await openChatStore(dir);
    expect(store.list()).toHaveLength(10_000);
    expect(store.list().filter((s) => s.pinned)).toHaveLength(10);
    const search = createSearch(store);
    const hits = await search('ZANZIBAR', 10);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ conversationId: 'conv-004242', messageId: 'msg-4242-b', title: 'Conversation 4242' });
    expect(hits[0]!.snippet.slice(hits[0]!.match.start, hits[0]!.match.start + hits[0]!.match.length).toLowerCase()).toBe(
      'zanzibar',
    );
    const several = await search('number 99 podman', 500);
    expect(several.map((h) => h.conversationId)).toContain('conv-000099');
    await store.close();
  }, 120_000);

  it('exports to Markdown and JSON and imports the JSON back, branches and all', async () => {
    const downloads = await mkdtemp(join(tmpdir(), 'poddesk-downloads-'));
    const app = await chatApp(server.url, { hostFiles: downloadsFolder(join(downloads, 'Downloads')) });
    try {
      const c = await ok<Conversation>(app.dispatcher.call('chat.create', { model: 'llama3.2:latest', system: 'Be brief.' }));
      await ok(app.dispatcher.call('chat.send', { conversationId: c.id, content: 'first question' }));
      await settled(app, c.id);
      const reply = (await ok<Conversation>(app.dispatcher.call('chat.get', { id: c.id }))).messages.at(-1)!;
      await ok(app.dispatcher.call('chat.regenerate', { conversationId: c.id, messageId: reply.id }));
      await settled(app, c.id);
      const state = await app.chatStore.get(c.id);
      const markdown = toMarkdown(state);
      expect(markdown).toContain('# first question');
      expect(markdown).toContain('## You\n\nfirst question');
      expect(markdown).toContain('## Assistant (llama3.2:latest)');
      expect(markdown).toContain('System prompt: Be brief.');

      const json = await toJson(app.chatStore, [state]);
      const { imported, skipped } = await importJson(app.chatStore, json);
      expect({ imported, skipped }).toEqual({ imported: 1, skipped: 0 });
      const copy = app.chatStore.list().find((s) => s.id !== c.id && s.title === 'first question')!;
      const restored = await app.chatStore.get(copy.id);
      expect([...restored.messages.values()].map((m) => m.content)).toEqual([...state.messages.values()].map((m) => m.content));
      expect(restored.header.system).toBe('Be brief.');
      expect(restored.header.leafId).toBe(state.header.leafId);

      const bad = await app.dispatcher.call('chat.import', { json: '{"format":"something-else"}' });
      expect(!bad.ok && bad.error.message).toMatch(/not a PodDesk chat export/);
      const notJson = await app.dispatcher.call('chat.import', { json: 'hello there' });
      expect(!notJson.ok && notJson.error.message).toMatch(/not JSON/);

      // chat.export writes where the host says (the browser host: the Downloads folder).
      const exported = await ok<{ path: string; count: number }>(
        app.dispatcher.call('chat.export', { format: 'markdown', ids: [c.id] }),
      );
      expect(exported.count).toBe(1);
      expect(exported.path).toMatch(/first question.*\.md$/);
      const { readFile, rm } = await import('node:fs/promises');
      expect(await readFile(exported.path, 'utf8')).toContain('## You');
      await rm(exported.path);
    } finally {
      await app.close();
    }
  });

  it('deletes a conversation with its file and images, and it stays deleted after a restart', async () => {
    const app = await chatApp(server.url);
    const c = await ok<Conversation>(app.dispatcher.call('chat.create', { model: 'llama3.2:latest' }));
    await ok(app.dispatcher.call('chat.send', { conversationId: c.id, content: 'to be deleted' }));
    await settled(app, c.id);
    await ok(app.dispatcher.call('chat.delete', { id: c.id }));
    expect(await readdir(join(app.dataDir, 'chat', 'conversations'))).not.toContain(`${c.id}.jsonl`);
    await app.close();
    const again = await chatApp(server.url, { dataDir: app.dataDir });
    try {
      expect((await ok<{ id: string }[]>(again.dispatcher.call('chat.list', undefined))).map((s) => s.id)).not.toContain(c.id);
      const gone = await again.dispatcher.call('chat.get', { id: c.id });
      expect(!gone.ok && gone.error.code).toBe('NOT_FOUND');
    } finally {
      await again.close();
    }
  });
});
