import { StringDecoder } from 'node:string_decoder';
import type { LogLine } from '../../../shared/contract';

/**
 * Turns the engine's log stream into lines. The stream is multiplexed: frames of
 * [stream (1 = stdout, 2 = stderr), 0, 0, 0, length (4 bytes, big-endian)] + payload, where
 * Podman writes one log entry per frame, "2026-11-29T02:25:53Z text\n". An entry without its
 * newline is a partial line (conmon splits long lines, a program may print without one): it is
 * held until the rest arrives or `flush` is called. Timestamps come off before the bytes are
 * decoded, so a character split between two entries is joined whole.
 */
export interface LogParser {
  push(chunk: Buffer): void;
  /** Emits held partial lines as they are. */
  flush(): void;
}

const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) ?/;

/** The timestamp at the start of an entry and where its text begins, read from the raw bytes. */
function splitTimestamp(payload: Buffer): { time: string | null; body: Buffer } {
  const head = payload.subarray(0, 40).toString('latin1');
  const match = TIMESTAMP.exec(head);
  return match ? { time: match[1]!, body: payload.subarray(match[0].length) } : { time: null, body: payload };
}

type Stream = LogLine['stream'];

export function createLogParser(onLine: (line: LogLine) => void): LogParser {
  let buffer: Buffer = Buffer.alloc(0);
  let raw: boolean | null = null; // a stream without frames (Docker's TTY logs): all of it is stdout, a line at a time
  let rawText = '';
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  const partial: Record<Stream, { time: string; text: string } | null> = { stdout: null, stderr: null };

  /** Text of one entry (or a piece of one): complete lines go out, the tail waits. */
  const take = (stream: Stream, time: string, text: string) => {
    let rest = text;
    for (let newline = rest.indexOf('\n'); newline >= 0; newline = rest.indexOf('\n')) {
      const held = partial[stream];
      const line = (held ? held.text : '') + rest.slice(0, newline);
      partial[stream] = null;
      onLine({ stream, time: held?.time ?? time, text: line.endsWith('\r') ? line.slice(0, -1) : line });
      rest = rest.slice(newline + 1);
    }
    if (rest) {
      const held = partial[stream];
      partial[stream] = { time: held?.time ?? time, text: (held?.text ?? '') + rest };
    }
  };

  const frame = (stream: Stream, payload: Buffer) => {
    const { time, body } = splitTimestamp(payload);
    take(stream, time ?? partial[stream]?.time ?? '', decoders[stream].write(body));
  };

  const rawLines = (text: string) => {
    rawText += text;
    for (let newline = rawText.indexOf('\n'); newline >= 0; newline = rawText.indexOf('\n')) {
      const line = rawText.slice(0, newline + 1);
      rawText = rawText.slice(newline + 1);
      const match = TIMESTAMP.exec(line);
      take('stdout', match?.[1] ?? '', match ? line.slice(match[0].length) : line);
    }
  };

  return {
    push(chunk) {
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      if (raw === null && buffer.length > 0) raw = !(buffer[0]! <= 2 && (buffer.length < 4 || buffer.readUIntBE(1, 3) === 0));
      if (raw) {
        rawLines(decoders.stdout.write(buffer));
        buffer = Buffer.alloc(0);
        return;
      }
      let offset = 0;
      while (buffer.length - offset >= 8) {
        const size = buffer.readUInt32BE(offset + 4);
        if (buffer.length - offset < 8 + size) break;
        frame(buffer[offset] === 2 ? 'stderr' : 'stdout', buffer.subarray(offset + 8, offset + 8 + size));
        offset += 8 + size;
      }
      buffer = offset === buffer.length ? Buffer.alloc(0) : buffer.subarray(offset);
    },
    flush() {
      if (rawText) {
        const match = TIMESTAMP.exec(rawText);
        take('stdout', match?.[1] ?? '', match ? rawText.slice(match[0].length) : rawText);
        rawText = '';
      }
      for (const stream of ['stdout', 'stderr'] as const) {
        const held = partial[stream];
        if (!held) continue;
        partial[stream] = null;
        onLine({ stream, time: held.time, text: held.text });
      }
    },
  };
}
