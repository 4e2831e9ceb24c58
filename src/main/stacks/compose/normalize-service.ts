import type { Lookup } from './interpolate';
import { pathText, type YamlPath } from './locate';
import type {
  FileMount,
  GpuRequest,
  HealthcheckSpec,
  MountSpec,
  NamespaceMode,
  NetworkMode,
  ResourceSpec,
  SecurityOptions,
  ServiceSpec,
} from './model';
import { relabelRefusal } from '../host-paths';
import type { RawDeviceRequest, RawFileReference, RawService } from './schema';
import {
  isPathSource,
  parseByteSize,
  parseDevice,
  parseDuration,
  parseExtraHosts,
  parseFileMode,
  parsePortShort,
  parseTmpfsShort,
  parseUlimits,
  parseVolumeShort,
  splitCommand,
  toRecord,
} from './syntax';

/**
 * One service of the file (after merging and extends) as PodDesk runs it: every short syntax
 * expanded, every size in bytes, every duration in milliseconds, every relative path absolute.
 * What cannot be done the way docker compose does it is refused (an error with the value's
 * line) or, when nothing that runs changes, warned about with what happens instead.
 */
export type Report = (message: string, path: YamlPath, which?: 'key' | 'value') => void;

export interface ServiceContext {
  /** The project name (a derived image is <project>-<service>). */
  project: string;
  lookup: Lookup;
  homeDir?: string;
  absolute(path: string): string;
  error: Report;
  warn: Report;
}

/** Extra facts the project step needs: legacy links become aliases on the linked service. */
export interface NormalizedService {
  spec: ServiceSpec;
  links: { service: string; alias: string }[];
}

const SWARM_ONLY = 'is swarm-only: ignored, as docker compose ignores it outside swarm';

const LOG_DRIVERS = new Set(['k8s-file', 'json-file', 'journald', 'none', 'passthrough', 'local']);

export function normalizeService(serviceName: string, s: RawService, ctx: ServiceContext): NormalizedService {
  const path: YamlPath = ['services', serviceName];
  const at = (...sub: YamlPath) => [...path, ...sub];
  const { error, warn, absolute, lookup } = ctx;
  const attempt = <T>(sub: YamlPath, fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (e) {
      error(`${pathText(at(...sub))}: ${(e as Error).message}`, at(...sub));
      return undefined;
    }
  };

  if (!s.image && !s.build) error(`Service "${serviceName}" has neither an image nor a build section`, path, 'key');

  const spec: ServiceSpec = {
    name: serviceName,
    image: s.image ?? `${ctx.project}-${serviceName}`,
    imageDerived: !s.image,
    environment: toRecord(s.environment, lookup),
    envFiles: [],
    ports: [],
    mounts: [],
    networks: {},
    dependsOn: {},
    labels: toRecord(s.labels, () => undefined),
    tty: s.tty ?? false,
    stdinOpen: s.stdin_open ?? false,
    devices: [],
    extras: {},
    profiles: s.profiles ?? [],
    replicas: 1,
    capAdd: (s.cap_add ?? []).map(capability),
    capDrop: (s.cap_drop ?? []).map(capability),
    privileged: s.privileged ?? false,
    readOnly: s.read_only ?? false,
    sysctls: toRecord(s.sysctls, () => undefined),
    ulimits: [],
    extraHosts: [],
    dns: list(s.dns),
    dnsSearch: list(s.dns_search),
    dnsOptions: s.dns_opt ?? [],
    groupAdd: s.group_add ?? [],
    security: { labels: [], noNewPrivileges: false, mask: [], unmask: [] },
    resources: { blkioWeightDevice: [], blkioThrottle: [] },
    secrets: [],
    configs: [],
    gpus: [],
    annotations: toRecord(s.annotations, () => undefined),
    storageOpt: Object.fromEntries(Object.entries(s.storage_opt ?? {}).map(([k, v]) => [k, String(v)])),
    deviceCgroupRules: [],
    volumesFrom: [],
    expose: [],
    labelFiles: typeof s.label_file === 'string' ? [absolute(s.label_file)] : (s.label_file ?? []).map((f) => absolute(f)),
  };
  const links: NormalizedService['links'] = [];

  for (const p of spec.profiles) {
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(p))
      error(`profiles: "${p}" is not a profile name (letters, digits, _ . -)`, at('profiles'));
  }

  normalizeBuild(s, spec, ctx, at, attempt);

  if (s.command != null) {
    const command = s.command;
    const words = attempt(['command'], () => (typeof command === 'string' ? splitCommand(command) : command));
    if (words) spec.command = words;
  }
  if (s.entrypoint != null) {
    const entrypoint = s.entrypoint;
    const words = attempt(['entrypoint'], () => (typeof entrypoint === 'string' ? splitCommand(entrypoint) : entrypoint));
    if (words) spec.entrypoint = words;
  }
  if (s.env_file !== undefined) {
    const files = typeof s.env_file === 'string' ? [s.env_file] : s.env_file;
    spec.envFiles = files.map((f) =>
      typeof f === 'string' ? { path: absolute(f), required: true } : { path: absolute(f.path), required: f.required },
    );
  }

  (s.ports ?? []).forEach((p, i) => {
    const ports = attempt(['ports', i], () => {
      if (typeof p === 'object') {
        const published = p.published === undefined ? [] : parsePortShort(`${p.published}:${p.target}`);
        return [
          {
            hostIp: p.host_ip ?? '',
            target: p.target,
            protocol: p.protocol ?? 'tcp',
            ...(published[0]?.published !== undefined ? { published: published[0].published } : {}),
          },
        ];
      }
      return parsePortShort(p);
    });
    if (ports) spec.ports.push(...ports);
  });
  (s.expose ?? []).forEach((e, i) => {
    const ports = attempt(['expose', i], () => parsePortShort(e));
    for (const p of ports ?? []) spec.expose.push({ port: p.target, protocol: p.protocol });
  });

  normalizeMounts(s, spec, ctx, at, attempt);

  if (s.networks) {
    const entries = Array.isArray(s.networks) ? s.networks.map((n) => [n, null] as const) : Object.entries(s.networks);
    for (const [key, value] of entries) {
      spec.networks[key] = {
        aliases: value?.aliases ?? [],
        ...(value?.ipv4_address ? { ipv4Address: value.ipv4_address } : {}),
        ...(value?.ipv6_address ? { ipv6Address: value.ipv6_address } : {}),
        ...(value?.mac_address ? { macAddress: value.mac_address } : {}),
        ...(value?.interface_name ? { interfaceName: value.interface_name } : {}),
        ...(value?.priority !== undefined ? { priority: value.priority } : {}),
      };
    }
  }
  if (s.network_mode !== undefined) {
    const mode = attempt(['network_mode'], () => networkMode(s.network_mode!));
    if (mode) spec.networkMode = mode;
    if (mode && s.networks) {
      error(
        `Service "${serviceName}" has both network_mode and networks: a container that uses another network mode joins no Compose network`,
        at('network_mode'),
      );
    }
    if (mode?.kind === 'host' && spec.ports.length > 0) {
      warn(
        `services.${serviceName}.ports: with network_mode: host the service listens on this computer's own ports directly; the port mappings are ignored, as Docker ignores them`,
        at('ports'),
      );
      spec.ports = [];
    }
    if ((mode?.kind === 'service' || mode?.kind === 'container' || mode?.kind === 'none') && spec.ports.length > 0) {
      error(
        `Service "${serviceName}" publishes ports but uses network_mode: ${s.network_mode}: publish them on the service whose network it shares`,
        at('ports'),
      );
    }
  }
  (s.links ?? []).forEach((link) => {
    const [service, alias] = link.split(':') as [string, string | undefined];
    links.push({ service, alias: alias ?? service });
  });

  if (s.depends_on) {
    const entries = Array.isArray(s.depends_on)
      ? s.depends_on.map((d) => [d, { condition: 'service_started' as const, required: true, restart: false }] as const)
      : Object.entries(s.depends_on);
    for (const [dep, value] of entries) spec.dependsOn[dep] = { ...value };
  }

  normalizeHealthcheck(s, spec, at, attempt);

  if (s.restart) {
    const [policy, retries] = s.restart.split(':') as [NonNullable<ServiceSpec['restart']>['policy'], string | undefined];
    spec.restart = retries ? { policy, maxRetries: Number(retries) } : { policy };
  }
  if (s.container_name) spec.containerName = s.container_name;
  if (s.working_dir) spec.workingDir = s.working_dir;
  if (s.user !== undefined) spec.user = s.user;
  if (s.hostname) spec.hostname = s.hostname;
  if (s.stop_signal) spec.stopSignal = s.stop_signal;
  if (s.stop_grace_period !== undefined) {
    const grace = s.stop_grace_period;
    const ms = attempt(['stop_grace_period'], () => parseDuration(grace));
    if (ms !== undefined) spec.stopGracePeriodMs = ms;
  }
  (s.devices ?? []).forEach((d, i) => {
    const device = attempt(['devices', i], () => parseDevice(d));
    if (device) spec.devices.push(device);
  });
  if (s.init !== undefined) spec.init = s.init;
  if (s.ulimits) spec.ulimits = attempt(['ulimits'], () => parseUlimits(s.ulimits!)) ?? [];
  if (s.shm_size !== undefined) {
    const bytes = attempt(['shm_size'], () => parseByteSize(s.shm_size!));
    if (bytes !== undefined) spec.shmSize = bytes;
  }
  if (s.extra_hosts) spec.extraHosts = attempt(['extra_hosts'], () => parseExtraHosts(s.extra_hosts!)) ?? [];
  spec.dns.forEach((ip) => {
    if (!/^[\d.]+$|^[0-9a-fA-F:]+$/.test(ip)) error(`dns: "${ip}" is not an IP address`, at('dns'));
  });
  if (s.mac_address) spec.macAddress = s.mac_address;
  for (const key of ['pid', 'ipc', 'uts'] as const) {
    const value = s[key];
    if (value === undefined || value === null) continue;
    const mode = attempt([key], () => namespaceMode(key, value));
    if (mode) spec[key] = mode;
  }
  if (s.cgroup) spec.cgroup = s.cgroup;
  if (s.cgroup_parent) spec.cgroupParent = s.cgroup_parent;
  if (s.userns_mode) spec.userns = s.userns_mode;
  (s.security_opt ?? []).forEach((option, i) => {
    attempt(['security_opt', i], () => securityOption(option, spec.security, absolute));
  });
  (s.device_cgroup_rules ?? []).forEach((rule, i) => {
    if (!/^[abc] (\d+|\*):(\d+|\*) [rwm]{1,3}$/.test(rule)) {
      error(`device_cgroup_rules: "${rule}" is not a rule such as "c 1:3 mr"`, at('device_cgroup_rules', i));
    } else spec.deviceCgroupRules.push(rule);
  });
  (s.volumes_from ?? []).forEach((entry) => {
    const [kind, rest] = entry.startsWith('container:')
      ? (['container', entry.slice(10)] as const)
      : (['service', entry] as const);
    const [name, mode] = rest.split(':') as [string, string | undefined];
    if (mode !== undefined && mode !== 'ro' && mode !== 'rw')
      error(`volumes_from: "${entry}": the mode is ro or rw`, at('volumes_from'));
    spec.volumesFrom.push({ kind, name, ...(mode === 'ro' || mode === 'rw' ? { mode } : {}) });
  });

  normalizeResources(s, spec, at, attempt, warn);
  normalizeDeploy(s, spec, ctx, at, attempt);

  if (s.pull_policy) {
    const policy = s.pull_policy;
    if (policy === 'always' || policy === 'never' || policy === 'missing' || policy === 'build') spec.pullPolicy = policy;
    else if (policy === 'if_not_present') spec.pullPolicy = 'missing';
    else if (/^(refresh|daily|weekly|every_([0-9]+[wdhms])+)$/.test(policy)) {
      spec.pullPolicy = 'missing';
      warn(
        `services.${serviceName}.pull_policy: ${policy} is treated as "missing": PodDesk does not track when an image was last pulled (pull it from the Images page to refresh it)`,
        at('pull_policy'),
      );
    } else
      error(
        `pull_policy: "${policy}" is not always, never, missing, build, refresh, daily, weekly or every_<duration>`,
        at('pull_policy'),
      );
  }
  if (s.logging) normalizeLogging(serviceName, s.logging, spec, at, error, warn);
  if (s.runtime) spec.runtime = s.runtime;
  if (s.platform) {
    if (!/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(s.platform))
      error(`platform: "${s.platform}" is not os/arch[/variant], such as linux/arm64`, at('platform'));
    else spec.platform = s.platform;
  }
  (s.secrets ?? []).forEach((ref, i) => {
    const mount = attempt(['secrets', i], () => fileMount(ref, 'secret'));
    if (mount) spec.secrets.push(mount);
  });
  (s.configs ?? []).forEach((ref, i) => {
    const mount = attempt(['configs', i], () => fileMount(ref, 'config'));
    if (mount) spec.configs.push(mount);
  });
  if (s.gpus !== undefined) {
    spec.gpus.push(...(s.gpus === 'all' ? [{ driver: 'nvidia', count: 'all' as const, deviceIds: [] }] : s.gpus.map(gpuRequest)));
  }
  if (s.attach !== undefined) {
    // docker compose's attach only chooses which logs `up` prints: PodDesk never attaches, so there is nothing to do.
  }

  const extras = s['x-poddesk'];
  if (extras?.title) spec.extras.title = extras.title;
  if (extras?.open)
    spec.extras.open = extras.open.port ? { port: extras.open.port, path: extras.open.path } : { path: extras.open.path };
  return { spec, links };
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : typeof v === 'string' ? [v] : v);

/** "sys_admin", "SYS_ADMIN" and "CAP_SYS_ADMIN" are one capability; Podman wants the CAP_ form. */
function capability(name: string): string {
  const upper = name.trim().toUpperCase();
  return upper === 'ALL' || upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
}

function networkMode(value: string): NetworkMode | undefined {
  if (value === 'bridge' || value === 'default' || value === '') return undefined;
  if (value === 'host' || value === 'none') return { kind: value };
  if (value.startsWith('service:')) return { kind: 'service', service: value.slice(8) };
  if (value.startsWith('container:')) return { kind: 'container', container: value.slice(10) };
  if (/^(slirp4netns|pasta)(:.*)?$/.test(value)) return { kind: 'other', value };
  throw new Error(`"${value}" is not a network mode: host, none, bridge, service:NAME or container:NAME`);
}

function namespaceMode(key: 'pid' | 'ipc' | 'uts', value: string): NamespaceMode | undefined {
  if (value === '' || value === 'private') return key === 'ipc' && value === 'private' ? { kind: 'private' } : undefined;
  if (value === 'host') return { kind: 'host' };
  if (key === 'ipc' && value === 'shareable') return { kind: 'shareable' };
  if (key === 'ipc' && value === 'none') return { kind: 'none' };
  if (key !== 'uts' && value.startsWith('service:')) return { kind: 'service', service: value.slice(8) };
  if (key !== 'uts' && value.startsWith('container:')) return { kind: 'container', container: value.slice(10) };
  const allowed =
    key === 'uts'
      ? 'host'
      : key === 'pid'
        ? 'host, service:NAME or container:NAME'
        : 'host, private, shareable, none, service:NAME or container:NAME';
  throw new Error(`"${value}" is not a ${key} mode (${allowed})`);
}

/** Docker's --security-opt words as Podman's fields. */
function securityOption(option: string, out: SecurityOptions, absolute: (p: string) => string): void {
  const match = /^([a-z-]+)(?:[=:](.*))?$/.exec(option.trim());
  const [, key, value] = match ?? [];
  switch (key) {
    case 'no-new-privileges':
      out.noNewPrivileges = value === undefined || value === 'true';
      return;
    case 'label':
      if (!value) break;
      out.labels.push(value.replace(/^(user|role|type|level):/, '$1:'));
      return;
    case 'apparmor':
      if (!value) break;
      out.apparmor = value;
      return;
    case 'seccomp':
      if (!value) break;
      out.seccomp = value === 'unconfined' ? value : absolute(value);
      return;
    case 'systempaths':
      if (value !== 'unconfined') break;
      out.unmask.push('ALL');
      return;
    case 'mask':
    case 'unmask':
      if (!value) break;
      out[key].push(...value.split(':'));
      return;
  }
  throw new Error(
    `"${option}" is not a security option PodDesk knows (label=…, apparmor=…, seccomp=…, no-new-privileges, systempaths=unconfined, mask=…, unmask=…)`,
  );
}

function fileMount(ref: RawFileReference, kind: 'secret' | 'config'): FileMount {
  const long = typeof ref === 'string' ? { source: ref } : ref;
  let target = long.target ?? (kind === 'secret' ? `/run/secrets/${long.source}` : `/${long.source}`);
  // A relative secret target lands in /run/secrets, as docker compose puts it.
  if (!target.startsWith('/')) target = kind === 'secret' ? `/run/secrets/${target}` : `/${target}`;
  const out: FileMount = { source: long.source, target };
  if (long.uid !== undefined) {
    if (!/^\d+$/.test(long.uid)) throw new Error(`uid "${long.uid}" must be a number`);
    out.uid = long.uid;
  }
  if (long.gid !== undefined) {
    if (!/^\d+$/.test(long.gid)) throw new Error(`gid "${long.gid}" must be a number`);
    out.gid = long.gid;
  }
  if (long.mode !== undefined) out.mode = parseFileMode(long.mode);
  return out;
}

function gpuRequest(d: RawDeviceRequest): GpuRequest {
  const request: GpuRequest = { driver: d.driver ?? 'nvidia', deviceIds: d.device_ids ?? [] };
  if (d.count !== undefined) request.count = d.count;
  else if (request.deviceIds.length === 0) request.count = 'all';
  return request;
}

type Attempt = <T>(sub: YamlPath, fn: () => T) => T | undefined;
type At = (...sub: YamlPath) => YamlPath;

function normalizeBuild(s: RawService, spec: ServiceSpec, ctx: ServiceContext, at: At, attempt: Attempt): void {
  if (s.build === undefined) return;
  const { absolute, error, warn, lookup } = ctx;
  const b = typeof s.build === 'string' ? { context: s.build } : s.build;
  const context = b.context ?? '.';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith('git@')) {
    error(
      `build.context: building from a Git or web address is not supported: clone it and point context at the folder`,
      at('build', 'context'),
    );
  }
  if (b.dockerfile && b.dockerfile_inline) error('build: dockerfile and dockerfile_inline cannot both be set', at('build'));
  const platforms = b.platforms ?? [];
  if (platforms.length > 1) {
    error(
      'build.platforms: Podman 4.3 builds one platform per image through its API (a multi-platform manifest is not made): list one',
      at('build', 'platforms'),
    );
  }
  const network = b.network;
  if (network !== undefined && !['host', 'none', 'default', 'bridge'].includes(network)) {
    error(
      `build.network: "${network}": Podman's build API runs the build's RUN steps on the host's network or on none; it cannot join a Compose network`,
      at('build', 'network'),
    );
  }
  if (b.cache_from?.length) {
    warn(
      `services.${spec.name}.build.cache_from: Podman 4.3's build API does not take cache sources: the build reuses this engine's own layers only`,
      at('build', 'cache_from'),
    );
  }
  if (b.cache_to?.length) {
    warn(
      `services.${spec.name}.build.cache_to: the build cache is not exported (Podman's build API has no cache export)`,
      at('build', 'cache_to'),
    );
  }
  if (b.isolation !== undefined && b.isolation !== 'default') {
    warn(
      `services.${spec.name}.build.isolation: "${b.isolation}" applies to Windows builds only: ignored`,
      at('build', 'isolation'),
    );
  }
  const platform = platforms[0] ?? s.platform;
  spec.build = {
    context: absolute(context),
    args: toRecord(b.args, lookup),
    labels: toRecord(b.labels, () => undefined),
    extraHosts: b.extra_hosts ? (attempt(['build', 'extra_hosts'], () => parseExtraHosts(b.extra_hosts!)) ?? []) : [],
    secrets: (b.secrets ?? []).map((ref) =>
      typeof ref === 'string' ? { source: ref, id: ref } : { source: ref.source, id: ref.target ?? ref.source },
    ),
    noCache: b.no_cache ?? false,
    pull: b.pull ?? false,
    tags: b.tags ?? [],
    ulimits: b.ulimits ? (attempt(['build', 'ulimits'], () => parseUlimits(b.ulimits!)) ?? []) : [],
    ...(b.dockerfile ? { dockerfile: b.dockerfile } : {}),
    ...(b.dockerfile_inline ? { inline: b.dockerfile_inline } : {}),
    ...(b.target ? { target: b.target } : {}),
    ...(platform ? { platform } : {}),
    ...(network === 'host' || network === 'none' ? { network } : {}),
  };
  if (b.shm_size !== undefined) {
    const bytes = attempt(['build', 'shm_size'], () => parseByteSize(b.shm_size!));
    if (bytes !== undefined) spec.build.shmSize = bytes;
  }
}

function normalizeMounts(s: RawService, spec: ServiceSpec, ctx: ServiceContext, at: At, attempt: Attempt): void {
  const { absolute, error, homeDir } = ctx;
  (s.volumes ?? []).forEach((v, i) => {
    const mount = attempt(['volumes', i], (): MountSpec => {
      if (typeof v === 'string') return parseVolumeShort(v);
      if (!v.target.startsWith('/')) throw new Error(`the container path "${v.target}" must be absolute`);
      const readOnly = v.read_only ?? false;
      if (v.type === 'npipe') throw new Error('npipe mounts are for Windows containers only');
      if (v.type === 'cluster') throw new Error('cluster volumes are swarm-only');
      if (v.type === 'tmpfs') {
        const out: MountSpec = { type: 'tmpfs', target: v.target, readOnly };
        if (v.tmpfs?.size !== undefined) out.size = parseByteSize(v.tmpfs.size);
        if (v.tmpfs?.mode !== undefined) out.mode = parseFileMode(v.tmpfs.mode);
        return out;
      }
      if (v.type === 'image') {
        if (!v.source) throw new Error('an image mount needs a source (the image)');
        return { type: 'image', source: v.source, target: v.target, readOnly: v.read_only ?? true };
      }
      if (v.type === 'bind') {
        if (!v.source) throw new Error('a bind mount needs a source');
        return {
          type: 'bind',
          source: v.source,
          target: v.target,
          readOnly,
          ...(v.bind?.selinux ? { selinux: v.bind.selinux } : {}),
          ...(v.bind?.propagation ? { propagation: v.bind.propagation } : {}),
        };
      }
      if (v.source && isPathSource(v.source)) throw new Error(`"${v.source}" is a path: use type: bind for a host folder`);
      if (v.volume?.subpath) {
        throw new Error(
          'Podman 4.3 cannot mount part of a volume (volume.subpath): mount the whole volume, or bind-mount the folder',
        );
      }
      return {
        type: 'volume',
        target: v.target,
        readOnly,
        ...(v.source ? { source: v.source } : {}),
        ...(v.volume?.nocopy ? { nocopy: true } : {}),
      };
    });
    if (!mount) return;
    if (mount.type === 'bind') {
      mount.source = absolute(mount.source);
      const refused = mount.selinux && relabelRefusal(mount.source, mount.selinux, homeDir);
      if (refused) error(`${pathText(at('volumes', i))}: ${refused}`, at('volumes', i));
    }
    spec.mounts.push(mount);
  });
  const tmpfs = s.tmpfs === undefined ? [] : typeof s.tmpfs === 'string' ? [s.tmpfs] : s.tmpfs;
  tmpfs.forEach((t, i) => {
    const parsed = attempt(typeof s.tmpfs === 'string' ? ['tmpfs'] : ['tmpfs', i], () => parseTmpfsShort(t));
    if (parsed) spec.mounts.push({ type: 'tmpfs', ...parsed });
  });
}

function normalizeHealthcheck(s: RawService, spec: ServiceSpec, at: At, attempt: Attempt): void {
  if (!s.healthcheck) return;
  const h = s.healthcheck;
  const ms = (key: 'interval' | 'timeout' | 'start_period' | 'start_interval', fallback: number) => {
    const value = h[key];
    return value === undefined ? fallback : (attempt(['healthcheck', key], () => parseDuration(value)) ?? fallback);
  };
  const test = attempt(['healthcheck', 'test'], (): string[] | undefined => {
    if (typeof h.test === 'string') return ['CMD-SHELL', h.test];
    if (Array.isArray(h.test) && !['CMD', 'CMD-SHELL', 'NONE'].includes(h.test[0] ?? '')) {
      throw new Error('as a list, it must start with "CMD", "CMD-SHELL" or "NONE"');
    }
    return h.test;
  });
  if (h.disable || test?.[0] === 'NONE') {
    spec.healthcheck = { disabled: true };
    return;
  }
  const out: HealthcheckSpec = {
    intervalMs: ms('interval', 30_000),
    timeoutMs: ms('timeout', 30_000),
    retries: h.retries ?? 3,
    startPeriodMs: ms('start_period', 0),
  };
  if (h.start_interval !== undefined) out.startIntervalMs = ms('start_interval', 5_000);
  if (test) out.test = test;
  spec.healthcheck = out;
  void at;
}

/** Microseconds from a number (already µs) or a duration ("400ms"). */
function micros(value: string | number): number {
  return typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Math.round(parseDuration(value) * 1000);
}

function normalizeResources(s: RawService, spec: ServiceSpec, at: At, attempt: Attempt, warn: Report): void {
  const r: ResourceSpec = spec.resources;
  const bytes = (key: 'mem_limit' | 'memswap_limit' | 'mem_reservation', set: (n: number) => void) => {
    const value = s[key];
    if (value === undefined) return;
    // memswap_limit: -1 means unlimited swap.
    if (key === 'memswap_limit' && String(value).trim() === '-1') return set(-1);
    const n = attempt([key], () => parseByteSize(value));
    if (n !== undefined) set(n);
  };
  bytes('mem_limit', (n) => (r.memory = n));
  bytes('memswap_limit', (n) => (r.memorySwap = n));
  bytes('mem_reservation', (n) => (r.memoryReservation = n));
  if (s.mem_swappiness !== undefined) r.memorySwappiness = s.mem_swappiness;
  if (s.oom_kill_disable !== undefined) r.oomKillDisable = s.oom_kill_disable;
  if (s.oom_score_adj !== undefined) r.oomScoreAdj = s.oom_score_adj;
  if (s.cpus !== undefined) r.cpus = s.cpus;
  if (s.cpu_shares !== undefined) r.cpuShares = s.cpu_shares;
  if (s.cpu_quota !== undefined) r.cpuQuota = s.cpu_quota;
  if (s.cpu_period !== undefined) r.cpuPeriod = s.cpu_period;
  if (s.cpu_rt_period !== undefined) {
    const v = attempt(['cpu_rt_period'], () => micros(s.cpu_rt_period!));
    if (v !== undefined) r.cpuRtPeriod = v;
  }
  if (s.cpu_rt_runtime !== undefined) {
    const v = attempt(['cpu_rt_runtime'], () => micros(s.cpu_rt_runtime!));
    if (v !== undefined) r.cpuRtRuntime = v;
  }
  if (s.cpuset) r.cpuset = s.cpuset;
  if (s.pids_limit !== undefined) r.pids = s.pids_limit;
  const blkio = s.blkio_config;
  if (blkio) {
    if (blkio.weight !== undefined) r.blkioWeight = blkio.weight;
    for (const d of blkio.weight_device ?? []) r.blkioWeightDevice.push({ path: d.path, weight: d.weight });
    const throttles = [
      ['device_read_bps', 'readBps'],
      ['device_write_bps', 'writeBps'],
      ['device_read_iops', 'readIops'],
      ['device_write_iops', 'writeIops'],
    ] as const;
    for (const [key, kind] of throttles) {
      (blkio[key] ?? []).forEach((d, i) => {
        const rate = attempt(['blkio_config', key, i], () => parseByteSize(d.rate));
        if (rate !== undefined) r.blkioThrottle.push({ kind, path: d.path, rate });
      });
    }
  }
  void warn;
}

function normalizeDeploy(s: RawService, spec: ServiceSpec, ctx: ServiceContext, at: At, attempt: Attempt): void {
  const { error, warn } = ctx;
  const d = s.deploy ?? undefined;
  const where = (...sub: YamlPath) => pathText(at('deploy', ...sub));
  if (d?.replicas !== undefined && s.scale !== undefined && d.replicas !== s.scale) {
    error(`Service "${spec.name}": scale (${s.scale}) and deploy.replicas (${d.replicas}) differ: keep one`, at('scale'));
  }
  const replicas = d?.replicas ?? s.scale ?? 1;
  if (replicas < 0)
    error(
      `Service "${spec.name}": the number of replicas cannot be negative`,
      at(d?.replicas !== undefined ? 'deploy' : 'scale'),
    );
  spec.replicas = Math.max(0, replicas);
  if (spec.replicas > 1 && spec.containerName) {
    error(
      `Service "${spec.name}" has container_name and ${spec.replicas} replicas: each container needs its own name, so remove container_name`,
      at('container_name'),
    );
  }
  if (spec.replicas > 1 && spec.ports.some((p) => p.published !== undefined)) {
    error(
      `Service "${spec.name}" publishes a fixed host port and has ${spec.replicas} replicas: only one container can hold a host port. Leave the host port out (Podman picks one for each)`,
      at('ports'),
    );
  }
  if (!d) return;
  if (d.mode !== undefined && d.mode !== 'replicated') {
    if (d.mode === 'global')
      warn(
        `${where('mode')}: global runs one container per swarm node; on this engine that is one container`,
        at('deploy', 'mode'),
      );
    else error(`${where('mode')}: "${d.mode}" is not replicated or global`, at('deploy', 'mode'));
  }
  for (const key of ['endpoint_mode', 'placement', 'update_config', 'rollback_config', 'labels'] as const) {
    if (d[key] !== undefined) warn(`${where(key)} ${SWARM_ONLY}`, at('deploy', key));
  }
  const limits = d.resources?.limits;
  if (limits) {
    // Deploy limits win over the service-level keys, as in docker compose.
    if (limits.cpus !== undefined) spec.resources.cpus = limits.cpus;
    if (limits.memory !== undefined) {
      const n = attempt(['deploy', 'resources', 'limits', 'memory'], () => parseByteSize(limits.memory!));
      if (n !== undefined) spec.resources.memory = n;
    }
    if (limits.pids !== undefined) spec.resources.pids = limits.pids;
    if (limits.devices || limits.generic_resources)
      warn(`${where('resources', 'limits')}: devices are reserved, not limited: ignored`, at('deploy', 'resources', 'limits'));
  }
  const reservations = d.resources?.reservations;
  if (reservations) {
    if (reservations.memory !== undefined) {
      const n = attempt(['deploy', 'resources', 'reservations', 'memory'], () => parseByteSize(reservations.memory!));
      if (n !== undefined) spec.resources.memoryReservation = n;
    }
    if (reservations.cpus !== undefined) {
      warn(`${where('resources', 'reservations', 'cpus')} ${SWARM_ONLY}`, at('deploy', 'resources', 'reservations', 'cpus'));
    }
    if (reservations.generic_resources !== undefined) {
      warn(`${where('resources', 'reservations', 'generic_resources')} ${SWARM_ONLY}`, at('deploy', 'resources', 'reservations'));
    }
    (reservations.devices ?? []).forEach((device, i) => {
      const capabilities = device.capabilities ?? [];
      if (!capabilities.includes('gpu')) {
        error(
          `${where('resources', 'reservations', 'devices', i)}: only GPU reservations (capabilities: [gpu]) can be applied; for another device, list it under devices`,
          at('deploy', 'resources', 'reservations', 'devices', i),
        );
        return;
      }
      spec.gpus.push(gpuRequest(device));
    });
  }
  const policy = d.restart_policy;
  if (policy) {
    // As docker compose: deploy.restart_policy wins over restart.
    const condition = policy.condition ?? 'any';
    const name = condition === 'none' ? 'no' : condition === 'any' ? 'always' : condition;
    spec.restart =
      policy.max_attempts !== undefined && name === 'on-failure'
        ? { policy: name, maxRetries: policy.max_attempts }
        : { policy: name };
    for (const key of ['delay', 'window'] as const) {
      if (policy[key] !== undefined)
        warn(
          `${where('restart_policy', key)}: Podman restarts a container right away: ignored`,
          at('deploy', 'restart_policy', key),
        );
    }
  }
}

function normalizeLogging(
  serviceName: string,
  logging: NonNullable<RawService['logging']>,
  spec: ServiceSpec,
  at: At,
  error: Report,
  warn: Report,
): void {
  const driver = logging.driver;
  if (driver !== undefined && !LOG_DRIVERS.has(driver)) {
    error(
      `logging.driver: Podman 4.3 writes logs with k8s-file (json-file), journald, passthrough or none; "${driver}" is not available`,
      at('logging', 'driver'),
    );
    return;
  }
  const options: Record<string, string> = {};
  for (const [key, value] of Object.entries(logging.options ?? {})) {
    if (value === null) continue;
    if (key === 'max-size') {
      try {
        parseByteSize(value);
        options[key] = value;
      } catch (e) {
        error(`logging.options.max-size: ${(e as Error).message}`, at('logging', 'options', key));
      }
    } else if (key === 'tag' || key === 'path') options[key] = value;
    else {
      warn(
        `services.${serviceName}.logging.options.${key}: Podman's ${driver ?? 'default'} log driver does not use it: ignored${key === 'max-file' ? ' (Podman keeps one log file and truncates it at max-size)' : ''}`,
        at('logging', 'options', key),
      );
    }
  }
  // Docker's json-file and local drivers both write a file per container: Podman's k8s-file does.
  spec.logging = {
    ...(driver ? { driver: driver === 'json-file' || driver === 'local' ? 'k8s-file' : driver } : {}),
    options,
  };
}
