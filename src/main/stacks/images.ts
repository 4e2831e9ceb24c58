import type { ImagePullProgress } from '../../shared/contract/images';
import type { Engine } from '../podman/engine';
import { buildImage, type BuildOptions } from '../podman/images/build';
import { pullImage } from '../podman/images/pull';

/**
 * What the launcher needs from images: a pull with progress and a build with its log, both
 * abortable. The launcher takes this interface, so its unit tests need no engine; the app
 * passes the adapter below, over the image primitives of podman/images.
 */
export interface StackBuild extends Omit<
  BuildOptions,
  'contextDir' | 'context' | 'containerfile' | 'signal' | 'onLog' | 'auth' | 'tag' | 'buildArgs'
> {
  context: string;
  containerfile?: string;
  tag: string;
  buildArgs: Record<string, string>;
}

export interface StackImages {
  pull(ref: string, onProgress: (progress: ImagePullProgress) => void, signal: AbortSignal, platform?: string): Promise<void>;
  build(options: StackBuild, onLog: (text: string) => void, signal: AbortSignal): Promise<void>;
}

export function engineImages(engine: () => Engine): StackImages {
  return {
    async pull(ref, onProgress, signal, platform) {
      await pullImage(engine(), ref, { signal, onProgress, ...(platform ? { platform } : {}) });
    },
    async build(options, onLog, signal) {
      const { context, containerfile, ...rest } = options;
      await buildImage(engine(), {
        ...rest,
        contextDir: context,
        ...(containerfile ? { containerfile } : {}),
        signal,
        onLog,
      });
    },
  };
}
