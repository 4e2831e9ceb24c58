import { command, opt, type Command } from './command';

export const pullCommand = (reference: string): Command => command([['podman', 'pull'], [reference]]);

/**
 * `podman build` as PodDesk runs it: the folder is the context, the Containerfile is found in it
 * (Containerfile, then Dockerfile) unless one is named. Layers are cached, as the CLI does by default.
 */
export const buildCommand = (options: {
  tag: string;
  context: string;
  containerfile?: string;
  buildArgs?: Record<string, string>;
}): Command =>
  command([
    ['podman', 'build'],
    ['-t', options.tag],
    options.containerfile ? opt('-f', options.containerfile) : [],
    ...Object.entries(options.buildArgs ?? {}).map(([k, v]) => ['--build-arg', `${k}=${v}`]),
    [options.context],
  ]);

export const tagCommand = (image: string, reference: string): Command =>
  command([
    ['podman', 'tag'],
    [image, reference],
  ]);

export const pushCommand = (reference: string): Command => command([['podman', 'push'], [reference]]);

/** `-f` also removes the containers that use it. Removing one of several names only untags. */
export const removeImageCommand = (image: string, force = false): Command =>
  command([['podman', 'rmi'], force && ['-f'], [image]]);

/** dangling: images without a name; unused (`-a`): every image no container uses. */
export const pruneImagesCommand = (mode: 'dangling' | 'unused'): Command =>
  command([['podman', 'image', 'prune'], mode === 'unused' && ['-a'], ['-f']]);
