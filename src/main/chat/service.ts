import { randomUUID } from 'node:crypto';
import type {
  ChatEvent,
  ChatMessage,
  Conversation,
  ConversationSettings,
  ImageRef,
  ImageUpload,
  ReplyStats,
} from '../../shared/contract';
import { AppError, type ErrorShape } from '../../shared/errors';
import type { OllamaEndpoint } from '../ollama/endpoint';
import { ollamaError } from '../ollama/errors';
import type { ConversationState } from './conversation-log';
import { checkImage } from './images';
import type { ChatStore } from './store';
import { childrenOf, latestLeaf } from './tree';
import { apiMessages, chatRequest, pathTo, type ApiMessage } from '../../shared/chat-request';
import { createExchanges, type Exchanges } from './exchanges';

/**
 * Conversations and their replies. A reply runs in main, independent of any window: leaving the
 * page or closing the window does not stop it, Stop does (the HTTP request to Ollama is
 * aborted). Every change is saved, then told to whoever watches the conversation.
 */
export interface ChatServiceDeps {
  store: ChatStore;
  endpoint: OllamaEndpoint;
  now?: () => number;
  log?: (message: string, error?: unknown) => void;
  exchanges?: Exchanges;
  /** A reply arrived whole (the Home page's checklist listens). */
  onReply?: () => void;
}

interface Running {
  messageId: string;
  controller: AbortController;
  abortStream: () => void;
  done: Promise<void>;
}

export function toConversation(state: ConversationState, streaming: boolean): Conversation {
  const { autoTitle: _autoTitle, ...header } = state.header;
  return { ...header, messageCount: state.messages.size, messages: [...state.messages.values()], streaming };
}

function headerEvent(state: ConversationState, streaming: boolean): ChatEvent {
  const { messages: _messages, ...conversation } = toConversation(state, streaming);
  return { type: 'conversation', conversation };
}

export function createChatService(deps: ChatServiceDeps) {
  const { store, endpoint } = deps;
  const now = deps.now ?? (() => Date.now());
  const log = deps.log ?? (() => undefined);
  const running = new Map<string, Running>();
  const watchers = new Map<string, Set<(event: ChatEvent) => void>>();
  const exchanges: Exchanges = deps.exchanges ?? createExchanges();

  const tell = (id: string, event: ChatEvent) => {
    for (const watcher of watchers.get(id) ?? []) watcher(event);
  };

  const saveImages = async (id: string, uploads: ImageUpload[]): Promise<ImageRef[]> => {
    // Check them all before saving any: a bad one refuses the message whole.
    const checked = uploads.map(checkImage);
    const refs: ImageRef[] = [];
    for (const image of checked) refs.push(await store.saveImage(id, image));
    return refs;
  };

  /** What Ollama is sent: the system prompt, then the branch up to the user's message. */
  const history = (state: ConversationState, upTo: string): Promise<ApiMessage[]> =>
    apiMessages(state.header.system, pathTo(state.messages, upTo), (m) =>
      Promise.all((m.images ?? []).map(async (ref) => (await store.readImage(state.header.id, ref.id)).toString('base64'))),
    );

  /** Streams one reply into `reply` (already saved as streaming) and saves how it ended. */
  const run = (state: ConversationState, reply: ChatMessage, userMessageId: string) => {
    const id = state.header.id;
    const controller = new AbortController();
    let stream: { abort(): void } | null = null;
    const entry: Running = { messageId: reply.id, controller, abortStream: () => stream?.abort(), done: Promise.resolve() };
    running.set(id, entry);

    entry.done = (async () => {
      const started = performance.now();
      let firstToken: number | undefined;
      let thinkingStarted: number | undefined;
      let thinkingEnded: number | undefined;
      let stats: ReplyStats | undefined;
      let error: ErrorShape | undefined;
      let host = '';
      try {
        const messages = await history(state, userMessageId);
        const found = await endpoint.client({ signal: controller.signal });
        host = found.host;
        if (controller.signal.aborted) throw new AppError('CANCELLED', 'Stopped');
        const request = chatRequest(state.header, messages);
        exchanges.begin(id, reply.id, `${found.host.replace(/\/+$/, '')}/api/chat`, request);
        const iterator = await found.client.chat(request);
        stream = iterator;
        if (controller.signal.aborted) iterator.abort();
        for await (const chunk of iterator) {
          exchanges.line(reply.id, chunk);
          const content = chunk.message?.content ?? '';
          const thinking = chunk.message?.thinking ?? '';
          if ((content || thinking) && firstToken === undefined) firstToken = performance.now();
          if (thinking) {
            thinkingStarted ??= performance.now();
            store.appendText(id, reply.id, { thinking });
            tell(id, { type: 'delta', id: reply.id, thinking });
          }
          if (content) {
            if (thinkingStarted !== undefined) thinkingEnded ??= performance.now();
            store.appendText(id, reply.id, { content });
            tell(id, { type: 'delta', id: reply.id, content });
          }
          if (chunk.done) {
            stats = {
              totalDuration: chunk.total_duration,
              loadDuration: chunk.load_duration,
              promptEvalCount: chunk.prompt_eval_count,
              promptEvalDuration: chunk.prompt_eval_duration,
              evalCount: chunk.eval_count,
              evalDuration: chunk.eval_duration,
              doneReason: chunk.done_reason,
            };
            if (chunk.eval_count && chunk.eval_duration) stats.tokensPerSecond = (chunk.eval_count / chunk.eval_duration) * 1e9;
          }
        }
      } catch (caught) {
        if (!controller.signal.aborted) {
          const shaped = ollamaError(caught, host || 'Ollama');
          if (shaped.code === 'OLLAMA_UNAVAILABLE') endpoint.lost();
          error = shaped.toJSON();
          exchanges.error(reply.id, shaped.message);
        }
      }
      const saved = store.has(id) ? state.messages.get(reply.id) : undefined;
      if (!saved) return; // the conversation was deleted meanwhile
      const final: ChatMessage = { ...saved };
      final.status = controller.signal.aborted ? 'stopped' : error ? 'error' : 'complete';
      if (error) final.error = error;
      if (stats || firstToken !== undefined) {
        final.stats = { ...(stats ?? {}) };
        if (firstToken !== undefined) final.stats.timeToFirstTokenMs = Math.round(firstToken - started);
      }
      if (thinkingStarted !== undefined) final.thinkingMs = Math.round((thinkingEnded ?? performance.now()) - thinkingStarted);
      try {
        await store.putMessage(id, final, { sync: true });
        await store.compact(id);
      } catch (saveError) {
        log('could not save a reply', saveError);
      }
      running.delete(id);
      if (final.status === 'complete') deps.onReply?.();
      tell(id, { type: 'message', message: final });
      tell(id, headerEvent(state, false));
    })();
    return entry;
  };

  const busy = (id: string) => {
    if (running.has(id))
      throw new AppError('CONFLICT', 'A reply is being written in this conversation: stop it or wait for it to end');
  };

  const needsModel = (state: ConversationState) => {
    if (!state.header.model) throw new AppError('INVALID_INPUT', 'Choose a model for this conversation first');
  };

  const startReply = async (state: ConversationState, parentId: string): Promise<ChatMessage> => {
    const reply: ChatMessage = {
      id: randomUUID(),
      parentId,
      role: 'assistant',
      content: '',
      model: state.header.model,
      createdAt: now(),
      status: 'streaming',
    };
    await store.putMessage(state.header.id, reply, { sync: true });
    await store.setLeaf(state.header.id, reply.id);
    tell(state.header.id, { type: 'message', message: reply });
    run(state, reply, parentId);
    tell(state.header.id, headerEvent(state, true));
    return reply;
  };

  return {
    async create(settings: Partial<ConversationSettings>) {
      return toConversation(await store.create(settings), false);
    },
    async get(id: string) {
      return toConversation(await store.get(id), running.has(id));
    },
    async update(id: string, patch: Partial<ConversationSettings> & { title?: string; pinned?: boolean }) {
      const state = await store.updateHeader(id, patch);
      tell(id, headerEvent(state, running.has(id)));
      return toConversation(state, running.has(id));
    },
    async delete(id: string) {
      const active = running.get(id);
      if (active) {
        active.controller.abort();
        active.abortStream();
        await active.done.catch(() => undefined);
      }
      await store.delete(id);
      tell(id, { type: 'removed' });
    },
    async send(args: { conversationId: string; content: string; images: ImageUpload[]; parentId?: string | null }) {
      const id = args.conversationId;
      const state = await store.get(id);
      busy(id);
      needsModel(state);
      const parentId = args.parentId === undefined ? state.header.leafId : args.parentId;
      if (parentId !== null && !state.messages.has(parentId)) throw new AppError('NOT_FOUND', 'The message to answer is gone');
      if (parentId !== null && state.messages.get(parentId)!.role !== 'assistant')
        throw new AppError('INVALID_INPUT', 'A new message follows a reply, not another message of yours');
      const images = await saveImages(id, args.images);
      const userMessage: ChatMessage = {
        id: randomUUID(),
        parentId,
        role: 'user',
        content: args.content,
        createdAt: now(),
        status: 'complete',
      };
      if (images.length) userMessage.images = images;
      await store.putMessage(id, userMessage, { sync: true });
      tell(id, { type: 'message', message: userMessage });
      const assistantMessage = await startReply(state, userMessage.id);
      return { userMessage, assistantMessage };
    },
    async regenerate(conversationId: string, messageId: string) {
      const state = await store.get(conversationId);
      busy(conversationId);
      needsModel(state);
      const target = state.messages.get(messageId);
      if (!target) throw new AppError('NOT_FOUND', 'No such message');
      const userMessageId = target.role === 'assistant' ? target.parentId : target.id;
      if (!userMessageId || state.messages.get(userMessageId)?.role !== 'user')
        throw new AppError('INVALID_INPUT', 'Only a reply to one of your messages can be regenerated');
      return startReply(state, userMessageId);
    },
    async stop(conversationId: string) {
      const active = running.get(conversationId);
      if (!active) return;
      active.controller.abort();
      // The package's own handle closes the HTTP response the reply is streaming on.
      active.abortStream();
      await active.done;
    },
    async switchBranch(conversationId: string, messageId: string) {
      const state = await store.get(conversationId);
      if (!state.messages.has(messageId)) throw new AppError('NOT_FOUND', 'No such message');
      busy(conversationId);
      const leaf = latestLeaf(state.messages, messageId);
      await store.setLeaf(conversationId, leaf);
      tell(conversationId, headerEvent(state, false));
    },
    siblings(state: ConversationState, message: ChatMessage) {
      return childrenOf(state.messages.values(), message.parentId);
    },
    /** A snapshot first, then every change, until the signal aborts. */
    async watch(id: string, emit: (event: ChatEvent) => void, signal: AbortSignal) {
      const state = await store.get(id);
      let set = watchers.get(id);
      if (!set) watchers.set(id, (set = new Set()));
      set.add(emit);
      emit({ type: 'snapshot', conversation: toConversation(state, running.has(id)) });
      try {
        await new Promise<void>((resolve) => {
          if (signal.aborted) return resolve();
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
      } finally {
        set.delete(emit);
        if (set.size === 0) watchers.delete(id);
      }
    },
    /** Null when the reply is not among the last ones recorded since PodDesk started. */
    async exchange(conversationId: string, messageId: string) {
      await store.get(conversationId);
      return exchanges.get(conversationId, messageId) ?? null;
    },
    isRunning: (id: string) => running.has(id),
    /** Stops every reply (the app is quitting): each is saved as stopped. */
    async close() {
      await Promise.all(
        [...running.values()].map((r) => {
          r.controller.abort();
          r.abortStream();
          return r.done.catch(() => undefined);
        }),
      );
      await store.close();
    },
  };
}

export type ChatService = ReturnType<typeof createChatService>;
