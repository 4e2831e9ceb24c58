import { access } from 'node:fs/promises';
import { homedir } from 'node:os';
import { extname, join } from 'node:path';

/**
 * Where files the user saves or opens on this computer come from. The Electron app asks with
 * native dialogs (electron/dialogs.ts); the browser host, which cannot show one, saves into the
 * Downloads folder and says where; the tests pass a fake.
 */
export interface HostFiles {
  /** Asks where to save a file; null when the user cancels. */
  chooseSavePath(options: { suggestedName: string; title?: string }): Promise<string | null>;
  /** Asks for files or folders to open; empty when the user cancels. */
  chooseOpenPaths(options: {
    title?: string;
    directories?: boolean;
    multiple?: boolean;
    filters?: { name: string; extensions: string[] }[];
  }): Promise<string[]>;
}

/** Saves into a folder (by default ~/Downloads) under a name not yet taken: "logs (2).txt". */
export function downloadsFolder(dir = join(homedir(), 'Downloads')): HostFiles {
  return {
    async chooseSavePath({ suggestedName }) {
      const safe = suggestedName.replace(/[/\\\0]/g, '_') || 'download';
      const ext = extname(safe);
      const stem = safe.slice(0, safe.length - ext.length);
      for (let n = 1; ; n++) {
        const candidate = join(dir, n === 1 ? safe : `${stem} (${n})${ext}`);
        const taken = await access(candidate).then(
          () => true,
          () => false,
        );
        if (!taken) return candidate;
      }
    },
    async chooseOpenPaths() {
      return [];
    },
  };
}
