import type { ContainerNaming } from '../../../shared/contract/stacks';

/**
 * A Compose file after parsing, interpolation, validation and normalisation: every short syntax
 * expanded, every duration in milliseconds, every relative path made absolute. The planner, the
 * launcher and the container-spec mapping read only this, never the raw YAML.
 */
export type DependencyCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface PortSpec {
  /** '' = every interface (Podman's default). */
  hostIp: string;
  /** undefined = let Podman pick a free port. */
  published?: number;
  target: number;
  protocol: 'tcp' | 'udp';
}

export type MountSpec =
  | {
      type: 'volume';
      /** undefined = an anonymous volume. */ source?: string;
      target: string;
      readOnly: boolean;
      nocopy?: boolean;
    }
  | {
      type: 'bind';
      source: string;
      target: string;
      readOnly: boolean;
      selinux?: 'z' | 'Z';
      propagation?: string;
    }
  | { type: 'tmpfs'; target: string; readOnly: boolean; size?: number; mode?: number }
  /** An image's file system mounted read-only (or read-write with `rw`): Podman's image mount. */
  | { type: 'image'; source: string; target: string; readOnly: boolean };

export interface HealthcheckSpec {
  /** ['CMD', …] or ['CMD-SHELL', '…']; undefined = keep the image's own healthcheck. */
  test?: string[];
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
  /** How often to check during the start period (compose-spec 2.20+); Docker's default is 5 s. */
  startIntervalMs?: number;
}

export interface BuildSpec {
  /** Absolute path of the build context. */
  context: string;
  /** Relative to the context; undefined = Containerfile, else Dockerfile (Podman's rule). */
  dockerfile?: string;
  /** `dockerfile_inline`: the Containerfile's text, sent with the context instead of a file of it. */
  inline?: string;
  args: Record<string, string>;
  /** The stage of a multi-stage Containerfile to build (`podman build --target`). */
  target?: string;
  /** `os/arch[/variant]`: build.platforms' single entry, else build.platform… else the service's platform. */
  platform?: string;
  labels: Record<string, string>;
  /** Where RUN steps reach: the engine's default, the host's network, or none. */
  network?: 'host' | 'none';
  /** "name:ip" lines for the build's /etc/hosts. */
  extraHosts: string[];
  /** Top-level secrets handed to RUN --mount=type=secret, by id (the secret's key unless `target` renames it). */
  secrets: { source: string; id: string }[];
  noCache: boolean;
  /** Pull the base images even when present (`pull: true`). */
  pull: boolean;
  shmSize?: number;
  /** More names for the built image. */
  tags: string[];
  ulimits: Ulimit[];
}

export interface Ulimit {
  /** nofile, nproc, core… (without RLIMIT_). */
  name: string;
  soft: number;
  hard: number;
}

/**
 * A secret or config as one service sees it: the top-level entry `source`, at `target` (absolute:
 * /run/secrets/<name> for secrets, /<name> for configs, unless the file says otherwise).
 */
export interface FileMount {
  source: string;
  target: string;
  uid?: string;
  gid?: string;
  /** Octal permissions as a number (0o444 when unset: what docker compose writes). */
  mode?: number;
}

/** Where a top-level secret's or config's content comes from. */
export type FileObjectSource =
  | { kind: 'file'; path: string }
  | { kind: 'environment'; variable: string; value?: string }
  | { kind: 'content'; content: string };

export interface FileObjectSpec {
  key: string;
  source: FileObjectSource;
}

/** `gpus:` or a deploy device reservation with capabilities [gpu]: which GPUs, of which vendor. */
export interface GpuRequest {
  /** nvidia unless the file names another driver. */
  driver: string;
  /** 'all', a number of GPUs, or undefined when device_ids are given. */
  count?: number | 'all';
  deviceIds: string[];
}

/** pid, ipc, uts, cgroup and userns: private (undefined), the host's, or another container's. */
export type NamespaceMode =
  | { kind: 'host' }
  | { kind: 'private' }
  | { kind: 'shareable' }
  | { kind: 'none' }
  | { kind: 'service'; service: string }
  | { kind: 'container'; container: string }
  | { kind: 'other'; value: string };

export type NetworkMode =
  | { kind: 'host' }
  | { kind: 'none' }
  | { kind: 'service'; service: string }
  | { kind: 'container'; container: string }
  /** Podman's own: slirp4netns, pasta (rootless user-mode networking). */
  | { kind: 'other'; value: string };

/** cgroup limits; every one optional (unset = the engine's default). */
export interface ResourceSpec {
  memory?: number;
  memorySwap?: number;
  memoryReservation?: number;
  memorySwappiness?: number;
  /** Fractional CPUs (`cpus: 1.5`), applied as a CFS quota over a 100 ms period. */
  cpus?: number;
  cpuShares?: number;
  cpuQuota?: number;
  cpuPeriod?: number;
  cpuRtPeriod?: number;
  cpuRtRuntime?: number;
  cpuset?: string;
  pids?: number;
  oomKillDisable?: boolean;
  oomScoreAdj?: number;
  blkioWeight?: number;
  blkioWeightDevice: { path: string; weight: number }[];
  blkioThrottle: { kind: 'readBps' | 'writeBps' | 'readIops' | 'writeIops'; path: string; rate: number }[];
}

export interface SecurityOptions {
  labels: string[];
  apparmor?: string;
  seccomp?: string;
  noNewPrivileges: boolean;
  mask: string[];
  unmask: string[];
}

export interface RestartSpec {
  policy: 'no' | 'always' | 'unless-stopped' | 'on-failure';
  maxRetries?: number;
}

/** PodDesk's own extension field (`x-poddesk`), which other Compose tools ignore. */
export interface ServiceExtras {
  title?: string;
  /** What "Open" opens: a path on the published port (default: the first published TCP port). */
  open?: { port?: number; path: string };
}

export interface ServiceSpec {
  name: string;
  /** The image to run; for a service with `build`, the tag the build produces. */
  image: string;
  /** True when the file named no image and the tag is the one Compose derives (<project>-<service>). */
  imageDerived: boolean;
  build?: BuildSpec;
  command?: string[];
  entrypoint?: string[];
  /** From `environment` only; env_file contents are merged in later (they are read from disk). */
  environment: Record<string, string>;
  envFiles: { path: string; required: boolean }[];
  ports: PortSpec[];
  mounts: MountSpec[];
  /** Network key (as in the file) → aliases and the service's fixed addresses on it. */
  networks: Record<string, ServiceNetwork>;
  dependsOn: Record<string, { condition: DependencyCondition; required: boolean; restart: boolean }>;
  /** undefined = none in the file (the image's own, if any, applies); { disabled } = turned off. */
  healthcheck?: HealthcheckSpec | { disabled: true };
  restart?: RestartSpec;
  labels: Record<string, string>;
  containerName?: string;
  workingDir?: string;
  user?: string;
  hostname?: string;
  tty: boolean;
  stdinOpen: boolean;
  stopGracePeriodMs?: number;
  stopSignal?: string;
  devices: string[];
  extras: ServiceExtras;
  /** Started only when one of these is active (empty: always). */
  profiles: string[];
  /** How many containers: deploy.replicas or scale (1 by default; 0 = none). */
  replicas: number;
  capAdd: string[];
  capDrop: string[];
  privileged: boolean;
  readOnly: boolean;
  init?: boolean;
  sysctls: Record<string, string>;
  ulimits: Ulimit[];
  shmSize?: number;
  /** "name:ip" entries for /etc/hosts. */
  extraHosts: string[];
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
  groupAdd: string[];
  macAddress?: string;
  pid?: NamespaceMode;
  ipc?: NamespaceMode;
  uts?: NamespaceMode;
  cgroup?: 'host' | 'private';
  userns?: string;
  networkMode?: NetworkMode;
  security: SecurityOptions;
  resources: ResourceSpec;
  pullPolicy?: 'always' | 'never' | 'missing' | 'build';
  logging?: { driver?: string; options: Record<string, string> };
  runtime?: string;
  /** `os/arch[/variant]` to pull (and build) for. */
  platform?: string;
  secrets: FileMount[];
  configs: FileMount[];
  gpus: GpuRequest[];
  annotations: Record<string, string>;
  storageOpt: Record<string, string>;
  cgroupParent?: string;
  /** "c 1:3 rwm" rules. */
  deviceCgroupRules: string[];
  /** Other services' containers (or containers by name) whose volumes this one mounts, with :ro/:rw. */
  volumesFrom: { kind: 'service' | 'container'; name: string; mode?: 'ro' | 'rw' }[];
  /** Ports the image or file exposes to other containers only (metadata: nothing is published). */
  expose: { port: number; protocol: 'tcp' | 'udp' }[];
  /** label_file entries, read into `labels` when the stack is resolved (labels win). */
  labelFiles: string[];
}

export interface ServiceNetwork {
  aliases: string[];
  ipv4Address?: string;
  ipv6Address?: string;
  macAddress?: string;
  interfaceName?: string;
  /** Higher first: the highest gets the container's first interface (eth0), as docker compose does. */
  priority?: number;
}

export interface NetworkSpec {
  key: string;
  /** The engine's name: `name:` when given, else <project>_<key>. */
  name: string;
  external: boolean;
  driver?: string;
  internal: boolean;
  labels: Record<string, string>;
  options: Record<string, string>;
  enableIpv6: boolean;
  ipam?: IpamSpec;
}

export interface IpamSpec {
  /** Podman's IPAM drivers: host-local (the default), dhcp, none. */
  driver?: string;
  config: { subnet?: string; gateway?: string; ipRange?: string }[];
}

export interface VolumeSpec {
  key: string;
  name: string;
  external: boolean;
  driver?: string;
  labels: Record<string, string>;
  options: Record<string, string>;
}

export interface ComposeProject {
  /** The project name: the app's override, else `name:`, else the stack id. */
  name: string;
  /** Services in file order. */
  services: ServiceSpec[];
  networks: NetworkSpec[];
  volumes: VolumeSpec[];
  secrets: FileObjectSpec[];
  configs: FileObjectSpec[];
  /** Relative paths (build contexts, bind mounts, env files) were resolved against this. */
  workingDir: string;
  title?: string;
  description?: string;
  /**
   * How containers are named: as docker compose v2 does (<project>-<service>-<n>, the default) or
   * as podman-compose 1.x does (<project>_<service>_<n>), whose `down`, `stop` and `logs` find
   * containers by those names only. A choice kept with the stack, not a Compose key.
   */
  containerNames?: ContainerNaming;
}

export type { ComposeIssue, ContainerNaming } from '../../../shared/contract/stacks';
