import { defaultGateway, parseCidr } from '../cidr';
import { command, opt, type Command } from './command';

export interface NetworkCreateSpec {
  name: string;
  driver?: string;
  parent?: string;
  subnets?: { subnet: string; gateway?: string; range?: string }[];
  internal?: boolean;
  ipv6?: boolean;
  dnsEnabled?: boolean;
  dnsServers?: string[];
  labels?: Record<string, string>;
}

/**
 * The CLI pairs the n-th --gateway and --ip-range with the n-th --subnet: a subnet without a
 * gateway before one with a gateway gets Podman's default written out (the same network); a
 * subnet without a range before one with a range cannot be said, and the comment says so.
 */
function subnetGroups(subnets: NonNullable<NetworkCreateSpec['subnets']>): { groups: string[][]; notes: string[] } {
  const lastGateway = subnets.findLastIndex((s) => s.gateway);
  const lastRange = subnets.findLastIndex((s) => s.range);
  const notes: string[] = [];
  const groups = subnets.flatMap((s, i) => {
    const parsed = parseCidr(s.subnet);
    const gateway = s.gateway ?? (i < lastGateway && parsed.ok ? defaultGateway(parsed.cidr) : undefined);
    if (!s.range && i < lastRange) notes.push(`the CLI cannot leave ${s.subnet} without a range when a later subnet has one`);
    if (s.range?.includes('-')) notes.push('a first-last --ip-range needs a newer Podman than 4.3, which takes a CIDR only');
    return [['--subnet', s.subnet], gateway ? ['--gateway', gateway] : [], s.range ? ['--ip-range', s.range] : []];
  });
  return { groups, notes };
}

export const networkCreateCommand = (n: NetworkCreateSpec): Command => {
  const subnets = subnetGroups(n.subnets ?? []);
  return command(
    [
      ['podman', 'network', 'create'],
      n.driver && n.driver !== 'bridge' ? ['--driver', n.driver] : [],
      n.parent ? ['-o', `parent=${n.parent}`] : [],
      ...subnets.groups,
      n.internal && ['--internal'],
      n.ipv6 && ['--ipv6'],
      n.dnsEnabled === false && ['--disable-dns'],
      ...(n.dnsServers ?? []).map((d) => ['--dns', d]),
      ...Object.entries(n.labels ?? {}).map(([k, v]) => opt('--label', `${k}=${v}`)),
      [n.name],
    ],
    subnets.notes.length > 0 ? { comment: subnets.notes.join('; ') } : {},
  );
};

export const networkRemoveCommand = (names: string | readonly string[]): Command =>
  command([['podman', 'network', 'rm'], typeof names === 'string' ? [names] : [...names]]);

export const networkConnectCommand = (input: {
  network: string;
  container: string;
  aliases?: string[];
  ipv4?: string;
  ipv6?: string;
}): Command =>
  command([
    ['podman', 'network', 'connect'],
    ...(input.aliases ?? []).map((a) => ['--alias', a]),
    input.ipv4 ? ['--ip', input.ipv4] : [],
    input.ipv6 ? ['--ip6', input.ipv6] : [],
    [input.network, input.container],
  ]);

export const networkDisconnectCommand = (input: { network: string; container: string; force?: boolean }): Command =>
  command([['podman', 'network', 'disconnect'], input.force && ['-f'], [input.network, input.container]]);

/** PodDesk removes exactly the unused networks it listed: `podman network rm` of those names. */
export const networkPruneCommand = (names: readonly string[]): Command =>
  command([['podman', 'network', 'rm'], [...names]], {
    comment: 'the unused networks listed; podman network prune removes every unused one',
  });
