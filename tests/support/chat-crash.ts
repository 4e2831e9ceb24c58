import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openChatStore } from '../../src/main/chat/store';

/**
 * Rounds of "chat, then SIGKILL at a random moment, then reopen the history": the integration
 * test runs a few (tests/integration/chat-store.test.ts), `npm run soak` runs a hundred
 * (scripts/soak.ts). A child process chats without pause and prints what it has saved; after each
 * kill the store is reopened and every reply the child reported saved must be there, whole.
 */
interface ChildReport {
  saved: { conversation: string; message: string; length: number; status: string }[];
  renamed: Map<string, string>;
}

/** Runs the chatting child until SIGKILL, `killAfterMs` after its first saved reply. */
function runAndKill(dir: string, ollamaUrl: string, killAfterMs: number): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../fixtures/chat-crash-child.ts')], {
      env: { ...process.env, CHAT_DIR: dir, OLLAMA_URL: ollamaUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const report: ChildReport = { saved: [], renamed: new Map() };
    let buffer = '';
    let stderr = '';
    let timer: ReturnType<typeof setTimeout> | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const [kind, a, b, c, d] = line.split(' ');
        if (kind === 'saved') report.saved.push({ conversation: a!, message: b!, length: Number(c), status: d! });
        if (kind === 'renamed' && line.split(' ').length > 2) report.renamed.set(a!, line.split(' ').slice(2).join(' '));
        if (kind === 'saved' && !timer) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`the child ended by itself (${code}): ${stderr}`));
      else resolve(report);
    });
  });
}

export interface CrashReport {
  rounds: number;
  /** Replies the child reported saved before a kill. */
  repliesSaved: number;
  /** Of those, missing after a reopen. */
  lost: number;
  /** Present but not whole: wrong length, not complete, no parent question, or a title that reverted. */
  corrupt: number;
  /** Files on disk the store did not list. */
  unlisted: number;
  /** Messages left "streaming" after a reopen (the reply in flight at the kill must read "interrupted"). */
  leftStreaming: number;
  /** Replies in flight at a kill, kept as "interrupted". */
  interruptedKept: number;
  problems: string[];
}

export async function crashRounds(options: { dir: string; ollamaUrl: string; rounds: number }): Promise<CrashReport> {
  const allSaved = new Map<string, { conversation: string; length: number }>();
  const titles = new Map<string, string>();
  const interrupted = new Set<string>();
  const report: CrashReport = {
    rounds: options.rounds,
    repliesSaved: 0,
    lost: 0,
    corrupt: 0,
    unlisted: 0,
    leftStreaming: 0,
    interruptedKept: 0,
    problems: [],
  };
  const problem = (text: string) => {
    if (report.problems.length < 20) report.problems.push(text);
  };
  for (let round = 0; round < options.rounds; round++) {
    const child = await runAndKill(options.dir, options.ollamaUrl, 50 + Math.floor(Math.random() * 700));
    for (const s of child.saved) allSaved.set(s.message, { conversation: s.conversation, length: s.length });
    for (const [id, title] of child.renamed) titles.set(id, title);

    const store = await openChatStore(options.dir);
    try {
      const files = (await readdir(join(options.dir, 'conversations'))).filter((f) => f.endsWith('.jsonl'));
      if (store.list().length !== files.length) {
        report.unlisted += files.length - store.list().length;
        problem(`round ${round}: ${files.length} files, ${store.list().length} listed`);
      }
      for (const [messageId, { conversation, length }] of allSaved) {
        const state = await store.get(conversation).catch(() => undefined);
        const message = state?.messages.get(messageId);
        if (!message) {
          report.lost++;
          problem(`round ${round}: reply ${messageId} lost`);
          continue;
        }
        const parent = state!.messages.get(message.parentId ?? '');
        if (message.status !== 'complete' || message.content.length !== length || parent?.role !== 'user') {
          report.corrupt++;
          problem(`round ${round}: reply ${messageId} is ${message.status}, ${message.content.length} of ${length} characters`);
        }
      }
      for (const [id, title] of titles) {
        if (store.list().find((s) => s.id === id)?.title !== title) {
          report.corrupt++;
          problem(`round ${round}: conversation ${id} lost its title`);
        }
      }
      for (const summary of store.list()) {
        const state = await store.get(summary.id);
        for (const m of state.messages.values()) {
          if (m.status === 'streaming') report.leftStreaming++;
          if (m.status === 'interrupted') interrupted.add(m.id);
        }
      }
    } finally {
      await store.close();
    }
  }
  report.repliesSaved = allSaved.size;
  report.interruptedKept = interrupted.size;
  return report;
}
