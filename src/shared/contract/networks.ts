import { z } from 'zod';
import { checkGateway, cidrsOverlap, parseCidr, parseIp, parseRange } from '../cidr';
import { call, stream } from './define';
import { kind } from './kinds';
import { containerRef, type LiveChange } from './containers';

export interface Subnet {
  subnet: string;
  gateway?: string;
  /** The addresses Podman hands out, when narrower than the subnet. */
  range?: { start: string; end: string };
}

export interface NetworkSummary {
  id: string;
  name: string;
  driver: string;
  /** The host interface (bridge) or parent (macvlan). */
  interface?: string;
  /** Seconds since the epoch. */
  created: number;
  subnets: Subnet[];
  internal: boolean;
  ipv6: boolean;
  dnsEnabled: boolean;
  dnsServers: string[];
  labels: Record<string, string>;
  options: Record<string, string>;
  /** Podman's default network ("podman"): it cannot be removed. */
  isDefault: boolean;
  project?: string;
}

export interface NetworkEndpoint {
  network: string;
  ipv4?: string;
  ipv6?: string;
  mac?: string;
  gateway?: string;
  aliases: string[];
}

export interface VolumeMount {
  name: string;
  destination: string;
  rw: boolean;
}

/** How a container is wired: the networks it is on and the named volumes it mounts. */
export interface ContainerWiring {
  id: string;
  name: string;
  endpoints: NetworkEndpoint[];
  volumes: VolumeMount[];
}

export const networkName = kind(
  'name',
  z
    .string()
    .min(1, 'A network name is required')
    .max(255)
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'A network name starts with a letter or digit and uses only letters, digits, _ . -'),
);

const ipAddress = kind(
  'network-address',
  z
    .string()
    .trim()
    .max(64)
    .refine((t) => parseIp(t) !== null, 'Not an IP address'),
);

const alias = kind(
  'name',
  z
    .string()
    .trim()
    .min(1)
    .max(253)
    .regex(/^[a-zA-Z0-9]([a-zA-Z0-9_.-]*[a-zA-Z0-9])?$/, 'An alias is a DNS name: letters, digits, - _ .'),
);

const subnetInput = z
  .object({
    subnet: kind('network-address', z.string().trim().min(1, 'A subnet is required').max(64)),
    gateway: kind('network-address', z.string().trim().max(64)).optional(),
    range: kind('network-address', z.string().trim().max(64)).optional(),
  })
  .superRefine((s, ctx) => {
    const parsed = parseCidr(s.subnet);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', path: ['subnet'], message: parsed.message });
      return;
    }
    if (s.gateway) {
      const problem = checkGateway(parsed.cidr, s.gateway);
      if (problem) ctx.addIssue({ code: 'custom', path: ['gateway'], message: problem });
    }
    if (s.range) {
      const range = parseRange(parsed.cidr, s.range);
      if (!range.ok) ctx.addIssue({ code: 'custom', path: ['range'], message: range.message });
    }
  });

export const networkCreateInput = z
  .object({
    name: networkName,
    driver: z.enum(['bridge', 'macvlan', 'ipvlan']).default('bridge'),
    /** macvlan / ipvlan: the host interface to attach to. */
    parent: kind('name', z.string().trim().max(15)).optional(),
    subnets: z.array(subnetInput).max(8).default([]),
    internal: z.boolean().default(false),
    ipv6: z.boolean().default(false),
    dnsEnabled: z.boolean().default(true),
    dnsServers: z.array(ipAddress).max(8).default([]),
    labels: z.record(kind('name', z.string().min(1).max(255)), kind('text', z.string().max(4096))).default({}),
  })
  .superRefine((n, ctx) => {
    const parsed = n.subnets.map((s) => parseCidr(s.subnet)).flatMap((r) => (r.ok ? [r.cidr] : []));
    for (let i = 0; i < parsed.length; i++)
      for (let j = i + 1; j < parsed.length; j++)
        if (cidrsOverlap(parsed[i]!, parsed[j]!))
          ctx.addIssue({
            code: 'custom',
            path: ['subnets', j, 'subnet'],
            message: `${parsed[j]!.text} overlaps ${parsed[i]!.text}`,
          });
    if (n.driver !== 'bridge' && n.subnets.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['subnets'],
        message: `A ${n.driver} network needs a subnet (Podman has no DHCP for it here)`,
      });
    if (n.driver === 'bridge' && n.parent)
      ctx.addIssue({ code: 'custom', path: ['parent'], message: 'Only macvlan and ipvlan networks have a parent interface' });
  });
export type NetworkCreateInput = z.input<typeof networkCreateInput>;

export const networkCalls = {
  'networks.list': call(z.void()).returns<NetworkSummary[]>(),
  /** The drivers this engine offers (bridge, macvlan, ipvlan …). */
  'networks.drivers': call(z.void()).returns<string[]>(),
  'networks.create': call(networkCreateInput).returns<NetworkSummary>(),
  /** Refused while containers are attached; the error's details list them. */
  'networks.remove': call(z.object({ name: networkName })).returns<void>(),
  'networks.prune': call(z.object({ names: z.array(networkName).min(1) })).returns<{
    removed: string[];
    kept: { name: string; reason: string }[];
  }>(),
  'networks.connect': call(
    z.object({
      network: networkName,
      container: containerRef,
      aliases: z.array(alias).max(32).default([]),
      ipv4: ipAddress.optional(),
      ipv6: ipAddress.optional(),
    }),
  ).returns<void>(),
  'networks.disconnect': call(
    z.object({ network: networkName, container: containerRef, force: z.boolean().default(false) }),
  ).returns<void>(),
};

export const networkStreams = {
  'networks.watch': stream(z.void()).emits<LiveChange<NetworkSummary>>(),
  /** Each container's networks (with addresses and aliases) and named volumes, live. */
  'wiring.watch': stream(z.void()).emits<LiveChange<ContainerWiring>>(),
};
