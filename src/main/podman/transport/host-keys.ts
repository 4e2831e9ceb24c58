import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { HostKeyProblem, KnownHostKey } from '../../../shared/contract';
import { AppError, type ErrorCode } from '../../../shared/errors';
import {
  checkHostKey,
  fingerprint,
  hostName,
  knownHostLine,
  knownKeyTypes,
  parseKnownHosts,
  type KnownHostEntry,
} from './known-hosts';

/**
 * The ssh host keys PodDesk trusts: the user's ~/.ssh/known_hosts and the system's
 * /etc/ssh/ssh_known_hosts (read only), as `ssh` and `podman --remote` use them. Nothing is
 * accepted silently: an unknown key is refused with its fingerprint, and `trust` writes it to the
 * user's file only when it is the very key this host showed last time.
 */
export interface HostKeys {
  /** Key types on file for this host, to ask the server for those first (as `ssh` does). */
  preferredTypes(host: string, port: number): Promise<string[]>;
  /** null when the key is trusted; otherwise the refusal, as an error the UI can act on. */
  check(host: string, port: number, blob: Buffer): Promise<AppError | null>;
  /** Writes the key this host presented in its last (refused, unknown) attempt, if it has this fingerprint. */
  trust(host: string, port: number, fingerprint: string): Promise<void>;
  /** Throws as trust would (nothing waiting, another fingerprint): checked before the user is asked. */
  expectWaiting(host: string, port: number, fingerprint: string): void;
  readonly userFile: string;
}

export interface HostKeyFiles {
  /** ~/.ssh/known_hosts: read, and where trusted keys are appended. */
  userFile: string;
  /** Read only: /etc/ssh/ssh_known_hosts by default. */
  systemFiles?: string[];
}

export function userKnownHostsFile(homedir: string): string {
  return join(homedir, '.ssh', 'known_hosts');
}

const codes: Record<HostKeyProblem['kind'], ErrorCode> = {
  unknown: 'HOST_KEY_UNKNOWN',
  changed: 'HOST_KEY_CHANGED',
  revoked: 'HOST_KEY_REVOKED',
};

/** The name sshd's host key file of this type has: ssh_host_<name>_key. */
const keyFileName = (algorithm: string) =>
  algorithm.startsWith('ecdsa-') ? 'ecdsa' : algorithm === 'ssh-dss' ? 'dsa' : algorithm.replace(/^ssh-/, '');

const where = (p: Pick<HostKeyProblem, 'host' | 'port'>) => (p.port === 22 ? p.host : `${p.host} (port ${p.port})`);

/** Words for a person: what happened, what the fingerprints are, what to do. */
export function hostKeyMessage(p: HostKeyProblem): string {
  const was = p.known.map((k) => `${k.fingerprint} (${k.algorithm}, ${k.file} line ${k.line})`).join(', ');
  switch (p.kind) {
    case 'unknown':
      return (
        `PodDesk has not connected to ${where(p)} before. It shows the ${p.algorithm} host key ${p.fingerprint}. ` +
        `Compare it with what that machine says (ssh-keygen -lf /etc/ssh/ssh_host_${keyFileName(p.algorithm)}_key.pub, run there) and trust it only if they are the same.` +
        (p.note ? ` ${p.note}` : '')
      );
    case 'changed':
      return (
        `The host key of ${where(p)} has changed: it now shows ${p.fingerprint} (${p.algorithm}), but your known_hosts has ${was}. ` +
        `Someone may be intercepting the connection, or the machine was reinstalled. PodDesk will not connect. ` +
        (p.removeCommand
          ? `If you know why the key changed, remove the old one with: ${p.removeCommand} — then connect again.`
          : `If you know why the key changed, an administrator must replace the old key in ${p.known[0]?.file ?? 'known_hosts'}.`)
      );
    case 'revoked':
      return `The host key of ${where(p)} (${p.fingerprint}) is marked @revoked in ${was}. PodDesk will not connect with it.`;
  }
}

export function hostKeyError(problem: HostKeyProblem): AppError {
  return new AppError(codes[problem.kind], hostKeyMessage(problem), problem);
}

export function isHostKeyError(error: unknown): error is AppError & { details: HostKeyProblem } {
  return error instanceof AppError && error.code.startsWith('HOST_KEY_') && typeof error.details === 'object';
}

const known = (e: KnownHostEntry): KnownHostKey => ({
  algorithm: e.keyType,
  fingerprint: fingerprint(e.key),
  file: e.file,
  line: e.line,
});

async function readEntries(file: string): Promise<KnownHostEntry[]> {
  try {
    return parseKnownHosts(await readFile(file, 'utf8'), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new AppError('INTERNAL', `Cannot read ${file}: ${(error as Error).message}`);
  }
}

export function createHostKeys(files: HostKeyFiles): HostKeys {
  const { userFile } = files;
  const systemFiles = files.systemFiles ?? ['/etc/ssh/ssh_known_hosts'];
  // The key each host showed in its last attempt, when it was unknown: the only one `trust` takes.
  const pending = new Map<string, Buffer>();

  const allEntries = async () => (await Promise.all([userFile, ...systemFiles].map(readEntries))).flat();

  return {
    userFile,
    async preferredTypes(host, port) {
      return knownKeyTypes(await allEntries(), host, port);
    },
    async check(host, port, blob) {
      const name = hostName(host, port);
      const verdict = checkHostKey(await allEntries(), host, port, blob);
      pending.delete(name);
      if (verdict.kind === 'known') return null;
      const base = { host, port, algorithm: verdict.keyType, fingerprint: verdict.fingerprint, knownHostsFile: userFile };
      switch (verdict.kind) {
        case 'unknown':
          pending.set(name, blob);
          return hostKeyError({
            ...base,
            kind: 'unknown',
            known: [],
            ...(verdict.certAuthority
              ? {
                  note: 'Your known_hosts trusts a certificate authority (@cert-authority) for this host; PodDesk does not check host certificates, so it asks about the key itself.',
                }
              : {}),
          });
        case 'changed': {
          const inUserFile = verdict.known.some((e) => e.file === userFile);
          return hostKeyError({
            ...base,
            kind: 'changed',
            known: verdict.known.map(known),
            ...(inUserFile ? { removeCommand: `ssh-keygen -R '${name}' -f '${userFile}'` } : {}),
          });
        }
        case 'revoked':
          return hostKeyError({ ...base, kind: 'revoked', known: [known(verdict.entry)] });
      }
    },
    expectWaiting(host, port, print) {
      waiting(host, port, print);
    },
    async trust(host, port, print) {
      const name = hostName(host, port);
      const blob = waiting(host, port, print);
      const mine = await readEntries(userFile);
      // Already there (trusted twice, or written by ssh meanwhile): nothing to add.
      if (checkHostKey(mine, host, port, blob).kind === 'known') return void pending.delete(name);
      await mkdir(dirname(userFile), { recursive: true, mode: 0o700 });
      const existing = await readFile(userFile, 'utf8').catch(() => '');
      const hashed = mine.some((e) => e.hosts.startsWith('|1|'));
      const line = knownHostLine(host, port, blob, hashed);
      await appendFile(userFile, `${existing && !existing.endsWith('\n') ? '\n' : ''}${line}\n`, { mode: 0o600 });
      pending.delete(name);
    },
  };

  /** The key this host presented in its last refused attempt, if it has this fingerprint. */
  function waiting(host: string, port: number, print: string): Buffer {
    const blob = pending.get(hostName(host, port));
    if (!blob) {
      throw new AppError(
        'NOT_FOUND',
        `PodDesk has no new host key from ${where({ host, port })} waiting to be trusted: connect again to see its fingerprint.`,
      );
    }
    if (fingerprint(blob) !== print) {
      throw new AppError(
        'CONFLICT',
        `${where({ host, port })} showed ${fingerprint(blob)}, not ${print}: nothing was trusted. Connect again and compare the fingerprint.`,
      );
    }
    return blob;
  }
}
