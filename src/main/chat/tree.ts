import type { ChatMessage } from '../../shared/contract';

/**
 * A conversation is a tree: editing a message or regenerating a reply adds a sibling, and the
 * old branch stays. What is on screen is the path from the root to one leaf (`pathTo`, shared with
 * the page, which builds the same request for its code snippets).
 */
export { pathTo } from '../../shared/chat-request';

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
