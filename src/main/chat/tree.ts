import type { ChatMessage } from '../../shared/contract';

/**
 * A conversation is a tree: editing a message or regenerating a reply adds a sibling, and the
 * old branch stays. What is on screen is the path from the root to one leaf.
 */
export function pathTo(messages: Map<string, ChatMessage>, leafId: string | null): ChatMessage[] {
  const path: ChatMessage[] = [];
  const seen = new Set<string>();
  for (let id = leafId; id !== null;) {
    const m = messages.get(id);
    if (!m || seen.has(id)) break;
    seen.add(id);
    path.push(m);
    id = m.parentId;
  }
  return path.reverse();
}

export function childrenOf(messages: Iterable<ChatMessage>, parentId: string | null): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of messages) if (m.parentId === parentId) out.push(m);
  return out.sort((a, b) => a.createdAt - b.createdAt);
}

/** The newest leaf under a message: where a branch continues when the user switches to it. */
export function latestLeaf(messages: Map<string, ChatMessage>, fromId: string): string {
  let current = fromId;
  for (let guard = 0; guard < messages.size; guard++) {
    const kids = childrenOf(messages.values(), current);
    const last = kids.at(-1);
    if (!last) break;
    current = last.id;
  }
  return current;
}
