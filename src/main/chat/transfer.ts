import { z } from 'zod';
import type { ChatMessage } from '../../shared/contract';
import { conversationSettingsSchema } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { ConversationState } from './conversation-log';
import { checkImage } from './images';
import type { ChatStore } from './store';
import { pathTo } from './tree';

/** Export and import: Markdown (the branch on screen, for reading) and JSON (everything, for import). */
export const EXPORT_FORMAT = 'poddesk-chat';

function date(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16);
}

export function toMarkdown(state: ConversationState): string {
  const h = state.header;
  const lines = [`# ${h.title}`, '', `- Model: ${h.model || '—'}`, `- Started: ${date(h.createdAt)} UTC`];
  if (h.system.trim()) lines.push(`- System prompt: ${h.system.trim().replace(/\n+/g, ' ')}`);
  lines.push('');
  for (const m of pathTo(state.messages, h.leafId)) {
    lines.push(m.role === 'user' ? '## You' : `## Assistant${m.model ? ` (${m.model})` : ''}`, '');
    if (m.images?.length)
      lines.push(`_${m.images.length} image${m.images.length === 1 ? '' : 's'}: ${m.images.map((i) => i.name).join(', ')}_`, '');
    if (m.thinking) lines.push('<details><summary>Thinking</summary>', '', m.thinking.trim(), '', '</details>', '');
    lines.push(m.content.trim() || '_(empty)_', '');
    if (m.status === 'stopped') lines.push('_(stopped by the user)_', '');
    if (m.status === 'interrupted') lines.push('_(interrupted: the app ended during this reply)_', '');
    if (m.status === 'error') lines.push(`_(error: ${m.error?.message ?? 'unknown'})_`, '');
  }
  return lines.join('\n');
}

export async function toJson(store: ChatStore, states: ConversationState[]): Promise<string> {
  const conversations = [];
  for (const state of states) {
    const images: Record<string, { mime: string; data: string }> = {};
    for (const m of state.messages.values()) {
      for (const ref of m.images ?? []) {
        if (images[ref.id]) continue;
        const bytes = await store.readImage(state.header.id, ref.id).catch(() => null);
        if (bytes) images[ref.id] = { mime: ref.mime, data: bytes.toString('base64') };
      }
    }
    const { autoTitle: _autoTitle, ...header } = state.header;
    conversations.push({ ...header, messages: [...state.messages.values()], images });
  }
  return JSON.stringify({ format: EXPORT_FORMAT, version: 1, exportedAt: new Date().toISOString(), conversations }, null, 1);
}

const messageSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{8,64}$/),
  parentId: z.string().nullable(),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  thinking: z.string().optional(),
  thinkingMs: z.number().optional(),
  images: z
    .array(z.object({ id: z.string().regex(/^[a-f0-9]{64}$/), mime: z.string(), name: z.string(), size: z.number() }))
    .optional(),
  model: z.string().optional(),
  createdAt: z.number(),
  status: z.enum(['complete', 'streaming', 'stopped', 'error', 'interrupted']),
  error: z.object({ code: z.string(), message: z.string() }).passthrough().optional(),
  stats: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
});

const conversationSchema = z.object({
  title: z.string().min(1).max(200),
  createdAt: z.number(),
  updatedAt: z.number(),
  pinned: z.boolean().default(false),
  model: conversationSettingsSchema.shape.model.catch(''),
  system: z.string().max(100_000).default(''),
  params: conversationSettingsSchema.shape.params.catch({}),
  think: z.boolean().nullable().catch(null),
  leafId: z.string().nullable().default(null),
  messages: z.array(messageSchema).max(100_000),
  images: z.record(z.string(), z.object({ mime: z.string(), data: z.string() })).default({}),
});

export async function importJson(store: ChatStore, json: string): Promise<{ imported: number; skipped: number }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new AppError('INVALID_INPUT', 'The file is not JSON: choose a file exported from PodDesk as JSON');
  }
  const root = parsed as { format?: unknown; conversations?: unknown };
  if (root?.format !== EXPORT_FORMAT || !Array.isArray(root.conversations))
    throw new AppError('INVALID_INPUT', 'This JSON is not a PodDesk chat export (its "format" is not poddesk-chat)');
  let imported = 0;
  let skipped = 0;
  for (const raw of root.conversations) {
    const result = conversationSchema.safeParse(raw);
    if (!result.success) {
      skipped++;
      continue;
    }
    const c = result.data;
    const state = await store.create({ model: c.model, system: c.system, params: c.params, think: c.think });
    const id = state.header.id;
    for (const [imageId, image] of Object.entries(c.images)) {
      try {
        const checked = checkImage({ name: imageId, mime: image.mime, data: image.data });
        if (checked.id === imageId) await store.saveImage(id, checked);
      } catch {
        // An image that does not check out is left out; its message still says it had one.
      }
    }
    for (const m of c.messages) {
      const message = { ...m, status: m.status === 'streaming' ? 'interrupted' : m.status } as ChatMessage;
      state.messages.set(message.id, message);
    }
    const leaf = c.leafId && state.messages.has(c.leafId) ? c.leafId : ([...state.messages.keys()].at(-1) ?? null);
    state.header = { ...state.header, title: c.title, autoTitle: false, createdAt: c.createdAt, pinned: c.pinned, leafId: leaf };
    await store.compact(id);
    await store.updateHeader(id, { updatedAt: c.updatedAt });
    imported++;
  }
  return { imported, skipped };
}
