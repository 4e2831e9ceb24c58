import type { ImageSummary, PruneReport, PushEvent } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { LIBPOD, type Engine } from '../engine';
import type { EngineEvent } from '../events';
import { readJsonLines } from '../json-lines';
import type { LiveCollection, LiveCollectionSource } from '../live-collection';
import { encodeAuth, registryError, type RegistryAuth } from './registry-errors';

/** An image as `GET /libpod/images/json` returns it (the fields we read). */
export interface LibpodImage {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Size?: number;
  Created?: number;
  Labels?: Record<string, string> | null;
  Dangling?: boolean;
}

export function toImageSummary(raw: LibpodImage): ImageSummary {
  const tags = (raw.RepoTags ?? []).filter((t) => t && !t.startsWith('<none>'));
  return {
    id: raw.Id.replace(/^sha256:/, ''),
    tags,
    digests: raw.RepoDigests ?? [],
    size: raw.Size ?? 0,
    created: raw.Created ?? 0,
    dangling: tags.length === 0,
    labels: raw.Labels ?? {},
  };
}

/**
 * Podman lists images by reading each one; an image removed meanwhile fails the whole list with
 * "image not known" (a list itself has nothing to be missing). Ask again: the next list no
 * longer has it.
 */
export async function listImages(engine: Engine, query?: Record<string, unknown>, attempts = 4): Promise<LibpodImage[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await engine.json<LibpodImage[]>('GET', `${LIBPOD}/images/json`, query ? { query } : {})) ?? [];
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'NOT_FOUND') || attempt >= attempts) throw error;
    }
  }
}

export function imageSource(engine: () => Engine, onError?: (error: unknown) => void): LiveCollectionSource<ImageSummary> {
  return {
    key: (image) => image.id,
    async listAll() {
      return (await listImages(engine())).map(toImageSummary);
    },
    async fetchOne(idOrName) {
      const byId = /^[a-f0-9]{12,64}$/.test(idOrName);
      const filters = byId ? { id: [idOrName] } : { reference: [idOrName] };
      const raw = await listImages(engine(), { filters });
      const found = (raw ?? []).find((i) =>
        byId ? i.Id.replace(/^sha256:/, '').startsWith(idOrName) : (i.RepoTags ?? []).includes(idOrName),
      );
      return found ? toImageSummary(found) : null;
    },
    resolveId(idOrName, cache) {
      const bare = idOrName.replace(/^sha256:/, '');
      if (cache.has(bare)) return bare;
      for (const image of cache.values()) if (image.id.startsWith(bare) || image.tags.includes(idOrName)) return image.id;
      return bare;
    },
    onError,
  };
}

/**
 * What an engine event means for the image cache: one targeted fetch of the image it names.
 * Podman 4.3 names an image by id in most events (tag, untag, remove), by name only in others
 * ("pull" and "build" come with an empty id and the reference or id as `name`), and not at all
 * when a container is committed: that one event costs a full list, as nothing else finds the
 * new image.
 */
export function applyImageEvent(event: EngineEvent, images: LiveCollection<ImageSummary>): void {
  if (event.type === 'container' && event.action === 'commit') {
    images.resync();
    return;
  }
  if (event.type !== 'image') return;
  const target = event.id || event.attributes.name;
  if (!target) return;
  if (event.action === 'remove' || event.action === 'delete') images.drop(target);
  else if (event.action !== 'mount' && event.action !== 'unmount') images.refresh(target);
}

/**
 * A name belongs to one image at a time: when an image arrives with names another cached image
 * still shows (a rebuild or a pull moved the tag, and Podman says nothing about the old one),
 * that other image is fetched again, and shows up dangling if it has no name left.
 */
export function followMovedTags(images: LiveCollection<ImageSummary>): () => void {
  return images.subscribe((change) => {
    if (change.type !== 'upsert' || change.item.tags.length === 0) return;
    const tags = new Set(change.item.tags);
    for (const other of images.items()) {
      if (other.id !== change.item.id && other.tags.some((t) => tags.has(t))) images.refresh(other.id);
    }
  });
}

export interface ImageActions {
  inspect(id: string): Promise<Record<string, unknown>>;
  tag(id: string, repository: string, tag: string): Promise<void>;
  remove(id: string, force: boolean): Promise<void>;
  prune(mode: 'dangling' | 'unused'): Promise<PruneReport>;
  push(
    reference: string,
    options: { auth?: RegistryAuth; signal?: AbortSignal; onEvent: (event: PushEvent) => void },
  ): Promise<void>;
}

interface RemoveReport {
  Deleted?: string[] | null;
  Untagged?: string[] | null;
  Errors?: string[] | null;
  ExitCode?: number;
}

export function imageActions(engine: () => Engine): ImageActions {
  const path = (id: string) => `${LIBPOD}/images/${encodeURIComponent(id)}`;
  return {
    inspect: (id) => engine().json<Record<string, unknown>>('GET', `${path(id)}/json`),
    async tag(id, repository, tag) {
      await engine().json('POST', `${path(id)}/tag`, { query: { repo: repository, tag }, accept: [201] });
    },
    async remove(id, force) {
      const report = await engine().json<RemoveReport | null>('DELETE', path(id), { query: { force } });
      const errors = report?.Errors?.filter(Boolean) ?? [];
      if (errors.length > 0) {
        const message = errors.join('; ');
        throw new AppError(/in use|used by|container/i.test(message) ? 'CONFLICT' : 'ENGINE_ERROR', message, { engine: message });
      }
    },
    async prune(mode) {
      const report = await engine().json<{ Id: string; Size?: number; Err?: string | null }[] | null>(
        'POST',
        `${LIBPOD}/images/prune`,
        { query: mode === 'unused' ? { all: true } : {} },
      );
      const done = (report ?? []).filter((r) => !r.Err);
      return {
        removed: done.map((r) => r.Id.replace(/^sha256:/, '')),
        reclaimed: done.reduce((sum, r) => sum + (r.Size ?? 0), 0),
      };
    },
    async push(reference, { auth, signal, onEvent }) {
      const headers = auth ? { 'X-Registry-Auth': encodeAuth(auth) } : undefined;
      onEvent({ type: 'log', text: `Pushing ${reference}\n` });
      const response = await engine().stream('POST', `${path(reference)}/push`, { query: { quiet: false }, headers, signal });
      await readJsonLines(
        response,
        (value) => {
          const line = value as { stream?: string; error?: string };
          if (line.error) {
            if (/image not known/i.test(line.error)) {
              throw new AppError('NOT_FOUND', `${reference} is not in local storage: tag an image with this name first`, {
                engine: line.error,
              });
            }
            throw registryError(line.error, reference, 'push');
          }
          if (line.stream) onEvent({ type: 'log', text: line.stream });
        },
        signal,
      );
      onEvent({ type: 'done', reference });
    },
  };
}
