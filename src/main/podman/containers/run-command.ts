import { runSpecFromInspect, type ContainerInspect, type ImageConfig, type RebuiltRun } from '../../../shared/podman-commands';
import { LIBPOD, type Engine } from '../engine';

interface LibpodImageInspect {
  Config?: ImageConfig;
  Healthcheck?: ImageConfig['Healthcheck'];
}

/**
 * "Show as podman run": the container's inspect, its image's own settings (so what the image
 * gives by itself is left out) and its pod's name, turned into the command that makes it again.
 * The image may be gone (removed after the container was made): then nothing is left out for it.
 */
export async function rebuildRunCommand(engine: Engine, id: string): Promise<RebuiltRun> {
  const container = await engine.json<ContainerInspect>('GET', `${LIBPOD}/containers/${encodeURIComponent(id)}/json`);
  const imageId = container.Image ?? '';
  const image = imageId
    ? await engine
        .json<LibpodImageInspect>('GET', `${LIBPOD}/images/${encodeURIComponent(imageId)}/json`)
        .catch(() => ({}) as LibpodImageInspect)
    : {};
  const podName = container.Pod
    ? await engine
        .json<{ Name?: string }>('GET', `${LIBPOD}/pods/${encodeURIComponent(container.Pod)}/json`)
        .then((p) => p.Name)
        .catch(() => undefined)
    : undefined;
  const rebuilt = runSpecFromInspect(
    container,
    { ...image.Config, Healthcheck: image.Config?.Healthcheck ?? image.Healthcheck ?? null },
    podName ? { podName } : {},
  );
  if (!image.Config) rebuilt.notes.unshift('Its image is no longer here: what the image set by itself is written out too.');
  return rebuilt;
}
