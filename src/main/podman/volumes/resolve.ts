import type { FileType } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';

export interface ResolveIo {
  /** The type of the entry at this path (relative to the volume root), or null when missing. */
  lstat(path: string): Promise<FileType | null>;
  readlink(path: string): Promise<string>;
}

const MAX_LINKS = 40;

export function escapeError(path: string, link: string, target: string): AppError {
  const where = link === path ? `“${path}”` : `“${path}” goes through “${link}”, which`;
  return new AppError(
    'INVALID_INPUT',
    `${where} is a symlink to ${target}, outside the volume: PodDesk does not follow links out of a volume`,
    { path, link, target },
  );
}

/**
 * Follows `path` inside the volume the way the kernel would, one part at a time, and refuses as
 * soon as a symlink would lead out of the volume (an absolute target, or enough `..`). Returns
 * the path with every symlink resolved. With `followLast` false the last part is kept as it is
 * (renaming or deleting a link acts on the link). A missing last part is allowed: callers that
 * need it to exist say so.
 */
export async function resolveInVolume(path: string, followLast: boolean, io: ResolveIo): Promise<string> {
  const done: string[] = [];
  let todo = path ? path.split('/') : [];
  let links = 0;
  let via = '';
  while (todo.length > 0) {
    const part = todo.shift()!;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (done.length === 0) throw escapeError(path, via || path, '..');
      done.pop();
      continue;
    }
    const candidate = [...done, part].join('/');
    const last = todo.length === 0;
    if (last && !followLast) {
      done.push(part);
      break;
    }
    const type = await io.lstat(candidate);
    if (type === 'symlink') {
      if (++links > MAX_LINKS) throw new AppError('INVALID_INPUT', `Too many symlinks while following “${path}”`);
      const target = await io.readlink(candidate);
      via = candidate;
      if (target.startsWith('/')) throw escapeError(path, candidate, target);
      const before = done.length;
      const rest = target.split('/');
      // Count how far up the target climbs from the link's folder: past the root means out.
      let depth = before;
      for (const p of rest) {
        if (p === '..') depth--;
        else if (p !== '' && p !== '.') depth++;
        if (depth < 0) throw escapeError(path, candidate, target);
      }
      todo = [...rest, ...todo];
      continue;
    }
    if (type === null && !last) throw new AppError('NOT_FOUND', `No folder “${candidate}” in this volume`);
    if (type !== null && type !== 'dir' && !last) throw new AppError('INVALID_INPUT', `“${candidate}” is not a folder`);
    done.push(part);
  }
  return done.join('/');
}
