import { randomBytes } from 'node:crypto';
import { constants, createWriteStream, type Stats } from 'node:fs';
import {
  chmod,
  copyFile,
  lchown,
  link,
  lstat,
  lutimes,
  mkdir,
  opendir,
  readdir,
  readlink,
  rename,
  stat,
  symlink,
  unlink,
  utimes,
} from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import tar, { type Header } from 'tar-stream';
import type { FileEntry } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { baseName, joinVolumePath, parentOf } from '../../../shared/volume-paths';
import { describeEntry, type VolumeFiles } from './files';
import { identityIds, type IdMap } from './id-map';
import { linkEscapes, permissionString, typeOfMode } from './modes';
import { openFileInside, pinChild, pinDir, removeEntry } from './pinned';
import { resolveInVolume, type ResolveIo } from './resolve';
import { packTree, safeEntryName, type Counter } from './tar';

/** An error that means "this computer may not touch these files": the caller may use the helper instead. */
export function isPermissionError(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
}

export function fsError(error: unknown, path: string): Error {
  if (error instanceof AppError) return error;
  const code = (error as { code?: string }).code;
  const shown = path || 'the volume root';
  switch (code) {
    case 'ENOENT':
      return new AppError('NOT_FOUND', `Nothing at “${shown}” in this volume`);
    case 'EEXIST':
    case 'ENOTEMPTY':
      return new AppError('CONFLICT', `“${shown}” already exists`);
    case 'ENOTDIR':
      return new AppError('INVALID_INPUT', `“${shown}” is not a folder`);
    case 'EISDIR':
      return new AppError('INVALID_INPUT', `“${shown}” is a folder`);
    case 'ELOOP':
      return new AppError('INVALID_INPUT', `“${shown}” is a symlink PodDesk does not follow`);
    case 'ENXIO': // opening a socket
      return new AppError('INVALID_INPUT', `“${shown}” is not a regular file: PodDesk reads regular files only`);
    default:
      return error as Error;
  }
}

function entryOf(ids: IdMap, dir: string, name: string, st: Stats, linkTarget?: string): FileEntry {
  const entry = describeEntry(dir, name, {
    type: typeOfMode(st.mode),
    size: st.isDirectory() ? 0 : st.size,
    mode: st.mode & 0o7777,
    permissions: permissionString(st.mode),
    uid: ids.uid(st.uid),
    gid: ids.gid(st.gid),
    mtime: Math.floor(st.mtimeMs / 1000),
  });
  if (linkTarget !== undefined) {
    entry.linkTarget = linkTarget;
    entry.linkEscapes = linkEscapes(dir, linkTarget);
  }
  return entry;
}

const hostPathOf = (root: string, rel: string) => (rel ? join(root, ...rel.split('/')) : root);

/** Looks at the volume's mount point as it is now, for `resolveInVolume`. */
export function mountPointIo(root: string): ResolveIo {
  return {
    async lstat(rel) {
      try {
        return typeOfMode((await lstat(hostPathOf(root, rel))).mode);
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') return null;
        throw error;
      }
    },
    readlink: (rel) => readlink(hostPathOf(root, rel)),
  };
}

/**
 * The files of a volume whose mount point this computer can read. `io` is what paths are resolved
 * with (the tests stand in for a container that changes the files right after a check); `ids`
 * gives owners as the engine's containers see them (rootless Podman maps them, see id-map.ts).
 */
export function directFiles(root: string, options: { preserveOwner?: boolean; io?: ResolveIo; ids?: IdMap } = {}): VolumeFiles {
  const ids = options.ids ?? identityIds;
  const host = (rel: string) => hostPathOf(root, rel);
  const io = options.io ?? mountPointIo(root);
  const resolve = (path: string, followLast: boolean) => resolveInVolume(path, followLast, io);
  /** Acts inside the folder `rel` held open (see pinned.ts): what changes it is never raced out of the volume. */
  const inPinned = async <T>(rel: string, act: (dir: string) => Promise<T>): Promise<T> => {
    const pinned = await pinDir(root, host(rel));
    try {
      return await act(pinned.path);
    } finally {
      await pinned.close();
    }
  };

  /** Through its folder's descriptor: a folder on the way swapped for a link cannot have it describe a file of this computer. */
  const describe = async (rel: string): Promise<FileEntry> => {
    if (rel === '') return entryOf(ids, '', '', await lstat(root));
    return inPinned(parentOf(rel), async (dir) => {
      const full = join(dir, baseName(rel));
      const st = await lstat(full);
      return entryOf(ids, parentOf(rel), baseName(rel), st, st.isSymbolicLink() ? await readlink(full) : undefined);
    });
  };

  return {
    access: 'direct',

    async list(path) {
      const resolved = await resolve(path, true);
      try {
        // The folder is listed through its descriptor: a link swapped in after the resolve cannot
        // have PodDesk list (or describe) a folder of this computer.
        return await inPinned(resolved, async (dir) => {
          const names = await readdir(dir);
          const entries: FileEntry[] = [];
          // lstat in slices: thousands at once would only queue in libuv's thread pool.
          for (let i = 0; i < names.length; i += 256) {
            const slice = names.slice(i, i + 256);
            const stats = await Promise.all(
              slice.map(async (name) => {
                const full = join(dir, name);
                const st = await lstat(full).catch(() => null);
                if (!st) return null; // gone while we looked
                return entryOf(ids, resolved, name, st, st.isSymbolicLink() ? await readlink(full).catch(() => '') : undefined);
              }),
            );
            for (const e of stats) if (e) entries.push(e);
          }
          return { path: resolved, entries };
        });
      } catch (error) {
        throw fsError(error, path);
      }
    },

    async entry(path, followLast) {
      const resolved = await resolve(path, followLast);
      return describe(resolved).catch((error: unknown) => {
        throw fsError(error, path);
      });
    },

    async readHead(path, maxBytes) {
      const resolved = await resolve(path, true);
      const entry = await describe(resolved).catch((error: unknown) => {
        throw fsError(error, path);
      });
      // Folders, pipes and devices are described, never opened.
      if (entry.type !== 'file') return { entry, head: Buffer.alloc(0) };
      const { handle, stats } = await openFileInside(root, host(resolved), path).catch((error: unknown) => {
        throw fsError(error, path);
      });
      try {
        // What was opened, not what the path named a moment before.
        const opened = entryOf(ids, parentOf(resolved), baseName(resolved), stats);
        const buffer = Buffer.alloc(Math.min(maxBytes, opened.size));
        let filled = 0;
        while (filled < buffer.length) {
          const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        return { entry: opened, head: buffer.subarray(0, filled) };
      } finally {
        await handle.close();
      }
    },

    async openFile(path) {
      const resolved = await resolve(path, true);
      const { handle, stats } = await openFileInside(root, host(resolved), path).catch((error: unknown) => {
        throw fsError(error, path);
      });
      // The size of what was opened, not of what the path named a moment before.
      return { stream: handle.createReadStream({ highWaterMark: 1024 * 1024 }), size: stats.size };
    },

    async exportTar(path, name, signal, counter) {
      const resolved = await resolve(path, true);
      const st = await lstat(host(resolved)).catch((error: unknown) => {
        throw fsError(error, path);
      });
      if (!st.isDirectory() && !st.isFile()) throw new AppError('INVALID_INPUT', `“${path}” is neither a file nor a folder`);
      const pack = tar.pack();
      packTree(pack, host(resolved), name, counter, signal, ids).then(
        () => pack.finalize(),
        (error: unknown) => pack.destroy(error as Error),
      );
      return pack as unknown as Readable;
    },

    async importTar(dir, input, signal) {
      const resolved = await resolve(dir, true);
      const st = await lstat(host(resolved)).catch((error: unknown) => {
        throw fsError(error, dir);
      });
      if (!st.isDirectory()) throw new AppError('INVALID_INPUT', `“${dir}” is not a folder`);
      await inPinned(resolved, (into) =>
        extractInto(into, input, { preserveOwner: options.preserveOwner ?? process.getuid?.() === 0, signal }),
      );
    },

    async copyFromHost(dir, sources, signal, counter) {
      const resolved = await resolve(dir, true);
      const st = await lstat(host(resolved)).catch((error: unknown) => {
        throw fsError(error, dir);
      });
      if (!st.isDirectory()) throw new AppError('INVALID_INPUT', `“${dir}” is not a folder`);
      await inPinned(resolved, (into) => copyInto(into, sources, { preserveOwner: false, signal, counter }));
    },

    async mkdir(dir, name) {
      const resolved = await resolve(dir, true);
      const target = joinVolumePath(resolved, name);
      try {
        await inPinned(resolved, (into) => mkdir(join(into, name)));
        return await describe(target);
      } catch (error) {
        throw fsError(error, target);
      }
    },

    async rename(path, newName) {
      if (!path) throw new AppError('INVALID_INPUT', 'The volume’s root cannot be renamed');
      const from = await resolve(path, false);
      const to = joinVolumePath(parentOf(from), newName);
      try {
        await lstat(host(from));
      } catch (error) {
        throw fsError(error, path);
      }
      const taken = await lstat(host(to)).then(
        () => true,
        () => false,
      );
      if (taken) throw new AppError('CONFLICT', `“${newName}” already exists here`);
      try {
        await inPinned(parentOf(from), (dir) => rename(join(dir, baseName(from)), join(dir, newName)));
        return await describe(to);
      } catch (error) {
        throw fsError(error, path);
      }
    },

    async remove(paths) {
      const targets = await Promise.all(paths.map((p) => resolve(p, false)));
      if (targets.some((t) => t === '')) throw new AppError('INVALID_INPUT', 'The volume’s root cannot be deleted');
      for (const [i, target] of targets.entries()) {
        try {
          await lstat(host(target));
          await inPinned(parentOf(target), (dir) => removeEntry(dir, baseName(target)));
        } catch (error) {
          throw fsError(error, paths[i]!);
        }
      }
    },

    async size(signal) {
      let bytes = 0;
      let files = 0;
      // Each folder through the descriptor of its parent's, never through a link: a folder swapped
      // for one while PodDesk counts is skipped, not followed out of the volume.
      const walk = async (dir: string): Promise<void> => {
        if (signal?.aborted) throw new AppError('CANCELLED', 'Cancelled');
        for (const name of await readdir(dir)) {
          const st = await lstat(join(dir, name)).catch(() => null);
          if (!st) continue;
          files++;
          if (!st.isDirectory()) {
            bytes += st.size;
            continue;
          }
          const child = await pinChild(dir, name).catch(() => null);
          if (!child) continue;
          try {
            await walk(child.path);
          } finally {
            await child.close();
          }
        }
      };
      await inPinned('', walk);
      return { bytes, files };
    },
  };
}

/** One entry to write into a folder: a tar header, and the bytes for a file. */
export type EntryHeader = Pick<Header, 'name' | 'type'> & Partial<Pick<Header, 'mode' | 'uid' | 'gid' | 'mtime' | 'linkname'>>;

/**
 * Writes entries into `dir` without ever following a symlink that is already there or that an
 * earlier entry made: every folder on the way must be a real folder, files are written beside
 * their place and renamed over it (a link in the way is replaced, not written through), and names
 * that climb out are refused. Tar extraction and host-to-volume copies both go through here.
 */
export function createWriter(dir: string, options: { preserveOwner: boolean; signal?: AbortSignal }) {
  const realDirs = new Set<string>(['']);
  const dirTimes: { path: string; mtime: Date }[] = [];
  const host = (rel: string) => (rel ? join(dir, ...rel.split('/')) : dir);

  const ensureDir = async (rel: string): Promise<void> => {
    if (realDirs.has(rel)) return;
    await ensureDir(parentOf(rel));
    const st = await lstat(host(rel)).catch(() => null);
    if (!st)
      await mkdir(host(rel)).catch((error: { code?: string }) => (error.code === 'EEXIST' ? undefined : Promise.reject(error)));
    else if (!st.isDirectory())
      throw new AppError('INVALID_INPUT', `“${rel}” is in the way: it is ${st.isSymbolicLink() ? 'a symlink' : 'not a folder'}`);
    realDirs.add(rel);
  };

  const own = async (path: string, header: EntryHeader) => {
    if (options.preserveOwner && header.uid !== undefined && header.gid !== undefined)
      await lchown(path, header.uid, header.gid).catch(() => undefined);
  };

  return {
    /**
     * Writes one entry. A file's bytes come as a stream (which must be consumed or resumed) or,
     * from this computer, as a path the kernel copies directly (`counter` then follows the copy).
     */
    async put(header: EntryHeader, from?: Readable | string, counter?: Counter): Promise<void> {
      if (options.signal?.aborted) throw new AppError('CANCELLED', 'Cancelled');
      const source = from;
      const stream = typeof from === 'string' ? undefined : from;
      const name = safeEntryName(header.name);
      if (name === null) throw new AppError('INVALID_INPUT', `The archive entry “${header.name}” would land outside the volume`);
      if (name === '') return void stream?.resume();
      await ensureDir(parentOf(name));
      const target = host(name);
      const mode = (header.mode ?? 0o644) & 0o7777;
      const existing = await lstat(target).catch(() => null);
      if (header.type === 'directory') {
        if (existing && !existing.isDirectory())
          throw new AppError('INVALID_INPUT', `“${name}” is in the way: it is not a folder`);
        if (!existing) await mkdir(target, { mode });
        else await chmod(target, mode);
        realDirs.add(name);
        await own(target, header);
        if (header.mtime) dirTimes.push({ path: target, mtime: header.mtime });
        stream?.resume();
      } else if ((header.type === 'file' || header.type === 'contiguous-file') && source) {
        if (existing?.isDirectory()) throw new AppError('CONFLICT', `“${name}” is a folder here; a file cannot replace it`);
        const part = `${target}.poddesk-${randomBytes(4).toString('hex')}.part`;
        try {
          if (typeof source === 'string') await copyFileWatched(source, part, options.signal, counter);
          else await pipeline(source, createWriteStream(part, { mode, flags: 'wx' }));
          await chmod(part, mode);
          await own(part, header);
          if (header.mtime) await utimes(part, header.mtime, header.mtime);
          await rename(part, target);
        } catch (error) {
          await unlink(part).catch(() => undefined);
          throw error;
        }
      } else if (header.type === 'symlink' && header.linkname) {
        if (existing?.isDirectory()) throw new AppError('CONFLICT', `“${name}” is a folder here; a link cannot replace it`);
        if (existing) await unlink(target);
        await symlink(header.linkname, target);
        await own(target, header);
        if (header.mtime) await lutimes(target, header.mtime, header.mtime).catch(() => undefined);
        stream?.resume();
      } else if (header.type === 'link' && header.linkname) {
        const from = safeEntryName(header.linkname);
        if (!from) throw new AppError('INVALID_INPUT', `The archive hard link “${header.name}” points outside`);
        // A hard link made through a symlinked folder would reach a file outside: check the way.
        await ensureDir(parentOf(from));
        const linked = await lstat(host(from)).catch(() => null);
        if (!linked?.isFile())
          throw new AppError('INVALID_INPUT', `The archive hard link “${header.name}” points to no file of the archive`);
        if (existing && !existing.isDirectory()) await unlink(target);
        await link(host(from), target);
        stream?.resume();
      } else {
        stream?.resume(); // devices and the like have no place in a volume
      }
    },
    /** Folder times last: writing into a folder changes its time. */
    async finish(): Promise<void> {
      for (const { path, mtime } of dirTimes.reverse()) await utimes(path, mtime, mtime).catch(() => undefined);
    },
  };
}

/** Extracts a tar into `dir` through `createWriter`'s checks. */
export async function extractInto(
  dir: string,
  input: Readable,
  options: { preserveOwner: boolean; signal?: AbortSignal },
): Promise<void> {
  const extract = tar.extract();
  const writer = createWriter(dir, options);
  const run = async () => {
    for await (const entry of extract) await writer.put(entry.header, entry as unknown as Readable);
    await writer.finish();
  };
  const done = run();
  input.once('error', (error) => extract.destroy(error));
  input.pipe(extract as unknown as NodeJS.WritableStream);
  try {
    await done;
  } catch (error) {
    input.destroy();
    extract.destroy();
    throw error;
  }
}

/**
 * Copies a file of this computer to `part` in the kernel (copy_file_range, or a reflink where the
 * file system can): 2 GB/s here where a Node stream manages 0.5. Progress is the size `part` has
 * reached, looked at while the copy runs.
 */
async function copyFileWatched(from: string, part: string, signal?: AbortSignal, counter?: Counter): Promise<void> {
  const base = counter?.bytes ?? 0;
  const watch = counter
    ? setInterval(() => {
        void stat(part).then(
          (st) => (counter.bytes = Math.max(counter.bytes, base + st.size)),
          () => undefined,
        );
      }, 200)
    : undefined;
  try {
    await copyFile(from, part, constants.COPYFILE_EXCL);
    if (signal?.aborted) throw new AppError('CANCELLED', 'Cancelled');
    if (counter) counter.bytes = base + (await stat(part)).size;
  } finally {
    clearInterval(watch);
  }
}

/**
 * Copies files and folders of this computer into `dir` of a directly readable volume, with the
 * same checks as an extraction but no tar in between: plain streams, file by file.
 */
export async function copyInto(
  dir: string,
  sources: { hostPath: string; name: string }[],
  options: { preserveOwner: boolean; signal?: AbortSignal; counter?: Counter },
): Promise<void> {
  const writer = createWriter(dir, options);
  const visit = async (hostPath: string, name: string, top: boolean): Promise<void> => {
    const st = top ? await stat(hostPath) : await lstat(hostPath);
    const common = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime };
    if (st.isDirectory()) {
      await writer.put({ ...common, name, type: 'directory' });
      for await (const child of await opendir(hostPath)) await visit(join(hostPath, child.name), `${name}/${child.name}`, false);
    } else if (st.isFile()) {
      if (options.counter) options.counter.current = name;
      await writer.put({ ...common, name, type: 'file' }, hostPath, options.counter);
      if (options.counter) options.counter.files++;
    } else if (st.isSymbolicLink()) {
      await writer.put({ ...common, name, type: 'symlink', linkname: await readlink(hostPath) });
    }
  };
  for (const source of sources) await visit(source.hostPath, source.name, true);
  await writer.finish();
}

export type { Counter };
