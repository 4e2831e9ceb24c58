/**
 * A container's `podman inspect`, reduced to what a Compose file decides, with the parts that
 * differ by tool and not by meaning taken out: the project's name (each tool launched its own
 * project), the folder of the file, the container's own id and name among its network aliases,
 * and host ports Podman picked.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Names {
  project: string;
  folder: string;
}

const sorted = <T>(xs: T[] | null | undefined): T[] => [...(xs ?? [])].sort();

export function normalInspect(inspect: Json, names: Names): Json {
  const subst = (s: string) => s.split(names.folder).join('<folder>').split(names.project).join('<project>');
  const config = inspect.Config as Json;
  const host = inspect.HostConfig as Json;
  const labels = (config.Labels ?? {}) as Record<string, string>;
  const ownAliases = new Set([inspect.Id.slice(0, 12), inspect.Name, config.Hostname]);
  return {
    command: config.Cmd ?? [],
    entrypoint: config.Entrypoint ?? [],
    // HOSTNAME and container= are Podman's own, set whoever asked.
    env: sorted((config.Env as string[]).filter((e) => !/^(HOSTNAME|container)=/.test(e)).map(subst)),
    user: config.User,
    // Without hostname:, Podman names a container's host after its own id: the same rule on both sides.
    hostname: config.Hostname === inspect.Id.slice(0, 12) ? '<container id>' : subst(config.Hostname),
    tty: config.Tty,
    stdin: config.OpenStdin,
    stopSignal: config.StopSignal,
    restart: `${host.RestartPolicy?.Name ?? ''}:${host.RestartPolicy?.MaximumRetryCount ?? 0}`,
    log: { driver: host.LogConfig?.Type, size: host.LogConfig?.Size ?? '' },
    healthcheck: config.Healthcheck ?? null,
    workingDir: config.WorkingDir,
    mounts: (inspect.Mounts as Json[])
      .map((m) => ({
        type: m.Type,
        source: subst(m.Type === 'volume' ? m.Name : m.Source).replace(/^[0-9a-f]{64}$/, '<anonymous>'),
        destination: m.Destination,
        rw: m.RW,
        options: sorted(m.Options as string[]).filter((o) => o !== 'rbind'),
      }))
      .sort((a, b) => a.destination.localeCompare(b.destination)),
    ports: Object.fromEntries(
      Object.entries((host.PortBindings ?? {}) as Record<string, Json[] | null>)
        .map(([port, bindings]) => [port, (bindings ?? []).map((b) => `${b.HostIp}:${b.HostPort ? 'fixed' : 'any'}`)])
        .sort(),
    ),
    capabilities: sorted(inspect.EffectiveCaps as string[]),
    readOnly: host.ReadonlyRootfs,
    tmpfs: host.Tmpfs ?? {},
    sysctls: host.Sysctls ?? {},
    ulimits: sorted((host.Ulimits as Json[] | null)?.map((u) => `${u.Name}=${u.Soft}:${u.Hard}`)),
    shmSize: host.ShmSize,
    extraHosts: sorted(host.ExtraHosts),
    devices: ((host.Devices as Json[] | null) ?? []).map((d) => `${d.PathOnHost}:${d.PathInContainer}:${d.CgroupPermissions}`),
    resources: {
      memory: host.Memory,
      memorySwap: host.MemorySwap,
      memoryReservation: host.MemoryReservation,
      nanoCpus: host.NanoCpus,
      cpuQuota: host.CpuQuota,
      cpuShares: host.CpuShares,
      pidsLimit: host.PidsLimit,
    },
    init: host.Init ?? false,
    privileged: host.Privileged,
    securityOpt: sorted(host.SecurityOpt),
    groupAdd: sorted(host.GroupAdd),
    dns: sorted(host.Dns),
    dnsSearch: sorted(host.DnsSearch),
    networkMode: subst(host.NetworkMode).replace(/^container:[0-9a-f]{64}$/, 'container:<id>'),
    pidMode: host.PidMode,
    ipcMode: subst(host.IpcMode ?? ''),
    networks: Object.fromEntries(
      Object.entries((inspect.NetworkSettings?.Networks ?? {}) as Record<string, Json>)
        .map(([name, n]) => [subst(name), sorted((n.Aliases as string[] | null)?.filter((a) => !ownAliases.has(a)))])
        .sort(),
    ),
    labels: Object.fromEntries(
      Object.entries(labels)
        // The tools' own labels; the Compose ones are compared below.
        .filter(([k]) => !/^(com\.docker\.compose|io\.podman\.compose|io\.poddesk)\./.test(k))
        .sort(),
    ),
    composeLabels: {
      project: subst(labels['com.docker.compose.project'] ?? ''),
      service: labels['com.docker.compose.service'],
      podmanProject: subst(labels['io.podman.compose.project'] ?? ''),
    },
  };
}
