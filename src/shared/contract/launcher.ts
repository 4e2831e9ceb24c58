import { z } from 'zod';
import { call } from './define';

/**
 * The Windows desktop shortcut PodDesk offers inside a WSL distro. The page only asks to add or
 * remove it: main decides what the shortcut runs and where it goes, and tells the page both so
 * the user can read them before anything is written.
 */
export type LauncherStatus =
  /** Not inside WSL: there is no Windows desktop to put a shortcut on. */
  | { state: 'not-offered' }
  /** Inside WSL, but Windows could not be asked where its desktop is (interop off, …). */
  | { state: 'unavailable'; distro: string; reason: string }
  | {
      state: 'ready';
      distro: string;
      /** What a double-click starts: the desktop app (WSLg), or the browser host opening the Windows browser. */
      starts: 'desktop' | 'browser';
      /** The Windows folder, as Windows shows it (C:\Users\ana\Desktop). */
      folder: string;
      fileName: string;
      /** The shortcut PodDesk wrote is on the desktop now. */
      added: boolean;
    };

export const launcherCalls = {
  'launcher.status': call(z.void()).returns<LauncherStatus>(),
  'launcher.add': call(z.void()).returns<LauncherStatus>(),
  'launcher.remove': call(z.void()).returns<LauncherStatus>(),
};
