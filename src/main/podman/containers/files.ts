import { once } from 'node:events';
import { posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import type { ContainerFileEntry, ContainerFileListing } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { Engine } from '../engine';
import { saveFile } from '../../save-file';

/** What `X-Docker-Container-Path-Stat` says about a path. */
export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  isDir: boolean;
  linkTarget: string;
}

/** Podman encodes the header in the URL alphabet, Docker in the standard one: Node's decoder reads both. */
export function decodePathStat(header: string): PathStat {
  return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as PathStat;
}

const archivePath = (id: string) => `/containers/${encodeURIComponent(id)}/archive`;

/** The path's stat from a HEAD on the archive endpoint, or null when nothing is there. */
export async function statPath(engine: Engine, id: string, path: string): Promise<PathStat | null> {
  try {
    const response = await engine.stream('HEAD', archivePath(id), { query: { path } });
    response.resume();
    const header = response.headers['x-docker-container-path-stat'];
    return typeof header === 'string' ? decodePathStat(header) : null;
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

/** 256 MB of archive read before a listing gives up on the rest (and says so). */
export const LISTING_BUDGET = 256 * 1024 * 1024;

function entryType(type: string | null | undefined): ContainerFileEntry['type'] {
  if (type === 'directory') return 'directory';
  if (type === 'symlink') return 'symlink';
  if (type === 'file' || type === 'contiguous-file') return 'file';
  return 'other';
}

/**
 * Lists a folder of a container (any state, even created and never started) through the archive
 * API: the engine sends the folder as a tar, we keep the headers of its direct children and sum
 * the sizes below each subfolder. Contents pass by without being kept; past `budget` bytes the
 * listing stops and says it is partial.
 */
export async function listFiles(
  engine: Engine,
  id: string,
  path: string,
  budget = LISTING_BUDGET,
): Promise<ContainerFileListing> {
  const asked = posix.normalize(path);
  const stat = await statPath(engine, id, asked);
  if (!stat) throw new AppError('NOT_FOUND', `No ${asked} in this container`);
  if (!stat.isDir) throw new AppError('INVALID_INPUT', `${asked} is not a folder`);
  // A folder reached through a symlink (/bin → /usr/bin) is listed where it really is.
  const normal = stat.linkTarget && posix.isAbsolute(stat.linkTarget) ? posix.normalize(stat.linkTarget) : asked;
  const controller = new AbortController();
  const response = await engine.stream('GET', archivePath(id), { query: { path: normal }, signal: controller.signal });
  const children = new Map<string, ContainerFileEntry>();
  let read = 0;
  let truncated = false;
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    // Entry names start with the folder's own name ("etc/passwd"); "/" comes as "./…" or "…".
    const parts = header.name.replace(/^\.\//, '').split('/').filter(Boolean);
    const rel = normal === '/' ? parts : parts.slice(1);
    if (rel.length >= 1) {
      const name = rel[0]!;
      let child = children.get(name);
      if (rel.length === 1) {
        child = {
          name,
          type: entryType(header.type),
          size: header.type === 'directory' ? (child?.size ?? 0) : (header.size ?? 0),
          mode: header.mode ?? 0,
          modified: Math.floor((header.mtime?.getTime() ?? 0) / 1000),
          ...(header.linkname ? { linkTarget: header.linkname } : {}),
        };
        children.set(name, child);
      } else if (child) {
        child.size += header.size ?? 0;
      } else {
        children.set(name, { name, type: 'directory', size: header.size ?? 0, mode: 0o755, modified: 0 });
      }
    }
    read += 512 + (header.size ?? 0);
    if (read > budget) {
      truncated = true;
      controller.abort();
      stream.resume();
      extract.destroy();
      return;
    }
    stream.on('end', next);
    stream.resume();
  });
  try {
    await pipeline(response, extract);
  } catch (error) {
    if (!truncated) throw error;
  }
  const entries = [...children.values()].sort(
    (a, b) => Number(b.type === 'directory') - Number(a.type === 'directory') || a.name.localeCompare(b.name),
  );
  return { path: normal, entries, truncated };
}

/** A file is saved as itself; a folder as the tar the engine sends. */
export async function downloadPath(engine: Engine, id: string, path: string, destination: string): Promise<void> {
  const stat = await statPath(engine, id, path);
  if (!stat) throw new AppError('NOT_FOUND', `No ${path} in this container`);
  const response = await engine.stream('GET', archivePath(id), { query: { path } });
  try {
    await saveFile(destination, async (out) => {
      if (stat.isDir) return pipeline(response, out);
      const extract = tar.extract();
      let written = false;
      extract.on('entry', (header, stream, next) => {
        if (written) {
          stream.on('end', next);
          stream.resume();
          return;
        }
        written = true;
        if (header.type !== 'file') out.end();
        else stream.pipe(out);
        stream.on('end', next);
        stream.resume();
      });
      await pipeline(response, extract);
      if (!written) throw new AppError('NOT_FOUND', `The engine sent nothing for ${path}`);
      if (!out.writableFinished) await once(out, 'finish');
    });
  } catch (error) {
    response.destroy();
    throw error;
  }
}

/** The name a download is offered under: the file's own, or the folder's with .tar. */
export function suggestedName(path: string, isDir: boolean): string {
  const base = posix.basename(posix.normalize(path)) || 'root';
  return isDir ? `${base}.tar` : base;
}
