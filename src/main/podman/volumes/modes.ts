import type { FileType } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';

/** `ls -l` permissions from a full st_mode. */
export function permissionString(mode: number): string {
  const type = typeOfMode(mode);
  const first = type === 'dir' ? 'd' : type === 'symlink' ? 'l' : type === 'file' ? '-' : otherChar(mode);
  const bits = 'rwxrwxrwx';
  let out = first;
  for (let i = 0; i < 9; i++) out += mode & (1 << (8 - i)) ? bits[i] : '-';
  const chars = out.split('');
  if (mode & 0o4000) chars[3] = chars[3] === 'x' ? 's' : 'S';
  if (mode & 0o2000) chars[6] = chars[6] === 'x' ? 's' : 'S';
  if (mode & 0o1000) chars[9] = chars[9] === 'x' ? 't' : 'T';
  return chars.join('');
}

function otherChar(mode: number): string {
  switch (mode & 0o170000) {
    case 0o020000:
      return 'c';
    case 0o060000:
      return 'b';
    case 0o010000:
      return 'p';
    case 0o140000:
      return 's';
    default:
      return '?';
  }
}

export function typeOfMode(mode: number): FileType {
  switch (mode & 0o170000) {
    case 0o100000:
      return 'file';
    case 0o040000:
      return 'dir';
    case 0o120000:
      return 'symlink';
    default:
      return 'other';
  }
}

/**
 * Whether a symlink written in the folder `dir` (relative to the volume root) points outside the
 * volume, judged by its text: absolute targets mean nothing outside the container that made them.
 */
export function linkEscapes(dir: string, target: string): boolean {
  if (target.startsWith('/')) return true;
  const parts = dir ? dir.split('/') : [];
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return true;
      parts.pop();
    } else parts.push(part);
  }
  return false;
}

const KINDS: Record<string, string> = {
  d: 'a folder',
  l: 'a symlink',
  p: 'a named pipe (FIFO)',
  s: 'a socket',
  c: 'a character device',
  b: 'a block device',
};

/**
 * Refuses to read what is not a regular file, and says what it is (`permissions` as `ls -l`
 * shows them): reading a pipe could wait for ever, and a device is not the volume's data.
 */
export function notRegularError(path: string, permissions: string): AppError {
  const what = KINDS[permissions[0] ?? ''] ?? 'something else';
  return new AppError('INVALID_INPUT', `“${path}” is ${what}, not a regular file: PodDesk reads regular files only`);
}
