import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App, type AppDeps } from '../../src/main/app';
import type { ChatEvent, ChatMessage, Conversation } from '../../src/shared/contract';
import type { StreamEvent } from '../../src/shared/bridge';
import { memorySettings } from '../../src/main/store/settings';
import { waitFor } from './podman';

/**
 * The back end for chat tests: Ollama at the test server's address (the user's setting), its
 * own data folder, and no Podman connection unless a test connects one. Ollama's usual port is
 * swapped for a closed one: an Ollama (or an Ollama stack) running on this machine must not
 * answer for a test that expects none.
 */
export const NO_OLLAMA_HOST = 'http://127.0.0.1:1';

export async function chatApp(
  ollamaHost: string | null,
  overrides: Partial<AppDeps> & { dataDir?: string } = {},
): Promise<App & { dataDir: string }> {
  const dataDir = overrides.dataDir ?? (await mkdtemp(join(tmpdir(), 'poddesk-chat-')));
  const app = await createApp({
    settings: memorySettings({ ollamaHost }),
    dataDir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    log: () => undefined,
    ollamaDefaultHost: NO_OLLAMA_HOST,
    ...overrides,
  });
  return Object.assign(app, { dataDir });
}

export async function ok<T>(
  promise: Promise<{ ok: true; data: unknown } | { ok: false; error: { code: string; message: string } }>,
): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.data as T;
}

/** Opens a stream through a dispatcher session and collects what it emits. */
export function openStream<T>(app: App, name: string, input: unknown) {
  const items: T[] = [];
  let ended: { error?: { code: string; message: string } } | null = null;
  const session = app.dispatcher.session((event: StreamEvent) => {
    if (event.type === 'batch') items.push(...(event.items as T[]));
    else ended = { error: event.error };
  });
  const opened = session.open('s1', name, input);
  // Refused at once (bad input): the same as a stream that ended with that error.
  if (!opened.ok) ended = { error: opened.error };
  return {
    items,
    ended: () => ended,
    close: () => session.close('s1'),
    closeAll: () => session.closeAll(),
  };
}

export async function conversation(app: App, id: string): Promise<Conversation> {
  return ok<Conversation>(app.dispatcher.call('chat.get', { id }));
}

/** Waits until no reply is streaming in the conversation and returns the last assistant message. */
export async function settled(app: App, id: string, timeoutMs = 30_000): Promise<ChatMessage> {
  let last: ChatMessage | undefined;
  await waitFor(
    async () => {
      const c = await conversation(app, id);
      last = c.messages
        .filter((m) => m.role === 'assistant')
        .sort((a, b) => a.createdAt - b.createdAt)
        .at(-1);
      return !c.streaming && last !== undefined && last.status !== 'streaming';
    },
    'the reply to end',
    timeoutMs,
  );
  return last!;
}

export function deltas(events: ChatEvent[]): string {
  return events.map((e) => (e.type === 'delta' ? (e.content ?? '') : '')).join('');
}
