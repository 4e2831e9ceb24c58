import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { AppError } from '../../../shared/errors';
import { baseName, parentOf } from '../../../shared/volume-paths';
import type { Engine } from '../engine';
import { getArchive, putArchive } from './archive';
import { execIn, execStream } from './exec';
import type { VolumeFiles } from './files';
import type { Helpers } from './helper';
import { HELPER_SCRIPT, fromContainer, inContainer, parseDescribe, parseHead, parseListing, scriptError } from './helper-script';
import { sanitizeTar, type Counter } from './tar';
import { LIBPOD } from '../engine';

/** The first file of a tar stream, as a stream of its bytes. */
export function firstFile(archive: Readable): Promise<{ stream: Readable; size: number }> {
  const extract = tar.extract();
  return new Promise((resolve, reject) => {
    let found = false;
    extract.on('entry', (header, stream, next) => {
      if (found || header.type !== 'file') {
        stream.on('end', () => next());
        stream.resume();
        return;
      }
      found = true;
      stream.on('end', () => next());
      resolve({ stream: stream as unknown as Readable, size: header.size });
    });
    extract.on('finish', () => (found ? undefined : reject(new AppError('NOT_FOUND', 'The archive held no file'))));
    extract.on('error', reject);
    archive.once('error', (error) => extract.destroy(error));
    archive.pipe(extract as unknown as NodeJS.WritableStream);
  });
}

/** The files of a volume reached through its helper container. */
export function helperFiles(volume: string, deps: { engine(): Engine; helpers: Helpers }): VolumeFiles {
  /** Runs one job of the helper script (starting the helper); retries once if the helper had gone. */
  const job = async (args: string[], shown: string, signal?: AbortSignal) => {
    for (let attempt = 0; ; attempt++) {
      const name = await deps.helpers.acquire(volume, true);
      try {
        const result = await execIn(deps.engine(), name, ['sh', '-c', HELPER_SCRIPT, 'sh', ...args], signal);
        if (result.code !== 0) throw scriptError(result.code, result.stderr, shown);
        return result.stdout;
      } catch (error) {
        const gone =
          error instanceof AppError && /no such container|not running|state improper|no container/i.test(error.message);
        if (gone && attempt === 0) {
          deps.helpers.invalidate(volume);
          continue;
        }
        throw error;
      } finally {
        deps.helpers.release(volume);
      }
    }
  };

  /** Archive API work needs the helper to exist, not to run. */
  const withContainer = async <T>(fn: (name: string) => Promise<T>): Promise<T> => {
    const name = await deps.helpers.acquire(volume, false);
    try {
      return await fn(name);
    } finally {
      deps.helpers.release(volume);
    }
  };

  const locate = async (path: string, followLast: boolean) => {
    if (path === '') return parseDescribe(await job(['stat', inContainer(''), '', '0'], path));
    return parseDescribe(await job(['stat', inContainer(parentOf(path)), baseName(path), followLast ? '1' : '0'], path));
  };

  const file = async (path: string) => {
    const found = await locate(path, true);
    if (found.entry.type !== 'file') throw new AppError('INVALID_INPUT', `“${path}” is not a regular file`);
    return found;
  };

  const openArchive = async (containerPath: string, signal?: AbortSignal) => {
    const name = await deps.helpers.acquire(volume, false);
    try {
      const archive = await getArchive(deps.engine(), name, containerPath, signal);
      archive.once('close', () => deps.helpers.release(volume));
      return archive;
    } catch (error) {
      deps.helpers.release(volume);
      throw error;
    }
  };

  return {
    access: 'helper',

    async list(path, signal) {
      return parseListing(await job(['list', inContainer(path)], path, signal));
    },

    async entry(path, followLast) {
      return (await locate(path, followLast)).entry;
    },

    async readHead(path, maxBytes, signal) {
      const shown = path;
      if (path === '') return { entry: (await locate('', true)).entry, head: Buffer.alloc(0) };
      const out = await job(['head', inContainer(parentOf(path)), baseName(path), String(maxBytes)], shown, signal);
      const { entry, head } = parseHead(out);
      return { entry, head: head.subarray(0, maxBytes) };
    },

    async openFile(path, signal) {
      const found = await file(path);
      const archive = await openArchive(inContainer(found.path), signal);
      return firstFile(archive);
    },

    async exportTar(path, name, signal, counter?: Counter) {
      if (path === '') {
        // A whole volume (backup, clone) keeps its owners: Podman's archive API gives every file
        // to root on the way out, so the helper's own tar writes it instead.
        const helper = await deps.helpers.acquire(volume, true);
        try {
          const archive = await execStream(deps.engine(), helper, ['tar', '-cf', '-', '-C', inContainer(''), '.'], signal);
          archive.once('close', () => deps.helpers.release(volume));
          return sanitizeTar(archive, (n) => (name ? `${name}/${n}` : n), counter);
        } catch (error) {
          deps.helpers.release(volume);
          throw error;
        }
      }
      const found = await locate(path, true);
      if (found.entry.type !== 'dir' && found.entry.type !== 'file') {
        throw new AppError('INVALID_INPUT', `“${path}” is neither a file nor a folder`);
      }
      const archive = await openArchive(inContainer(found.path), signal);
      const top = baseName(found.path);
      return sanitizeTar(
        archive,
        (n) => {
          if (n === top) return name;
          if (!n.startsWith(`${top}/`)) return null;
          const rest = n.slice(top.length + 1);
          return name ? `${name}/${rest}` : rest;
        },
        counter,
      );
    },

    async importTar(dir, input, signal) {
      let target = inContainer('');
      if (dir !== '') {
        const found = await locate(dir, true);
        if (found.entry.type !== 'dir') throw new AppError('INVALID_INPUT', `“${dir}” is not a folder`);
        target = inContainer(found.path);
      }
      await withContainer((name) => putArchive(deps.engine(), name, target, sanitizeTar(input), signal));
    },

    async mkdir(dir, name) {
      return parseDescribe(await job(['mkdir', inContainer(dir), name], name)).entry;
    },

    async rename(path, newName) {
      if (!path) throw new AppError('INVALID_INPUT', 'The volume’s root cannot be renamed');
      return parseDescribe(await job(['rename', inContainer(parentOf(path)), baseName(path), newName], path)).entry;
    },

    async remove(paths) {
      if (paths.some((p) => p === '')) throw new AppError('INVALID_INPUT', 'The volume’s root cannot be deleted');
      await job(['rm', ...paths.flatMap((p) => [inContainer(parentOf(p)), baseName(p)])], paths.join(', '));
    },

    async size() {
      // Podman computes volume sizes in `system df`; asked for once, on demand, never on a refresh.
      const df = await deps.engine().json<{ Volumes?: { VolumeName: string; Size?: number }[] }>('GET', `${LIBPOD}/system/df`);
      const found = df.Volumes?.find((v) => v.VolumeName === volume);
      if (!found) throw new AppError('NOT_FOUND', `No volume named “${volume}”`);
      return { bytes: found.Size ?? 0 };
    },
  };
}

export { fromContainer };
