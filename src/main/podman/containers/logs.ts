import type { LogLine } from '../../../shared/contract';
import { LIBPOD, type Engine } from '../engine';
import { saveFile } from '../../save-file';
import { createLogParser } from './log-parser';

export interface LogOptions {
  follow: boolean;
  tail?: number;
  /** Seconds since the epoch, or an RFC 3339 time (to resume after a given line). */
  since?: number | string;
  signal?: AbortSignal;
}

/** A partial line waits this long for the rest before it is shown as it is. */
const PARTIAL_WAIT_MS = 250;

/**
 * Reads a container's log (libpod, always with timestamps: the view toggles them without asking
 * again). Resolves when the engine ends the stream (without follow: at the end of the log; with
 * follow: when the container stops) or when `signal` aborts, which closes the request.
 */
export async function readLogs(engine: Engine, id: string, options: LogOptions, onLine: (line: LogLine) => void): Promise<void> {
  const query: Record<string, unknown> = { stdout: true, stderr: true, timestamps: true, follow: options.follow };
  if (options.since !== undefined) query.since = options.since;
  else if (options.tail !== undefined) query.tail = options.tail;
  // With follow, Podman answers only once there is a line to send: leaving before that is no error.
  const response = await engine
    .stream('GET', `${LIBPOD}/containers/${encodeURIComponent(id)}/logs`, { query, signal: options.signal })
    .catch((error: unknown) => {
      if (options.signal?.aborted) return null;
      throw error;
    });
  if (!response) return;
  const parser = createLogParser(onLine);
  let timer: ReturnType<typeof setTimeout> | null = null;
  const closeOnAbort = () => response.destroy();
  await new Promise<void>((resolve, reject) => {
    const done = () => {
      if (timer) clearTimeout(timer);
      parser.flush();
      resolve();
    };
    response.on('data', (chunk: Buffer) => {
      parser.push(chunk);
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => parser.flush(), PARTIAL_WAIT_MS);
    });
    response.once('end', done);
    response.once('close', done);
    response.once('error', (error) => (options.signal?.aborted ? done() : reject(error)));
    if (options.signal?.aborted) response.destroy();
    options.signal?.addEventListener('abort', closeOnAbort, { once: true });
  }).finally(() => options.signal?.removeEventListener('abort', closeOnAbort));
}

/** Writes the whole log (or since a time) to a file, one line per line, optionally with timestamps. */
export async function saveLogs(
  engine: Engine,
  id: string,
  file: string,
  options: { timestamps: boolean; since?: number },
): Promise<{ lines: number }> {
  let lines = 0;
  await saveFile(file, async (out) => {
    // The file stream buffers what the disk has not taken yet; a log is read once, start to end.
    await readLogs(engine, id, { follow: false, since: options.since }, (line) => {
      lines++;
      out.write(`${options.timestamps && line.time ? `${line.time} ` : ''}${line.text}\n`);
    });
  });
  return { lines };
}
