import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError } from '../../shared/errors';
import type { UploadInbox } from '../uploads';
import type { ModelFileSource } from './import';

/** A file of this computer main was given a path for (a dialog it opened, a drop). */
export async function pathSource(path: string): Promise<ModelFileSource> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new AppError(
      'NOT_FOUND',
      `Cannot read ${basename(path)}: ${error.code === 'ENOENT' ? 'it is no longer there' : error.message}`,
    );
  });
  if (!info.isFile()) throw new AppError('INVALID_INPUT', `${basename(path)} is not a file: choose the .gguf file itself`);
  return {
    name: basename(path),
    size: info.size,
    async read(signal) {
      const stream = createReadStream(path, { signal, highWaterMark: 1024 * 1024 });
      return { chunks: stream as AsyncIterable<Buffer>, done: () => stream.destroy() };
    },
  };
}

/**
 * The browser host's page has no path to give: each time the bytes are needed, main opens an
 * upload ticket and asks the page (`awaiting-file`), which PUTs the file to /upload/<ticket>/0.
 */
export function browserSource(
  fileName: string,
  size: number,
  deps: { inbox: UploadInbox; ask: (ticket: string) => void },
): ModelFileSource {
  return {
    name: fileName,
    size,
    async read(signal) {
      const ticket = deps.inbox.open(1, signal);
      deps.ask(ticket.id);
      try {
        const body = await ticket.take(0);
        return {
          chunks: body as AsyncIterable<Buffer>,
          done(error) {
            ticket.settle(0, error);
            ticket.close(error);
          },
        };
      } catch (error) {
        ticket.close(error);
        throw error;
      }
    },
  };
}
