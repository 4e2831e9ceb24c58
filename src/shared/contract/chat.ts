import { z } from 'zod';
import type { ErrorShape } from '../errors';
import { call, stream } from './define';
import { kind } from './kinds';
import type { LiveChange } from './containers';
import { modelName } from './ollama';
import type { ApiChatRequest } from '../chat-request';

/**
 * complete: the model finished. streaming: being written now. stopped: the user pressed Stop.
 * error: the server failed before or during the reply (what arrived is kept). interrupted: the
 * app ended while the reply was streaming (found so on the next start).
 */
export type MessageStatus = 'complete' | 'streaming' | 'stopped' | 'error' | 'interrupted';

export interface ImageRef {
  /** sha256 of the bytes: the file's name in the image store. */
  id: string;
  mime: string;
  name: string;
  size: number;
}

export interface ReplyStats {
  /** Nanoseconds, as Ollama reports them. */
  totalDuration?: number;
  loadDuration?: number;
  promptEvalCount?: number;
  promptEvalDuration?: number;
  evalCount?: number;
  evalDuration?: number;
  /** eval_count / eval_duration. */
  tokensPerSecond?: number;
  /** From sending the request to the first token (content or thinking), measured in main. */
  timeToFirstTokenMs?: number;
  doneReason?: string;
}

export interface ChatMessage {
  id: string;
  parentId: string | null;
  role: 'user' | 'assistant';
  content: string;
  thinking?: string;
  /** How long the model thought, in ms. */
  thinkingMs?: number;
  images?: ImageRef[];
  /** The model that wrote an assistant message. */
  model?: string;
  /** ms since the epoch. */
  createdAt: number;
  status: MessageStatus;
  error?: ErrorShape;
  stats?: ReplyStats;
}

/** Ollama's runtime options a conversation may set; absent means the model's own default. */
export const chatParamsSchema = z
  .object({
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().min(1).max(1000).optional(),
    num_ctx: z.number().int().min(256).max(1_048_576).optional(),
    seed: z.number().int().min(-2_147_483_648).max(2_147_483_647).optional(),
    num_predict: z.number().int().min(-2).max(1_048_576).optional(),
    /** "5m", "1h", "0", "-1" (forever), or seconds. */
    keep_alive: kind(
      'text',
      z
        .string()
        .max(32)
        .regex(/^(-1|0|\d+(\.\d+)?(ms|s|m|h)?)$/, 'keep_alive is a duration like 5m, 1h, 30s, 0 or -1'),
    ).optional(),
  })
  .strict();
export type ChatParams = z.infer<typeof chatParamsSchema>;

export const conversationSettingsSchema = z.object({
  model: z.union([modelName, z.literal('')]),
  system: kind('text', z.string().max(100_000, 'A system prompt is at most 100,000 characters')),
  params: chatParamsSchema,
  /** null: the model's default; true/false: ask for thinking or not (models that support it). */
  think: z.boolean().nullable(),
});
export type ConversationSettings = z.infer<typeof conversationSettingsSchema>;

export interface ConversationSummary {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  pinned: boolean;
  model: string;
  messageCount: number;
}

export interface Conversation extends ConversationSummary, ConversationSettings {
  messages: ChatMessage[];
  /** The last message of the branch on screen. */
  leafId: string | null;
  /** Whether a reply is being written now. */
  streaming: boolean;
}

export type ChatEvent =
  | { type: 'snapshot'; conversation: Conversation }
  | { type: 'message'; message: ChatMessage }
  | { type: 'delta'; id: string; content?: string; thinking?: string }
  | { type: 'conversation'; conversation: Omit<Conversation, 'messages'> }
  | { type: 'removed' };

export interface SearchHit {
  conversationId: string;
  title: string;
  updatedAt: number;
  messageId?: string;
  /** Text around the first match; `match` is where it starts in `snippet`. */
  snippet: string;
  match: { start: number; length: number };
}

export interface Preset {
  id: string;
  name: string;
  builtIn: boolean;
  system: string;
  params: ChatParams;
}

export const MAX_MESSAGE_CHARS = 500_000;
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
export const MAX_IMAGES = 8;

export const conversationId = kind('name', z.string().regex(/^[a-z0-9-]{8,64}$/, 'Not a conversation id'));
export const messageId = kind('name', z.string().regex(/^[a-z0-9-]{8,64}$/, 'Not a message id'));

export const imageUploadSchema = z.object({
  name: kind('text', z.string().min(1).max(255)),
  mime: kind('name', z.string().max(100)),
  /** base64 of the file's bytes. */
  data: kind(
    'data',
    z
      .string()
      .min(1, 'The image is empty')
      .max(Math.ceil((MAX_IMAGE_BYTES * 4) / 3) + 4, `An image is at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB`)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'The image data is not base64'),
  ),
});
export type ImageUpload = z.infer<typeof imageUploadSchema>;

export const messageText = kind(
  'text',
  z.string().max(MAX_MESSAGE_CHARS, {
    error: (issue) =>
      `A message is at most ${MAX_MESSAGE_CHARS.toLocaleString('en')} characters; this one has ${String((issue.input as string).length.toLocaleString('en'))}`,
  }),
);

const sendSchema = z
  .object({
    conversationId,
    content: messageText,
    images: z.array(imageUploadSchema).max(MAX_IMAGES, `At most ${MAX_IMAGES} images per message`).default([]),
    /** Where the new message goes: absent = after the branch on screen; a message id or null (root) = a new branch there (edit). */
    parentId: messageId.nullable().optional(),
  })
  .refine((s) => s.content.trim().length > 0 || s.images.length > 0, {
    message: 'The message is empty: type something or attach an image',
    path: ['content'],
  });

export const presetSchema = z.object({
  id: kind('name', z.string().regex(/^[a-z0-9-]{1,64}$/, 'Not a preset id')),
  name: kind('text', z.string().trim().min(1, 'A preset needs a name').max(80)),
  system: kind('text', z.string().max(100_000)),
  params: chatParamsSchema,
});

/** What one reply sent to Ollama's `/api/chat` and what came back ("Show request"). */
export interface ChatExchange {
  /** The address the request went to, e.g. http://127.0.0.1:11434/api/chat. */
  url: string;
  request: ApiChatRequest;
  /** The streamed response, one JSON object per line, as Ollama sent them. */
  lines: string[];
  /** Lines left out between the first ones and the last (a very long reply). */
  omittedLines: number;
  /** How the request failed, when it did. */
  error?: string;
}

export const chatCalls = {
  'chat.list': call(z.void()).returns<ConversationSummary[]>(),
  'chat.create': call(conversationSettingsSchema.partial().default({})).returns<Conversation>(),
  'chat.get': call(z.object({ id: conversationId })).returns<Conversation>(),
  'chat.update': call(
    conversationSettingsSchema
      .partial()
      .extend({
        id: conversationId,
        title: kind(
          'text',
          z.string().trim().min(1, 'A title cannot be empty').max(200, 'A title is at most 200 characters'),
        ).optional(),
        pinned: z.boolean().optional(),
      })
      .strict(),
  ).returns<ConversationSummary>(),
  'chat.delete': call(z.object({ id: conversationId })).returns<void>(),
  /** Saves the user's message and starts the reply; the reply streams through chat.watch. */
  'chat.send': call(sendSchema).returns<{ userMessage: ChatMessage; assistantMessage: ChatMessage }>(),
  /** A new reply to the same user message (the old one is kept as another branch). */
  'chat.regenerate': call(z.object({ conversationId, messageId })).returns<ChatMessage>(),
  /** Stops the reply being written: the request to Ollama is aborted, what arrived is kept. */
  'chat.stop': call(z.object({ conversationId })).returns<void>(),
  /** The request a recent reply sent and its streamed response (kept in memory for the last 20 replies). */
  'chat.exchange': call(z.object({ conversationId, messageId })).returns<ChatExchange | null>(),
  /** Shows the branch through this message (its latest continuation). */
  'chat.switchBranch': call(z.object({ conversationId, messageId })).returns<void>(),
  'chat.search': call(
    z.object({
      query: kind('text', z.string().trim().min(1, 'Type something to search for').max(500)),
      limit: z.number().int().min(1).max(500).default(50),
    }),
  ).returns<SearchHit[]>(),
  /** Saves conversations (all when ids is absent) to a file the user picks; null when cancelled. */
  'chat.export': call(
    z.object({ ids: z.array(conversationId).min(1).max(100_000).optional(), format: z.enum(['markdown', 'json']) }),
  ).returns<{ path: string; count: number } | null>(),
  /** Imports conversations from PodDesk's JSON export (the text of the file). */
  'chat.import': call(
    z.object({
      json: kind(
        'text',
        z
          .string()
          .min(2, 'The file is empty')
          .max(60 * 1024 * 1024, 'The file is too large (60 MB at most)'),
      ),
    }),
  ).returns<{
    imported: number;
    skipped: number;
  }>(),
  'chat.image': call(
    z.object({ conversationId, id: kind('name', z.string().regex(/^[a-f0-9]{64}$/, 'Not an image id')) }),
  ).returns<{
    mime: string;
    data: string;
  }>(),
  'chat.presets': call(z.void()).returns<Preset[]>(),
  'chat.savePreset': call(presetSchema).returns<Preset[]>(),
  'chat.deletePreset': call(z.object({ id: presetSchema.shape.id })).returns<Preset[]>(),
};

export const chatStreams = {
  'chat.conversations': stream(z.void()).emits<LiveChange<ConversationSummary>>(),
  /** The conversation first (snapshot), then every change: messages, tokens, settings. */
  'chat.watch': stream(z.object({ id: conversationId })).emits<ChatEvent>(),
};
