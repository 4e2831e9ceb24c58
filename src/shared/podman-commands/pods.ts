import { command, type Command } from './command';
import { portArg } from './run';
import { stopCommand } from './containers';

/**
 * A new pod with its published ports. From containers: each is copied into the pod under
 * `<name>-<pod>` (their "Show as podman run" with `--pod`), and the originals are stopped, not
 * removed, so the pod can take their ports.
 */
export function podCreateCommands(input: {
  name: string;
  ports?: { hostIp: string; hostPort: number; containerPort: number; protocol: string }[];
  containers?: string[];
  start?: boolean;
}): Command[] {
  const containers = input.containers ?? [];
  return [
    command([['podman', 'pod', 'create'], ['--name', input.name], ...(input.ports ?? []).map((p) => ['-p', portArg(p)])], {
      ...(containers.length > 0
        ? {
            comment: `then each container is copied in: its “Show as podman run” with --pod ${input.name} --name <name>-${input.name} (podman create to leave it stopped)`,
          }
        : {}),
    }),
    ...(input.start !== false && containers.length > 0 ? [stopCommand(containers)] : []),
    ...(input.start !== false ? [podStartCommand(input.name)] : []),
  ];
}

export const podStartCommand = (name: string): Command => command([['podman', 'pod', 'start'], [name]]);
export const podStopCommand = (name: string, timeoutSeconds?: number): Command =>
  command([['podman', 'pod', 'stop'], timeoutSeconds !== undefined && ['-t', String(timeoutSeconds)], [name]]);
export const podRestartCommand = (name: string): Command => command([['podman', 'pod', 'restart'], [name]]);
export const podRemoveCommand = (name: string, force = false): Command =>
  command([['podman', 'pod', 'rm'], force && ['-f'], [name]]);
