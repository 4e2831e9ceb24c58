import type { ImagePullProgress } from '../../../shared/contract/images';
import { AppError } from '../../../shared/errors';
import { LIBPOD, type Engine } from '../engine';
import { readJsonLines } from '../json-lines';
import { createPullProgress, type PullLine } from './pull-progress';
import { encodeAuth, registryError, type RegistryAuth } from './registry-errors';

export interface PullOptions {
  /** Aborting closes the HTTP request; Podman then stops the pull (its handler follows the request's context). */
  signal?: AbortSignal;
  /** Called on every line that changes the totals (the dispatcher coalesces what reaches the UI). */
  onProgress?: (progress: ImagePullProgress) => void;
  auth?: RegistryAuth;
  now?: () => number;
  /** os/arch[/variant], when not the engine's own. */
  platform?: string;
}

/** "nginx" → "nginx:latest": the compat endpoint would otherwise pull every tag (Docker) or guess (Podman). */
export function withDefaultTag(reference: string): string {
  if (reference.includes('@')) return reference;
  const lastSlash = reference.lastIndexOf('/');
  return reference.slice(lastSlash + 1).includes(':') ? reference : `${reference}:latest`;
}

/**
 * Pulls an image through the compat `POST /images/create`, the only endpoint of Podman 4 that
 * reports bytes (libpod's `/images/pull` writes "Copying blob …" lines and no sizes). Resolves
 * with the image id once the image is in local storage; rejects with NOT_FOUND, UNAUTHORIZED,
 * UNREACHABLE, CANCELLED or the engine's own error.
 */
export async function pullImage(engine: Engine, reference: string, options: PullOptions = {}): Promise<{ id: string }> {
  const ref = withDefaultTag(reference);
  const tracker = createPullProgress(reference, options.now);
  const headers = options.auth ? { 'X-Registry-Auth': encodeAuth(options.auth) } : undefined;
  let response;
  try {
    response = await engine.stream('POST', '/images/create', {
      query: { fromImage: ref, ...(options.platform ? { platform: options.platform } : {}) },
      signal: options.signal,
      headers,
    });
  } catch (error) {
    // Podman refuses a malformed name before streaming: 500 "invalid reference format".
    if (error instanceof AppError && error.code !== 'CANCELLED' && error.code !== 'ENGINE_UNAVAILABLE') {
      throw registryError(String((error.details as { engine?: string })?.engine ?? error.message), reference);
    }
    throw error;
  }
  options.onProgress?.(tracker.current());
  await readJsonLines(
    response,
    (value) => {
      const line = value as PullLine;
      if (line.error || line.errorDetail)
        throw registryError(line.errorDetail?.message ?? line.error ?? 'pull failed', reference);
      const progress = tracker.add(line);
      if (progress) options.onProgress?.(progress);
    },
    options.signal,
  );
  const image = await engine.json<{ Id: string }>('GET', `${LIBPOD}/images/${encodeURIComponent(ref)}/json`, {
    signal: options.signal,
  });
  options.onProgress?.(tracker.finish());
  return { id: image.Id.replace(/^sha256:/, '') };
}
