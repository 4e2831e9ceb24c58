import type { CleanupOutcome, CleanupPlan, CleanupResult, DiskUsage, DiskUsagePart } from '../../shared/contract';
import { HELPER_LABEL } from '../../shared/labels';
import { AppError } from '../../shared/errors';
import { LIBPOD, type Engine } from '../podman/engine';

/** Podman's compat `GET /system/df` (the fields read here). */
export interface RawDiskUsage {
  LayersSize?: number;
  Images?:
    | {
        Id: string;
        RepoTags?: string[] | null;
        Size?: number;
        SharedSize?: number;
        VirtualSize?: number;
        Containers?: number;
      }[]
    | null;
  Containers?:
    | {
        Id: string;
        Names?: string[] | null;
        Image?: string;
        State?: string;
        SizeRw?: number;
        Labels?: Record<string, string> | null;
      }[]
    | null;
  Volumes?:
    | {
        Name: string;
        Labels?: Record<string, string> | null;
        UsageData?: { Size?: number; RefCount?: number } | null;
      }[]
    | null;
  BuildCache?: { Size?: number; InUse?: boolean; Shared?: boolean }[] | null;
}

const size = (n: number | undefined) => (typeof n === 'number' && n > 0 ? n : 0);
const bare = (id: string) => id.replace(/^sha256:/, '');
/** What `podman container prune` counts as stopped: made or exited, not running or paused. */
const STOPPED = new Set(['created', 'exited', 'dead', 'configured', 'stopped']);
/** A name with no repository (`<none>:<none>`) is no name. */
const realTags = (tags: string[] | null | undefined) => (tags ?? []).filter((t) => !t.startsWith('<none>'));

/** The app's own helper containers come and go by themselves; a learner's cleanup leaves them be. */
const own = (labels: Record<string, string> | null | undefined) => Boolean(labels?.[HELPER_LABEL]);

/** Totals, and what Clean up could free: stopped containers, images and volumes nothing uses. */
export function summarizeDiskUsage(raw: RawDiskUsage): DiskUsage {
  const images = raw.Images ?? [];
  const imageBytes = size(raw.LayersSize) || images.reduce((sum, i) => sum + size(i.Size), 0);
  // What Clean up could take: the images no container uses (their layers shared with an image
  // in use stay, so this is at most that). Podman 4.3's SharedSize is not Docker's, so not used.
  const unusedImageBytes = images.filter((i) => (i.Containers ?? 0) === 0).reduce((sum, i) => sum + size(i.Size), 0);
  const containers = raw.Containers ?? [];
  const volumes = raw.Volumes ?? [];
  const cache = raw.BuildCache ?? [];
  const part = (count: number, unused: number, bytes: number, reclaimableBytes: number): DiskUsagePart => ({
    count,
    unused,
    bytes,
    reclaimableBytes: Math.max(0, Math.min(bytes, reclaimableBytes)),
  });
  const stopped = containers.filter((c) => STOPPED.has((c.State ?? '').toLowerCase()));
  const idle = volumes.filter((v) => (v.UsageData?.RefCount ?? 0) === 0);
  const cacheFree = cache.filter((c) => !c.InUse);
  return {
    images: part(images.length, images.filter((i) => (i.Containers ?? 0) === 0).length, imageBytes, unusedImageBytes),
    containers: part(
      containers.length,
      stopped.length,
      containers.reduce((sum, c) => sum + size(c.SizeRw), 0),
      stopped.reduce((sum, c) => sum + size(c.SizeRw), 0),
    ),
    volumes: part(
      volumes.length,
      idle.length,
      volumes.reduce((sum, v) => sum + size(v.UsageData?.Size), 0),
      idle.reduce((sum, v) => sum + size(v.UsageData?.Size), 0),
    ),
    buildCache: part(
      cache.length,
      cacheFree.length,
      cache.reduce((sum, c) => sum + size(c.Size), 0),
      cacheFree.reduce((sum, c) => sum + size(c.Size), 0),
    ),
  };
}

/** What a Clean up would delete now: stopped containers, images no container uses, unused volumes. */
export function cleanupPlanOf(raw: RawDiskUsage): CleanupPlan {
  const containers = (raw.Containers ?? [])
    .filter((c) => STOPPED.has((c.State ?? '').toLowerCase()) && !own(c.Labels))
    .map((c) => ({
      id: c.Id,
      name: (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''),
      image: c.Image ?? '',
      state: (c.State ?? '').toLowerCase(),
      bytes: size(c.SizeRw),
    }));
  const images = (raw.Images ?? [])
    .filter((i) => (i.Containers ?? 0) === 0)
    .map((i) => ({ id: bare(i.Id), tags: realTags(i.RepoTags), bytes: size(i.Size) }));
  const volumes = (raw.Volumes ?? [])
    .filter((v) => (v.UsageData?.RefCount ?? 0) === 0)
    .map((v) => {
      const project = v.Labels?.['com.docker.compose.project'] ?? v.Labels?.['io.podman.compose.project'];
      return { name: v.Name, bytes: size(v.UsageData?.Size), ...(project ? { project } : {}) };
    });
  return { containers, images, volumes };
}

/**
 * `system/df`, with each image's names from the image list: Podman 4.3's df gives only the tag
 * part ("1" for localhost/app:1). Only the images that list holds are kept, as `podman images`
 * shows them: df also counts a build's intermediate layers, which are parts of other images
 * (their bytes stay in the total) and which Podman will not delete while those images exist.
 */
export async function readDiskUsage(engine: Engine): Promise<RawDiskUsage> {
  const [df, list] = await Promise.all([
    engine.json<RawDiskUsage>('GET', '/system/df'),
    engine.json<{ Id: string; RepoTags?: string[] | null }[]>('GET', '/images/json'),
  ]);
  const names = new Map((list ?? []).map((i) => [bare(i.Id), i.RepoTags ?? []]));
  const raw = df ?? {};
  return {
    ...raw,
    Images: (raw.Images ?? []).filter((i) => names.has(bare(i.Id))).map((i) => ({ ...i, RepoTags: names.get(bare(i.Id)) })),
  };
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const gone = (error: unknown) => error instanceof AppError && error.code === 'NOT_FOUND';

/**
 * Deletes exactly the chosen items, by id and never forced, so nothing made or started after the
 * list was shown is touched: a container running now, an image or a volume in use now is kept,
 * and says why. Containers first (an image or volume they held may then go), images in passes (a
 * parent goes once its children have), volumes last.
 */
export async function cleanUp(
  engine: Engine,
  chosen: { containers: string[]; images: string[]; volumes: string[] },
  sizes: Map<string, number> = new Map(),
  /** Each image's names as listed now: Podman deletes an image with several names by id only when forced. */
  tags: Map<string, string[]> = new Map(),
): Promise<CleanupResult> {
  const outcomes: CleanupOutcome[] = [];
  let reclaimedBytes = 0;
  const done = (kind: CleanupOutcome['kind'], id: string) => {
    outcomes.push({ kind, id, removed: true });
    reclaimedBytes += sizes.get(`${kind}:${id}`) ?? 0;
  };
  const kept = (kind: CleanupOutcome['kind'], id: string, error: unknown) =>
    outcomes.push({ kind, id, removed: false, reason: gone(error) ? 'It was already gone' : reasonOf(error) });

  for (const id of chosen.containers) {
    try {
      // Inspected first: `rm` of a container that started meanwhile fails anyway, but a
      // container that is now a different one (a name reused) must not be touched either.
      const found = await engine.json<{ Id: string; State?: { Status?: string; Running?: boolean } }>(
        'GET',
        `/containers/${encodeURIComponent(id)}/json`,
      );
      if (!found.Id.startsWith(id) && found.Id !== id) throw new AppError('CONFLICT', 'It is another container now');
      if (found.State?.Running) throw new AppError('CONFLICT', 'It is running now');
      await engine.json('DELETE', `/containers/${encodeURIComponent(found.Id)}`, { query: { force: false, v: false } });
      done('container', id);
    } catch (error) {
      kept('container', id, error);
    }
  }

  let pending = [...chosen.images];
  const failures = new Map<string, unknown>();
  // Each pass removes what it can; a parent image waits for the pass after its last child.
  while (pending.length > 0) {
    const next: string[] = [];
    for (const id of pending) {
      try {
        await removeImage(engine, id, tags.get(id) ?? []);
        done('image', id);
      } catch (error) {
        if (gone(error)) kept('image', id, error);
        else {
          failures.set(id, error);
          next.push(id);
        }
      }
    }
    if (next.length === pending.length) break;
    pending = next;
  }
  for (const id of pending) kept('image', id, failures.get(id));

  for (const name of chosen.volumes) {
    try {
      await engine.json('DELETE', `/volumes/${encodeURIComponent(name)}`, { query: { force: false } });
      done('volume', name);
    } catch (error) {
      kept('volume', name, error);
    }
  }
  return { outcomes, reclaimedBytes };
}

/**
 * By id; an image with several names is refused that way unless forced, and forcing would remove
 * the containers using it too. So each name still on this very image is removed instead: the
 * last one deletes the image, or is refused if a container uses it now.
 */
async function removeImage(engine: Engine, id: string, names: string[]): Promise<void> {
  try {
    await engine.json('DELETE', `${LIBPOD}/images/${encodeURIComponent(id)}`, { query: { force: false } });
    return;
  } catch (error) {
    if (names.length < 2 || gone(error)) throw error;
  }
  for (const name of names) {
    const found = await engine
      .json<{ Id: string }>('GET', `${LIBPOD}/images/${encodeURIComponent(name)}/json`)
      .catch((error: unknown) => (gone(error) ? null : Promise.reject(error)));
    // A name moved to another image since the list was shown is not this image's any more.
    if (!found || bare(found.Id) !== id) continue;
    await engine.json('DELETE', `${LIBPOD}/images/${encodeURIComponent(name)}`, { query: { force: false } });
  }
  const still = await engine
    .json<{ Id: string }>('GET', `${LIBPOD}/images/${encodeURIComponent(id)}/json`)
    .then(() => true)
    .catch((error: unknown) => (gone(error) ? false : Promise.reject(error)));
  if (still) await engine.json('DELETE', `${LIBPOD}/images/${encodeURIComponent(id)}`, { query: { force: false } });
}
