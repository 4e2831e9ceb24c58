import type { ImagePullProgress } from '../../shared/contract/images';
import type { Engine } from '../podman/engine';
import { buildImage } from '../podman/images/build';
import { pullImage } from '../podman/images/pull';

/**
 * What the launcher needs from images: a pull with progress and a build with its log, both
 * abortable. The launcher takes this interface, so its unit tests need no engine; the app
 * passes the adapter below, over the image primitives of podman/images.
 */
export interface StackImages {
  pull(ref: string, onProgress: (progress: ImagePullProgress) => void, signal: AbortSignal): Promise<void>;
  build(
    options: { context: string; containerfile?: string; tag: string; buildArgs: Record<string, string> },
    onLog: (text: string) => void,
    signal: AbortSignal,
  ): Promise<void>;
}

export function engineImages(engine: () => Engine): StackImages {
  return {
    async pull(ref, onProgress, signal) {
      await pullImage(engine(), ref, { signal, onProgress });
    },
    async build(options, onLog, signal) {
      await buildImage(engine(), {
        contextDir: options.context,
        ...(options.containerfile ? { containerfile: options.containerfile } : {}),
        tag: options.tag,
        buildArgs: options.buildArgs,
        signal,
        onLog,
      });
    },
  };
}
