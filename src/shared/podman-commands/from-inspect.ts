import type { RunCommandSpec, RunHealthcheck, RunMount } from './run';
import { signalName, signalNumber } from '../signals';

/** The parts of libpod's container inspect that a `podman run` line can say. */
export interface ContainerInspect {
  Id: string;
  Name?: string;
  Path?: string;
  Args?: string[] | null;
  ImageName?: string;
  Image?: string;
  Pod?: string;
  State?: { Status?: string };
  Config?: {
    Hostname?: string;
    User?: string;
    Tty?: boolean;
    OpenStdin?: boolean;
    Env?: string[] | null;
    Cmd?: string[] | null;
    /** A string (words joined by spaces) in Podman 4, a list in later versions. */
    Entrypoint?: string | string[] | null;
    Image?: string;
    WorkingDir?: string;
    Labels?: Record<string, string> | null;
    Annotations?: Record<string, string> | null;
    StopSignal?: number | string;
    StopTimeout?: number;
    Healthcheck?: DockerHealthcheck | null;
  };
  HostConfig?: {
    Binds?: string[] | null;
    NetworkMode?: string;
    PortBindings?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null;
    RestartPolicy?: { Name?: string; MaximumRetryCount?: number };
    AutoRemove?: boolean;
    CapAdd?: string[] | null;
    CapDrop?: string[] | null;
    Dns?: string[] | null;
    ExtraHosts?: string[] | null;
    Privileged?: boolean;
    PublishAllPorts?: boolean;
    ReadonlyRootfs?: boolean;
    SecurityOpt?: string[] | null;
    Tmpfs?: Record<string, string> | null;
    UsernsMode?: string;
    Memory?: number;
    MemorySwap?: number;
    NanoCpus?: number;
    CpuQuota?: number;
    CpuPeriod?: number;
    Devices?: { PathOnHost?: string; PathInContainer?: string; CgroupPermissions?: string }[] | null;
    Init?: boolean;
  };
  Mounts?:
    | {
        Type?: string;
        Name?: string;
        Source?: string;
        Destination?: string;
        RW?: boolean;
        Options?: string[] | null;
        Propagation?: string;
      }[]
    | null;
  NetworkSettings?: {
    Networks?: Record<string, { Aliases?: string[] | null }> | null;
  };
}

interface DockerHealthcheck {
  Test?: string[] | null;
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  Retries?: number;
}

/** The image's own settings: what Podman gives a container by itself, so the command need not say it. */
export interface ImageConfig {
  Env?: string[] | null;
  Cmd?: string[] | null;
  Entrypoint?: string[] | null;
  WorkingDir?: string;
  User?: string;
  Labels?: Record<string, string> | null;
  StopSignal?: string;
  Volumes?: Record<string, unknown> | null;
  Healthcheck?: DockerHealthcheck | null;
}

/** What Podman adds to every container's environment (containers.conf defaults, and its own). */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const ENGINE_ENV = new Set(['container=podman', 'TERM=xterm', `PATH=${DEFAULT_PATH}`]);
const DEFAULT_STOP_TIMEOUT = 10;
/** SIGTERM: what a stop sends unless the image or the user chose another. */
const SIGTERM = 15;
/** Mount options Podman writes by itself, per type (the user did not choose them). */
const DEFAULT_MOUNT_OPTIONS: Record<string, Set<string>> = {
  volume: new Set(['rbind', 'bind', 'nosuid', 'nodev', 'rprivate']),
  bind: new Set(['rbind', 'bind', 'rprivate']),
};
const DEFAULT_TMPFS_OPTIONS = new Set(['rw', 'rprivate', 'nosuid', 'nodev', 'tmpcopyup']);
const ANONYMOUS = /^[0-9a-f]{64}$/;

const sameList = (a: readonly string[] | null | undefined, b: readonly string[] | null | undefined) =>
  (a ?? []).length === (b ?? []).length && (a ?? []).every((x, i) => x === (b ?? [])[i]);

/** Nanoseconds as Podman reads a duration back: 30000000000 → "30s", 90 s → "1m30s". */
export function formatDuration(ns: number): string {
  let ms = Math.round(ns / 1e6);
  if (ms === 0) return '0s';
  const parts: string[] = [];
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms >= size) {
      parts.push(`${Math.floor(ms / size)}${unit}`);
      ms %= size;
    }
  }
  if (ms > 0) parts.push(`${ms}ms`);
  return parts.join('');
}

/**
 * The words the container runs, split back into entrypoint and command. Podman 4 shows the
 * entrypoint as one string joined by spaces (ambiguous), but with an entrypoint `Path` is its
 * first word and `Args` the rest of it followed by the command (`Config.Cmd`), so the entrypoint
 * is what comes before the command. Without one, `Path` is the command's first word.
 */
function splitArgv(c: ContainerInspect): { entrypoint: string[]; command: string[] } {
  const command = [...(c.Config?.Cmd ?? [])];
  const shown = c.Config?.Entrypoint;
  const hasEntrypoint = Array.isArray(shown) ? shown.length > 0 : Boolean(shown);
  if (!hasEntrypoint || !c.Path) return { entrypoint: [], command };
  if (Array.isArray(shown)) return { entrypoint: shown, command };
  const args = c.Args ?? [];
  const cut = args.length - command.length;
  const tailMatches = cut >= 0 && command.every((w, i) => args[cut + i] === w);
  return { entrypoint: tailMatches ? [c.Path, ...args.slice(0, cut)] : String(shown).split(' '), command };
}

function healthFrom(h: DockerHealthcheck | null | undefined): RunHealthcheck | undefined {
  if (!h?.Test?.length) return undefined;
  return {
    test: h.Test,
    ...(h.Interval ? { interval: formatDuration(h.Interval) } : {}),
    ...(h.Timeout ? { timeout: formatDuration(h.Timeout) } : {}),
    ...(h.StartPeriod ? { startPeriod: formatDuration(h.StartPeriod) } : {}),
    ...(h.Retries ? { retries: h.Retries } : {}),
  };
}

export interface RebuiltRun {
  spec: RunCommandSpec;
  /** What the command cannot bring back, in words. */
  notes: string[];
}

/**
 * The `podman run` that would make this container again, from its inspect and its image's
 * config. What Podman fills in by itself is left out: the image's own command, entrypoint,
 * environment, working folder, user, labels, stop signal, volumes and healthcheck; the default
 * environment (PATH, TERM, container, HOSTNAME); the default network; a host name that is the
 * short id; the default stop timeout; the mount options every mount gets.
 */
export function runSpecFromInspect(
  c: ContainerInspect,
  image: ImageConfig,
  context: { podName?: string; defaultNetwork?: string } = {},
): RebuiltRun {
  const config = c.Config ?? {};
  const host = c.HostConfig ?? {};
  const notes: string[] = [];
  const shortId = c.Id.slice(0, 12);
  const name = (c.Name ?? '').replace(/^\//, '');

  const { entrypoint, command } = splitArgv(c);
  const imageEntrypoint = image.Entrypoint ?? [];
  const ownEntrypoint = !sameList(entrypoint, imageEntrypoint);
  // --entrypoint drops the image's command: then the command is said even when it is the image's.
  const ownCommand = ownEntrypoint ? command.length > 0 : !sameList(command, image.Cmd);

  const imageEnv = new Set(image.Env ?? []);
  // Podman sets HOME from the user's passwd entry when the image does not: root's is /root.
  const rootUser = !config.User || config.User === 'root' || config.User === '0' || config.User.startsWith('0:');
  const env = (config.Env ?? [])
    .filter((e) => !imageEnv.has(e) && !ENGINE_ENV.has(e) && !e.startsWith('HOSTNAME=') && !(rootUser && e === 'HOME=/root'))
    .map((e) => {
      const at = e.indexOf('=');
      return at < 0 ? { key: e, value: '' } : { key: e.slice(0, at), value: e.slice(at + 1) };
    });

  const ports = Object.entries(host.PortBindings ?? {}).flatMap(([key, bindings]) => {
    const [port, protocol = 'tcp'] = key.split('/');
    return (bindings ?? []).map((b) => ({
      hostIp: b.HostIp ?? '',
      hostPort: Number(b.HostPort) || 0,
      containerPort: Number(port),
      protocol,
    }));
  });
  if (host.PublishAllPorts) notes.push('It publishes every port its image exposes (-P): the command lists them one by one.');

  const imageVolumes = new Set(Object.keys(image.Volumes ?? {}));
  const mounts: RunMount[] = [];
  for (const m of c.Mounts ?? []) {
    const type = m.Type === 'bind' ? 'bind' : m.Type === 'volume' ? 'volume' : undefined;
    if (!type || !m.Destination) continue;
    const anonymous = type === 'volume' && ANONYMOUS.test(m.Name ?? '');
    // The image's own VOLUME: Podman makes one by itself.
    if (anonymous && imageVolumes.has(m.Destination)) continue;
    if (anonymous) notes.push(`${m.Destination} is an anonymous volume: the command makes a new, empty one.`);
    const defaults = DEFAULT_MOUNT_OPTIONS[type]!;
    const options = (m.Options ?? []).filter((o) => !defaults.has(o));
    if (m.Propagation && m.Propagation !== 'rprivate') options.push(m.Propagation);
    mounts.push({
      type,
      source: type === 'bind' ? (m.Source ?? '') : anonymous ? '' : (m.Name ?? ''),
      target: m.Destination,
      readOnly: m.RW === false,
      ...(options.length ? { options } : {}),
    });
  }
  for (const [target, raw] of Object.entries(host.Tmpfs ?? {})) {
    const options = raw.split(',').filter((o) => o && !DEFAULT_TMPFS_OPTIONS.has(o));
    mounts.push({ type: 'tmpfs', source: '', target, readOnly: false, ...(options.length ? { options } : {}) });
  }

  const spec: RunCommandSpec = {
    image: c.ImageName || config.Image || c.Image || '',
    ...(name ? { name } : {}),
    start: c.State?.Status !== 'created',
    ...(ownCommand ? { command } : {}),
    // An entrypoint cleared on purpose (the image has one, the container none) is --entrypoint "".
    ...(ownEntrypoint ? { entrypoint: entrypoint.length ? entrypoint : [''] } : {}),
    ports,
    env,
    mounts,
  };

  if (c.Pod) {
    spec.pod = context.podName ?? c.Pod;
    if (ports.length === 0) delete spec.ports;
  } else {
    const mode = host.NetworkMode ?? 'bridge';
    const networks = Object.entries(c.NetworkSettings?.Networks ?? {}).map(([network, n]) => ({
      name: network,
      aliases: (n.Aliases ?? []).filter((a) => a !== shortId && a !== c.Id && a !== name),
    }));
    const defaultNetwork = context.defaultNetwork ?? 'podman';
    const onlyDefault = networks.length === 1 && networks[0]!.name === defaultNetwork && networks[0]!.aliases.length === 0;
    if (mode === 'bridge') {
      if (!onlyDefault && networks.length > 0) spec.networks = networks;
    } else if (mode !== 'default') {
      spec.networkMode = mode;
    }
  }

  if (config.Hostname && config.Hostname !== shortId && !(c.Pod && context.podName === config.Hostname))
    spec.hostname = config.Hostname;

  const restart = host.RestartPolicy?.Name;
  if (restart && restart !== 'no') {
    spec.restartPolicy = restart as RunCommandSpec['restartPolicy'];
    if (restart === 'on-failure' && host.RestartPolicy?.MaximumRetryCount)
      spec.restartRetries = host.RestartPolicy.MaximumRetryCount;
  }
  if (host.AutoRemove) spec.autoRemove = true;
  if (config.StopTimeout !== undefined && config.StopTimeout !== DEFAULT_STOP_TIMEOUT) spec.stopTimeout = config.StopTimeout;
  const signal = signalNumber(config.StopSignal);
  if (signal !== undefined && signal !== (signalNumber(image.StopSignal) ?? SIGTERM)) spec.stopSignal = signalName(signal);
  if (config.WorkingDir && config.WorkingDir !== (image.WorkingDir || '/')) spec.workdir = config.WorkingDir;
  if (config.User && config.User !== (image.User ?? '')) spec.user = config.User;
  if (host.Memory) {
    spec.memory = host.Memory;
    // `--memory` alone allows as much swap again: say the swap only when it is something else.
    if (host.MemorySwap !== undefined && host.MemorySwap !== 2 * host.Memory && host.MemorySwap !== 0)
      spec.memorySwap = host.MemorySwap;
  }
  if (host.NanoCpus) spec.cpus = host.NanoCpus / 1e9;
  else if (host.CpuQuota && host.CpuPeriod) spec.cpus = host.CpuQuota / host.CpuPeriod;

  const imageLabels = image.Labels ?? {};
  spec.labels = Object.fromEntries(Object.entries(config.Labels ?? {}).filter(([k, v]) => imageLabels[k] !== v));
  if (config.Tty) spec.tty = true;
  if (config.OpenStdin) spec.interactive = true;
  if (host.Privileged) spec.privileged = true;
  if (host.ReadonlyRootfs) spec.readOnly = true;
  if (host.Init || config.Annotations?.['io.podman.annotations.init'] === 'TRUE') spec.init = true;
  if (host.CapAdd?.length) spec.capAdd = host.CapAdd;
  if (host.CapDrop?.length) spec.capDrop = host.CapDrop;
  if (host.Devices?.length)
    spec.devices = host.Devices.map((d) =>
      [d.PathOnHost, d.PathInContainer, d.CgroupPermissions && d.CgroupPermissions !== 'rwm' ? d.CgroupPermissions : '']
        .filter(Boolean)
        .join(':'),
    );
  if (host.ExtraHosts?.length) spec.addHosts = host.ExtraHosts;
  if (host.Dns?.length) spec.dns = host.Dns;
  const health = healthFrom(config.Healthcheck);
  if (health && JSON.stringify(health) !== JSON.stringify(healthFrom(image.Healthcheck))) spec.healthcheck = health;
  if (host.SecurityOpt?.length) notes.push(`Left out: its security options (${host.SecurityOpt.join(', ')}).`);
  if (host.UsernsMode) notes.push(`Left out: its user namespace (${host.UsernsMode}).`);
  return { spec, notes };
}
