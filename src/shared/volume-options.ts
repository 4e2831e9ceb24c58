/**
 * Driver options that turn a volume into a place of this computer: the local driver's
 * `o=bind` (or `rbind`) mounts the `device` folder as the volume, and a `device` that is a local
 * path (a folder, or a disk such as /dev/sdb1 with `type=ext4`) mounts that. Such a volume is no
 * longer Podman's storage: whoever opens it reads and writes the folder or disk itself.
 *
 * Network shares (`device=:/export` for nfs, `//server/share` for cifs) and in-memory volumes
 * (`type=tmpfs`, `device=tmpfs`) are not places of this computer and pass. Keys are read without
 * regard to case, in case an engine or a plugin reads them so.
 */
export interface HostSource {
  /** The folder, file or disk of this computer the volume would be; '' when `o=bind` names none. */
  device: string;
  /** Why: 'bind' for o=bind/rbind, 'device' for a local device path without it. */
  how: 'bind' | 'device';
}

const option = (options: Record<string, string>, key: string) =>
  Object.entries(options)
    .find(([k]) => k.trim().toLowerCase() === key)?.[1]
    ?.trim();

/** A local absolute path: /x (not //server/share) or C:\x. */
export const isLocalPath = (text: string) => /^\/(?!\/)/.test(text) || /^[a-zA-Z]:[\\/]/.test(text);

export function volumeHostSource(options: Record<string, string>): HostSource | undefined {
  const device = option(options, 'device') ?? '';
  const binds = (option(options, 'o') ?? '')
    .split(',')
    .map((o) => o.trim().toLowerCase())
    .some((o) => o === 'bind' || o === 'rbind');
  if (binds) return { device, how: 'bind' };
  if (isLocalPath(device)) return { device, how: 'device' };
  return undefined;
}

/** Why the page may not create a volume with these options, or undefined when it may. */
export function hostSourceProblem(options: Record<string, string>): string | undefined {
  const source = volumeHostSource(options);
  if (!source) return undefined;
  const what = source.device ? ` (${source.device})` : '';
  return source.how === 'bind'
    ? `These options would make the volume a folder of this computer${what}, which anyone opening the volume could then read and change. ` +
        'To give a container a folder of this computer, choose it with the Folder button when you run the container (in the desktop app).'
    : `These options would mount a disk or folder of this computer${what} as the volume, which anyone opening the volume could then read and change. ` +
        'PodDesk creates volumes in Podman’s own storage, in memory (type=tmpfs) or on a network share.';
}
