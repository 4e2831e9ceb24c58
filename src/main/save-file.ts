import { randomBytes } from 'node:crypto';
import { constants, type WriteStream } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../shared/errors';

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ENOENT: 'that folder does not exist',
  ENOTDIR: 'that folder does not exist',
  ENOSPC: 'the disk is full',
};

/**
 * Writes a file the user chose on this computer (a download, a backup, an export). The bytes go
 * to a new file beside it whose name ends in a random part and `.part`, created exclusively and
 * never through a link, so whatever already sits there (the user's own `report.pdf.part`, a link
 * named like it) is left alone; it is renamed over the chosen path only once complete, and
 * removed when writing fails or is cancelled. The save dialog is where replacing was agreed to.
 */
export async function saveFile<T>(
  target: string,
  write: (out: WriteStream) => Promise<T>,
  options: { mode?: number } = {},
): Promise<T> {
  const part = `${target}.${randomBytes(6).toString('hex')}.part`;
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  const handle = await open(part, flags, options.mode ?? 0o666).catch((error: NodeJS.ErrnoException) => {
    throw new AppError('CONFLICT', `Cannot write ${target}: ${REASONS[error.code ?? ''] ?? error.message}`);
  });
  const out = handle.createWriteStream();
  // The descriptor must be closed before the part is renamed or removed, however writing ended.
  const closed = new Promise<void>((resolve) => out.once('close', resolve));
  try {
    const result = await write(out);
    if (!out.writableEnded) out.end();
    await closed;
    if (out.errored) throw out.errored;
    await rename(part, target);
    return result;
  } catch (error) {
    out.destroy();
    await closed;
    await unlink(part).catch(() => undefined);
    throw error;
  }
}

/** Streams `source` (through `transforms`) into a file the user chose; see `saveFile`. */
export async function saveStream(
  source: Readable,
  target: string,
  signal?: AbortSignal,
  ...transforms: NodeJS.ReadWriteStream[]
): Promise<void> {
  // The source may fail while the file is being opened, before the pipeline listens to it.
  let early: unknown;
  const onError = (error: unknown) => (early ??= error);
  source.on('error', onError);
  try {
    await saveFile(target, async (out) => {
      if (early) throw early;
      await pipeline([source, ...transforms, out] as unknown as [Readable, NodeJS.WritableStream], signal ? { signal } : {});
    });
  } catch (error) {
    source.destroy();
    throw error;
  } finally {
    source.off('error', onError);
  }
}

/** Writes text (or bytes) to a file the user chose; see `saveFile`. */
export function saveText(target: string, data: string | Uint8Array, options: { mode?: number } = {}): Promise<void> {
  return saveFile(
    target,
    (out) =>
      new Promise<void>((resolve, reject) => {
        out.once('error', reject);
        out.once('finish', resolve);
        out.end(data);
      }),
    options,
  );
}
