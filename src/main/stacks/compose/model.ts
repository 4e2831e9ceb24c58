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
  | { type: 'volume'; /** undefined = an anonymous volume. */ source?: string; target: string; readOnly: boolean }
  | { type: 'bind'; source: string; target: string; readOnly: boolean; selinux?: 'z' | 'Z' }
  | { type: 'tmpfs'; target: string; readOnly: boolean };

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
  args: Record<string, string>;
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
  /** Network key (as in the file) → aliases. */
  networks: Record<string, { aliases: string[] }>;
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
  /** Relative paths (build contexts, bind mounts, env files) were resolved against this. */
  workingDir: string;
  title?: string;
  description?: string;
}

export type { ComposeIssue } from '../../../shared/contract/stacks';
