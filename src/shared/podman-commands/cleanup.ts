import { command, type Command } from './command';

/**
 * Clean up deletes exactly the items it listed, by id, never forced: `podman rm`, `podman rmi`
 * and `podman volume rm` of those. `podman system prune` would take whatever is unused when it
 * runs, including what appeared after the list was shown.
 */
export const cleanupCommands = (chosen: {
  containers: readonly string[];
  images: readonly string[];
  volumes: readonly string[];
}): Command[] => [
  ...(chosen.containers.length
    ? [command([['podman', 'rm'], [...chosen.containers]], { comment: 'the stopped containers chosen' })]
    : []),
  ...(chosen.images.length
    ? [command([['podman', 'rmi'], chosen.images.map((id) => id.slice(0, 12))], { comment: 'the unused images chosen' })]
    : []),
  ...(chosen.volumes.length
    ? [command([['podman', 'volume', 'rm'], [...chosen.volumes]], { comment: 'the unused volumes chosen: their data goes too' })]
    : []),
];
