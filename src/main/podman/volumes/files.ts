import type { Readable } from 'node:stream';
import type { FileEntry, VolumeAccess } from '../../../shared/contract';
import type { Counter } from './tar';

/**
 * The files of one volume, whichever way they are reached: its mount point on this computer
 * (direct.ts) or a helper container that mounts it (helper-files.ts). Every path is relative to
 * the volume root and is resolved inside it before anything is touched.
 */
export interface VolumeFiles {
  readonly access: VolumeAccess;
  /** The entries of a folder: metadata only, never contents. Returns the folder's resolved path. */
  list(path: string, signal?: AbortSignal): Promise<{ path: string; entries: FileEntry[] }>;
  /** The entry itself (`followLast` false: a symlink is described, not followed). */
  entry(path: string, followLast: boolean): Promise<FileEntry>;
  /** The entry (symlinks followed) and, for a regular file, at most `maxBytes` from its start. */
  readHead(path: string, maxBytes: number, signal?: AbortSignal): Promise<{ entry: FileEntry; head: Buffer }>;
  /** A file's bytes as a stream. */
  openFile(path: string, signal?: AbortSignal): Promise<{ stream: Readable; size: number }>;
  /** A tar of `path` (file or folder) whose entries sit under `name` ('' = the folder's contents). */
  exportTar(path: string, name: string, signal?: AbortSignal, counter?: Counter): Promise<Readable>;
  /** Extracts a tar into the folder `dir`; entries are checked on the way in. */
  importTar(dir: string, tar: Readable, signal?: AbortSignal): Promise<void>;
  /** Copies files and folders of this computer into `dir` without a tar in between (direct access only). */
  copyFromHost?(
    dir: string,
    sources: { hostPath: string; name: string }[],
    signal?: AbortSignal,
    counter?: Counter,
  ): Promise<void>;
  mkdir(dir: string, name: string): Promise<FileEntry>;
  rename(path: string, newName: string): Promise<FileEntry>;
  remove(paths: string[]): Promise<void>;
  size(signal?: AbortSignal): Promise<{ bytes: number; files?: number }>;
}

export function describeEntry(dir: string, name: string, stat: Omit<FileEntry, 'name' | 'path'>): FileEntry {
  return { name, path: dir ? `${dir}/${name}` : name, ...stat };
}
