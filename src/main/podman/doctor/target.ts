import { parseIp } from '../../../shared/cidr';
import type { NetworkEndpoint } from '../../../shared/contract';
import type { ContainerFacts, DoctorFacts, NetworkFacts } from './facts';

/**
 * What the address the user typed means, seen from A: A itself (localhost), this computer
 * (host.containers.internal, A's gateway), B by one of its addresses or names, or something else.
 */
export type TargetKind = 'loopback' | 'host' | 'b-ip' | 'b-name' | 'ip' | 'name';

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);
const HOST_NAMES = new Set(['host.containers.internal', 'host.docker.internal', 'gateway.docker.internal']);

/** Lower case, no trailing dot, no `.dns.podman` (aardvark's search domain): how DNS compares names. */
export function normalName(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/\.dns\.podman$/, '');
}

export function isIpAddress(host: string): boolean {
  return parseIp(host) !== null;
}

function sameIp(a: string, b: string): boolean {
  const x = parseIp(a);
  const y = parseIp(b);
  return x !== null && y !== null && x.family === y.family && x.value === y.value;
}

export function addressesOf(c: ContainerFacts): string[] {
  return c.endpoints.flatMap((e) => [e.ipv4, e.ipv6].filter((a): a is string => Boolean(a)));
}

export function isAddressOf(c: ContainerFacts, address: string): boolean {
  return addressesOf(c).some((a) => sameIp(a, address));
}

/** The names B answers to on one network: its name and that network's aliases (aardvark registers both). */
export function namesOn(b: ContainerFacts, endpoint: NetworkEndpoint): string[] {
  return [...new Set([b.name, ...endpoint.aliases].map(normalName))];
}

/** Every name B has somewhere: its name, short id, Compose service, aliases on any network. */
export function allNames(b: ContainerFacts): string[] {
  return [
    ...new Set(
      [b.name, b.id.slice(0, 12), ...(b.service ? [b.service] : []), ...b.endpoints.flatMap((e) => e.aliases)].map(normalName),
    ),
  ];
}

export function classifyTarget(f: Pick<DoctorFacts, 'from' | 'to' | 'host'>): TargetKind {
  const host = normalName(f.host);
  if (LOOPBACK_NAMES.has(host)) return 'loopback';
  const ip = parseIp(host);
  if (ip) {
    if (ip.family === 4 && ip.value >> 24n === 127n) return 'loopback';
    if (ip.value === 0n || (ip.family === 6 && ip.value === 1n)) return 'loopback';
    if (isAddressOf(f.to, host)) return 'b-ip';
    if (f.from.endpoints.some((e) => e.gateway && sameIp(e.gateway, host))) return 'host';
    return 'ip';
  }
  if (HOST_NAMES.has(host)) return 'host';
  if (allNames(f.to).includes(host)) return 'b-name';
  return 'name';
}

/** The networks both are on (B's endpoints on them). */
export function commonEndpoints(f: Pick<DoctorFacts, 'from' | 'to'>): NetworkEndpoint[] {
  const mine = new Set(f.from.endpoints.map((e) => e.network));
  return f.to.endpoints.filter((e) => mine.has(e.network));
}

/** A and B in one network namespace (a pod, or one joined the other's): localhost is shared. */
export function sharesNetns(f: Pick<DoctorFacts, 'from' | 'to'>): boolean {
  const { from: a, to: b } = f;
  return a.netns === b.netns || a.netns === b.id || b.netns === a.id;
}

export function networkOf(f: Pick<DoctorFacts, 'networks'>, name: string): NetworkFacts {
  return (
    f.networks.find((n) => n.name === name) ?? {
      name,
      driver: 'bridge',
      dnsEnabled: false,
      internal: false,
      isDefault: name === 'podman',
    }
  );
}

/** The name to suggest for B: its Compose service where it answers to it, else its name. */
export function bestName(b: ContainerFacts, on: NetworkEndpoint[]): string {
  const names = on.flatMap((e) => namesOn(b, e));
  if (b.service && names.includes(normalName(b.service))) return b.service;
  return b.name;
}

/** What a port means for B: its own port, or one of this computer's that leads to it. */
export function mappingFor(b: ContainerFacts, hostPort: number) {
  return b.published.find((p) => p.hostPort === hostPort && p.protocol === 'tcp');
}

export function publishedAs(b: ContainerFacts, containerPort: number) {
  return b.published.find((p) => p.containerPort === containerPort && p.protocol === 'tcp');
}
