import type { ApiChatRequest } from '../../shared/chat-request';
import type { ChatExchange } from '../../shared/contract';

/**
 * The request each recent reply sent to `/api/chat` and the lines Ollama streamed back, for the
 * chat's "Show request". Kept in memory only, for the last `limit` replies since PodDesk started:
 * a reply's lines are one JSON object per token, too many to journal with every message. Images
 * (base64, up to megabytes) are shortened to their first characters, and a reply keeps at most
 * `maxLines` lines (the first ones and the last, which carries the statistics).
 */
export function createExchanges(limit = 20, maxLines = 2000) {
  const kept = new Map<string, ChatExchange & { conversationId: string }>();

  const shortenImages = (request: ApiChatRequest): ApiChatRequest => ({
    ...request,
    messages: request.messages.map((m) =>
      m.images
        ? {
            ...m,
            images: m.images.map((b64) => (b64.length > 64 ? `${b64.slice(0, 48)}…(${b64.length} characters of base64)` : b64)),
          }
        : m,
    ),
  });

  return {
    begin(conversationId: string, messageId: string, url: string, request: ApiChatRequest) {
      kept.delete(messageId);
      kept.set(messageId, { conversationId, url, request: shortenImages(request), lines: [], omittedLines: 0 });
      while (kept.size > limit) kept.delete(kept.keys().next().value!);
    },
    line(messageId: string, chunk: unknown) {
      const exchange = kept.get(messageId);
      if (!exchange) return;
      if (exchange.lines.length < maxLines) exchange.lines.push(JSON.stringify(chunk));
      else {
        // Keep the final line (done, with the statistics) in the last place.
        exchange.omittedLines++;
        exchange.lines[maxLines - 1] = JSON.stringify(chunk);
      }
    },
    error(messageId: string, message: string) {
      const exchange = kept.get(messageId);
      if (exchange) exchange.error = message;
    },
    /** Only within its own conversation: one conversation's id does not read another's. */
    get(conversationId: string, messageId: string): ChatExchange | undefined {
      const found = kept.get(messageId);
      if (found?.conversationId !== conversationId) return undefined;
      const { conversationId: _owner, ...exchange } = found;
      return exchange;
    },
  };
}

export type Exchanges = ReturnType<typeof createExchanges>;
