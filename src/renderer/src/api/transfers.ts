import type { HostHandle, IncomingSource, StreamInput, TransferProgress } from '../../../shared/contract';
import { CallError, subscribe } from './client';

/** The streams that move files and report a TransferProgress. */
export type TransferStream =
  | 'volumes.files.download'
  | 'volumes.files.upload'
  | 'volumes.backup'
  | 'volumes.restore'
  | 'volumes.clone'
  | 'images.save'
  | 'images.load';

/** A file the user dropped or picked in the page, with its path inside what was dropped. */
export interface PickedFile {
  file: File;
  path: string;
}

export interface Transfer {
  cancel(): void;
  /** The last progress (done or cancelled), or a CallError. */
  done: Promise<TransferProgress>;
}

/**
 * Runs a transfer stream. When main waits for the page's files (browser host), each one is sent
 * with `PUT /upload/<ticket>/<index>`: Chromium streams a File from disk, so nothing is held in
 * memory on either side. Unsubscribing cancels the work in main.
 */
export function startTransfer<N extends TransferStream>(
  name: N,
  input: StreamInput<N>,
  onProgress: (progress: TransferProgress) => void,
  picked: PickedFile[] = [],
): Transfer {
  let last: TransferProgress | null = null;
  let stop: () => void = () => undefined;
  const uploads = new AbortController();
  const done = new Promise<TransferProgress>((resolve, reject) => {
    const send = (ticket: string) => sendFiles(ticket, picked, undefined, uploads.signal);
    stop = subscribe(name, input, {
      onItems(items) {
        for (const item of items as TransferProgress[]) {
          last = item;
          if (item.phase === 'awaiting-files') {
            send(item.ticket).catch((error: unknown) => {
              // main reports the failure on the stream too; a page-side failure ends it here.
              if (!uploads.signal.aborted) reject(error);
            });
          } else onProgress(item);
        }
      },
      onEnd(error) {
        uploads.abort();
        if (error) reject(error);
        else resolve(last ?? { phase: 'cancelled' });
      },
    });
  });
  return {
    done,
    cancel() {
      uploads.abort();
      stop();
    },
  };
}

/**
 * Sends picked files for a ticket main opened (PUT /upload/<ticket>/<n>), one after the other:
 * all of them, or — when main names them — those `indexes` of `picked`, in that order.
 */
export async function sendFiles(ticket: string, picked: PickedFile[], indexes: number[] | undefined, signal: AbortSignal) {
  const order = indexes ?? picked.map((_, i) => i);
  for (const [n, index] of order.entries()) {
    const file = picked[index]?.file;
    if (!file) throw new CallError({ code: 'INVALID_INPUT', message: `No file ${index} was picked` });
    const response = await fetch(`/upload/${encodeURIComponent(ticket)}/${n}`, { method: 'PUT', body: file, signal });
    if (!response.ok) {
      const shape = (await response.json().catch(() => null)) as { code?: string; message?: string } | null;
      throw new CallError({
        code: (shape?.code as never) ?? 'INTERNAL',
        message: shape?.message ?? `Upload failed (${response.status})`,
      });
    }
  }
}

/**
 * Files dropped on the window, registered in main (Electron): a handle for each, which a call
 * passes back. The page never learns or sends their paths.
 */
export async function registerDropped(files: File[]): Promise<HostHandle[]> {
  const register = window.poddesk?.registerDroppedFiles;
  if (!register) throw new CallError({ code: 'INVALID_INPUT', message: 'Dropped files are sent by the page here' });
  const result = await register(files);
  if (!result.ok) throw new CallError(result.error);
  return result.data;
}

/**
 * Where incoming files come from, for an upload or a restore: in Electron, what was dropped,
 * registered in main (handles); in the browser, the bytes sent over HTTP.
 */
export async function incomingFrom(picked: PickedFile[]): Promise<IncomingSource> {
  if (hasNativeFiles()) {
    const top = picked.filter((p) => !p.path.includes('/'));
    if (top.length > 0) return { kind: 'handles', handles: (await registerDropped(top.map((p) => p.file))).map((h) => h.handle) };
  }
  return { kind: 'browser', files: picked.map(({ file, path }) => ({ path, size: file.size })) };
}

/** Whether dropped files can be read by main from this computer (Electron) rather than sent by the page. */
export const hasNativeFiles = () => Boolean(window.poddesk?.registerDroppedFiles);

type Entry = { isFile: boolean; isDirectory: boolean; name: string; fullPath: string };
type FileEntryLike = Entry & { file(ok: (f: File) => void, fail: (e: unknown) => void): void };
type DirEntryLike = Entry & { createReader(): { readEntries(ok: (e: Entry[]) => void, fail: (e: unknown) => void): void } };

async function walkEntry(entry: Entry, prefix: string, out: PickedFile[]): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((ok, fail) => (entry as FileEntryLike).file(ok, fail));
    out.push({ file, path });
  } else if (entry.isDirectory) {
    const reader = (entry as DirEntryLike).createReader();
    // readEntries answers in batches until an empty one.
    for (;;) {
      const batch = await new Promise<Entry[]>((ok, fail) => reader.readEntries(ok, fail));
      if (batch.length === 0) break;
      for (const child of batch) await walkEntry(child, path, out);
    }
  }
}

/**
 * The files of a drop, each with its relative path. In Electron the dropped items themselves
 * (folders too) are enough: main reads them by path. In the browser, folders are walked with
 * Chromium's entries API so each file can be sent.
 */
export async function filesFromDrop(data: DataTransfer): Promise<PickedFile[]> {
  if (hasNativeFiles()) return [...data.files].map((file) => ({ file, path: file.name }));
  const out: PickedFile[] = [];
  const entries = [...data.items]
    .filter((item) => item.kind === 'file')
    .map((item) => (item as DataTransferItem & { webkitGetAsEntry?: () => Entry | null }).webkitGetAsEntry?.() ?? null);
  if (entries.length > 0 && entries.every((e) => e !== null)) {
    for (const entry of entries) await walkEntry(entry!, '', out);
    return out;
  }
  return [...data.files].map((file) => ({ file, path: file.name }));
}

/** Files from an <input type=file> (with webkitdirectory, each keeps its folder path). */
export function filesFromInput(list: FileList): PickedFile[] {
  return [...list].map((file) => ({
    file,
    path: (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name,
  }));
}
