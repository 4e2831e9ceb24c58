import { LIBPOD, type Engine } from '../engine';

/**
 * Removes a container, with its anonymous volumes when asked. Podman 4's libpod handler reads
 * `volumes` (its docs say `v`, which only the compat API honours): both are sent.
 */
export async function removeContainer(
  engine: Engine,
  id: string,
  options: { force: boolean; volumes: boolean; timeoutSeconds?: number },
): Promise<void> {
  const query: Record<string, unknown> = { force: options.force, v: options.volumes, volumes: options.volumes };
  if (options.timeoutSeconds !== undefined) query.timeout = options.timeoutSeconds;
  await engine.json('DELETE', `${LIBPOD}/containers/${encodeURIComponent(id)}`, { query });
}
