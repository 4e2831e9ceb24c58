import { readFile, rm, writeFile } from 'node:fs/promises';
import { posix } from 'node:path';
import type { LauncherStatus, Platform } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { Env, Runner } from '../system/types';
import { encodeScript, isOurScript, shortcutFileName, shortcutScript } from './shortcut';
import type { LaunchTarget } from './target';
import { findWindowsDesktop, type DesktopLookup } from './windows-desktop';

export interface LauncherFiles {
  /** null when there is no such file. */
  read(path: string): Promise<Buffer | null>;
  write(path: string, bytes: Buffer): Promise<void>;
  remove(path: string): Promise<void>;
}

export const nodeLauncherFiles: LauncherFiles = {
  read: (path) =>
    readFile(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    }),
  write: (path, bytes) => writeFile(path, bytes),
  remove: (path) => rm(path, { force: true }),
};

export interface Launcher {
  status(): Promise<LauncherStatus>;
  add(): Promise<LauncherStatus>;
  remove(): Promise<LauncherStatus>;
}

/**
 * Settings' "Add to Windows desktop", inside a WSL distro. Main computes everything: the distro
 * (WSL_DISTRO_NAME), the desktop folder (asked of Windows), and what the shortcut runs (the
 * target the shell that started the app gives). Only a file PodDesk wrote is ever replaced or
 * removed: one of the user's own with the same name is left alone.
 */
export function createLauncher(deps: {
  platform: () => Promise<Platform>;
  env: Env;
  run: Runner;
  target: LaunchTarget | null;
  files?: LauncherFiles;
}): Launcher {
  const files = deps.files ?? nodeLauncherFiles;
  // Asking Windows starts PowerShell (a second or two): once found, the desktop is remembered;
  // a failure is asked again next time (interop may have been turned back on).
  let found: Promise<DesktopLookup> | null = null;
  const desktop = async () => {
    found ??= findWindowsDesktop(deps.run);
    const lookup = await found;
    if (!lookup.ok) found = null;
    return lookup;
  };

  type Ready = Extract<LauncherStatus, { state: 'ready' }> & { path: string; target: LaunchTarget };
  const locate = async (): Promise<LauncherStatus | Ready> => {
    if ((await deps.platform()) !== 'wsl') return { state: 'not-offered' };
    const distro = deps.env.WSL_DISTRO_NAME;
    if (!distro)
      return { state: 'unavailable', distro: '', reason: 'WSL did not say which distro this is (WSL_DISTRO_NAME is not set).' };
    if (!deps.target) {
      return { state: 'unavailable', distro, reason: 'PodDesk was started in a way a shortcut cannot repeat.' };
    }
    const lookup = await desktop();
    if (!lookup.ok) return { state: 'unavailable', distro, reason: lookup.reason };
    const fileName = shortcutFileName(distro);
    const path = posix.join(lookup.folder.linux, fileName);
    const existing = await files.read(path);
    return {
      state: 'ready',
      distro,
      starts: deps.target.starts,
      folder: lookup.folder.windows,
      fileName,
      added: existing !== null && isOurScript(existing),
      path,
      target: deps.target,
    };
  };
  const shown = (status: LauncherStatus | Ready): LauncherStatus => {
    if (status.state !== 'ready') return status;
    const { path: _path, target: _target, ...rest } = status as Ready;
    return rest;
  };
  const ready = async (): Promise<Ready> => {
    const status = await locate();
    if (status.state === 'not-offered') throw new AppError('NOT_FOUND', 'A Windows desktop shortcut is offered only inside WSL');
    if (status.state === 'unavailable') throw new AppError('UNREACHABLE', status.reason);
    return status as Ready;
  };
  const notOurs = (status: Ready) =>
    new AppError(
      'CONFLICT',
      `There is already a file named “${status.fileName}” on your desktop that PodDesk did not write. ` +
        'PodDesk leaves it alone: rename or move it, then try again.',
    );

  return {
    status: async () => shown(await locate()),
    add: async () => {
      const status = await ready();
      const existing = await files.read(status.path);
      if (existing && !isOurScript(existing)) throw notOurs(status);
      const script = shortcutScript(status.distro, status.target.argv, status.target.starts);
      await files.write(status.path, encodeScript(script));
      return shown({ ...status, added: true });
    },
    remove: async () => {
      const status = await ready();
      const existing = await files.read(status.path);
      if (existing && !isOurScript(existing)) throw notOurs(status);
      if (existing) await files.remove(status.path);
      return shown({ ...status, added: false });
    },
  };
}
