import { randomBytes } from 'node:crypto';
import { AppError } from '../shared/errors';
import type { HostHandle } from '../shared/contract';
import type { HostFiles } from './host-files';

/**
 * Paths of this computer the page may name, by handle. A path enters only from main — a dialog
 * main opened, or a file dropped on the window whose path the preload resolved — and main hands
 * the page a random handle for it. The page passes the handle back; main looks the path up here.
 * A handle is good for one use, for the purposes it was issued for, for a few minutes: a page
 * cannot make one up, replay one, or turn a folder chosen for a build into an ssh key.
 */
export type HostPathPurpose =
  /** Files or folders to copy into a volume (the upload dialog). */
  | 'upload'
  /** A backup archive to restore into a volume. */
  | 'restore'
  /** A folder to build an image from. */
  | 'build-context'
  /** A private key for an ssh connection. */
  | 'ssh-identity'
  /** An image archive to load (`podman load`). */
  | 'image-archive'
  /** A folder to bind-mount into a new container. */
  | 'bind-mount'
  /** A GGUF file to import as an Ollama model. */
  | 'model-file'
  /** Dropped on the window: good for uploads, restores, builds and model imports (what a drop can start). */
  | 'drop';

export interface HostPaths {
  /** A new handle for `path`; `name` is what the page shows (the path by default). */
  issue(path: string, purpose: HostPathPurpose, name?: string): HostHandle;
  /** The paths behind these handles, which are used up; all or nothing. */
  take(handles: readonly string[], accepts: readonly HostPathPurpose[]): string[];
  /**
   * The paths behind these handles, for `work`: used up only when it succeeds, so a run the
   * engine refused (a port in use) can be sent again as it was. While it runs nobody else can
   * use them.
   */
  use<T>(handles: readonly string[], accepts: readonly HostPathPurpose[], work: (paths: string[]) => Promise<T>): Promise<T>;
  /** Handles outstanding now (for the tests). */
  size(): number;
}

export interface HostPathOptions {
  /** How long a handle stays good; ten minutes by default (a form may take a while to fill). */
  ttlMs?: number;
  /** At most this many outstanding; the oldest go first. */
  max?: number;
  now?: () => number;
}

interface Entry {
  path: string;
  purpose: HostPathPurpose;
  expires: number;
  busy: boolean;
}

const gone = () =>
  new AppError(
    'NOT_FOUND',
    'That file or folder choice is no longer valid (each is used once and expires after a few minutes): choose it again.',
    { handle: true },
  );

export function createHostPaths(options: HostPathOptions = {}): HostPaths {
  const ttl = options.ttlMs ?? 10 * 60_000;
  const max = options.max ?? 10_000;
  const now = options.now ?? Date.now;
  // Insertion order is issue order: the first entries are the oldest.
  const entries = new Map<string, Entry>();

  const sweep = () => {
    const t = now();
    for (const [handle, entry] of entries) if (entry.expires <= t && !entry.busy) entries.delete(handle);
  };

  /** Every handle valid, for one of the purposes, not in use: else nothing happens. */
  const check = (handles: readonly string[], accepts: readonly HostPathPurpose[]): Entry[] => {
    sweep();
    if (handles.length === 0) throw new AppError('INVALID_INPUT', 'Nothing was chosen');
    if (new Set(handles).size !== handles.length) throw new AppError('INVALID_INPUT', 'The same file was named twice');
    return handles.map((handle) => {
      const entry = typeof handle === 'string' ? entries.get(handle) : undefined;
      if (!entry || entry.busy) throw gone();
      if (!accepts.includes(entry.purpose)) {
        throw new AppError('INVALID_INPUT', 'That file or folder was chosen for something else: choose it again here.');
      }
      return entry;
    });
  };

  return {
    issue(path, purpose, name = path) {
      if (typeof path !== 'string' || path === '' || path.includes('\0')) throw new AppError('INVALID_INPUT', 'Not a path');
      sweep();
      while (entries.size >= max) entries.delete(entries.keys().next().value!);
      const handle = `hp_${randomBytes(24).toString('base64url')}`;
      entries.set(handle, { path, purpose, expires: now() + ttl, busy: false });
      return { handle, name };
    },
    take(handles, accepts) {
      const found = check(handles, accepts);
      for (const handle of handles) entries.delete(handle);
      return found.map((e) => e.path);
    },
    async use(handles, accepts, work) {
      const found = check(handles, accepts);
      for (const entry of found) entry.busy = true;
      try {
        const result = await work(found.map((e) => e.path));
        for (const handle of handles) entries.delete(handle);
        return result;
      } finally {
        for (const entry of found) entry.busy = false;
      }
    },
    size() {
      sweep();
      return entries.size;
    },
  };
}

/** Asks with main's open dialog and hands out a handle for what was chosen; null when cancelled (or no dialog). */
export async function chooseHostPath(
  hostFiles: HostFiles,
  hostPaths: HostPaths,
  purpose: HostPathPurpose,
  options: Parameters<HostFiles['chooseOpenPaths']>[0],
): Promise<HostHandle | null> {
  const [path] = await hostFiles.chooseOpenPaths({ ...options, multiple: false });
  return path ? hostPaths.issue(path, purpose) : null;
}
