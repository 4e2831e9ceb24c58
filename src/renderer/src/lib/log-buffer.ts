import type { LogLine } from '../../../shared/contract';

/**
 * The lines a log view holds: at most `capacity`, the oldest dropped first (and counted, so the
 * view can say so). Appending is O(batch): a ring of slots, no copying of what is kept, so a
 * container printing 10,000 lines a second costs the page only what it shows.
 */
export interface LogBuffer {
  readonly capacity: number;
  /** Lines held now. */
  size(): number;
  /** Lines dropped from the front since the start. */
  dropped(): number;
  /** Lines ever appended; with `dropped`, turns an index into a stable line number. */
  total(): number;
  /** The i-th held line, 0 = oldest held. */
  at(i: number): LogLine;
  append(lines: LogLine[]): void;
  clear(): void;
}

export function createLogBuffer(capacity: number): LogBuffer {
  let slots: LogLine[] = new Array<LogLine>(capacity);
  let start = 0;
  let size = 0;
  let total = 0;
  return {
    capacity,
    size: () => size,
    dropped: () => total - size,
    total: () => total,
    at: (i) => slots[(start + i) % capacity]!,
    append(lines) {
      // A batch larger than the buffer keeps only its tail.
      const from = Math.max(0, lines.length - capacity);
      total += from;
      for (let i = from; i < lines.length; i++) {
        if (size < capacity) {
          slots[(start + size) % capacity] = lines[i]!;
          size++;
        } else {
          slots[start] = lines[i]!;
          start = (start + 1) % capacity;
        }
        total++;
      }
    },
    clear() {
      slots = new Array<LogLine>(capacity);
      start = 0;
      size = 0;
      total = 0;
    },
  };
}
