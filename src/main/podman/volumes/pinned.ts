import { constants } from 'node:fs';
import { lstat, open, readdir, realpath, rmdir, unlink, type FileHandle } from 'node:fs/promises';
import { AppError } from '../../../shared/errors';

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

const DIRECTORY = constants.O_RDONLY | constants.O_DIRECTORY;
const isInside = (path: string, root: string) => path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`);

export function movedOutError(): AppError {
  return new AppError(
    'CONFLICT',
    'A folder on the way turned into a link out of the volume while PodDesk worked (a container changed it): nothing was done',
  );
}

/** Opens the folder at `hostPath` and proves it lies inside `root`, as the kernel sees it now. */
export async function pinDir(root: string, hostPath: string): Promise<PinnedDir> {
  const handle = await open(hostPath, DIRECTORY);
  const path = `/proc/self/fd/${handle.fd}`;
  try {
    const [real, realRoot] = await Promise.all([realpath(path), realpath(root)]);
    if (!isInside(real, realRoot)) throw movedOutError();
  } catch (error) {
    await handle.close();
    throw error;
  }
  return { path, close: () => handle.close() };
}

/**
 * Opens a file of the volume for reading, never through a link at its last step, and proves the
 * file opened lies inside `root`: a folder on the way swapped for a link cannot have PodDesk read
 * a file of this computer instead.
 */
export async function openFileInside(root: string, hostPath: string): Promise<FileHandle> {
  // O_NONBLOCK: a FIFO swapped in for the file must not hang the open (it changes nothing for files).
  const handle = await open(hostPath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const [real, realRoot] = await Promise.all([realpath(`/proc/self/fd/${handle.fd}`), realpath(root)]);
    if (!isInside(real, realRoot)) throw movedOutError();
    return handle;
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
    handle = await open(path, DIRECTORY | constants.O_NOFOLLOW);
  } catch (error) {
    // Turned into a link (ELOOP) or a file (ENOTDIR) since the lstat: remove what is there now.
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
