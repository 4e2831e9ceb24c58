import { describe, expect, it } from 'vitest';
import { contextUse } from '../../../src/renderer/src/pages/chat/context-use';
import { applyEvents, branch, siblings } from '../../../src/renderer/src/pages/chat/useConversation';
import type { ChatEvent, ChatMessage, Conversation, ModelDetails } from '../../../src/shared/contract';

const message = (
  id: string,
  parentId: string | null,
  role: ChatMessage['role'],
  createdAt: number,
  content = '',
): ChatMessage => ({
  id,
  parentId,
  role,
  content,
  createdAt,
  status: 'complete',
});

function conversation(messages: ChatMessage[], leafId: string | null): Conversation {
  return {
    id: 'conv-0001',
    title: 'T',
    createdAt: 0,
    updatedAt: 0,
    pinned: false,
    model: 'llama3.2:latest',
    messageCount: messages.length,
    system: '',
    params: {},
    think: null,
    messages,
    leafId,
    streaming: false,
  };
}

describe('a conversation in the page, from its events', () => {
  it('applies a frame of token deltas at once, and only the streaming message gets a new object', () => {
    const user = message('user-0001', null, 'user', 1, 'hi');
    const reply = { ...message('reply-0001', 'user-0001', 'assistant', 2), status: 'streaming' as const };
    const start = conversation([user, reply], 'reply-0001');
    const frame: ChatEvent[] = [
      { type: 'delta', id: 'reply-0001', thinking: 'hmm ' },
      { type: 'delta', id: 'reply-0001', content: 'Hel' },
      { type: 'delta', id: 'reply-0001', content: 'lo' },
      { type: 'delta', id: 'nobody-01', content: 'lost' },
    ];
    const { conversation: next, removed } = applyEvents(start, frame);
    expect(removed).toBe(false);
    expect(next!.messages[1]).toMatchObject({ content: 'Hello', thinking: 'hmm ', status: 'streaming' });
    // The user's message keeps its object: its memoized view does not render again.
    expect(next!.messages[0]).toBe(user);
    expect(next).not.toBe(start);
    expect(start.messages[1]!.content).toBe('');
  });

  it('takes whole messages, settings and snapshots in order, and notes removal', () => {
    const user = message('user-0001', null, 'user', 1, 'hi');
    const start = conversation([user], 'user-0001');
    const reply = message('reply-0001', 'user-0001', 'assistant', 2, 'Hello');
    const { conversation: next } = applyEvents(start, [
      { type: 'message', message: { ...reply, status: 'streaming', content: '' } },
      { type: 'delta', id: 'reply-0001', content: 'Hel' },
      { type: 'message', message: reply },
      { type: 'conversation', conversation: { ...start, title: 'Greetings', leafId: 'reply-0001', streaming: false } },
    ]);
    expect(next!.title).toBe('Greetings');
    expect(next!.messages.map((m) => [m.id, m.content, m.status])).toEqual([
      ['user-0001', 'hi', 'complete'],
      ['reply-0001', 'Hello', 'complete'],
    ]);
    const snapshot = conversation([], null);
    expect(
      applyEvents(next, [
        { type: 'delta', id: 'reply-0001', content: 'x' },
        { type: 'snapshot', conversation: snapshot },
      ]),
    ).toEqual({
      conversation: snapshot,
      removed: false,
    });
    expect(applyEvents(next, [{ type: 'removed' }]).removed).toBe(true);
    // Nothing to apply to before the snapshot arrives.
    expect(applyEvents(null, [{ type: 'delta', id: 'reply-0001', content: 'x' }]).conversation).toBeNull();
  });

  it('shows the branch through the leaf, and the versions of a message oldest first', () => {
    const q = message('user-0001', null, 'user', 1, 'first question');
    const a1 = message('reply-0001', 'user-0001', 'assistant', 2);
    const a2 = message('reply-0002', 'user-0001', 'assistant', 5);
    const edit = message('user-0002', null, 'user', 3, 'edited question');
    const a3 = message('reply-0003', 'user-0002', 'assistant', 4);
    const c = conversation([q, a2, a1, edit, a3], 'reply-0002');
    expect(branch(c).map((m) => m.id)).toEqual(['user-0001', 'reply-0002']);
    expect(siblings(c, a2).map((m) => m.id)).toEqual(['reply-0001', 'reply-0002']);
    expect(siblings(c, q).map((m) => m.id)).toEqual(['user-0001', 'user-0002']);
    expect(branch({ ...c, leafId: 'reply-0003' }).map((m) => m.id)).toEqual(['user-0002', 'reply-0003']);
    expect(branch({ ...c, leafId: null })).toEqual([]);
    // A damaged parent chain (a loop) ends instead of hanging the page.
    const loop = conversation(
      [message('loop-0001', 'loop-0002', 'user', 1), message('loop-0002', 'loop-0001', 'assistant', 2)],
      'loop-0002',
    );
    expect(branch(loop).map((m) => m.id)).toEqual(['loop-0001', 'loop-0002']);
  });
});

describe('how full the context window is', () => {
  const details = { numCtx: 8192, contextLength: 131_072 } as ModelDetails;

  it('counts from the last reply Ollama measured, plus an estimate (4 characters a token) for what came after', () => {
    const q = message('user-0001', null, 'user', 1, 'x'.repeat(400));
    const a = {
      ...message('reply-0001', 'user-0001', 'assistant', 2, 'y'.repeat(400)),
      stats: { promptEvalCount: 900, evalCount: 100 },
    };
    const next = message('user-0002', 'reply-0001', 'user', 3, 'z'.repeat(40));
    const c = conversation([q, a, next], 'user-0002');
    expect(contextUse([q, a, next], c, details)).toEqual({ used: 1010, limit: 8192, max: 131_072 });
  });

  it('estimates from the text (system prompt included) before any reply was measured; num_ctx set here wins', () => {
    const q = message('user-0001', null, 'user', 1, 'x'.repeat(1000));
    const c = { ...conversation([q], 'user-0001'), system: 's'.repeat(200), params: { num_ctx: 512 } };
    expect(contextUse([q], c, details)).toEqual({ used: 300, limit: 512, max: 131_072 });
    // Neither the conversation nor the Modelfile sets num_ctx: Ollama's own default.
    expect(contextUse([q], conversation([q], 'user-0001'))).toEqual({ used: 250, limit: 4096, max: undefined });
  });
});
