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

export const networkCreateCommand = (n: NetworkCreateSpec): Command =>
  command([
    ['podman', 'network', 'create'],
    n.driver && n.driver !== 'bridge' ? ['--driver', n.driver] : [],
    n.parent ? ['-o', `parent=${n.parent}`] : [],
    ...(n.subnets ?? []).flatMap((s) => [
      ['--subnet', s.subnet],
      s.gateway ? ['--gateway', s.gateway] : [],
      s.range ? ['--ip-range', s.range] : [],
    ]),
    n.internal && ['--internal'],
    n.ipv6 && ['--ipv6'],
    n.dnsEnabled === false && ['--disable-dns'],
    ...(n.dnsServers ?? []).map((d) => ['--dns', d]),
    ...Object.entries(n.labels ?? {}).map(([k, v]) => opt('--label', `${k}=${v}`)),
    [n.name],
  ]);

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
