import { useEffect, useState } from 'react';
import type { ChatEvent, ChatMessage, Conversation } from '../../../../shared/contract';
import { subscribe, type CallError } from '../../api/client';

/**
 * A conversation, live: the snapshot main sends first, then its changes. Tokens arrive in
 * batches (main sends at most ~30 a second); they are applied once per animation frame, and
 * only the message that changed gets a new object (the others keep theirs, and their render).
 */
export interface ConversationState {
  conversation: Conversation | null;
  removed: boolean;
  error?: CallError;
}

export function applyEvents(
  current: Conversation | null,
  events: ChatEvent[],
): { conversation: Conversation | null; removed: boolean } {
  let conversation = current;
  let removed = false;
  let messages: ChatMessage[] | null = null;
  let index: Map<string, number> | null = null;
  const own = () => {
    if (!messages) messages = conversation ? conversation.messages.slice() : [];
    if (!index) index = new Map(messages.map((m, i) => [m.id, i]));
    return { messages, index };
  };
  for (const event of events) {
    if (event.type === 'snapshot') {
      conversation = event.conversation;
      messages = null;
      index = null;
    } else if (event.type === 'removed') {
      removed = true;
    } else if (!conversation) {
      continue;
    } else if (event.type === 'conversation') {
      conversation = { ...conversation, ...event.conversation, messages: messages ?? conversation.messages };
    } else if (event.type === 'message') {
      const own_ = own();
      const i = own_.index.get(event.message.id);
      if (i === undefined) {
        own_.index.set(event.message.id, own_.messages.length);
        own_.messages.push(event.message);
      } else own_.messages[i] = event.message;
    } else if (event.type === 'delta') {
      const own_ = own();
      const i = own_.index.get(event.id);
      if (i === undefined) continue;
      const m = own_.messages[i]!;
      own_.messages[i] = {
        ...m,
        content: event.content ? m.content + event.content : m.content,
        ...(event.thinking ? { thinking: (m.thinking ?? '') + event.thinking } : {}),
      };
    }
  }
  if (conversation && messages) conversation = { ...conversation, messages };
  return { conversation, removed };
}

export function useConversation(id: string | null): ConversationState {
  const [state, setState] = useState<ConversationState>({ conversation: null, removed: false });
  // The view is keyed by conversation: a new id mounts a new hook, with fresh state.
  useEffect(() => {
    if (!id) return;
    let pending: ChatEvent[] = [];
    let frame = 0;
    const flush = () => {
      frame = 0;
      const events = pending;
      pending = [];
      setState((s) => {
        const next = applyEvents(s.conversation, events);
        return { ...s, conversation: next.conversation, removed: s.removed || next.removed };
      });
    };
    const stop = subscribe(
      'chat.watch',
      { id },
      {
        onItems: (items) => {
          pending.push(...items);
          if (!frame) frame = requestAnimationFrame(flush);
        },
        onEnd: (error) => setState((s) => ({ ...s, error })),
      },
    );
    return () => {
      stop();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [id]);
  return state;
}

/** The branch on screen, root first. */
export function branch(conversation: Conversation): ChatMessage[] {
  const byId = new Map(conversation.messages.map((m) => [m.id, m]));
  const path: ChatMessage[] = [];
  for (let id = conversation.leafId; id;) {
    const m = byId.get(id);
    if (!m || path.includes(m)) break;
    path.push(m);
    id = m.parentId;
  }
  return path.reverse();
}

/** Siblings of a message (other versions of it), oldest first. */
export function siblings(conversation: Conversation, message: ChatMessage): ChatMessage[] {
  return conversation.messages.filter((m) => m.parentId === message.parentId).sort((a, b) => a.createdAt - b.createdAt);
}
