import { PassThrough, type Readable } from 'node:stream';
import type { StackLogLine } from '../../shared/contract';
import { LIBPOD, type Engine } from '../podman/engine';

/**
 * Logs of a stack's services, one or all of them merged. Each container's log stream is read
 * with timestamps; the backlog (the last `tail` lines of each) is merged in time order, then
 * new lines pass through as they come. Aborting closes every stream.
 */
export interface LogSource {
  id: string;
  service: string;
}

const BACKLOG_SETTLE_MS = 250;
const TIMESTAMP = /^(\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:\d\d)) ?/;

function splitLines(stream: Readable, onLine: (text: string) => void): void {
  let buffer = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      onLine(buffer.slice(0, newline).replace(/\r$/, ''));
      buffer = buffer.slice(newline + 1);
    }
  });
  stream.on('end', () => {
    if (buffer) onLine(buffer);
    buffer = '';
  });
}

export async function streamStackLogs(
  engine: Engine,
  sources: LogSource[],
  options: { tail: number; follow: boolean },
  emit: (line: StackLogLine) => void,
  signal: AbortSignal,
): Promise<void> {
  let backlog: StackLogLine[] | null = [];
  const push = (line: StackLogLine) => {
    if (backlog) backlog.push(line);
    else emit(line);
  };
  const flushBacklog = () => {
    if (!backlog) return;
    const lines = backlog;
    backlog = null;
    // Stable sort: lines of one container keep their order when their timestamps tie.
    lines.sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''));
    for (const line of lines) emit(line);
  };

  const ended = sources.map(async (source) => {
    const response = await engine.stream('GET', `${LIBPOD}/containers/${encodeURIComponent(source.id)}/logs`, {
      query: { follow: options.follow, stdout: true, stderr: true, timestamps: true, tail: options.tail },
      signal,
    });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const onLine = (stream: 'stdout' | 'stderr') => (raw: string) => {
      const match = TIMESTAMP.exec(raw);
      push({
        service: source.service,
        stream,
        text: match ? raw.slice(match[0].length) : raw,
        ...(match ? { time: match[1] } : {}),
      });
    };
    splitLines(stdout, onLine('stdout'));
    splitLines(stderr, onLine('stderr'));
    // docker-modem's demuxer also passes a TTY container's raw stream through as stdout.
    engine.docker.modem.demuxStream(response, stdout, stderr);
    await new Promise<void>((resolve) => {
      const finish = () => {
        stdout.end();
        stderr.end();
        resolve();
      };
      response.once('end', finish);
      response.once('close', finish);
      response.once('error', finish);
      signal.addEventListener('abort', () => response.destroy(), { once: true });
    });
  });

  // The backlogs arrive within moments on a local socket; after that, lines flow as written.
  const timer = options.follow ? setTimeout(flushBacklog, BACKLOG_SETTLE_MS) : undefined;
  const results = await Promise.allSettled(ended);
  clearTimeout(timer);
  flushBacklog();
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed && !signal.aborted) throw failed.reason;
}
