import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChatMessage, ConversationSettings, ConversationSummary, ImageRef, LiveChange } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { writeFileAtomic } from '../store/atomic-file';
import { compacted, replay, summaryOf, titleFrom, type ConversationState, type Header, type LogRecord } from './conversation-log';
import type { CheckedImage } from './images';
import { appendRecords, parseJournal, readJournal, repairJournal } from './journal';

/**
 * Chat history on disk, in plain Node:
 *   chat/conversations/<id>.jsonl   one journal per conversation (conversation-log.ts)
 *   chat/index.jsonl                summaries for the sidebar, append-only, compacted when long
 *   chat/images/<id>/<sha256>       attached images, per conversation (deleted with it)
 * Every change appends a few lines to one conversation's journal (and, when the sidebar shows
 * it, one line to the index): writes are proportional to the change. Streaming text is
 * appended in small batches; a reply is compacted into its conversation's file when it ends.
 * A crash loses at most the text of the reply being streamed since its last batch.
 */
export interface ChatStore {
  dir: string;
  list(): ConversationSummary[];
  subscribe(listener: (change: LiveChange<ConversationSummary>) => void): () => void;
  create(settings: Partial<ConversationSettings>): Promise<ConversationState>;
  /** Loaded (from disk the first time). Throws NOT_FOUND. */
  get(id: string): Promise<ConversationState>;
  has(id: string): boolean;
  updateHeader(id: string, patch: Partial<Header>): Promise<ConversationState>;
  delete(id: string): Promise<void>;
  /** Adds or replaces a whole message; `sync` makes it durable before resolving. */
  putMessage(id: string, message: ChatMessage, options?: { sync?: boolean; touch?: boolean }): Promise<void>;
  /** Appends streamed text (in memory now, on disk with the next batch). */
  appendText(id: string, messageId: string, part: { content?: string; thinking?: string }): void;
  setLeaf(id: string, leafId: string | null): Promise<void>;
  /** Rewrites one conversation's journal as its current state (after a reply ends). */
  compact(id: string): Promise<void>;
  saveImage(id: string, image: CheckedImage): Promise<ImageRef>;
  readImage(id: string, imageId: string): Promise<Buffer>;
  /** Reads a conversation without keeping it loaded (search, export). */
  peek(id: string): Promise<ConversationState | null>;
  /** Writes whatever is waiting (streamed text) and resolves when every write is done. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

type IndexRecord = ConversationSummary | { id: string; deleted: true };

export interface ChatStoreOptions {
  /** How often streamed text is appended to the journal. */
  batchMs?: number;
  now?: () => number;
  /** Loaded conversations kept in memory. */
  cacheSize?: number;
}

const DEFAULT_SETTINGS: ConversationSettings = { model: '', system: '', params: {}, think: null };

export async function openChatStore(dir: string, options: ChatStoreOptions = {}): Promise<ChatStore> {
  const batchMs = options.batchMs ?? 200;
  const now = options.now ?? (() => Date.now());
  const cacheSize = options.cacheSize ?? 64;
  const convDir = join(dir, 'conversations');
  const imageDir = join(dir, 'images');
  const indexPath = join(dir, 'index.jsonl');
  await mkdir(convDir, { recursive: true, mode: 0o700 });
  await mkdir(imageDir, { recursive: true, mode: 0o700 });

  const fileOf = (id: string) => join(convDir, `${id}.jsonl`);
  const summaries = new Map<string, ConversationSummary>();
  const loaded = new Map<string, ConversationState>();
  const queues = new Map<string, Promise<unknown>>();
  const pending = new Map<string, LogRecord[]>();
  const listeners = new Set<(change: LiveChange<ConversationSummary>) => void>();
  let indexLines = 0;
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  /** One write at a time per file, in order. */
  const queue = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const previous = queues.get(key) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    queues.set(key, settled);
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key);
    });
    return next;
  };

  const emit = (change: LiveChange<ConversationSummary>) => {
    for (const listener of listeners) listener(change);
  };

  // --- the index -------------------------------------------------------------------------

  const writeIndex = (records: IndexRecord[]) =>
    queue('index', async () => {
      indexLines += records.length;
      await appendRecords(indexPath, records);
      if (indexLines > 2 * summaries.size + 1_000) {
        const lines = [...summaries.values()].map((s) => JSON.stringify(s)).join('\n');
        await writeFileAtomic(indexPath, lines ? `${lines}\n` : '');
        indexLines = summaries.size;
      }
    });

  const publishSummary = async (state: ConversationState) => {
    const summary = summaryOf(state);
    summaries.set(summary.id, summary);
    emit({ type: 'upsert', item: summary });
    await writeIndex([summary]);
  };

  const openIndex = async () => {
    const journal = await readJournal<IndexRecord>(indexPath);
    if (journal) {
      if (journal.torn) await repairJournal(indexPath, journal);
      for (const r of journal.records) {
        if (!r || typeof r.id !== 'string') continue;
        if ('deleted' in r) summaries.delete(r.id);
        else summaries.set(r.id, r);
      }
      indexLines = journal.records.length;
    }
    // The conversation files are the truth: the index may miss one created just before a
    // crash, or list one deleted just before it.
    const files = new Set((await readdir(convDir)).filter((f) => f.endsWith('.jsonl')).map((f) => f.slice(0, -6)));
    const fixes: IndexRecord[] = [];
    for (const id of [...summaries.keys()]) {
      if (!files.has(id)) {
        summaries.delete(id);
        fixes.push({ id, deleted: true });
      }
    }
    for (const id of files) {
      if (summaries.has(id)) continue;
      const state = await peek(id);
      if (!state) continue;
      const summary = summaryOf(state);
      summaries.set(id, summary);
      fixes.push(summary);
    }
    if (fixes.length) await writeIndex(fixes);
  };

  // --- conversations ---------------------------------------------------------------------

  const peek = async (id: string): Promise<ConversationState | null> => {
    const cached = loaded.get(id);
    if (cached) return cached;
    let text: string;
    try {
      text = await readFile(fileOf(id), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return replay(parseJournal<LogRecord>(text).records);
  };

  const evict = () => {
    if (loaded.size <= cacheSize) return;
    for (const [id] of loaded) {
      if (loaded.size <= cacheSize) break;
      if (pending.has(id) || queues.has(id)) continue;
      const state = loaded.get(id)!;
      if ([...state.messages.values()].some((m) => m.status === 'streaming')) continue;
      loaded.delete(id);
    }
  };

  const load = async (id: string): Promise<ConversationState> => {
    const cached = loaded.get(id);
    if (cached) return cached;
    return queue(id, async () => {
      const again = loaded.get(id);
      if (again) return again;
      const journal = await readJournal<LogRecord>(fileOf(id));
      const state = journal ? replay(journal.records) : null;
      if (!journal || !state) throw new AppError('NOT_FOUND', 'No such conversation (it may have been deleted)', { id });
      if (journal.torn) await repairJournal(fileOf(id), journal);
      // A reply that was streaming when the app ended stays, marked as interrupted.
      let recovered = false;
      for (const m of state.messages.values()) {
        if (m.status === 'streaming') {
          m.status = 'interrupted';
          recovered = true;
        }
      }
      if (recovered || journal.skipped > 0 || state.records > state.messages.size * 4 + 16) {
        await writeFileAtomic(fileOf(id), serialize(state));
        state.records = state.messages.size + 1;
      }
      loaded.set(id, state);
      evict();
      return state;
    });
  };

  const serialize = (state: ConversationState) =>
    compacted(state)
      .map((r) => JSON.stringify(r))
      .join('\n') + '\n';

  const append = (id: string, records: LogRecord[], sync = false) =>
    queue(id, async () => {
      const state = loaded.get(id);
      if (state) state.records += records.length;
      await appendRecords(fileOf(id), records, sync);
    });

  const flushPending = async (id: string) => {
    const records = pending.get(id);
    if (!records) return;
    pending.delete(id);
    await append(id, records);
  };

  const scheduleFlush = () => {
    if (flushTimer || closed) return;
    flushTimer = setTimeout(() => {
      flushTimer = null;
      for (const id of [...pending.keys()]) void flushPending(id).catch(() => undefined);
    }, batchMs);
  };

  await openIndex();

  const store: ChatStore = {
    dir,
    list: () => [...summaries.values()],
    subscribe(listener) {
      listeners.add(listener);
      listener({ type: 'reset', items: [...summaries.values()] });
      return () => listeners.delete(listener);
    },
    async create(settings) {
      const id = randomUUID();
      const at = now();
      const header: Header = {
        id,
        title: 'New conversation',
        autoTitle: true,
        createdAt: at,
        updatedAt: at,
        pinned: false,
        leafId: null,
        ...DEFAULT_SETTINGS,
        ...settings,
        params: { ...(settings.params ?? {}) },
      };
      const state: ConversationState = { header, messages: new Map(), records: 1 };
      await queue(id, () => writeFileAtomic(fileOf(id), serialize(state)));
      loaded.set(id, state);
      evict();
      await publishSummary(state);
      return state;
    },
    get: load,
    has: (id) => summaries.has(id),
    async updateHeader(id, patch) {
      const state = await load(id);
      const header = { ...state.header, ...patch, id, updatedAt: patch.updatedAt ?? now() };
      if (patch.title !== undefined && patch.autoTitle === undefined) header.autoTitle = false;
      state.header = header;
      await append(id, [{ t: 'h', h: header }], true);
      await publishSummary(state);
      return state;
    },
    async delete(id) {
      if (!summaries.has(id) && !loaded.has(id)) throw new AppError('NOT_FOUND', 'No such conversation', { id });
      pending.delete(id);
      await queue(id, async () => {
        // The file first: an index that still lists a missing file is mended on the next start.
        await rm(fileOf(id), { force: true });
        await rm(join(imageDir, id), { recursive: true, force: true });
      });
      loaded.delete(id);
      summaries.delete(id);
      emit({ type: 'remove', id });
      await writeIndex([{ id, deleted: true }]);
    },
    async putMessage(id, message, { sync = false, touch = true } = {}) {
      const state = await load(id);
      await flushPending(id);
      const isNew = !state.messages.has(message.id);
      state.messages.set(message.id, { ...message });
      const records: LogRecord[] = [{ t: 'm', m: message }];
      if (touch) {
        state.header.updatedAt = now();
        if (
          state.header.autoTitle &&
          message.role === 'user' &&
          ![...state.messages.values()].some((m) => m.id !== message.id && m.role === 'user')
        ) {
          state.header.title = titleFrom(message.content || (message.images?.length ? 'Image' : ''));
        }
        records.push({ t: 'h', h: state.header });
      }
      await append(id, records, sync);
      if (touch || isNew) await publishSummary(state);
    },
    appendText(id, messageId, part) {
      const state = loaded.get(id);
      const message = state?.messages.get(messageId);
      if (!message) return;
      if (part.content) message.content += part.content;
      if (part.thinking) message.thinking = (message.thinking ?? '') + part.thinking;
      const records = pending.get(id) ?? [];
      const last = records.at(-1);
      // Consecutive pieces of one message join into one record (content and thinking are separate texts).
      if (last && last.t === 'd' && last.id === messageId) {
        if (part.content) last.c = (last.c ?? '') + part.content;
        if (part.thinking) last.k = (last.k ?? '') + part.thinking;
      } else {
        const record: LogRecord = { t: 'd', id: messageId };
        if (part.content) record.c = part.content;
        if (part.thinking) record.k = part.thinking;
        records.push(record);
      }
      pending.set(id, records);
      scheduleFlush();
    },
    async setLeaf(id, leafId) {
      const state = await load(id);
      state.header.leafId = leafId;
      await append(id, [{ t: 'l', id: leafId }]);
    },
    async compact(id) {
      const state = loaded.get(id);
      if (!state) return;
      pending.delete(id);
      await queue(id, async () => {
        await writeFileAtomic(fileOf(id), serialize(state));
        state.records = state.messages.size + 1;
      });
    },
    async saveImage(id, image) {
      const folder = join(imageDir, id);
      await mkdir(folder, { recursive: true, mode: 0o700 });
      await writeFileAtomic(join(folder, image.id), image.bytes);
      return { id: image.id, mime: image.mime, name: image.name, size: image.bytes.length };
    },
    async readImage(id, imageId) {
      try {
        return await readFile(join(imageDir, id, imageId));
      } catch {
        throw new AppError('NOT_FOUND', 'The image is no longer stored', { id, imageId });
      }
    },
    peek,
    async flush() {
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = null;
      await Promise.all([...pending.keys()].map(flushPending));
      await Promise.all([...queues.values()]);
    },
    async close() {
      await store.flush();
      closed = true;
    },
  };
  return store;
}
