import type { Endpoint } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';

type SshEndpoint = Extract<Endpoint, { kind: 'ssh' }>;

interface Ssh2Error extends Error {
  level?: string;
  code?: string;
  reason?: number | string;
}

const unreachable = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET']);

/** ssh2's errors in the app's shape, each saying what to do next. */
export function sshError(error: unknown, endpoint: SshEndpoint, hasAgent = false): AppError {
  if (error instanceof AppError) return error;
  const e = (error ?? {}) as Ssh2Error;
  const message = e.message || String(error);
  const at = endpoint.port === 22 ? endpoint.host : `${endpoint.host}:${endpoint.port}`;
  const who = `${endpoint.username}@${at}`;
  if (e.code && unreachable.has(e.code)) {
    return new AppError('ENGINE_UNAVAILABLE', `Cannot reach the ssh server at ${at} (${e.code})`, { cause: message });
  }
  if (e.level === 'client-timeout') {
    return new AppError('ENGINE_UNAVAILABLE', `The ssh server at ${at} did not answer in time (${message})`, { cause: message });
  }
  if (e.level === 'client-authentication') {
    const tried = [endpoint.identity ? `the key ${endpoint.identity}` : '', hasAgent ? 'your ssh agent' : '']
      .filter(Boolean)
      .join(' and ');
    return new AppError(
      'UNAUTHORIZED',
      tried
        ? `${who} refused the login (PodDesk tried ${tried}). Add your public key to ~/.ssh/authorized_keys on that machine, or choose the key that belongs there.`
        : `PodDesk had no key to log in to ${who} with: choose a key file, or start an ssh agent that holds your key (SSH_AUTH_SOCK).`,
      { cause: message },
    );
  }
  if (/encrypted/i.test(message) && /passphrase/i.test(message)) {
    return new AppError(
      'UNAUTHORIZED',
      `The key ${endpoint.identity ?? ''} is protected by a passphrase. Add it to your ssh agent (ssh-add) and add the connection without a key file.`,
      { cause: message },
    );
  }
  if (/Cannot parse privateKey|privateKey value/i.test(message)) {
    return new AppError('INVALID_INPUT', `The file ${endpoint.identity ?? ''} is not an ssh private key PodDesk can read.`, {
      cause: message,
    });
  }
  if (/Channel open failure/i.test(message)) {
    return new AppError(
      'ENGINE_UNAVAILABLE',
      `Logged in to ${at}, but Podman’s socket ${endpoint.socketPath} could not be opened there. Is Podman’s service running on that machine? (systemctl --user enable --now podman.socket)`,
      { cause: message },
    );
  }
  return new AppError('ENGINE_UNAVAILABLE', `ssh to ${who}: ${message}`, { cause: message });
}
