import type { ChatMessage, Conversation, ConversationSummary } from '../../shared/contract';

/**
 * A conversation as its journal stores it. Records, one per line:
 *   {t:'h', h: header}           settings and title (the last one wins)
 *   {t:'m', m: message}          a message, whole (the last one for an id wins)
 *   {t:'d', id, c?, k?}          text appended to a message's content (c) or thinking (k)
 *   {t:'l', id}                  the leaf of the branch on screen
 * Streaming appends 'd' records a few times a second; when a reply ends the file is compacted
 * (rewritten atomically as one header and one record per message).
 */
export type Header = Omit<Conversation, 'messages' | 'streaming' | 'messageCount'> & {
  /** The title follows the first message until the user renames it. */
  autoTitle: boolean;
};

export type LogRecord =
  | { t: 'h'; h: Header }
  | { t: 'm'; m: ChatMessage }
  | { t: 'd'; id: string; c?: string; k?: string }
  | { t: 'l'; id: string | null };

export interface ConversationState {
  header: Header;
  messages: Map<string, ChatMessage>;
  /** Records since the last compaction. */
  records: number;
}

export function replay(records: LogRecord[]): ConversationState | null {
  let header: Header | null = null;
  const messages = new Map<string, ChatMessage>();
  let count = 0;
  for (const r of records) {
    count++;
    if (!r || typeof r !== 'object') continue;
    if (r.t === 'h' && r.h && typeof r.h.id === 'string') header = { ...r.h };
    else if (r.t === 'm' && r.m && typeof r.m.id === 'string') messages.set(r.m.id, { ...r.m });
    else if (r.t === 'd') {
      const m = messages.get(r.id);
      if (!m) continue;
      if (r.c) m.content += r.c;
      if (r.k) m.thinking = (m.thinking ?? '') + r.k;
    } else if (r.t === 'l' && header) header.leafId = r.id;
  }
  if (!header) return null;
  if (header.leafId && !messages.has(header.leafId)) header.leafId = [...messages.keys()].at(-1) ?? null;
  return { header, messages, records: count };
}

export function compacted(state: ConversationState): LogRecord[] {
  return [{ t: 'h', h: state.header }, ...[...state.messages.values()].map((m): LogRecord => ({ t: 'm', m }))];
}

export function summaryOf(state: ConversationState): ConversationSummary {
  const h = state.header;
  return {
    id: h.id,
    title: h.title,
    createdAt: h.createdAt,
    updatedAt: h.updatedAt,
    pinned: h.pinned,
    model: h.model,
    messageCount: state.messages.size,
  };
}

export function titleFrom(text: string): string {
  const line = text
    .replace(/[#*_`>[\]]/g, '')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  if (!line) return 'New conversation';
  return line.length > 60 ? `${line.slice(0, 57).trimEnd()}…` : line;
}
