import type { DoctorListener, Health, NetworkEndpoint, NetworkSummary, PortMapping } from '../../../shared/contract';
import type { ConnectResult, HttpResult, ResolveResult } from './script';

/** A container as the doctor sees it: its state, its network namespace, networks and ports. */
export interface ContainerFacts {
  id: string;
  name: string;
  state: string;
  health?: Health;
  /** Whose network namespace it uses: its own id, or the container it joined (a pod's infra). */
  netns: string;
  /** `bridge`: networks of its own (or its pod's); `host`: this computer's; `none`: no network. */
  mode: 'bridge' | 'host' | 'none';
  pod?: string;
  endpoints: NetworkEndpoint[];
  published: PortMapping[];
  /** Ports its image declares (EXPOSE): a hint of what it serves, not a promise. */
  exposed: number[];
  /** Its Compose service, the name other services use. */
  service?: string;
}

export type NetworkFacts = Pick<NetworkSummary, 'name' | 'dnsEnabled' | 'internal' | 'isDefault' | 'driver'>;

export type RunnerFacts =
  | { kind: 'exec' }
  | { kind: 'helper'; image: string }
  /** A lacks tools and the helper's image is not here: the user decides. */
  | { kind: 'needs-helper'; image: string; missing: string[] }
  /** Neither A nor the helper image can run the checks. */
  | { kind: 'no-tools'; image: string; missing: string[] }
  | { kind: 'failed'; message: string };

export interface ProbeFacts {
  runner?: RunnerFacts;
  resolve?: ResolveResult;
  connect?: ConnectResult;
  /** When the name does not resolve: B's own address on the same port, to tell the name from the route. */
  byIp?: { address: string; result: ConnectResult };
  http?: HttpResult;
  /** B's listening sockets; null when they could not be read. */
  listeners?: DoctorListener[] | null;
}

export interface DoctorFacts {
  from: ContainerFacts;
  to: ContainerFacts;
  networks: NetworkFacts[];
  host: string;
  port: number;
  http: boolean;
  probes: ProbeFacts;
  done: boolean;
}

/** The fields of libpod's container inspect the doctor reads. */
export interface InspectedContainer {
  Id: string;
  Name?: string;
  Pod?: string;
  State?: {
    Status?: string;
    Running?: boolean;
    Paused?: boolean;
    Health?: { Status?: string } | null;
    Healthcheck?: { Status?: string } | null;
  };
  Config?: { ExposedPorts?: Record<string, unknown> | null; Labels?: Record<string, string> | null };
  HostConfig?: { NetworkMode?: string };
  NetworkSettings?: {
    Networks?: Record<
      string,
      { IPAddress?: string; GlobalIPv6Address?: string; Gateway?: string; IPv6Gateway?: string; Aliases?: string[] | null }
    > | null;
    Ports?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null;
  };
}

const HEALTH = new Set(['healthy', 'unhealthy', 'starting']);

export function containerFacts(raw: InspectedContainer): ContainerFacts {
  const shortId = raw.Id.slice(0, 12);
  const mode = raw.HostConfig?.NetworkMode ?? 'bridge';
  const joined = /^container:(.+)$/.exec(mode)?.[1];
  const endpoints: NetworkEndpoint[] = Object.entries(raw.NetworkSettings?.Networks ?? {}).map(([network, n]) => {
    const e: NetworkEndpoint = { network, aliases: (n.Aliases ?? []).filter((a) => a !== shortId) };
    if (n.IPAddress) e.ipv4 = n.IPAddress;
    if (n.GlobalIPv6Address) e.ipv6 = n.GlobalIPv6Address;
    if (n.Gateway) e.gateway = n.Gateway;
    return e;
  });
  const published: PortMapping[] = [];
  for (const [key, bindings] of Object.entries(raw.NetworkSettings?.Ports ?? {})) {
    const [port, protocol = 'tcp'] = key.split('/');
    for (const b of bindings ?? [])
      if (b.HostPort)
        published.push({ hostIp: b.HostIp ?? '', hostPort: Number(b.HostPort), containerPort: Number(port), protocol });
  }
  const exposed = Object.keys(raw.Config?.ExposedPorts ?? {})
    .filter((k) => k.endsWith('/tcp') || !k.includes('/'))
    .map((k) => Number(k.split('/')[0]))
    .filter((p) => Number.isInteger(p) && p > 0);
  const health = raw.State?.Health?.Status ?? raw.State?.Healthcheck?.Status;
  const labels = raw.Config?.Labels ?? {};
  const service = labels['com.docker.compose.service'] ?? labels['io.podman.compose.service'];
  const facts: ContainerFacts = {
    id: raw.Id,
    name: (raw.Name ?? shortId).replace(/^\//, ''),
    state: raw.State?.Paused ? 'paused' : (raw.State?.Status ?? 'unknown'),
    netns: joined ?? raw.Id,
    mode: mode === 'host' ? 'host' : mode === 'none' ? 'none' : 'bridge',
    endpoints,
    published,
    exposed: [...new Set(exposed)].sort((a, b) => a - b),
  };
  if (health && HEALTH.has(health)) facts.health = health as Health;
  if (raw.Pod) facts.pod = raw.Pod;
  if (service) facts.service = service;
  return facts;
}
