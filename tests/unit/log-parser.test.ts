import { describe, expect, it } from 'vitest';
import { createLogParser } from '../../src/main/podman/containers/log-parser';
import type { LogLine } from '../../src/shared/contract';

const frame = (stream: 1 | 2, text: string | Buffer) => {
  const payload = typeof text === 'string' ? Buffer.from(text) : text;
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

function parse(chunks: Buffer[], flush = true): LogLine[] {
  const lines: LogLine[] = [];
  const parser = createLogParser((l) => lines.push(l));
  for (const c of chunks) parser.push(c);
  if (flush) parser.flush();
  return lines;
}

describe('the log stream parser', () => {
  it('reads Podman frames: one entry each, timestamps split off, streams kept apart', () => {
    const bytes = Buffer.concat([
      frame(1, '2026-11-29T02:35:32Z out-1\n'),
      frame(1, '2026-11-29T02:35:32Z \u001b[31mred\u001b[0m\n'),
      frame(1, '2026-11-29T02:35:32Z no newline at the end'),
      frame(2, '2026-11-29T02:35:33Z err-1\n'),
    ]);
    expect(parse([bytes])).toEqual([
      { stream: 'stdout', time: '2026-11-29T02:35:32Z', text: 'out-1' },
      { stream: 'stdout', time: '2026-11-29T02:35:32Z', text: '\u001b[31mred\u001b[0m' },
      { stream: 'stderr', time: '2026-11-29T02:35:33Z', text: 'err-1' },
      { stream: 'stdout', time: '2026-11-29T02:35:32Z', text: 'no newline at the end' },
    ]);
  });

  it('joins a line split across frames and chunks, even inside a UTF-8 character', () => {
    const euro = Buffer.from('€');
    const bytes = Buffer.concat([
      frame(1, Buffer.concat([Buffer.from('2026-01-01T00:00:00.123456789Z price 5'), euro.subarray(0, 1)])),
      frame(1, Buffer.concat([Buffer.from('2026-01-01T00:00:00.2Z '), euro.subarray(1), Buffer.from(' today\r\n')])),
    ]);
    const lines = parse([bytes.subarray(0, 5), bytes.subarray(5, 30), bytes.subarray(30)], false);
    expect(lines).toEqual([{ stream: 'stdout', time: '2026-01-01T00:00:00.123456789Z', text: 'price 5€ today' }]);
  });

  it('holds a partial line until flushed', () => {
    const lines: LogLine[] = [];
    const parser = createLogParser((l) => lines.push(l));
    parser.push(frame(1, '2026-01-01T00:00:00Z $ '));
    expect(lines).toEqual([]);
    parser.flush();
    expect(lines).toEqual([{ stream: 'stdout', time: '2026-01-01T00:00:00Z', text: '$ ' }]);
  });

  it('reads an unframed stream (Docker, TTY) as stdout lines', () => {
    expect(parse([Buffer.from('2026-01-01T00:00:00Z a\n2026-01-01T00:00:01Z b\n')]).map((l) => [l.time, l.text])).toEqual([
      ['2026-01-01T00:00:00Z', 'a'],
      ['2026-01-01T00:00:01Z', 'b'],
    ]);
  });
});
