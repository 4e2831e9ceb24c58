import { constants } from 'node:fs';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { access } from 'node:fs/promises';
import type { CallArgs, FolderListing, Preview, VolumeSummary } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { hostSourceProblem } from '../../../shared/volume-options';
import type { SettingsStore } from '../../store/settings';
import { LIBPOD, type Engine } from '../engine';
import { containersUsing } from '../users';
import type { LiveCollection } from '../live-collection';
import { directFiles, isPermissionError } from './direct';
import type { VolumeFiles } from './files';
import type { Helpers } from './helper';
import { notRegularError } from './modes';
import { helperFiles } from './helper-files';
import { engineIdMap, type IdMap } from './id-map';
import { classify, imageMime } from './preview';
import { PREVIEW_IMAGE_BYTES, PREVIEW_TEXT_BYTES } from '../../../shared/contract';
import { packTree } from './tar';
import { toVolumeSummary, type LibpodVolume } from './volumes';

export interface VolumeServiceDeps {
  engine(): Engine;
  volumes: LiveCollection<VolumeSummary>;
  settings: SettingsStore;
  helpers: Helpers;
  /** The platform this app runs on: mount points are paths of this computer only on Linux. */
  platform?: NodeJS.Platform;
  /** Whether this process may give files to other owners (root): only then are a backup's owners written directly. */
  canChown?: boolean;
}

/** Local volumes with mount options (tmpfs, nfs …) have files only while a container mounts them. */
const needsMount = (v: VolumeSummary) => ['type', 'device', 'o'].some((k) => k in v.options);

/** For readers without a direct copy: the host files become a tar that `importTar` takes. */
function flowThroughTar(files: VolumeFiles): NonNullable<VolumeFiles['copyFromHost']> {
  return async (dir, sources, signal, counter) => {
    const pack = tar.pack();
    const filling = (async () => {
      for (const s of sources) await packTree(pack, s.hostPath, s.name, counter, signal);
    })().then(
      () => pack.finalize(),
      (error: unknown) => {
        pack.destroy(error as Error);
        throw error;
      },
    );
    const [filled, consumed] = await Promise.allSettled([filling, files.importTar(dir, pack as unknown as Readable, signal)]);
    if (filled.status === 'rejected') throw filled.reason;
    if (consumed.status === 'rejected') throw consumed.reason;
  };
}

/**
 * A direct reader that hands a job to the helper when this computer may not touch the files.
 * `access` says which one did the last job (a folder inside the volume may be closed to this user).
 */
function withFallback(direct: VolumeFiles, helper: () => VolumeFiles): VolumeFiles {
  let fallback: VolumeFiles | null = null;
  let last: VolumeFiles['access'] = 'direct';
  const either =
    <A extends unknown[], R>(pick: (f: VolumeFiles) => (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        const result = await pick(direct)(...args);
        last = 'direct';
        return result;
      } catch (error) {
        if (!isPermissionError(error)) throw error;
        fallback ??= helper();
        const result = await pick(fallback)(...args);
        last = fallback.access;
        return result;
      }
    };
  return {
    get access() {
      return last;
    },
    list: either((f) => f.list),
    entry: either((f) => f.entry),
    readHead: either((f) => f.readHead),
    openFile: either((f) => f.openFile),
    exportTar: either((f) => f.exportTar),
    importTar: either((f) => f.importTar),
    copyFromHost: either((f) => (f.copyFromHost ? f.copyFromHost : flowThroughTar(f))),
    mkdir: either((f) => f.mkdir),
    rename: either((f) => f.rename),
    remove: either((f) => f.remove),
    size: either((f) => f.size),
  };
}

export function createVolumeService(deps: VolumeServiceDeps) {
  const volumePath = (name: string) => `${LIBPOD}/volumes/${encodeURIComponent(name)}`;

  const find = async (name: string): Promise<VolumeSummary> => {
    const cached = deps.volumes.get(name);
    if (cached) return cached;
    try {
      return toVolumeSummary(await deps.engine().json<LibpodVolume>('GET', `${volumePath(name)}/json`));
    } catch (error) {
      if ((error as AppError).code === 'NOT_FOUND') throw new AppError('NOT_FOUND', `No volume named “${name}”`);
      throw error;
    }
  };

  // Asked once per connection: how the engine's containers see this computer's owners.
  const idMaps = new WeakMap<Engine, Promise<IdMap>>();
  const idsOf = (engine: Engine) => {
    let ids = idMaps.get(engine);
    if (!ids) {
      ids = engineIdMap(engine);
      ids.catch(() => idMaps.delete(engine));
      idMaps.set(engine, ids);
    }
    return ids;
  };
  const canChown = deps.canChown ?? process.getuid?.() === 0;

  const directPossible = async (volume: VolumeSummary, write: boolean, keepOwners: boolean) => {
    if (deps.settings.get().volumeAccess !== 'auto') return false;
    // A restore or clone keeps each file's owner: written directly that takes chown, which only
    // root may do; the helper writes them as the container's root (in rootless Podman's namespace).
    if (keepOwners && !canChown) return false;
    if ((deps.platform ?? process.platform) !== 'linux') return false;
    // A mount point is a path of the machine Podman runs on: only a local socket means this one.
    if (deps.engine().endpoint.kind !== 'unix') return false;
    if (!volume.mountpoint || needsMount(volume)) return false;
    const mode = constants.R_OK | constants.X_OK | (write ? constants.W_OK : 0);
    return access(volume.mountpoint, mode).then(
      () => true,
      () => false,
    );
  };

  /**
   * The files of a volume, read directly where this computer can, through the helper otherwise.
   * `keepOwners`: what is written keeps the owners it comes with (a restore, a clone).
   */
  const open = async (name: string, write = false, keepOwners = false): Promise<VolumeFiles> => {
    const volume = await find(name);
    const helper = () => helperFiles(name, { engine: deps.engine, helpers: deps.helpers });
    if (!(await directPossible(volume, write, keepOwners))) return helper();
    const ids = await idsOf(deps.engine());
    return withFallback(directFiles(volume.mountpoint, { ids }), helper);
  };

  const removeOne = async (name: string, force: boolean) => {
    await deps.helpers.removeFor(name);
    try {
      await deps.engine().json('DELETE', volumePath(name), { query: { force } });
    } catch (error) {
      if ((error as AppError).code !== 'NOT_FOUND') throw error;
    }
    deps.volumes.drop(name);
  };

  return {
    open,
    find,

    async create({ name, driver, labels, options }: CallArgs<'volumes.create'>): Promise<VolumeSummary> {
      // The contract refuses these already; main keeps the rule for any other caller.
      const hostProblem = hostSourceProblem(options);
      if (hostProblem) throw new AppError('INVALID_INPUT', hostProblem, [{ path: 'options', message: hostProblem }]);
      if (name && deps.volumes.get(name)) throw new AppError('CONFLICT', `A volume named “${name}” already exists`);
      const body: Record<string, unknown> = { Driver: driver, Label: labels, Options: options };
      if (name) body.Name = name;
      const created = toVolumeSummary(await deps.engine().json<LibpodVolume>('POST', `${LIBPOD}/volumes/create`, { body }));
      deps.volumes.put(created);
      return created;
    },

    async remove(name: string, force: boolean) {
      await find(name);
      const users = await containersUsing(deps.engine(), { volume: name });
      if (users.length > 0 && !force) {
        throw new AppError(
          'CONFLICT',
          `“${name}” is used by ${users.join(', ')}. Remove ${users.length === 1 ? 'that container' : 'those containers'} first, or force the removal, which removes ${users.length === 1 ? 'it' : 'them'} too.`,
          { containers: users },
        );
      }
      await removeOne(name, force);
    },

    async prune(names: string[]) {
      const removed: string[] = [];
      const kept: { name: string; reason: string }[] = [];
      for (const name of names) {
        const users = await containersUsing(deps.engine(), { volume: name });
        if (users.length > 0) {
          kept.push({ name, reason: `in use by ${users.join(', ')}` });
          continue;
        }
        try {
          await removeOne(name, false);
          removed.push(name);
        } catch (error) {
          kept.push({ name, reason: (error as Error).message });
        }
      }
      return { removed, kept };
    },

    async size(name: string) {
      return (await open(name)).size();
    },

    async list(volume: string, path: string): Promise<FolderListing> {
      const files = await open(volume);
      const listed = await files.list(path);
      return { volume, path: listed.path, access: files.access, entries: listed.entries };
    },

    async preview(volume: string, path: string): Promise<Preview> {
      const files = await open(volume);
      let { entry, head } = await files.readHead(path, PREVIEW_TEXT_BYTES);
      if (entry.type === 'other') throw notRegularError(path, entry.permissions);
      if (entry.type !== 'file') return { kind: 'not-a-file', type: entry.type };
      if (imageMime(entry.name, head) && entry.size <= PREVIEW_IMAGE_BYTES && entry.size > head.length) {
        ({ entry, head } = await files.readHead(path, entry.size));
      }
      return classify(entry.name, entry.size, head);
    },

    async mkdir(volume: string, dir: string, name: string) {
      return (await open(volume, true)).mkdir(dir, name);
    },
    async rename(volume: string, path: string, newName: string) {
      return (await open(volume, true)).rename(path, newName);
    },
    async deleteFiles(volume: string, paths: string[]) {
      return (await open(volume, true)).remove(paths);
    },

    async helperImage() {
      return { image: deps.helpers.image(), present: await deps.helpers.imagePresent() };
    },
    async pullHelperImage() {
      await deps.helpers.pullImage();
      return { image: deps.helpers.image(), present: true };
    },
  };
}

export type VolumeService = ReturnType<typeof createVolumeService>;
