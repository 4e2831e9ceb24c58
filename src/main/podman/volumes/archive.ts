import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { AppError } from '../../../shared/errors';
import type { Engine } from '../engine';
import { engineError } from '../errors';

/** What `X-Docker-Container-Path-Stat` says about a path in a container. */
export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget?: string;
}

/**
 * The header is base64 of a JSON object: Docker writes the standard alphabet, Podman the URL
 * alphabet (with or without padding). Both decode here.
 */
export function decodePathStat(header: string): PathStat {
  const standard = header.trim().replace(/-/g, '+').replace(/_/g, '/');
  const padded = standard + '='.repeat((4 - (standard.length % 4)) % 4);
  const json = Buffer.from(padded, 'base64').toString('utf8');
  const parsed = JSON.parse(json) as Partial<PathStat>;
  if (typeof parsed.name !== 'string') throw new Error('Not a path stat header');
  return {
    name: parsed.name,
    size: Number(parsed.size ?? 0),
    mode: Number(parsed.mode ?? 0),
    mtime: String(parsed.mtime ?? ''),
    ...(parsed.linkTarget ? { linkTarget: parsed.linkTarget } : {}),
  };
}

const archivePath = (container: string) => `/containers/${encodeURIComponent(container)}/archive`;

/** Stat of a path in a container through the archive API; null when it does not exist. */
export async function statPath(engine: Engine, container: string, path: string, signal?: AbortSignal): Promise<PathStat | null> {
  let response: IncomingMessage;
  try {
    response = await engine.stream('HEAD', archivePath(container), { query: { path }, signal });
  } catch (error) {
    if ((error as AppError).code === 'NOT_FOUND') return null;
    throw error;
  }
  response.resume();
  const header = response.headers['x-docker-container-path-stat'];
  if (typeof header !== 'string') throw new AppError('ENGINE_ERROR', 'Podman sent no path stat header');
  return decodePathStat(header);
}

/** A tar of `path` (a file or a folder) as it is in the container. */
export async function getArchive(
  engine: Engine,
  container: string,
  path: string,
  signal?: AbortSignal,
): Promise<IncomingMessage> {
  try {
    return await engine.stream('GET', archivePath(container), { query: { path }, signal });
  } catch (error) {
    if ((error as AppError).code === 'NOT_FOUND') throw new AppError('NOT_FOUND', `Nothing at ${path}`);
    throw error;
  }
}

type Dial = (options: Record<string, unknown>, callback: (error: unknown, data: unknown) => void) => void;

/**
 * Extracts a tar stream into the folder `dir` of the container; resolves when Podman is done.
 * Podman gives every file to the container's user unless told `copyUIDGID=false` (`keepOwners`):
 * then the archive's owners are kept.
 */
export function putArchive(
  engine: Engine,
  container: string,
  dir: string,
  tar: Readable,
  signal?: AbortSignal,
  keepOwners = false,
): Promise<void> {
  const modem = engine.docker.modem as unknown as { dial: Dial };
  return new Promise((resolve, reject) => {
    modem.dial(
      {
        path: `${archivePath(container)}?`,
        method: 'PUT',
        options: keepOwners ? { path: dir, copyUIDGID: false } : { path: dir },
        file: tar,
        headers: { 'Content-Type': 'application/x-tar' },
        abortSignal: signal,
        statusCodes: { 200: true, 204: true },
      },
      (error) => (error ? reject(engineError(error)) : resolve()),
    );
  });
}
