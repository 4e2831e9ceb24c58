import { AppError, type ErrorCode } from '../../shared/errors';

interface ModemError extends Error {
  statusCode?: number;
  reason?: string;
  json?: unknown;
  code?: string;
}

/** Libpod answers many refusals with a 500 and a precise `cause`; those are not engine faults. */
const causes: [RegExp, ErrorCode][] = [
  [/no such (container|pod|image|volume|network|exec session)|not found|not known/i, 'NOT_FOUND'],
  [/state improper|in use|already (exists|in use)|is being used|has dependent/i, 'CONFLICT'],
  [/invalid|bad parameter/i, 'INVALID_INPUT'],
];

const unreachable = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTCONN']);

/**
 * Podman's errors in the app's shape: the status picks the code, the engine's own message is
 * kept verbatim (Podman's are precise: "no container with name or ID "x" found").
 */
export function engineError(error: unknown, what?: string): AppError {
  if (error instanceof AppError) return error;
  const e = (error ?? {}) as ModemError;
  if (e.name === 'AbortError') return new AppError('CANCELLED', 'Cancelled');
  if (e.code && unreachable.has(e.code)) {
    return new AppError('ENGINE_UNAVAILABLE', `Podman cannot be reached (${e.code})`, { cause: e.message });
  }
  if (typeof e.statusCode === 'number') {
    const body = (e.json ?? {}) as { message?: string; cause?: string };
    const engineMessage = typeof body.message === 'string' && body.message ? body.message : (e.reason ?? e.message);
    const byCause = e.statusCode === 500 && body.cause ? causes.find(([re]) => re.test(body.cause!))?.[1] : undefined;
    const code: ErrorCode = byCause
      ? byCause
      : e.statusCode === 404
        ? 'NOT_FOUND'
        : e.statusCode === 409
          ? 'CONFLICT'
          : e.statusCode === 304
            ? 'NOT_MODIFIED'
            : e.statusCode === 400
              ? 'INVALID_INPUT'
              : 'ENGINE_ERROR';
    const message = what ? `${what}: ${engineMessage}` : engineMessage;
    return new AppError(code, message, { status: e.statusCode, engine: body.message ?? e.reason, cause: body.cause });
  }
  return new AppError('ENGINE_ERROR', e.message || String(error));
}
