import { command, type Command } from './command';

/**
 * `podman volume create --label` is a comma-separated list flag: a label holding a comma or a
 * double quote is written as a CSV field (in double quotes, inner ones doubled) so it stays one.
 */
export const csvField = (v: string): string => (/[",\n\r]/.test(v) || /^\s/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

export const volumeCreateCommand = (input: {
  name?: string;
  driver?: string;
  labels?: Record<string, string>;
  options?: Record<string, string>;
}): Command =>
  command([
    ['podman', 'volume', 'create'],
    input.driver && input.driver !== 'local' ? ['--driver', input.driver] : [],
    ...Object.entries(input.labels ?? {}).map(([k, v]) => ['--label', csvField(`${k}=${v}`)]),
    ...Object.entries(input.options ?? {}).map(([k, v]) => ['--opt', `${k}=${v}`]),
    input.name ? [input.name] : [],
  ]);

/** `-f` removes the containers that use it too. */
export const volumeRemoveCommand = (names: string | readonly string[], force = false): Command =>
  command([['podman', 'volume', 'rm'], force && ['-f'], typeof names === 'string' ? [names] : [...names]]);

/**
 * PodDesk prunes exactly the unused volumes it listed (one made meanwhile is not touched), which
 * is `podman volume rm` of those names; `podman volume prune` would take every unused one.
 */
export const volumePruneCommand = (names: readonly string[]): Command =>
  command([['podman', 'volume', 'rm'], [...names]], {
    comment: 'the unused volumes listed; podman volume prune removes every unused one',
  });
