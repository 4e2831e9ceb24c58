import { createHash } from 'node:crypto';
import { parseByteSize } from './compose/syntax';
import type { ComposeProject, FileMount, GpuRequest, HealthcheckSpec, NamespaceMode, ServiceSpec } from './compose/model';
import { signalNumber } from '../../shared/signals';

/**
 * A Compose service as a libpod SpecGenerator (POST /libpod/containers/create, Podman 4.3), with
 * the labels podman-compose and docker compose put on their containers, so all three tools see
 * one group. Each group of Compose keys has its own small function below, named for what it
 * maps; a comment says where Podman takes a concept differently from Docker.
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

type Named = Pick<ComposeProject, 'name' | 'containerNames'>;

/**
 * <project>-<service>-<n>, as docker compose names them (or <project>_<service>_<n>, as
 * podman-compose 1.x does, when the stack asks for it); container_name for a single one.
 */
export function containerName(project: Named, service: Pick<ServiceSpec, 'name' | 'containerName'>, replica = 1): string {
  if (service.containerName) return service.containerName;
  const separator = project.containerNames === 'podman-compose' ? '_' : '-';
  return [project.name, service.name, replica].join(separator);
}

/** The name the other naming would give (a container from before the stack's naming changed). */
export function otherNamingName(
  project: Named,
  service: Pick<ServiceSpec, 'name' | 'containerName'>,
  replica = 1,
): string | undefined {
  if (service.containerName) return undefined;
  const other = project.containerNames === 'podman-compose' ? 'docker-compose' : 'podman-compose';
  return containerName({ name: project.name, containerNames: other }, service, replica);
}

/** Whether a container of this service was named by the other naming (any replica number). */
export function namedTheOtherWay(project: Named, service: Pick<ServiceSpec, 'name' | 'containerName'>, name: string): boolean {
  const prefix = otherNamingName(project, service, 0)?.slice(0, -1);
  return prefix !== undefined && name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length));
}

export function projectLabels(project: string): Record<string, string> {
  return { [LABEL.project]: project, [LABEL.podmanProject]: project };
}

const NS_PER_MS = 1_000_000;
/** The CFS period the podman CLI uses for --cpus (100 ms). */
const CPU_PERIOD = 100_000;

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
  /** Which of the service's containers (1…replicas). */
  replica?: number;
  /**
   * The engine cannot see this computer's files (ssh, tcp): secrets and configs from files are
   * copied into the container (see filesToCopy) instead of bind-mounted.
   */
  remoteEngine?: boolean;
}

/** The fields that decide whether an existing container still matches the file. */
export function configHash(project: ComposeProject, service: ServiceSpec): string {
  const networks = Object.fromEntries(
    Object.entries(service.networks).map(([key, n]) => [project.networks.find((x) => x.key === key)?.name ?? key, n.aliases]),
  );
  const mounts = service.mounts.map((m) =>
    m.type === 'volume' && m.source ? { ...m, source: project.volumes.find((v) => v.key === m.source)?.name ?? m.source } : m,
  );
  // `extras` (titles, Open paths), `dependsOn` and `profiles` change nothing in the container itself.
  const relevant: Record<string, unknown> = {
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
  // Keys added later join the hash only when set, so a file that uses none of them keeps the hash
  // its containers were made with (an upgrade does not recreate every stack).
  const more = hashedExtras(project, service);
  if (Object.keys(more).length > 0) relevant.more = more;
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex');
}

function hashedExtras(project: ComposeProject, service: ServiceSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value === undefined || value === false) return;
    if (Array.isArray(value) && value.length === 0) return;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0) return;
    out[key] = value;
  };
  const { blkioWeightDevice, blkioThrottle, ...resources } = service.resources;
  set('capAdd', service.capAdd);
  set('capDrop', service.capDrop);
  set('privileged', service.privileged);
  set('readOnly', service.readOnly);
  set('init', service.init);
  set('sysctls', sortKeys(service.sysctls));
  set('ulimits', service.ulimits);
  set('shmSize', service.shmSize);
  set('extraHosts', service.extraHosts);
  set(
    'dns',
    [service.dns, service.dnsSearch, service.dnsOptions].some((x) => x.length)
      ? [service.dns, service.dnsSearch, service.dnsOptions]
      : undefined,
  );
  set('groupAdd', service.groupAdd);
  set('macAddress', service.macAddress);
  set(
    'namespaces',
    [service.pid, service.ipc, service.uts, service.cgroup, service.userns].some(Boolean)
      ? [service.pid, service.ipc, service.uts, service.cgroup, service.userns]
      : undefined,
  );
  set('networkMode', service.networkMode);
  set(
    'networkOptions',
    sortKeys(
      Object.fromEntries(
        Object.entries(service.networks)
          .map(([k, n]) => [k, { ...n, aliases: undefined }])
          .filter(([, n]) => Object.values(n as object).some((v) => v !== undefined)),
      ),
    ),
  );
  set(
    'security',
    service.security.labels.length ||
      service.security.apparmor ||
      service.security.seccomp ||
      service.security.noNewPrivileges ||
      service.security.mask.length ||
      service.security.unmask.length
      ? service.security
      : undefined,
  );
  set(
    'resources',
    Object.keys(resources).length || blkioWeightDevice.length || blkioThrottle.length ? service.resources : undefined,
  );
  set('logging', service.logging);
  set('runtime', service.runtime);
  set('platform', service.platform);
  set('files', [...filesOf(project, service, 'secrets'), ...filesOf(project, service, 'configs')]);
  set('gpus', service.gpus);
  set('annotations', sortKeys(service.annotations));
  set('storageOpt', sortKeys(service.storageOpt));
  set('cgroupParent', service.cgroupParent);
  set('deviceCgroupRules', service.deviceCgroupRules);
  set('volumesFrom', service.volumesFrom);
  set('expose', service.expose);
  return out;
}

/** Secrets and configs for the hash: where they go and where their content comes from (content by digest). */
function filesOf(project: ComposeProject, service: ServiceSpec, kind: 'secrets' | 'configs'): unknown[] {
  return service[kind].map((m) => {
    const source = project[kind].find((o) => o.key === m.source)?.source;
    const origin =
      source?.kind === 'file'
        ? source.path
        : source?.kind === 'content'
          ? digest(source.content)
          : source?.kind === 'environment'
            ? digest(source.value ?? '')
            : undefined;
    return { ...m, origin };
  });
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

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
    [LABEL.number]: String(options.replica ?? 1),
    [LABEL.configHash]: configHash(project, service),
    [LABEL.workingDir]: project.workingDir,
    ...(options.configFile ? { [LABEL.configFiles]: options.configFile } : {}),
    ...(dependsOn ? { [LABEL.dependsOn]: dependsOn } : {}),
    [LABEL.stack]: options.stackId,
  };
}

export function toSpecGenerator(project: ComposeProject, service: ServiceSpec, options: SpecOptions): Record<string, unknown> {
  const spec: Record<string, unknown> = {
    name: containerName(project, service, options.replica),
    image: service.image,
    env: service.environment,
    labels: containerLabels(project, service, options),
    terminal: service.tty,
    stdin: service.stdinOpen,
    ...networking(project, service),
    portmappings: service.ports.map((p) => ({
      // Every IPv4 interface is said with no address, as the podman CLI does: given "0.0.0.0"
      // through the API, Podman 4 publishes on no address at all (loopback included).
      host_ip: p.hostIp === '0.0.0.0' ? '' : p.hostIp,
      host_port: p.published ?? 0,
      container_port: p.target,
      protocol: p.protocol,
    })),
    ...storage(project, service, options),
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
    const number = signalNumber(service.stopSignal) ?? Number(service.stopSignal);
    if (Number.isInteger(number) && number > 0) spec.stop_signal = number;
  }
  const devices = [...service.devices, ...gpuDevices(service.gpus)];
  if (devices.length > 0) spec.devices = devices.map((path) => ({ path }));
  if (service.healthcheck) {
    if ('disabled' in service.healthcheck) spec.healthconfig = { Test: ['NONE'] };
    else {
      const config = healthConfig(service.healthcheck, options.imageHealthTest);
      if (config) spec.healthconfig = config;
    }
  }
  Object.assign(spec, privileges(service), namespaces(project, service), resourceLimits(service), runtimeOptions(service));
  return spec;
}

/**
 * Networks: each service is reachable on each of its networks by its name and aliases; fixed
 * addresses, a MAC address and interface names per network. network_mode takes the host's
 * network, none, or another container's (service:NAME is that service's first container).
 */
function networking(project: ComposeProject, service: ServiceSpec): Record<string, unknown> {
  const mode = service.networkMode;
  const out: Record<string, unknown> = {};
  if (mode) {
    if (mode.kind === 'host' || mode.kind === 'none') out.netns = { nsmode: mode.kind };
    else if (mode.kind === 'service') out.netns = { nsmode: 'container', value: serviceContainer(project, mode.service) };
    else if (mode.kind === 'container') out.netns = { nsmode: 'container', value: mode.container };
    else {
      const [nsmode, opts] = mode.value.split(':') as [string, string | undefined];
      out.netns = { nsmode };
      if (opts) out.network_options = { [nsmode]: opts.split(',') };
    }
    return out;
  }
  // docker compose gives the highest-priority network the first interface: Podman names them
  // itself, so with priorities PodDesk names them eth0, eth1… in that order.
  const entries = Object.entries(service.networks);
  const prioritised = entries.some(([, n]) => n.priority !== undefined);
  const order = [...entries].sort(([, a], [, b]) => (b.priority ?? 0) - (a.priority ?? 0));
  out.netns = { nsmode: 'bridge' };
  out.Networks = Object.fromEntries(
    order.map(([key, n], i) => {
      const name = project.networks.find((x) => x.key === key)?.name ?? key;
      const options: Record<string, unknown> = { aliases: [...new Set([service.name, ...n.aliases])] };
      const ips = [n.ipv4Address, n.ipv6Address].filter((ip): ip is string => Boolean(ip));
      if (ips.length > 0) options.static_ips = ips;
      const mac = n.macAddress ?? (i === 0 ? service.macAddress : undefined);
      if (mac) options.static_mac = mac;
      const iface = n.interfaceName ?? (prioritised ? `eth${i}` : undefined);
      if (iface) options.interface_name = iface;
      return [name, options];
    }),
  );
  if (service.dns.length > 0) out.dns_server = service.dns;
  if (service.dnsSearch.length > 0) out.dns_search = service.dnsSearch;
  if (service.dnsOptions.length > 0) out.dns_option = service.dnsOptions;
  if (service.extraHosts.length > 0) out.hostadd = service.extraHosts;
  if (service.expose.length > 0) out.expose = Object.fromEntries(service.expose.map((e) => [e.port, e.protocol]));
  return out;
}

/** The first container of another service of the stack (what service:NAME joins). */
function serviceContainer(project: ComposeProject, name: string): string {
  const other = project.services.find((s) => s.name === name);
  return containerName(project, other ?? { name }, 1);
}

/**
 * Volumes, bind mounts, tmpfs and image mounts; secrets and configs from files, read-only at
 * their targets (docker compose bind-mounts them so); volumes_from.
 */
function storage(project: ComposeProject, service: ServiceSpec, options: SpecOptions): Record<string, unknown> {
  const volumeName = (key: string) => project.volumes.find((v) => v.key === key)?.name ?? key;
  const mounts: Record<string, unknown>[] = service.mounts.flatMap((m) => {
    if (m.type === 'bind') {
      const opts = ['rbind', m.readOnly ? 'ro' : 'rw'];
      if (m.selinux) opts.push(m.selinux);
      if (m.propagation) opts.push(m.propagation);
      return [{ destination: m.target, type: 'bind', source: m.source, options: opts }];
    }
    if (m.type === 'tmpfs') {
      const opts = m.readOnly ? ['ro'] : [];
      if (m.size !== undefined) opts.push(`size=${m.size}`);
      if (m.mode !== undefined) opts.push(`mode=${m.mode.toString(8)}`);
      return [{ destination: m.target, type: 'tmpfs', source: 'tmpfs', options: opts }];
    }
    return [];
  });
  if (!options.remoteEngine) {
    for (const file of fileMounts(project, service)) {
      mounts.push({ destination: file.target, type: 'bind', source: file.path, options: ['rbind', 'ro'] });
    }
  }
  const out: Record<string, unknown> = {
    volumes: service.mounts
      .filter((m) => m.type === 'volume')
      .map((m) => ({
        Name: m.source ? volumeName(m.source) : '',
        Dest: m.target,
        Options: [...(m.readOnly ? ['ro'] : []), ...(m.nocopy ? ['nocopy'] : [])],
      })),
    mounts,
  };
  const images = service.mounts.filter((m) => m.type === 'image');
  if (images.length > 0) out.image_volumes = images.map((m) => ({ source: m.source, destination: m.target, rw: !m.readOnly }));
  if (service.volumesFrom.length > 0) {
    out.volumes_from = service.volumesFrom.map(
      (v) => `${v.kind === 'service' ? serviceContainer(project, v.name) : v.name}${v.mode ? `:${v.mode}` : ''}`,
    );
  }
  if (service.shmSize !== undefined) out.shm_size = service.shmSize;
  if (Object.keys(service.storageOpt).length > 0) out.storage_opts = service.storageOpt;
  return out;
}

/** Secrets and configs whose content is a file of this computer: bind-mounted read-only. */
export function fileMounts(
  project: ComposeProject,
  service: ServiceSpec,
): { target: string; path: string; kind: 'secrets' | 'configs'; mount: FileMount }[] {
  return (['secrets', 'configs'] as const).flatMap((kind) =>
    service[kind].flatMap((mount) => {
      const source = project[kind].find((o) => o.key === mount.source)?.source;
      return source?.kind === 'file' ? [{ target: mount.target, path: source.path, kind, mount }] : [];
    }),
  );
}

/**
 * Secrets and configs written into the container before it starts (docker compose copies
 * environment and content sources in so, with their mode, 0444 by default, and owner); for a
 * remote engine, file sources too (read on this computer: `read` is asked for them).
 */
export function filesToCopy(
  project: ComposeProject,
  service: ServiceSpec,
  remoteEngine: boolean,
): { target: string; mode: number; uid: number; gid: number; content: { text: string } | { file: string } }[] {
  return (['secrets', 'configs'] as const).flatMap((kind) =>
    service[kind].flatMap((m) => {
      const source = project[kind].find((o) => o.key === m.source)?.source;
      if (!source || (source.kind === 'file' && !remoteEngine)) return [];
      const content =
        source.kind === 'file'
          ? { file: source.path }
          : { text: source.kind === 'content' ? source.content : (source.value ?? '') };
      return [{ target: m.target, mode: m.mode ?? 0o444, uid: Number(m.uid ?? 0), gid: Number(m.gid ?? 0), content }];
    }),
  );
}

/** GPUs as CDI devices: nvidia.com/gpu=all, or =0, =1… for a count, or the ids named. */
export function gpuDevices(gpus: GpuRequest[]): string[] {
  const out = new Set<string>();
  for (const g of gpus) {
    const kind = g.driver === 'amd' ? 'amd.com/gpu' : g.driver.includes('/') ? g.driver : `${g.driver}.com/gpu`;
    if (g.deviceIds.length > 0) for (const id of g.deviceIds) out.add(`${kind}=${id}`);
    else if (g.count === 'all' || g.count === undefined) out.add(`${kind}=all`);
    else for (let i = 0; i < g.count; i++) out.add(`${kind}=${i}`);
  }
  return [...out];
}

/** Capabilities, privileged, read-only root, SELinux/AppArmor/seccomp, extra groups. */
function privileges(service: ServiceSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (service.privileged) out.privileged = true;
  if (service.capAdd.length > 0) out.cap_add = service.capAdd;
  if (service.capDrop.length > 0) out.cap_drop = service.capDrop;
  if (service.readOnly) out.read_only_filesystem = true;
  if (service.groupAdd.length > 0) out.groups = service.groupAdd;
  const s = service.security;
  if (s.labels.length > 0) out.selinux_opts = s.labels;
  if (s.apparmor) out.apparmor_profile = s.apparmor;
  if (s.seccomp) out.seccomp_profile_path = s.seccomp;
  if (s.noNewPrivileges) out.no_new_privileges = true;
  if (s.mask.length > 0) out.mask = s.mask;
  if (s.unmask.length > 0) out.unmask = s.unmask;
  return out;
}

function namespace(project: ComposeProject, mode: NamespaceMode | undefined): Record<string, unknown> | undefined {
  if (!mode) return undefined;
  switch (mode.kind) {
    case 'service':
      return { nsmode: 'container', value: serviceContainer(project, mode.service) };
    case 'container':
      return { nsmode: 'container', value: mode.container };
    case 'other':
      return { nsmode: mode.value };
    default:
      return { nsmode: mode.kind };
  }
}

/** pid, ipc, uts, cgroup and user namespaces. */
function namespaces(project: ComposeProject, service: ServiceSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const pid = namespace(project, service.pid);
  if (pid) out.pidns = pid;
  const ipc = namespace(project, service.ipc);
  if (ipc) out.ipcns = ipc;
  const uts = namespace(project, service.uts);
  if (uts) out.utsns = uts;
  if (service.cgroup) out.cgroupns = { nsmode: service.cgroup };
  if (service.userns) {
    // "host" in Compose; Podman's own keep-id, auto and nomap pass through.
    const [nsmode, value] = service.userns.split(':') as [string, string | undefined];
    out.userns = value ? { nsmode, value } : { nsmode };
  }
  return out;
}

// Podman adds the RLIMIT_ prefix itself.
const RLIMIT = (name: string) => name.toLowerCase().replace(/^rlimit_/, '');

/** cgroup limits (memory, CPU, PIDs, block IO), POSIX rlimits, sysctls, OOM score. */
function resourceLimits(service: ServiceSpec): Record<string, unknown> {
  const r = service.resources;
  const out: Record<string, unknown> = {};
  const memory: Record<string, unknown> = {};
  if (r.memory !== undefined) memory.limit = r.memory;
  if (r.memorySwap !== undefined) memory.swap = r.memorySwap;
  if (r.memoryReservation !== undefined) memory.reservation = r.memoryReservation;
  if (r.memorySwappiness !== undefined) memory.swappiness = r.memorySwappiness;
  if (r.oomKillDisable) memory.disableOOMKiller = true;
  const cpu: Record<string, unknown> = {};
  if (r.cpuShares !== undefined) cpu.shares = r.cpuShares;
  if (r.cpus !== undefined) {
    // --cpus is a CFS quota over the CLI's 100 ms period.
    cpu.quota = Math.round(r.cpus * CPU_PERIOD);
    cpu.period = CPU_PERIOD;
  }
  if (r.cpuQuota !== undefined) cpu.quota = r.cpuQuota;
  if (r.cpuPeriod !== undefined) cpu.period = r.cpuPeriod;
  if (r.cpuRtPeriod !== undefined) cpu.realtimePeriod = r.cpuRtPeriod;
  if (r.cpuRtRuntime !== undefined) cpu.realtimeRuntime = r.cpuRtRuntime;
  if (r.cpuset) cpu.cpus = r.cpuset;
  const limits: Record<string, unknown> = {};
  if (Object.keys(memory).length > 0) limits.memory = memory;
  if (Object.keys(cpu).length > 0) limits.cpu = cpu;
  if (r.pids !== undefined) limits.pids = { limit: r.pids };
  if (r.blkioWeight !== undefined) limits.blockIO = { weight: r.blkioWeight };
  if (Object.keys(limits).length > 0) out.resource_limits = limits;
  if (r.blkioWeightDevice.length > 0)
    out.weightDevice = Object.fromEntries(r.blkioWeightDevice.map((d) => [d.path, { weight: d.weight }]));
  const throttleKey = {
    readBps: 'throttleReadBpsDevice',
    writeBps: 'throttleWriteBpsDevice',
    readIops: 'throttleReadIOPSDevice',
    writeIops: 'throttleWriteIOPSDevice',
  };
  for (const t of r.blkioThrottle) {
    const key = throttleKey[t.kind];
    out[key] = { ...((out[key] as object) ?? {}), [t.path]: { rate: t.rate } };
  }
  if (r.oomScoreAdj !== undefined) out.oom_score_adj = r.oomScoreAdj;
  if (service.ulimits.length > 0)
    out.r_limits = service.ulimits.map((u) => ({ type: RLIMIT(u.name), soft: u.soft, hard: u.hard }));
  if (Object.keys(service.sysctls).length > 0) out.sysctl = service.sysctls;
  if (service.deviceCgroupRules.length > 0) {
    out.device_cgroup_rule = service.deviceCgroupRules.map((rule) => {
      const [type, numbers, access] = rule.split(' ') as [string, string, string];
      const [major, minor] = numbers.split(':').map((n) => (n === '*' ? -1 : Number(n))) as [number, number];
      return { allow: true, type, ...(major >= 0 ? { major } : {}), ...(minor >= 0 ? { minor } : {}), access };
    });
  }
  if (service.cgroupParent) out.cgroup_parent = service.cgroupParent;
  return out;
}

/** init, the OCI runtime, logging, annotations. */
function runtimeOptions(service: ServiceSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (service.init) out.init = true;
  if (service.runtime) out.oci_runtime = service.runtime;
  if (service.logging) {
    const { driver, options } = service.logging;
    const { 'max-size': maxSize, path, ...rest } = options;
    out.log_configuration = {
      ...(driver ? { driver } : {}),
      ...(path ? { path } : {}),
      ...(maxSize ? { size: parseByteSize(maxSize) } : {}),
      ...(Object.keys(rest).length > 0 ? { options: rest } : {}),
    };
  }
  if (Object.keys(service.annotations).length > 0) out.annotations = service.annotations;
  return out;
}
