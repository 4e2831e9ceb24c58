import { open, readFile, truncate } from 'node:fs/promises';

/**
 * Append-only JSON-lines files. Each write is one `write` of whole lines, so a process killed
 * at any moment leaves complete lines plus at most one torn last line; a reader drops the torn
 * line, and a writer cuts it off before appending (else the next line would join it).
 */
export interface JournalContents<T> {
  records: T[];
  /** Lines that did not parse (a torn tail, or damage): skipped, never fatal. */
  skipped: number;
  /** Length in bytes of the file up to its last complete line. */
  goodBytes: number;
  /** The file ends in a partial line. */
  torn: boolean;
}

export function parseJournal<T>(text: string): JournalContents<T> {
  const records: T[] = [];
  let skipped = 0;
  let start = 0;
  const lastNewline = text.lastIndexOf('\n');
  const goodLength = lastNewline + 1;
  const goodBytes = Buffer.byteLength(text.slice(0, goodLength));
  while (start < goodLength) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end);
    start = end + 1;
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as T);
    } catch {
      skipped++;
    }
  }
  const torn = goodLength < text.length && text.slice(goodLength).trim() !== '';
  if (torn) skipped++;
  return { records, skipped, goodBytes, torn };
}

export async function readJournal<T>(path: string): Promise<JournalContents<T> | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return parseJournal<T>(text);
}

/** Cuts a torn last line off, so appends start on a fresh line. */
export async function repairJournal(path: string, contents: JournalContents<unknown>): Promise<void> {
  if (contents.torn) await truncate(path, contents.goodBytes);
}

/** Appends records as lines in one write; `sync` also flushes them to the disk (power loss). */
export async function appendRecords(path: string, records: unknown[], sync = false): Promise<void> {
  if (records.length === 0) return;
  const text = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const handle = await open(path, 'a', 0o600);
  try {
    await handle.write(text);
    if (sync) await handle.datasync();
  } finally {
    await handle.close();
  }
}
