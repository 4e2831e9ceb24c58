import { describe, expect, it } from 'vitest';
import {
  cancelledTitle,
  loadTitles,
  saveTitles,
  uploadTitles,
  type TransferDone,
} from '../../../src/renderer/src/lib/transfer-titles';

const done = (patch: Partial<TransferDone> = {}): TransferDone => ({ phase: 'done', bytes: 1_000, files: 1, ...patch });

describe('the titles of a transfer notification', () => {
  it('says what a load loaded once it is over, not "Loading images…"', () => {
    expect(loadTitles.running).toBe('Loading images…');
    expect(loadTitles.done(done({ images: ['docker.io/library/busybox:latest'] }))).toBe(
      'Loaded docker.io/library/busybox:latest',
    );
    expect(loadTitles.done(done({ files: 2, images: ['a:1', 'b:2'] }))).toBe('Loaded 2 images');
    expect(loadTitles.done(done({ files: 0, images: [] }))).toBe('Loaded 0 images');
    expect(loadTitles.failed).toBe('Could not load the images');
  });

  it('says what a save saved, by name or by count', () => {
    expect(saveTitles(['busybox:latest']).running).toBe('Saving busybox:latest…');
    expect(saveTitles(['busybox:latest']).done(done())).toBe('Saved busybox:latest');
    expect(saveTitles(['a:1', 'b:2', 'c:3']).done(done())).toBe('Saved 3 images');
    expect(saveTitles(['a:1', 'b:2']).failed).toBe('Could not save 2 images');
  });

  it('counts the files an upload chosen in main sent', () => {
    expect(uploadTitles(null, 'data').running).toBe('Uploading to data…');
    expect(uploadTitles(null, 'data').done(done({ files: 3 }))).toBe('Uploaded 3 files to data');
    expect(uploadTitles('site.zip', 'data').done(done())).toBe('Uploaded site.zip to data');
  });

  it('names a cancelled transfer from its running title', () => {
    expect(cancelledTitle('Loading images…')).toBe('Cancelled: loading images');
    expect(cancelledTitle('Backing up data…')).toBe('Cancelled: backing up data');
  });
});
