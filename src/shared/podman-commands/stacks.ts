import { command, type Command } from './command';

/**
 * The Compose tool's commands for a stack: what PodDesk does with a Compose file is what
 * `podman-compose` (or `docker compose`) does with it — create the project's network and volumes,
 * then its containers, labelled with the project's name. PodDesk adds what these tools leave out
 * (health waits without systemd, the host-access check), so the commands are the nearest
 * equivalent, not a replay.
 */
export interface ComposeTarget {
  /** The Compose file PodDesk launches from. */
  file?: string;
  /** Files merged over it, in order (podman-compose reads only the files it is given). */
  overrides?: string[];
  project: string;
  /** Variables that differ from the file's defaults (saved on the Variables tab). */
  env?: Record<string, string>;
}

const compose = (t: ComposeTarget, verb: string[], extra: Omit<Command, 'groups'> = {}): Command =>
  command(
    [
      ['podman-compose'],
      t.file ? ['-f', t.file] : [],
      ...(t.file ? (t.overrides ?? []) : []).map((f) => ['-f', f]),
      ['-p', t.project],
      verb,
    ],
    {
      ...(t.env && Object.keys(t.env).length > 0 ? { env: t.env } : {}),
      ...extra,
    },
  );

export const composeUpCommand = (t: ComposeTarget, options: { rebuild?: boolean } = {}): Command =>
  compose(t, ['up', '-d', ...(options.rebuild ? ['--build'] : [])]);

export const composeStartCommand = (t: ComposeTarget, service?: string): Command =>
  compose(t, ['start', ...(service ? [service] : [])]);

export const composeStopCommand = (t: ComposeTarget, service?: string): Command =>
  compose(t, ['stop', ...(service ? [service] : [])]);

export const composeRestartCommand = (t: ComposeTarget, service?: string): Command =>
  compose(t, ['restart', ...(service ? [service] : [])]);

/**
 * `down` removes the containers and the network (podman-compose 1.0.x leaves the network); `-v`
 * the volumes too. podman-compose 1.x finds the containers by the names it would give them.
 */
export const composeDownCommand = (t: ComposeTarget, deleteVolumes = false): Command =>
  compose(t, ['down', ...(deleteVolumes ? ['-v'] : [])]);
