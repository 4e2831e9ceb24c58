import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { ImageSummary, StreamArgs, TransferProgress } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { HostFiles } from '../../host-files';
import type { HostPaths } from '../../host-paths';
import { saveStream } from '../../save-file';
import type { UploadInbox } from '../../uploads';
import type { Engine } from '../engine';
import { byteCounter, exportImages, loadImages, saveReferences } from './archive';

type Emit = (progress: TransferProgress) => void;

export interface ImageArchiveDeps {
  engine: () => Engine;
  hostFiles: HostFiles;
  hostPaths: HostPaths;
  inbox: UploadInbox;
  /** An image of the cache by id, short id or name. */
  findImage(idOrName: string): ImageSummary | undefined;
  /** The images just loaded: fetched into the cache (Podman 4 sends no event for a load). */
  refresh(idOrName: string): void;
}

/** Reports bytes a few times a second (they move far more often). */
function reporter(emit: Emit, state: { bytes: number }, files: number, totalBytes?: number) {
  const send = () => emit({ phase: 'running', bytes: state.bytes, files, ...(totalBytes ? { totalBytes } : {}) });
  send();
  const timer = setInterval(send, 250);
  return () => clearInterval(timer);
}

const stamp = (date = new Date()) => date.toISOString().slice(0, 10);

/** A file name from an image's name: "docker.io/library/nginx:1.27" → "nginx-1.27". */
export function archiveName(references: readonly string[], format: StreamArgs<'images.save'>['format']): string {
  const first = references[0]!;
  const base = /^[a-f0-9]{12,64}$/.test(first)
    ? first.slice(0, 12)
    : first.slice(first.lastIndexOf('/') + 1).replace(/[:@]/g, '-');
  const more = references.length > 1 ? `-and-${references.length - 1}-more` : '';
  return `${base}${more}-${stamp()}${format === 'oci-archive' ? '.oci' : ''}.tar`;
}

export function imageArchiveTransfers(deps: ImageArchiveDeps) {
  return {
    async save({ images, format }: StreamArgs<'images.save'>, emit: Emit, signal: AbortSignal) {
      const references = saveReferences(images, format, deps.findImage);
      const savePath = await deps.hostFiles.chooseSavePath({
        suggestedName: archiveName(references, format),
        title: references.length === 1 ? `Save ${references[0]}` : `Save ${references.length} images`,
      });
      if (!savePath) return emit({ phase: 'cancelled' });
      const ids = new Set(images.map((i) => deps.findImage(i)!.id));
      // The archive is about as large as the images' layers: a guess for the bar, not a promise.
      const totalBytes = [...ids].reduce((sum, id) => sum + (deps.findImage(id)?.size ?? 0), 0);
      const state = { bytes: 0 };
      const stop = reporter(emit, state, ids.size, totalBytes);
      try {
        const response = await exportImages(deps.engine(), references, format, signal);
        await saveStream(
          response,
          savePath,
          signal,
          byteCounter((n) => (state.bytes += n)),
        );
      } finally {
        stop();
      }
      emit({ phase: 'done', bytes: state.bytes, files: ids.size, savedTo: savePath, images: references });
    },

    async load({ source }: StreamArgs<'images.load'>, emit: Emit, signal: AbortSignal) {
      let archive: { open: () => Promise<Readable>; size: number };
      let ticket: ReturnType<UploadInbox['open']> | null = null;
      if (source.kind === 'browser') {
        archive = {
          size: source.size,
          open: async () => {
            ticket = deps.inbox.open(1, signal);
            emit({ phase: 'awaiting-files', ticket: ticket.id });
            return ticket.take(0);
          },
        };
      } else {
        const paths =
          source.kind === 'handle'
            ? deps.hostPaths.take([source.handle], ['image-archive', 'drop'])
            : await deps.hostFiles.chooseOpenPaths({
                title: 'Load images from an archive',
                filters: [{ name: 'Image archives', extensions: ['tar', 'tar.gz', 'tgz'] }],
              });
        if (paths.length === 0) return emit({ phase: 'cancelled' });
        const path = paths[0]!;
        const info = await stat(path).catch(() => {
          throw new AppError('NOT_FOUND', `Cannot open ${path}`);
        });
        if (!info.isFile()) throw new AppError('INVALID_INPUT', `${path} is not a file: choose a .tar or .tar.gz image archive`);
        archive = { size: info.size, open: async () => createReadStream(path) };
      }
      const state = { bytes: 0 };
      const stop = reporter(emit, state, 0, archive.size);
      let names: string[];
      const settle = (error?: unknown) => (ticket as ReturnType<UploadInbox['open']> | null)?.settle(0, error);
      try {
        const raw = await archive.open();
        const counted = raw.pipe(byteCounter((n) => (state.bytes += n)));
        raw.once('error', (error) => counted.destroy(error));
        names = await loadImages(deps.engine(), counted, signal);
        settle();
      } catch (error) {
        settle(error);
        throw error;
      } finally {
        stop();
        (ticket as ReturnType<UploadInbox['open']> | null)?.close();
      }
      for (const name of names) deps.refresh(name.replace(/^sha256:/, ''));
      emit({ phase: 'done', bytes: state.bytes, files: names.length, images: names });
    },
  };
}
