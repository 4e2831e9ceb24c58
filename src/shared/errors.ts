/**
 * Errors that cross the IPC boundary. Every failure a user can meet has a code the UI can act on,
 * a message a person can read, and optional details (the engine's own words, the zod issues …).
 */
export const errorCodes = [
  'INVALID_INPUT', // the input did not match the call's schema
  'UNKNOWN_CALL', // no such call or stream in the contract
  'FORBIDDEN', // the caller is not the app's own page
  'NOT_FOUND',
  'CONFLICT', // a name already in use, an object in use …
  'NOT_MODIFIED', // already started, already stopped
  'ENGINE_UNAVAILABLE', // no Podman connection right now
  'ENGINE_ERROR', // Podman answered with an error
  'UNAUTHORIZED', // a registry wants credentials, or refused the ones given
  'UNREACHABLE', // something the engine must reach (a registry) does not answer
  'NEEDS_CONFIRMATION', // the user must confirm something first (what a stack touches on this computer)
  'HOST_KEY_UNKNOWN', // an ssh host known_hosts does not list yet: its fingerprint is shown, to trust once
  'HOST_KEY_CHANGED', // an ssh host whose key is not the one known_hosts has: refused
  'HOST_KEY_REVOKED', // an ssh host key marked @revoked in known_hosts: refused
  'OLLAMA_UNAVAILABLE',
  'OLLAMA_ERROR',
  'CANCELLED',
  'TIMEOUT',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface ErrorShape {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorShape };

/** Thrown by services; its shape survives the trip to the renderer unchanged. */
export class AppError extends Error implements ErrorShape {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toJSON(): ErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isErrorShape(value: unknown): value is ErrorShape {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.message === 'string';
}
