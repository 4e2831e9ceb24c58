import { createHash } from 'node:crypto';
import type { ModelImportProgress } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { ggufEntryName, isGguf, notGgufMessage } from '../../shared/model-file';
import { blobExists, createFromFiles, pushBlob, type OllamaHttp } from './blobs';

/**
 * A model file's bytes, readable twice: once to hash it (Ollama names blobs by their sha256,
 * which must be known before the upload), once to upload it when Ollama does not have it.
 * Read from a path main was given (a dialog), or sent twice by the browser host's page.
 */
export interface ModelFileSource {
  /** The file's name as the user knows it. */
  name: string;
  size: number;
  read(signal: AbortSignal): Promise<{ chunks: AsyncIterable<Buffer>; done(error?: unknown): void }>;
}

export interface ImportRequest {
  name: string;
  template?: string;
  system?: string;
  parameters?: Record<string, unknown>;
}

/** Progress at most every 100 ms, plus the last: a large file has many chunks. */
function throttled(emit: (p: ModelImportProgress) => void, now: () => number = Date.now) {
  let last = 0;
  return (p: ModelImportProgress, force = false) => {
    const t = now();
    if (force || t - last >= 100) {
      last = t;
      emit(p);
    }
  };
}

/** Reads the file once: its sha256, refusing at the first bytes a file that is not GGUF. */
async function hashFile(source: ModelFileSource, emit: (p: ModelImportProgress, force?: boolean) => void, signal: AbortSignal) {
  const hash = createHash('sha256');
  let completed = 0;
  let head = Buffer.alloc(0);
  const { chunks, done } = await source.read(signal);
  try {
    emit({ phase: 'hashing', completed: 0, total: source.size }, true);
    for await (const chunk of chunks) {
      if (signal.aborted) throw new AppError('CANCELLED', 'Import cancelled');
      if (head.length < 4) {
        head = Buffer.concat([head, chunk]).subarray(0, 4);
        if (head.length >= 4 && !isGguf(head)) throw new AppError('INVALID_INPUT', notGgufMessage(source.name));
      }
      hash.update(chunk);
      completed += chunk.length;
      emit({ phase: 'hashing', completed, total: Math.max(source.size, completed) });
    }
    if (head.length < 4) throw new AppError('INVALID_INPUT', notGgufMessage(source.name));
    emit({ phase: 'hashing', completed, total: completed }, true);
    done();
    return { digest: `sha256:${hash.digest('hex')}`, size: completed };
  } catch (error) {
    done(error);
    throw error;
  }
}

/**
 * Imports a GGUF file as a model, the way `ollama create` does for a remote server: hash,
 * HEAD /api/blobs/<digest> (no upload when Ollama has the file), POST /api/blobs/<digest>,
 * then POST /api/create with `files`. Every step stops when `signal` aborts.
 */
export async function importModel(
  request: ImportRequest,
  source: ModelFileSource,
  http: OllamaHttp,
  emitRaw: (p: ModelImportProgress) => void,
  signal: AbortSignal,
): Promise<void> {
  const emit = throttled(emitRaw);
  try {
    const { digest, size } = await hashFile(source, emit, signal);
    const present = await blobExists(http, digest, signal);
    if (!present) {
      const { chunks, done } = await source.read(signal);
      let completed = 0;
      async function* counted() {
        for await (const chunk of chunks) {
          completed += chunk.length;
          emit({ phase: 'uploading', completed, total: size });
          yield chunk;
        }
        emit({ phase: 'uploading', completed, total: size }, true);
      }
      emit({ phase: 'uploading', completed: 0, total: size }, true);
      try {
        await pushBlob(http, digest, counted(), signal);
        done();
      } catch (error) {
        done(error);
        throw error;
      }
    }
    emit({ phase: 'creating', status: 'creating the model' }, true);
    await createFromFiles(
      http,
      {
        model: request.name,
        files: { [ggufEntryName(source.name)]: digest },
        ...(request.template ? { template: request.template } : {}),
        ...(request.system ? { system: request.system } : {}),
        ...(request.parameters && Object.keys(request.parameters).length > 0 ? { parameters: request.parameters } : {}),
      },
      (status) => emit({ phase: 'creating', status }, true),
      signal,
    );
    emit({ phase: 'done', name: request.name, uploaded: !present }, true);
  } catch (error) {
    if (signal.aborted) throw new AppError('CANCELLED', `Import of ${request.name} cancelled`);
    throw error;
  }
}
