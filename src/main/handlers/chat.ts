import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ChatService } from '../chat/service';
import type { ChatStore } from '../chat/store';
import type { presetStore } from '../chat/presets';
import { createSearch } from '../chat/search';
import { importJson, toJson, toMarkdown } from '../chat/transfer';
import type { HostFiles } from '../host-files';
import { saveText } from '../save-file';
import { untilAborted, type CallHandlers, type StreamHandlers } from '../rpc/handlers';

export function chatHandlers(chat: ChatService, store: ChatStore, presets: ReturnType<typeof presetStore>, hostFiles: HostFiles) {
  const search = createSearch(store);
  const calls = {
    'chat.list': () => store.list(),
    'chat.create': (settings) => chat.create(settings),
    'chat.get': ({ id }) => chat.get(id),
    'chat.update': async ({ id, ...patch }) => {
      const c = await chat.update(id, patch);
      const { messages: _m, system: _s, params: _p, think: _t, leafId: _l, streaming: _st, ...summary } = c;
      return summary;
    },
    'chat.delete': ({ id }) => chat.delete(id),
    'chat.send': (args) => chat.send(args),
    'chat.regenerate': ({ conversationId, messageId }) => chat.regenerate(conversationId, messageId),
    'chat.stop': ({ conversationId }) => chat.stop(conversationId),
    'chat.exchange': ({ conversationId, messageId }) => chat.exchange(conversationId, messageId),
    'chat.switchBranch': ({ conversationId, messageId }) => chat.switchBranch(conversationId, messageId),
    'chat.search': ({ query, limit }) => search(query, limit),
    'chat.export': async ({ ids, format }) => {
      const chosen = ids ?? store.list().map((s) => s.id);
      const states = [];
      for (const id of chosen) {
        const state = await store.peek(id);
        if (state) states.push(state);
      }
      const single =
        states.length === 1
          ? states[0]!.header.title
              .replace(/[^\w .-]+/g, '')
              .trim()
              .slice(0, 60) || 'conversation'
          : 'conversations';
      const path = await hostFiles.chooseSavePath({
        suggestedName: `${single}.${format === 'json' ? 'json' : 'md'}`,
        title: 'Export conversations',
      });
      if (!path) return null;
      const text = format === 'json' ? await toJson(store, states) : states.map(toMarkdown).join('\n---\n\n');
      await mkdir(dirname(path), { recursive: true });
      await saveText(path, text, { mode: 0o600 });
      return { path, count: states.length };
    },
    'chat.import': ({ json }) => importJson(store, json),
    'chat.image': async ({ conversationId, id }) => {
      const state = await store.get(conversationId);
      const ref = [...state.messages.values()].flatMap((m) => m.images ?? []).find((i) => i.id === id);
      const bytes = await store.readImage(conversationId, id);
      return { mime: ref?.mime ?? 'application/octet-stream', data: bytes.toString('base64') };
    },
    'chat.presets': () => presets.all(),
    'chat.savePreset': (preset) => presets.save(preset),
    'chat.deletePreset': ({ id }) => presets.remove(id),
  } satisfies Partial<CallHandlers>;
  const streams = {
    'chat.conversations': async (_args, emit, signal) => {
      const unsubscribe = store.subscribe(emit);
      await untilAborted(signal);
      unsubscribe();
    },
    'chat.watch': ({ id }, emit, signal) => chat.watch(id, emit, signal),
  } satisfies Partial<StreamHandlers>;
  return { calls, streams };
}
