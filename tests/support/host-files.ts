import { join } from 'node:path';
import type { HostFiles } from '../../src/main/host-files';

/**
 * Save and open "dialogs" for the tests: saving answers a path in `dir` under the suggested name
 * (or null, as a cancel, when told to), opening answers whatever the test queued.
 */
export interface FakeHostFiles extends HostFiles {
  saved: string[];
  nextOpen: string[][];
  cancelNextSave: boolean;
}

export function fakeHostFiles(dir: string): FakeHostFiles {
  const fake: FakeHostFiles = {
    saved: [],
    nextOpen: [],
    cancelNextSave: false,
    async chooseSavePath({ suggestedName }) {
      if (fake.cancelNextSave) {
        fake.cancelNextSave = false;
        return null;
      }
      const path = join(dir, suggestedName);
      fake.saved.push(path);
      return path;
    },
    async chooseOpenPaths() {
      return fake.nextOpen.shift() ?? [];
    },
  };
  return fake;
}
