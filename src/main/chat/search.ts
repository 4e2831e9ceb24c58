import type { SearchHit } from '../../shared/contract';
import type { ConversationState } from './conversation-log';
import type { ChatStore } from './store';

/**
 * Full-text search across every conversation (all branches). A conversation's text is read
 * once and kept, lowercased, until the conversation changes; the first search over a large
 * history reads the files, the next ones run in memory.
 */
interface Entry {
  key: string;
  title: string;
  /** Lowercased title + messages, one after another. */
  text: string;
  original: string;
  parts: { messageId?: string; start: number; end: number }[];
}

function build(state: ConversationState, key: string): Entry {
  const parts: Entry['parts'] = [];
  let original = state.header.title;
  parts.push({ start: 0, end: original.length });
  for (const m of state.messages.values()) {
    original += '\n';
    const start = original.length;
    original += m.content;
    parts.push({ messageId: m.id, start, end: original.length });
  }
  return { key, title: state.header.title, text: original.toLowerCase(), original, parts };
}

function snippetAt(entry: Entry, index: number, length: number): { snippet: string; start: number } {
  const part = entry.parts.find((p) => index >= p.start && index <= p.end) ?? entry.parts[0]!;
  const from = Math.max(part.start, index - 60);
  const to = Math.min(part.end, index + length + 80);
  let snippet = entry.original.slice(from, to).replace(/\s+/g, ' ');
  let start = entry.original.slice(from, index).replace(/\s+/g, ' ').length;
  if (from > part.start) {
    snippet = `…${snippet}`;
    start += 1;
  }
  if (to < part.end) snippet = `${snippet}…`;
  return { snippet, start };
}

export function createSearch(store: ChatStore) {
  const cache = new Map<string, Entry>();

  const entryFor = async (id: string, key: string): Promise<Entry | null> => {
    const cached = cache.get(id);
    if (cached && cached.key === key) return cached;
    const state = await store.peek(id);
    if (!state) return null;
    const entry = build(state, key);
    cache.set(id, entry);
    return entry;
  };

  return async function search(query: string, limit: number): Promise<SearchHit[]> {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return [];
    const summaries = store.list().sort((a, b) => b.updatedAt - a.updatedAt);
    for (const id of cache.keys()) if (!store.has(id)) cache.delete(id);
    const hits: SearchHit[] = [];
    for (let i = 0; i < summaries.length && hits.length < limit; i += 32) {
      const batch = summaries.slice(i, i + 32);
      const entries = await Promise.all(batch.map((s) => entryFor(s.id, `${s.updatedAt}:${s.messageCount}:${s.title}`)));
      for (let j = 0; j < batch.length && hits.length < limit; j++) {
        const entry = entries[j];
        if (!entry || !words.every((w) => entry.text.includes(w))) continue;
        const phrase = query.toLowerCase().trim();
        const exact = entry.text.indexOf(phrase);
        const index = exact >= 0 ? exact : entry.text.indexOf(words[0]!);
        const length = exact >= 0 ? phrase.length : words[0]!.length;
        const part = entry.parts.find((p) => index >= p.start && index <= p.end);
        const { snippet, start } = snippetAt(entry, index, length);
        const hit: SearchHit = {
          conversationId: batch[j]!.id,
          title: entry.title,
          updatedAt: batch[j]!.updatedAt,
          snippet,
          match: { start, length },
        };
        if (part?.messageId) hit.messageId = part.messageId;
        hits.push(hit);
      }
    }
    return hits;
  };
}
