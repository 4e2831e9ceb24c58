import { Ollama } from 'ollama';

/**
 * An `ollama` client for one host. Requests that do not stream get a time limit (the package
 * has none); streaming requests are bounded by their own abort signal, and by `signal` when
 * given — which lets Stop abort a request that is still waiting for its first byte (the
 * package's own AbortableAsyncIterator exists only once the response has begun).
 */
export function createOllamaClient(host: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Ollama {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const limited: typeof fetch = (input, init = {}) => {
    const signals = [init.signal ?? AbortSignal.timeout(timeoutMs), options.signal].filter((s): s is AbortSignal => Boolean(s));
    return fetch(input, { ...init, signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals) });
  };
  return new Ollama({ host, fetch: limited });
}
