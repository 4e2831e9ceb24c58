import { createReadStream } from 'node:fs';
import { open as openFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import tar from 'tar-stream';
import type { CallArgs, StreamArgs, TransferProgress, VolumeSummary } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { volumeHostSource } from '../../../shared/volume-options';
import type { HostFiles } from '../../host-files';
import { saveStream } from '../../save-file';
import type { HostPaths } from '../../host-paths';
import type { UploadInbox } from '../../uploads';
import { notRegularError } from './modes';
import type { VolumeService } from './service';
import { addEntry, addFile, counting, packTree, tarToZip, type Counter } from './tar';

type Emit = (progress: TransferProgress) => void;

/** Reports a running transfer a few times a second (the bytes move far more often than that). */
function reporter(emit: Emit, counter: Counter, totalBytes?: number) {
  const send = () =>
    emit({
      phase: 'running',
      bytes: counter.bytes,
      files: counter.files,
      ...(totalBytes !== undefined ? { totalBytes } : {}),
      ...(counter.current ? { current: counter.current } : {}),
    });
  send();
  const timer = setInterval(send, 250);
  return () => clearInterval(timer);
}

/** The transfer's own failure, telling also why the half-made volume `name` was kept. */
function keptError(failure: unknown, name: string, refusal: unknown): AppError {
  const users = (refusal as AppError).details as { containers?: string[] } | undefined;
  const why = users?.containers?.length
    ? `${users.containers.join(', ')} started using it meanwhile`
    : `it could not be removed (${(refusal as Error).message})`;
  const error = failure instanceof AppError ? failure : new AppError('INTERNAL', (failure as Error).message);
  const details = typeof error.details === 'object' && error.details !== null ? error.details : {};
  return new AppError(error.code, `${error.message.replace(/[.\s]*$/, '')}. The new volume “${name}” was kept: ${why}.`, {
    ...details,
    keptVolume: name,
  });
}

const stamp = (date = new Date()) => date.toISOString().slice(0, 16).replace(/[:T]/g, '-');

export interface TransferDeps {
  service: VolumeService;
  hostFiles: HostFiles;
  /** Files of this computer the page names by handle (dropped on the window, or a "Replace?" after a dialog). */
  hostPaths: HostPaths;
  inbox: UploadInbox;
  createVolume(input: CallArgs<'volumes.create'>): Promise<VolumeSummary>;
  /** Removes a volume nothing uses; refuses (naming the containers) otherwise. */
  removeVolume(name: string): Promise<void>;
}

/** An incoming set of files: a tar stream producer plus what is known about it up front. */
interface Incoming {
  names: string[];
  /** Files of this computer (Electron, or the open dialog): copied without a tar where the volume allows. */
  hostSources?: { hostPath: string; name: string }[];
  totalBytes: number;
  /** Fills the pack; resolves when every file is in it. */
  fill(pack: tar.Pack, counter: Counter, signal: AbortSignal): Promise<void>;
}

async function hostSize(path: string): Promise<number> {
  const { lstat, opendir } = await import('node:fs/promises');
  const st = await lstat(path);
  if (!st.isDirectory()) return st.isFile() ? st.size : 0;
  let total = 0;
  for await (const child of await opendir(path)) total += await hostSize(`${path}/${child.name}`);
  return total;
}

export function createTransfers(deps: TransferDeps) {
  const { service } = deps;

  /** Where the files come from: handles for files of this computer, the open dialog, or the page (browser host). */
  const incoming = async (
    source: StreamArgs<'volumes.files.upload'>['source'],
    emit: Emit,
    signal: AbortSignal,
  ): Promise<Incoming | null> => {
    if (source.kind === 'browser') {
      const files = source.files;
      return {
        names: [...new Set(files.map((f) => f.path.split('/')[0]!))],
        totalBytes: files.reduce((sum, f) => sum + f.size, 0),
        async fill(pack, counter) {
          const ticket = deps.inbox.open(files.length, signal);
          emit({ phase: 'awaiting-files', ticket: ticket.id });
          const dirs = new Set<string>();
          try {
            for (const [index, file] of files.entries()) {
              const parts = file.path.split('/');
              for (let i = 1; i < parts.length; i++) {
                const dir = parts.slice(0, i).join('/');
                if (!dirs.has(dir)) {
                  dirs.add(dir);
                  await addEntry(pack, { name: dir, type: 'directory', mode: 0o755, mtime: new Date() });
                }
              }
              const body = await ticket.take(index);
              counter.current = file.path;
              try {
                await addFile(pack, { name: file.path, size: file.size, mode: 0o644, mtime: new Date() }, body, counter);
              } catch (error) {
                ticket.settle(index, error);
                throw error;
              }
              counter.files++;
              ticket.settle(index);
            }
          } finally {
            ticket.close();
          }
        },
      };
    }
    const paths =
      source.kind === 'handles'
        ? deps.hostPaths.take(source.handles, ['upload', 'drop'])
        : await deps.hostFiles.chooseOpenPaths({
            title: 'Upload to the volume',
            directories: source.directories,
            multiple: true,
          });
    if (paths.length === 0) return null;
    const stats = await Promise.all(
      paths.map((p) =>
        stat(p).catch(() => {
          throw new AppError('NOT_FOUND', `Nothing at ${p} on this computer`);
        }),
      ),
    );
    let totalBytes = 0;
    for (const [i, st] of stats.entries()) totalBytes += st.isDirectory() ? await hostSize(paths[i]!) : st.size;
    return {
      names: paths.map((p) => basename(p)),
      hostSources: paths.map((p) => ({ hostPath: p, name: basename(p) })),
      totalBytes,
      async fill(pack, counter, fillSignal) {
        for (const path of paths) await packTree(pack, path, basename(path), counter, fillSignal);
      },
    };
  };

  /**
   * Removes the volume a failed restore or clone made, never by force: a container that started
   * using it meanwhile keeps it (and is not removed with it), and the error says so.
   */
  const rollBack = async (name: string, failure: unknown): Promise<void> => {
    try {
      await deps.removeVolume(name);
    } catch (refusal) {
      throw keptError(failure, name, refusal);
    }
  };

  /** Runs `fill` into a pack that `consume` reads; either side failing stops both. */
  const flow = async (fill: (pack: tar.Pack) => Promise<void>, consume: (tarStream: Readable) => Promise<void>) => {
    const pack = tar.pack();
    const filling = fill(pack).then(
      () => pack.finalize(),
      (error: unknown) => {
        pack.destroy(error as Error);
        throw error;
      },
    );
    const consuming = consume(pack as unknown as Readable);
    const [filled, consumed] = await Promise.allSettled([filling, consuming]);
    if (filled.status === 'rejected') throw filled.reason;
    if (consumed.status === 'rejected') throw consumed.reason;
  };

  return {
    async download({ volume, path, format }: StreamArgs<'volumes.files.download'>, emit: Emit, signal: AbortSignal) {
      const files = await service.open(volume);
      const entry = await files.entry(path, true);
      if (format === 'file' && entry.type !== 'file') {
        if (entry.type !== 'dir') throw notRegularError(path, entry.permissions);
        throw new AppError('INVALID_INPUT', `“${entry.name || volume}” is a folder: download it as .tar or .zip`);
      }
      const name = entry.name || volume;
      const savePath = await deps.hostFiles.chooseSavePath({
        suggestedName: format === 'file' ? name : `${name}.${format}`,
        title: `Save ${name}`,
      });
      if (!savePath) return emit({ phase: 'cancelled' });
      const counter: Counter = { bytes: 0, files: 0 };
      const stop = reporter(emit, counter, format === 'file' ? entry.size : undefined);
      try {
        if (format === 'file') {
          const { stream } = await files.openFile(path, signal);
          await saveStream(stream, savePath, signal, counting(counter));
          counter.files = 1;
        } else if (format === 'tar') {
          await saveStream(await files.exportTar(path, name, signal, counter), savePath, signal);
        } else {
          await saveStream(tarToZip(await files.exportTar(path, name, signal), counter), savePath, signal);
        }
      } finally {
        stop();
      }
      emit({ phase: 'done', bytes: counter.bytes, files: counter.files, savedTo: savePath });
    },

    async upload({ volume, dir, source, overwrite }: StreamArgs<'volumes.files.upload'>, emit: Emit, signal: AbortSignal) {
      const files = await service.open(volume, true);
      const listing = await files.list(dir);
      const from = await incoming(source, emit, signal);
      if (!from) return emit({ phase: 'cancelled' });
      const existing = listing.entries.filter((e) => from.names.includes(e.name));
      const links = existing.filter((e) => e.type === 'symlink');
      if (links.length > 0) {
        throw new AppError(
          'CONFLICT',
          `${links.map((e) => `“${e.name}”`).join(', ')} ${links.length === 1 ? 'is a symlink' : 'are symlinks'} here; PodDesk does not write through links. Delete or rename first.`,
        );
      }
      if (existing.length > 0 && !overwrite) {
        throw new AppError(
          'CONFLICT',
          `${existing.map((e) => `“${e.name}”`).join(', ')} already ${existing.length === 1 ? 'exists' : 'exist'} in this folder`,
          {
            existing: existing.map((e) => e.name),
            // Picked in the native dialog: the page may ask "Replace?" and send these back (it never sees a path).
            ...(source.kind === 'choose' && from.hostSources
              ? { handles: from.hostSources.map((h) => deps.hostPaths.issue(h.hostPath, 'upload', h.name).handle) }
              : {}),
          },
        );
      }
      const counter: Counter = { bytes: 0, files: 0 };
      const stop = reporter(emit, counter, from.totalBytes);
      try {
        if (from.hostSources && files.copyFromHost) await files.copyFromHost(listing.path, from.hostSources, signal, counter);
        else
          await flow(
            (pack) => from.fill(pack, counter, signal),
            (tarStream) => files.importTar(listing.path, tarStream, signal),
          );
      } finally {
        stop();
      }
      emit({ phase: 'done', bytes: counter.bytes, files: counter.files });
    },

    async backup({ name }: StreamArgs<'volumes.backup'>, emit: Emit, signal: AbortSignal) {
      const files = await service.open(name);
      const savePath = await deps.hostFiles.chooseSavePath({
        suggestedName: `${name}-${stamp()}.tar.gz`,
        title: `Back up ${name}`,
      });
      if (!savePath) return emit({ phase: 'cancelled' });
      const counter: Counter = { bytes: 0, files: 0 };
      const stop = reporter(emit, counter);
      try {
        await saveStream(await files.exportTar('', '', signal, counter), savePath, signal, createGzip());
      } finally {
        stop();
      }
      emit({ phase: 'done', bytes: counter.bytes, files: counter.files, savedTo: savePath });
    },

    async restore({ name, create, source }: StreamArgs<'volumes.restore'>, emit: Emit, signal: AbortSignal) {
      // The archive first: nothing is created when the user cancels the dialog.
      let archive: { stream: () => Promise<Readable>; gzip: boolean; size: number } | null = null;
      let ticket: ReturnType<UploadInbox['open']> | null = null;
      if (source.kind === 'browser') {
        const file = source.files[0]!;
        if (source.files.length !== 1) throw new AppError('INVALID_INPUT', 'Restore takes one archive');
        archive = {
          gzip: /\.(tgz|gz)$/i.test(file.path),
          size: file.size,
          stream: async () => {
            ticket = deps.inbox.open(1, signal);
            emit({ phase: 'awaiting-files', ticket: ticket.id });
            return ticket.take(0);
          },
        };
      } else {
        const paths =
          source.kind === 'handles'
            ? deps.hostPaths.take(source.handles, ['restore', 'drop'])
            : await deps.hostFiles.chooseOpenPaths({
                title: `Restore into ${name}`,
                filters: [{ name: 'Volume backups', extensions: ['tar.gz', 'tgz', 'tar'] }],
              });
        if (paths.length === 0) return emit({ phase: 'cancelled' });
        if (paths.length !== 1) throw new AppError('INVALID_INPUT', 'Restore takes one archive');
        const path = paths[0]!;
        const handle = await openFile(path, 'r').catch(() => {
          throw new AppError('NOT_FOUND', `Cannot open ${path}`);
        });
        const magic = Buffer.alloc(2);
        await handle.read(magic, 0, 2, 0);
        const { size } = await handle.stat();
        await handle.close();
        archive = { gzip: magic[0] === 0x1f && magic[1] === 0x8b, size, stream: async () => createReadStream(path) };
      }

      let created = false;
      if (create) {
        await deps.createVolume({ name, driver: 'local', labels: {}, options: {} });
        created = true;
      }
      const files = await service.open(name, true, true);
      if (!created && (await files.list('')).entries.length > 0) {
        throw new AppError('CONFLICT', `“${name}” is not empty: restore into a new or an empty volume`);
      }
      const counter: Counter = { bytes: 0, files: 0 };
      const stop = reporter(emit, counter, archive.size);
      try {
        const raw = await archive.stream();
        const counted = raw.pipe(counting(counter));
        raw.once('error', (error) => counted.destroy(error));
        const tarStream = archive.gzip ? counted.pipe(createGunzip()) : counted;
        if (archive.gzip) counted.once('error', (error) => tarStream.destroy(error));
        await files.importTar('', tarStream as Readable, signal);
        (ticket as ReturnType<UploadInbox['open']> | null)?.settle(0);
      } catch (error) {
        (ticket as ReturnType<UploadInbox['open']> | null)?.settle(0, error);
        if (created) await rollBack(name, error);
        throw error;
      } finally {
        stop();
        (ticket as ReturnType<UploadInbox['open']> | null)?.close();
      }
      emit({ phase: 'done', bytes: counter.bytes, files: counter.files, volume: name });
    },

    async clone({ source, target }: StreamArgs<'volumes.clone'>, emit: Emit, signal: AbortSignal) {
      const from = await service.find(source);
      // A clone stands on its own: it does not join the source's Compose project.
      const labels = Object.fromEntries(
        Object.entries(from.labels).filter(([k]) => !/^(com\.docker\.compose|io\.podman\.compose)\./.test(k)),
      );
      // A volume that is a folder or disk of this computer (made by a stack or the CLI) is copied
      // into an ordinary volume: the same options would make the clone that same folder, not a copy.
      const ordinary = volumeHostSource(from.options) === undefined;
      const to = await deps.createVolume({
        name: target,
        driver: ordinary ? from.driver : 'local',
        labels,
        options: ordinary ? from.options : {},
      });
      const counter: Counter = { bytes: 0, files: 0 };
      const stop = reporter(emit, counter);
      try {
        const src = await service.open(source);
        const dst = await service.open(to.name, true, true);
        await dst.importTar('', await src.exportTar('', '', signal, counter), signal);
      } catch (error) {
        await rollBack(to.name, error);
        throw error;
      } finally {
        stop();
      }
      emit({ phase: 'done', bytes: counter.bytes, files: counter.files, volume: to.name });
    },
  };
}
