import { createHash } from 'node:crypto';
import type { ComposeProject, HealthcheckSpec, ServiceSpec } from './compose/model';

/**
 * A Compose service as a libpod SpecGenerator (POST /libpod/containers/create), with the labels
 * podman-compose and docker compose put on their containers, so all three tools see one group.
 */
export const LABEL = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  oneoff: 'com.docker.compose.oneoff',
  number: 'com.docker.compose.container-number',
  configHash: 'com.docker.compose.config-hash',
  dependsOn: 'com.docker.compose.depends_on',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  network: 'com.docker.compose.network',
  volume: 'com.docker.compose.volume',
  podmanProject: 'io.podman.compose.project',
  podmanService: 'io.podman.compose.service',
  /** Which PodDesk stack made it (the file may name a different project than the stack id). */
  stack: 'io.poddesk.stack',
} as const;

export function containerName(project: ComposeProject, service: ServiceSpec): string {
  return service.containerName ?? `${project.name}-${service.name}-1`;
}

export function projectLabels(project: string): Record<string, string> {
  return { [LABEL.project]: project, [LABEL.podmanProject]: project };
}

const SIGNALS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGUSR2: 12,
  SIGTERM: 15,
  SIGWINCH: 28,
};

const NS_PER_MS = 1_000_000;

/** Compose's healthcheck as the engine's HealthConfig (durations in nanoseconds). */
export function healthConfig(h: HealthcheckSpec, imageTest?: string[]): Record<string, unknown> | undefined {
  const test = h.test ?? imageTest;
  if (!test) return undefined;
  return {
    Test: test,
    Interval: h.intervalMs * NS_PER_MS,
    Timeout: h.timeoutMs * NS_PER_MS,
    Retries: h.retries,
    StartPeriod: h.startPeriodMs * NS_PER_MS,
  };
}

export interface SpecOptions {
  stackId: string;
  /** The Compose file, for the config_files label (what `docker compose ls` shows). */
  configFile?: string;
  /** The image's own healthcheck test, for a service whose healthcheck sets timings but no test. */
  imageHealthTest?: string[];
}

/** The fields that decide whether an existing container still matches the file. */
export function configHash(project: ComposeProject, service: ServiceSpec): string {
  const networks = Object.fromEntries(
    Object.entries(service.networks).map(([key, n]) => [project.networks.find((x) => x.key === key)?.name ?? key, n.aliases]),
  );
  const mounts = service.mounts.map((m) =>
    m.type === 'volume' && m.source ? { ...m, source: project.volumes.find((v) => v.key === m.source)?.name ?? m.source } : m,
  );
  // `extras` (titles, Open paths) and `dependsOn` change nothing in the container itself.
  const relevant = {
    image: service.image,
    command: service.command,
    entrypoint: service.entrypoint,
    environment: sortKeys(service.environment),
    ports: service.ports,
    mounts,
    networks: sortKeys(networks),
    healthcheck: service.healthcheck,
    restart: service.restart,
    labels: sortKeys(service.labels),
    containerName: service.containerName,
    workingDir: service.workingDir,
    user: service.user,
    hostname: service.hostname,
    tty: service.tty,
    stdinOpen: service.stdinOpen,
    stopSignal: service.stopSignal,
    stopGracePeriodMs: service.stopGracePeriodMs,
    devices: service.devices,
  };
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex');
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

export function containerLabels(project: ComposeProject, service: ServiceSpec, options: SpecOptions): Record<string, string> {
  const dependsOn = Object.entries(service.dependsOn)
    .map(([name, d]) => `${name}:${d.condition}:${d.restart}`)
    .join(',');
  return {
    ...service.labels,
    ...projectLabels(project.name),
    [LABEL.service]: service.name,
    [LABEL.podmanService]: service.name,
    [LABEL.oneoff]: 'False',
    [LABEL.number]: '1',
    [LABEL.configHash]: configHash(project, service),
    [LABEL.workingDir]: project.workingDir,
    ...(options.configFile ? { [LABEL.configFiles]: options.configFile } : {}),
    ...(dependsOn ? { [LABEL.dependsOn]: dependsOn } : {}),
    [LABEL.stack]: options.stackId,
  };
}

export function toSpecGenerator(project: ComposeProject, service: ServiceSpec, options: SpecOptions): Record<string, unknown> {
  const spec: Record<string, unknown> = {
    name: containerName(project, service),
    image: service.image,
    env: service.environment,
    labels: containerLabels(project, service, options),
    terminal: service.tty,
    stdin: service.stdinOpen,
    netns: { nsmode: 'bridge' },
    // Every service is reachable on each of its networks by its service name (and its aliases).
    Networks: Object.fromEntries(
      Object.entries(service.networks).map(([key, n]) => {
        const name = project.networks.find((x) => x.key === key)?.name ?? key;
        return [name, { aliases: [...new Set([service.name, ...n.aliases])] }];
      }),
    ),
    portmappings: service.ports.map((p) => ({
      // Every IPv4 interface is said with no address, as the podman CLI does: given "0.0.0.0"
      // through the API, Podman 4 publishes on no address at all (loopback included).
      host_ip: p.hostIp === '0.0.0.0' ? '' : p.hostIp,
      host_port: p.published ?? 0,
      container_port: p.target,
      protocol: p.protocol,
    })),
    volumes: service.mounts
      .filter((m) => m.type === 'volume')
      .map((m) => ({
        Name: m.source ? (project.volumes.find((v) => v.key === m.source)?.name ?? m.source) : '',
        Dest: m.target,
        Options: m.readOnly ? ['ro'] : [],
      })),
    mounts: service.mounts.flatMap((m) => {
      if (m.type === 'bind') {
        const opts = ['rbind', m.readOnly ? 'ro' : 'rw'];
        if (m.selinux) opts.push(m.selinux);
        return [{ destination: m.target, type: 'bind', source: m.source, options: opts }];
      }
      if (m.type === 'tmpfs')
        return [{ destination: m.target, type: 'tmpfs', source: 'tmpfs', options: m.readOnly ? ['ro'] : [] }];
      return [];
    }),
  };
  if (service.command) spec.command = service.command;
  if (service.entrypoint) spec.entrypoint = service.entrypoint;
  if (service.hostname) spec.hostname = service.hostname;
  if (service.user) spec.user = service.user;
  if (service.workingDir) spec.work_dir = service.workingDir;
  if (service.restart) {
    spec.restart_policy = service.restart.policy;
    if (service.restart.maxRetries !== undefined) spec.restart_tries = service.restart.maxRetries;
  }
  if (service.stopGracePeriodMs !== undefined) spec.stop_timeout = Math.ceil(service.stopGracePeriodMs / 1000);
  if (service.stopSignal) {
    const name = service.stopSignal.toUpperCase();
    const number = SIGNALS[name.startsWith('SIG') ? name : `SIG${name}`] ?? Number(service.stopSignal);
    if (Number.isInteger(number) && number > 0) spec.stop_signal = number;
  }
  if (service.devices.length > 0) spec.devices = service.devices.map((path) => ({ path }));
  if (service.healthcheck) {
    if ('disabled' in service.healthcheck) spec.healthconfig = { Test: ['NONE'] };
    else {
      const config = healthConfig(service.healthcheck, options.imageHealthTest);
      if (config) spec.healthconfig = config;
    }
  }
  return spec;
}
