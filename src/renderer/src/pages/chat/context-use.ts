import type { ChatMessage, Conversation, ModelDetails } from '../../../../shared/contract';

/** Ollama's num_ctx when nobody sets one. */
const OLLAMA_DEFAULT_CTX = 4096;

/** How much of the context window the branch on screen fills, from the last reply's counts (or an estimate). */
export function contextUse(path: ChatMessage[], conversation: Conversation, details?: ModelDetails) {
  const limit = conversation.params.num_ctx ?? details?.numCtx ?? OLLAMA_DEFAULT_CTX;
  const lastWithStats = [...path].reverse().find((m) => m.stats?.promptEvalCount !== undefined);
  let used: number;
  if (lastWithStats) {
    const after = path.slice(path.indexOf(lastWithStats) + 1);
    used =
      (lastWithStats.stats!.promptEvalCount ?? 0) +
      (lastWithStats.stats!.evalCount ?? 0) +
      Math.ceil(after.reduce((n, m) => n + m.content.length, 0) / 4);
  } else {
    used = Math.ceil((conversation.system.length + path.reduce((n, m) => n + m.content.length, 0)) / 4);
  }
  return { used, limit, max: details?.contextLength };
}
