import type { TransferProgress } from '../../../shared/contract';

export type TransferDone = Extract<TransferProgress, { phase: 'done' }>;

/**
 * What a transfer's notification is called while it runs, once it is done (what it did, in the
 * past tense: a title left at "Loading images…" reads as if it were still going), and when it fails.
 */
export interface TransferTitles {
  running: string;
  done: (done: TransferDone) => string;
  failed: string;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "Cancelled: loading images", from "Loading images…". */
export function cancelledTitle(running: string): string {
  const what = running.replace(/…$/, '');
  return `Cancelled: ${what.charAt(0).toLowerCase()}${what.slice(1)}`;
}

export const loadTitles: TransferTitles = {
  running: 'Loading images…',
  done: ({ images = [] }) => (images.length === 1 ? `Loaded ${images[0]}` : `Loaded ${count(images.length, 'image', 'images')}`),
  failed: 'Could not load the images',
};

export function saveTitles(names: string[]): TransferTitles {
  const what = names.length === 1 ? names[0]! : count(names.length, 'image', 'images');
  return { running: `Saving ${what}…`, done: () => `Saved ${what}`, failed: `Could not save ${what}` };
}

export const backupTitles = (volume: string): TransferTitles => ({
  running: `Backing up ${volume}…`,
  done: () => `Backed up ${volume}`,
  failed: `Could not back up ${volume}`,
});

export const restoreTitles = (volume: string): TransferTitles => ({
  running: `Restoring into ${volume}…`,
  done: () => `Restored into ${volume}`,
  failed: `Could not restore into ${volume}`,
});

export const cloneTitles = (source: string, target: string): TransferTitles => ({
  running: `Cloning ${source} to ${target}…`,
  done: () => `Cloned ${source} to ${target}`,
  failed: `Could not clone ${source}`,
});

export const downloadTitles = (name: string): TransferTitles => ({
  running: `Downloading ${name}…`,
  done: () => `Downloaded ${name}`,
  failed: `Could not download ${name}`,
});

/** `what` is a file's name, "3 files", or null when main's own dialog chooses them. */
export const uploadTitles = (what: string | null, volume: string): TransferTitles => ({
  running: what ? `Uploading ${what} to ${volume}…` : `Uploading to ${volume}…`,
  done: (done) => `Uploaded ${what ?? count(done.files, 'file', 'files')} to ${volume}`,
  failed: `Could not upload to ${volume}`,
});
