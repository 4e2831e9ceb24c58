import { AppError } from '../../shared/errors';

/** Network failures that mean "nobody answers there", by the codes Node and undici use. */
const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

function causeCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string') return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** Words Ollama uses when it cannot reach the model registry. */
const offlinePattern =
  /no such host|dial tcp|i\/o timeout|network is unreachable|connection refused|TLS handshake timeout|server misbehaving/i;

/**
 * Any failure of a request to Ollama as a typed error: the HTTP status + {error} of the
 * response, an {"error": …} line in the middle of a stream, or a connection that failed.
 */
export function ollamaError(error: unknown, host: string, what?: string): AppError {
  if (error instanceof AppError) return error;
  const e = error as { name?: string; message?: string; status_code?: number; error?: string };
  const message = e?.message ?? String(error);
  if (e?.name === 'AbortError') return new AppError('CANCELLED', 'Cancelled');
  if (e?.name === 'TimeoutError') return new AppError('TIMEOUT', `Ollama at ${host} did not answer in time`);
  if (e?.name === 'ResponseError' && typeof e.status_code === 'number') {
    const text = e.error ?? message;
    if (e.status_code === 404) return new AppError('NOT_FOUND', text, { status: 404, ollama: text });
    return new AppError('OLLAMA_ERROR', what ? `${what}: ${text}` : text, { status: e.status_code, ollama: text });
  }
  const code = causeCode(error);
  if (
    (code && unreachableCodes.has(code)) ||
    message === 'fetch failed' ||
    message === 'terminated' ||
    /other side closed/i.test(message)
  ) {
    const lost = message === 'terminated' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET';
    return new AppError(
      'OLLAMA_UNAVAILABLE',
      lost ? `The connection to Ollama at ${host} was lost` : `Ollama is not reachable at ${host}${code ? ` (${code})` : ''}`,
      { host, code },
    );
  }
  if (/Did not receive done or success response in stream/.test(message))
    return new AppError('OLLAMA_UNAVAILABLE', `The connection to Ollama at ${host} ended before the reply was complete`, {
      host,
    });
  if (/pull model manifest: file does not exist/.test(message))
    return new AppError('NOT_FOUND', 'No such model in the Ollama library (check the name and tag on ollama.com/library)', {
      ollama: message,
    });
  if (/^pull model manifest/.test(message) && offlinePattern.test(message))
    return new AppError(
      'OLLAMA_ERROR',
      'Ollama cannot reach the model library: this computer seems to be offline. Models you already have still work.',
      { offline: true, ollama: message },
    );
  // A mid-stream {"error": …} line arrives as a plain Error carrying Ollama's words.
  return new AppError('OLLAMA_ERROR', what ? `${what}: ${message}` : message, { ollama: message });
}
