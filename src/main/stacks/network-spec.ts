import type { NetworkSpec } from './compose/model';

/**
 * A Compose network as libpod's network create body (Podman 4.3, netavark): driver and options,
 * internal, IPv6, and IPAM — each ipam.config block a subnet with its gateway, and ip_range as
 * the subnet's lease range (the addresses Podman hands out; fixed ipv4_address values may lie
 * outside it, as in Docker).
 */
export function networkCreateBody(spec: NetworkSpec, name: string, labels: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name,
    driver: spec.driver ?? 'bridge',
    dns_enabled: true,
    internal: spec.internal,
    labels,
    options: spec.options,
  };
  const subnets = (spec.ipam?.config ?? [])
    .filter((c) => c.subnet)
    .map((c) => ({
      subnet: c.subnet,
      ...(c.gateway ? { gateway: c.gateway } : {}),
      ...(c.ipRange ? { lease_range: leaseRange(c.subnet!, c.ipRange) } : {}),
    }));
  if (subnets.length > 0) body.subnets = subnets;
  const ipv6 = spec.enableIpv6 || subnets.some((s) => s.subnet!.includes(':'));
  if (ipv6) body.ipv6_enabled = true;
  if (spec.ipam?.driver) body.ipam_options = { driver: spec.ipam.driver };
  return body;
}

function ipv4ToNumber(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    throw new Error(`"${ip}" is not an IPv4 address`);
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

const numberToIpv4 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/** First and last address of a CIDR block. */
export function cidrBounds(cidr: string): { first: number; last: number } {
  const [ip, bits] = cidr.split('/') as [string, string | undefined];
  const prefix = bits === undefined ? 32 : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new Error(`"${cidr}" is not an IPv4 block`);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const first = (ipv4ToNumber(ip) & mask) >>> 0;
  return { first, last: (first | (~mask >>> 0)) >>> 0 };
}

/** ip_range inside the subnet as Podman's start/end, leaving out the subnet's network and broadcast addresses. */
export function leaseRange(subnet: string, ipRange: string): { start_ip: string; end_ip: string } {
  const net = cidrBounds(subnet);
  const range = cidrBounds(ipRange);
  if (range.first < net.first || range.last > net.last) throw new Error(`ip_range ${ipRange} is not inside the subnet ${subnet}`);
  const start = Math.max(range.first, net.first + 1);
  const end = Math.min(range.last, net.last - 1);
  return { start_ip: numberToIpv4(start), end_ip: numberToIpv4(end) };
}
