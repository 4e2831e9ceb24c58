import type { RunCommandSpec } from './run';

/**
 * The Run form's choices (the contract's run spec, with each volume either a named volume or a
 * folder of this computer by its path) as the command that makes the same container.
 */
export interface RunChoices {
  image: string;
  name?: string;
  command?: string[];
  entrypoint?: string[];
  ports?: { hostIp?: string; hostPort: number; containerPort: number; protocol?: string }[];
  env?: { key: string; value: string }[];
  volumes?: { source: string; target: string; readOnly?: boolean; bind: boolean }[];
  network?: string;
  networkAliases?: string[];
  pod?: string;
  restartPolicy?: RunCommandSpec['restartPolicy'];
  restartRetries?: number;
  autoRemove?: boolean;
  stopTimeout?: number;
  workdir?: string;
  user?: string;
  hostname?: string;
  memory?: number;
  cpus?: number;
  labels?: Record<string, string>;
  start?: boolean;
}

export function runChoicesToSpec(c: RunChoices): RunCommandSpec {
  return {
    image: c.image,
    ...(c.name ? { name: c.name } : {}),
    start: c.start !== false,
    ...(c.command?.length ? { command: c.command } : {}),
    ...(c.entrypoint?.length ? { entrypoint: c.entrypoint } : {}),
    ports: (c.ports ?? []).map((p) => ({
      hostIp: p.hostIp ?? '',
      hostPort: p.hostPort,
      containerPort: p.containerPort,
      protocol: p.protocol ?? 'tcp',
    })),
    env: c.env ?? [],
    mounts: (c.volumes ?? []).map((v) => ({
      type: v.bind ? 'bind' : 'volume',
      source: v.source,
      target: v.target,
      readOnly: v.readOnly ?? false,
    })),
    ...(c.pod ? { pod: c.pod } : c.network ? { networks: [{ name: c.network, aliases: c.networkAliases ?? [] }] } : {}),
    ...(c.restartPolicy ? { restartPolicy: c.restartPolicy } : {}),
    ...(c.restartRetries ? { restartRetries: c.restartRetries } : {}),
    ...(c.autoRemove ? { autoRemove: true } : {}),
    ...(c.stopTimeout !== undefined ? { stopTimeout: c.stopTimeout } : {}),
    ...(c.workdir ? { workdir: c.workdir } : {}),
    ...(c.user ? { user: c.user } : {}),
    ...(c.hostname ? { hostname: c.hostname } : {}),
    ...(c.memory ? { memory: c.memory } : {}),
    ...(c.cpus ? { cpus: c.cpus } : {}),
    labels: c.labels ?? {},
  };
}
