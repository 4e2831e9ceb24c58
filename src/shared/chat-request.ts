import type { ChatMessage, ConversationSettings } from './contract';

/**
 * The body PodDesk sends to Ollama's `/api/chat` for a reply. One builder for the chat itself
 * (main) and for the "call this model from your code" snippets (the page), so what a learner
 * copies is what the chat sends.
 */
export interface ApiMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /** Base64, for vision models. */
  images?: string[];
}

export interface ApiChatRequest {
  model: string;
  messages: ApiMessage[];
  stream: true;
  options?: Record<string, unknown>;
  keep_alive?: string | number;
  think?: boolean | 'high' | 'medium' | 'low';
}

/** The path from the first message to `leafId`: the branch of a conversation on screen. */
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

/**
 * What Ollama is told: the system prompt, then the branch. `images` turns a message's attached
 * images into base64 (main reads them from disk; the page, which has no bytes, leaves them out).
 */
export async function apiMessages(
  system: string,
  branch: ChatMessage[],
  images: (message: ChatMessage) => Promise<string[] | undefined> | string[] | undefined,
): Promise<ApiMessage[]> {
  const messages: ApiMessage[] = [];
  if (system.trim()) messages.push({ role: 'system', content: system });
  for (const m of branch) {
    // Replies that failed before saying anything would only confuse the model.
    if (m.role === 'assistant' && !m.content) continue;
    const message: ApiMessage = { role: m.role, content: m.content };
    if (m.images?.length) {
      const encoded = await images(m);
      if (encoded?.length) message.images = encoded;
    }
    messages.push(message);
  }
  return messages;
}

export function chatRequest(
  settings: Pick<ConversationSettings, 'model' | 'params' | 'think'>,
  messages: ApiMessage[],
): ApiChatRequest {
  const { keep_alive, ...options } = settings.params;
  const request: ApiChatRequest = { model: settings.model, messages, stream: true };
  if (Object.keys(options).length) request.options = options;
  if (keep_alive !== undefined) request.keep_alive = /^-?\d+(\.\d+)?$/.test(keep_alive) ? Number(keep_alive) : keep_alive;
  if (settings.think !== null && settings.think !== undefined) request.think = settings.think;
  return request;
}
