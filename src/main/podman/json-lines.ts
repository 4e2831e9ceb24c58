import type { Readable } from 'node:stream';
import { AppError } from '../../shared/errors';

/**
 * Reads a stream of JSON objects, one per line (the engine's pull, push and build output),
 * calling `onObject` for each. Resolves when the stream ends; when `signal` aborts, the stream is
 * destroyed (which closes the HTTP request, so the engine stops the work) and it rejects with
 * CANCELLED. A line that is not JSON is handed over as `{ stream: line }`: the engine's own text.
 */
export function readJsonLines(stream: Readable, onObject: (value: unknown) => void, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let buffer = '';
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    const handle = (line: string) => {
      const trimmed = line.trim();
      if (!trimmed) return;
      let value: unknown;
      try {
        value = JSON.parse(trimmed);
      } catch {
        value = { stream: `${trimmed}\n` };
      }
      try {
        onObject(value);
      } catch (error) {
        stream.destroy();
        finish(error);
      }
    };
    const onAbort = () => {
      stream.destroy();
      finish(new AppError('CANCELLED', 'Cancelled'));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while (!settled && (newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        handle(line);
      }
    });
    stream.once('end', () => {
      if (!settled) handle(buffer);
      finish();
    });
    stream.once('error', (error) => finish(signal?.aborted ? new AppError('CANCELLED', 'Cancelled') : error));
    // A connection closed without `end` (the engine went away mid-stream) is not a success.
    stream.once('close', () => finish(new AppError('ENGINE_UNAVAILABLE', 'The connection to Podman closed mid-stream')));
  });
}
