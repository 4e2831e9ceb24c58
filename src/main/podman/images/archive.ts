import type { IncomingMessage } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ImageArchiveFormat, ImageSummary } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { LIBPOD, type Engine } from '../engine';

/**
 * The names to save for these images: every tag of each (so they come back with their names),
 * or its id when it has none. An oci-archive holds one image under one name.
 */
export function saveReferences(
  wanted: readonly string[],
  format: ImageArchiveFormat,
  find: (idOrName: string) => ImageSummary | undefined,
): string[] {
  const images = wanted.map((w) => {
    const image = find(w);
    if (!image) throw new AppError('NOT_FOUND', `No image “${w}” here`);
    // Asked by name: that name; by id: all its names.
    const byName = image.tags.includes(w);
    return { image, refs: byName ? [w] : image.tags.length > 0 ? image.tags : [image.id] };
  });
  const distinct = new Set(images.map((i) => i.image.id));
  if (format === 'oci-archive') {
    if (distinct.size > 1) {
      throw new AppError(
        'INVALID_INPUT',
        'An oci-archive holds one image: choose docker-archive to save several images in one file, or save them one by one.',
      );
    }
    return [images[0]!.refs[0]!];
  }
  return [...new Set(images.flatMap((i) => i.refs))];
}

/** The archive as Podman writes it (`podman save`); Podman builds it before the first byte comes. */
export function exportImages(
  engine: Engine,
  references: readonly string[],
  format: ImageArchiveFormat,
  signal?: AbortSignal,
): Promise<IncomingMessage> {
  return engine.stream('GET', `${LIBPOD}/images/export`, {
    query: { references: [...references], format, compress: false },
    signal,
  });
}

/** Counts bytes going through. */
export function byteCounter(onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
}

/** The first bytes of a stream, put back so it reads whole; empty at its end. */
async function peek(source: Readable): Promise<Buffer> {
  for (;;) {
    const chunk = source.read() as Buffer | null;
    if (chunk) {
      source.unshift(chunk);
      return chunk;
    }
    if (source.readableEnded || source.destroyed) return Buffer.alloc(0);
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        source.off('readable', done).off('end', done).off('error', fail);
        resolve();
      };
      const fail = (error: Error) => {
        source.off('readable', done).off('end', done);
        reject(error);
      };
      source.once('readable', done).once('end', done).once('error', fail);
    });
  }
}

/**
 * A .tar.gz is unpacked here, so Podman always reads a plain tar whatever its version guesses;
 * the first two bytes decide, not the file's name.
 */
export async function plainTar(source: Readable): Promise<Readable> {
  const head = await peek(source);
  if (!(head[0] === 0x1f && head[1] === 0x8b)) return source;
  const gunzip = createGunzip();
  source.on('error', (error) => gunzip.destroy(error));
  gunzip.on('error', () => source.destroy());
  return source.pipe(gunzip);
}

/** What Podman (or gunzip) says about an archive it cannot read, in words a learner can act on. */
export function loadError(error: unknown): AppError {
  const zlib = (error as { code?: string }).code?.startsWith('Z_');
  if (zlib) {
    return new AppError(
      'INVALID_INPUT',
      `This .tar.gz file is damaged or incomplete (${(error as Error).message}): nothing was loaded.`,
    );
  }
  const e = error instanceof AppError ? error : new AppError('ENGINE_ERROR', (error as Error).message);
  if (e.code === 'CANCELLED' || e.code === 'ENGINE_UNAVAILABLE' || e.code === 'NOT_FOUND') return e;
  const engine = String((e.details as { engine?: string } | undefined)?.engine ?? e.message);
  return new AppError(
    'INVALID_INPUT',
    `This file is not an image archive Podman can load, or it is incomplete (a copy that stopped early?): nothing was loaded. Podman said: ${engine}`,
    { engine },
  );
}

/**
 * Loads the images of an archive (`podman load`). Podman keeps the whole upload in a temporary
 * file and reads it only once complete, so an archive cut short loads nothing. Resolves with the
 * names (or ids) of what was loaded.
 */
export async function loadImages(engine: Engine, archive: Readable, signal?: AbortSignal): Promise<string[]> {
  const body = await plainTar(archive);
  let report: { Names?: string[] | null } | null;
  try {
    report = await engine.json<{ Names?: string[] | null } | null>('POST', `${LIBPOD}/images/load`, {
      raw: body,
      signal,
      headers: { 'Content-Type': 'application/x-tar' },
    });
  } catch (error) {
    throw loadError(body.errored ?? error);
  }
  return (report?.Names ?? []).flatMap((n) => n.split(',').map((s) => s.trim())).filter(Boolean);
}
