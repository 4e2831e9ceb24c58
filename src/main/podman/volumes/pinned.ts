import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir, realpath, rmdir, unlink, type FileHandle } from 'node:fs/promises';
import { AppError } from '../../../shared/errors';
import { notRegularError, permissionString } from './modes';

/**
 * A folder of a volume held open by its descriptor. A path checked to stay inside the volume can
 * still be changed by a running container before PodDesk acts on it: a folder on the way swapped
 * for a symlink to the user's home would send a delete or a write there. Paths under
 * `/proc/self/fd/N` reach the folder that was opened and checked, whatever happens to its name
 * afterwards (direct access is Linux only, where /proc is always there).
 */
export interface PinnedDir {
  /** `/proc/self/fd/N`: join names to it to act inside the pinned folder. */
  path: string;
  close(): Promise<void>;
}

// O_NOFOLLOW: what is pinned was resolved first, so a link at its last step now means it was swapped.
const DIRECTORY = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
const isInside = (path: string, root: string) => path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`);

export function movedOutError(): AppError {
  return new AppError(
    'CONFLICT',
    'A folder on the way turned into a link out of the volume while PodDesk worked (a container changed it): nothing was done',
  );
}

/** Throws unless what `fd` refers to lies inside `root`, as the kernel sees it now. */
async function proveInside(fd: number, root: string): Promise<void> {
  const [real, realRoot] = await Promise.all([realpath(`/proc/self/fd/${fd}`), realpath(root)]);
  if (!isInside(real, realRoot)) throw movedOutError();
}

/**
 * Opens the folder at `hostPath` and proves it lies inside `root`, as the kernel sees it now. A
 * link at its last step is refused, even one that stays inside: the caller resolved every link.
 */
export async function pinDir(root: string, hostPath: string): Promise<PinnedDir> {
  const handle = await open(hostPath, DIRECTORY).catch(async (error: { code?: string }) => {
    // A link at the last step fails as "not a folder" (O_DIRECTORY wins over O_NOFOLLOW): say what it is.
    const link = await lstat(hostPath).then(
      (st) => st.isSymbolicLink(),
      () => false,
    );
    throw link ? movedOutError() : error;
  });
  try {
    await proveInside(handle.fd, root);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return { path: `/proc/self/fd/${handle.fd}`, close: () => handle.close() };
}

/**
 * Opens the folder `name` of the pinned folder `parent` (a `/proc/self/fd/N` path), never
 * through a link: it lies inside the volume because its parent does. Fails (ENOTDIR) when `name`
 * is no longer a folder, a link included.
 */
export async function pinChild(parent: string, name: string): Promise<PinnedDir> {
  const handle = await open(`${parent}/${name}`, DIRECTORY);
  return { path: `/proc/self/fd/${handle.fd}`, close: () => handle.close() };
}

/**
 * Opens a file of the volume for reading, never through a link at its last step, proves the file
 * opened lies inside `root` (a folder on the way swapped for a link cannot have PodDesk read a
 * file of this computer instead) and that it is a regular file (a FIFO or a device swapped in is
 * not read). `shown` names it in errors. Returns the handle and what it opened.
 */
export async function openFileInside(
  root: string,
  hostPath: string,
  shown = hostPath,
): Promise<{ handle: FileHandle; stats: Stats }> {
  // O_NONBLOCK: a FIFO swapped in for the file must not hang the open (it changes nothing for
  // files); O_NOCTTY: a terminal device swapped in must not become this process's terminal.
  const handle = await open(hostPath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY);
  try {
    await proveInside(handle.fd, root);
    const stats = await handle.stat();
    if (!stats.isFile()) throw notRegularError(shown, permissionString(stats.mode));
    return { handle, stats };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * Removes `name` from the pinned folder `parent` and, for a folder, all it holds, one opened
 * folder at a time: each level is opened with O_NOFOLLOW and emptied through its descriptor, so
 * a folder swapped for a link mid-way is unlinked as a link, never followed.
 */
export async function removeEntry(parent: string, name: string): Promise<void> {
  const path = `${parent}/${name}`;
  if (!(await lstat(path)).isDirectory()) return unlink(path);
  let handle;
  try {
    handle = await open(path, DIRECTORY);
  } catch (error) {
    // Turned into a link or a file since the lstat (ENOTDIR, or ELOOP): remove what is there now.
    const code = (error as { code?: string }).code;
    if (code === 'ELOOP' || code === 'ENOTDIR') return unlink(path);
    throw error;
  }
  try {
    const inside = `/proc/self/fd/${handle.fd}`;
    for (const child of await readdir(inside)) await removeEntry(inside, child);
  } finally {
    await handle.close();
  }
  await rmdir(path);
}
