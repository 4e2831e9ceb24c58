/* eslint-disable @typescript-eslint/no-explicit-any -- podman inspect JSON is walked field by field; its shape is what the test compares */
/**
 * Two containers made the same way must inspect the same once what differs between any two
 * containers is taken out. What is taken out, and why:
 *
 * - identity and time: `Id`, `Created` (and the annotation `io.kubernetes.cri-o.Created` a
 *   started container gets), `Name` (the tests may rename), `State` (pid, start and finish
 *   times, exit code of a container that was replaced), `RestartCount`, `ExecIDs`;
 * - paths Podman generates per container: `ResolvConfPath`, `HostnamePath`, `HostsPath`,
 *   `StaticDir`, `ConmonPidFile`, `PidFile`, `OCIConfigPath`, `Rootfs`, `GraphDriver.Data` (the layer folders),
 *   `HostConfig.LogConfig.Path`, and the SELinux labels `MountLabel`/`ProcessLabel` (random per
 *   container where SELinux is on);
 * - the short id where Podman uses it as a default: a host name equal to the container's short id
 *   (and `HOSTNAME=` in the environment), the short-id alias Podman adds on every network;
 * - what only a running container has: addresses, MAC addresses, gateways, endpoint and sandbox
 *   ids in `NetworkSettings` (each network keeps its name and aliases);
 * - the anonymous volumes' random names (`Name`, `Source` and `HostConfig.Binds` entries);
 * - what the CLI records and the API does not, without any effect on the container:
 *   `Config.CreateCommand` (the argv typed), the annotation `io.kubernetes.cri-o.TTY` when it says
 *   "false" (the CLI writes the default down), `Config.sdNotifyMode` when it is the CLI's default
 *   "container";
 * - order where Podman's order carries no meaning: the environment is sorted.
 */
export function normaliseInspect(raw: Record<string, unknown>): Record<string, unknown> {
  const c = structuredClone(raw) as Record<string, any>;
  const id = String(c.Id ?? '');
  const shortId = id.slice(0, 12);
  const name = String(c.Name ?? '').replace(/^\//, '');
  for (const key of [
    'Id',
    'Created',
    'Name',
    'State',
    'RestartCount',
    'ExecIDs',
    'ResolvConfPath',
    'HostnamePath',
    'HostsPath',
    'StaticDir',
    'ConmonPidFile',
    'PidFile',
    'Rootfs',
    'MountLabel',
    'ProcessLabel',
    'OCIConfigPath',
  ])
    delete c[key];
  if (c.GraphDriver) delete c.GraphDriver.Data;
  if (c.HostConfig?.LogConfig) delete c.HostConfig.LogConfig.Path;

  const config = c.Config ?? {};
  delete config.CreateCommand;
  if (config.Annotations?.['io.kubernetes.cri-o.TTY'] === 'false') delete config.Annotations['io.kubernetes.cri-o.TTY'];
  if (config.sdNotifyMode === 'container') delete config.sdNotifyMode;
  if (config.Annotations) delete config.Annotations['io.kubernetes.cri-o.Created'];
  if (config.Hostname === shortId) config.Hostname = '<short id>';
  config.Env = [...(config.Env ?? [])].map((e: string) => (e === `HOSTNAME=${shortId}` ? 'HOSTNAME=<short id>' : e)).sort();

  const anonymous = new Map<string, string>();
  for (const m of c.Mounts ?? []) {
    if (m.Type === 'volume' && /^[0-9a-f]{64}$/.test(m.Name ?? '')) {
      anonymous.set(m.Name, `<anonymous ${m.Destination}>`);
      m.Name = `<anonymous ${m.Destination}>`;
      m.Source = `<anonymous ${m.Destination}>`;
    }
  }
  if (Array.isArray(c.HostConfig?.Binds)) {
    c.HostConfig.Binds = c.HostConfig.Binds.map((b: string) => {
      const [source, ...rest] = b.split(':');
      return [anonymous.get(source!) ?? source, ...rest].join(':');
    });
  }

  const ns = c.NetworkSettings ?? {};
  for (const key of [
    'EndpointID',
    'Gateway',
    'IPAddress',
    'IPPrefixLen',
    'IPv6Gateway',
    'GlobalIPv6Address',
    'GlobalIPv6PrefixLen',
    'MacAddress',
    'Bridge',
    'SandboxID',
    'SandboxKey',
    'LinkLocalIPv6Address',
    'LinkLocalIPv6PrefixLen',
    'HairpinMode',
  ])
    delete ns[key];
  for (const n of Object.values(ns.Networks ?? {}) as Record<string, any>[]) {
    for (const key of [
      'EndpointID',
      'Gateway',
      'IPAddress',
      'IPPrefixLen',
      'IPv6Gateway',
      'GlobalIPv6Address',
      'GlobalIPv6PrefixLen',
      'MacAddress',
    ])
      delete n[key];
    n.Aliases = (n.Aliases ?? []).filter((a: string) => a !== shortId && a !== id && a !== name).sort();
  }
  return c;
}
