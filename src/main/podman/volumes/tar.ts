import { createReadStream } from 'node:fs';
import { lstat, opendir, readlink, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar, { type Header } from 'tar-stream';
import yazl from 'yazl';
import { AppError } from '../../../shared/errors';
import { identityIds, type IdMap } from './id-map';

/**
 * Tar streams in and out of volumes. Everything here streams entry by entry with backpressure,
 * so a 10 GB file costs the same memory as a 10 KB one.
 */
export type Pack = tar.Pack;
export type TarHeader = Partial<Header> & { name: string };

export interface Counter {
  bytes: number;
  files: number;
  current?: string;
}

/** Counts the bytes that pass (the progress of a transfer). */
export function counting(counter: Counter): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      counter.bytes += chunk.length;
      callback(null, chunk);
    },
  });
}

/** Adds one file entry and resolves when its bytes are in the archive. */
export function addFile(pack: Pack, header: TarHeader, source: Readable, counter?: Counter): Promise<void> {
  return new Promise((resolve, reject) => {
    const entry = pack.entry({ ...header, type: 'file' }, (error) => (error ? reject(error) : resolve()));
    const input = counter ? source.pipe(counting(counter)) : source;
    source.once('error', (error) => {
      reject(error);
      entry.destroy(error);
    });
    input.pipe(entry as unknown as NodeJS.WritableStream);
  });
}

export function addEntry(pack: Pack, header: TarHeader): Promise<void> {
  return new Promise((resolve, reject) => pack.entry(header, (error) => (error ? reject(error) : resolve())));
}

/**
 * Packs a folder (or one file) of this computer under `name`, without following the symlinks
 * inside it (they are stored as links). Sockets and devices are left out; fifos are never opened.
 * Owners are written as `ids` gives them (a rootless engine's containers see other ids than this computer).
 */
export async function packTree(
  pack: Pack,
  hostPath: string,
  name: string,
  counter?: Counter,
  signal?: AbortSignal,
  ids: IdMap = identityIds,
): Promise<void> {
  const info = name === '' ? await stat(hostPath) : await lstat(hostPath);
  await packOne(pack, hostPath, name, info, counter, signal, ids);
}

async function packOne(
  pack: Pack,
  hostPath: string,
  name: string,
  info: Awaited<ReturnType<typeof lstat>>,
  counter: Counter | undefined,
  signal: AbortSignal | undefined,
  ids: IdMap,
): Promise<void> {
  if (signal?.aborted) throw new AppError('CANCELLED', 'Cancelled');
  const common = {
    mode: Number(info.mode) & 0o7777,
    uid: ids.uid(Number(info.uid)),
    gid: ids.gid(Number(info.gid)),
    mtime: info.mtime,
  };
  if (info.isDirectory()) {
    if (name !== '') await addEntry(pack, { ...common, name, type: 'directory' });
    const dir = await opendir(hostPath);
    for await (const child of dir) {
      const childPath = join(hostPath, child.name);
      await packOne(pack, childPath, name ? `${name}/${child.name}` : child.name, await lstat(childPath), counter, signal, ids);
    }
  } else if (info.isFile()) {
    if (counter) counter.current = name;
    await addFile(
      pack,
      { ...common, name: name || basename(hostPath), size: Number(info.size) },
      createReadStream(hostPath, { highWaterMark: 1024 * 1024 }),
      counter,
    );
    if (counter) counter.files++;
  } else if (info.isSymbolicLink()) {
    await addEntry(pack, { ...common, name, type: 'symlink', linkname: await readlink(hostPath) });
  } else if (info.isFIFO()) {
    await addEntry(pack, { ...common, name, type: 'fifo' });
  }
}

/** An archive entry name, made relative and checked: nothing in it may climb out. */
export function safeEntryName(raw: string): string | null {
  const parts: string[] = [];
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return null;
    parts.push(part);
  }
  return parts.join('/');
}

/**
 * Re-packs a tar stream with every entry checked: names are made relative, `..` refused, and no
 * entry may sit below a symlink the same archive created (the classic way out of an extraction).
 * `rename` maps each (checked) name to the one to write, or null to leave the entry out.
 */
export function sanitizeTar(input: Readable, rename: (name: string) => string | null = (n) => n, counter?: Counter): Readable {
  const extract = tar.extract();
  const pack = tar.pack();
  const links = new Set<string>();
  const underLink = (name: string) => {
    for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) if (links.has(name.slice(0, i))) return true;
    return false;
  };
  void (async () => {
    for await (const entry of extract) {
      const header = entry.header;
      const checked = safeEntryName(header.name);
      if (checked === null)
        throw new AppError('INVALID_INPUT', `The archive entry “${header.name}” would land outside the volume`);
      const name = checked === '' ? null : rename(checked);
      if (name === null || name === '') {
        entry.resume();
        continue;
      }
      if (underLink(name))
        throw new AppError('INVALID_INPUT', `The archive entry “${header.name}” sits below a symlink it also contains`);
      if (header.type === 'file' || header.type === 'contiguous-file') {
        if (counter) counter.current = name;
        await addFile(pack, { ...header, name, type: 'file' }, entry as unknown as Readable, counter);
        if (counter) counter.files++;
      } else if (header.type === 'directory' || header.type === 'symlink' || header.type === 'link' || header.type === 'fifo') {
        let linkname: string | undefined = header.linkname ?? undefined;
        if (header.type === 'symlink') links.add(name);
        if (header.type === 'link') {
          const target = linkname ? safeEntryName(linkname) : null;
          if (target === null || target === '')
            throw new AppError('INVALID_INPUT', `The archive hard link “${header.name}” points outside`);
          linkname = rename(target) ?? undefined;
          if (!linkname) {
            entry.resume();
            continue;
          }
        }
        await addEntry(pack, { ...header, name, linkname });
        entry.resume();
      } else {
        entry.resume(); // devices and the like have no place in a volume copy
      }
    }
    pack.finalize();
  })().catch((error: unknown) => pack.destroy(error as Error));
  input.once('error', (error) => extract.destroy(error));
  input.pipe(extract as unknown as NodeJS.WritableStream);
  return pack as unknown as Readable;
}

/** Turns a tar stream into a zip stream (ZIP64 where sizes need it), entry by entry. */
export function tarToZip(input: Readable, counter?: Counter): Readable {
  const zip = new yazl.ZipFile();
  const extract = tar.extract();
  void (async () => {
    for await (const entry of extract) {
      const header = entry.header;
      const name = safeEntryName(header.name);
      const mtime = header.mtime ?? new Date();
      if (!name) {
        entry.resume();
        continue;
      }
      if (header.type === 'directory') {
        zip.addEmptyDirectory(name, { mtime, mode: 0o40000 | ((header.mode ?? 0o755) & 0o7777) });
        entry.resume();
      } else if (header.type === 'file' || header.type === 'contiguous-file') {
        if (counter) counter.current = name;
        const done = new Promise<void>((resolve, reject) => {
          (entry as unknown as Readable).once('end', resolve);
          (entry as unknown as Readable).once('error', reject);
        });
        const source = counter ? (entry as unknown as Readable).pipe(counting(counter)) : (entry as unknown as Readable);
        zip.addReadStream(source, name, {
          mtime,
          mode: 0o100000 | ((header.mode ?? 0o644) & 0o7777),
          size: header.size ?? undefined,
        });
        await done;
        if (counter) counter.files++;
      } else if (header.type === 'symlink' && header.linkname) {
        zip.addBuffer(Buffer.from(header.linkname), name, { mtime, mode: 0o120777, compress: false });
        entry.resume();
      } else {
        entry.resume();
      }
    }
    zip.end();
  })().catch((error: unknown) => (zip.outputStream as Readable).destroy(error as Error));
  input.once('error', (error) => extract.destroy(error));
  input.pipe(extract as unknown as NodeJS.WritableStream);
  return zip.outputStream as Readable;
}

/** Writes a readable to a writable, honouring backpressure; rejects on either side's error. */
export function pump(source: Readable, ...rest: NodeJS.WritableStream[] | NodeJS.ReadWriteStream[]): Promise<void> {
  return pipeline(source, ...(rest as [NodeJS.WritableStream])) as Promise<void>;
}

export { Readable };
