import { cidrContains, cidrsOverlap, parseCidr, parseIp, parseRange, type Cidr } from '../../../shared/cidr';
import type { CallArgs, NetworkSummary } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { LIBPOD, type Engine } from '../engine';
import type { LiveCollection } from '../live-collection';
import { containersUsing } from '../users';
import { toNetworkSummary, type LibpodNetwork } from './networks';

export interface NetworkActions {
  drivers(): Promise<string[]>;
  create(input: CallArgs<'networks.create'>): Promise<NetworkSummary>;
  remove(name: string): Promise<void>;
  prune(names: string[]): Promise<{ removed: string[]; kept: { name: string; reason: string }[] }>;
  connect(input: CallArgs<'networks.connect'>): Promise<void>;
  disconnect(input: CallArgs<'networks.disconnect'>): Promise<void>;
}

export interface NetworkActionDeps {
  engine(): Engine;
  networks: LiveCollection<NetworkSummary>;
  /** The engine's version ("4.3.1"), to say plainly what it cannot do. */
  engineVersion(): string | undefined;
}

function atLeast(version: string | undefined, major: number, minor: number): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return true; // unknown: let the engine decide
  return Number(m[1]) > major || (Number(m[1]) === major && Number(m[2]) >= minor);
}

const subnetsOf = (n: NetworkSummary): Cidr[] => n.subnets.map((s) => parseCidr(s.subnet)).flatMap((r) => (r.ok ? [r.cidr] : []));

export function networkActions(deps: NetworkActionDeps): NetworkActions {
  const path = (name: string) => `${LIBPOD}/networks/${encodeURIComponent(name)}`;

  const drivers = async () => {
    const info = await deps.engine().json<{ plugins?: { network?: string[] } }>('GET', `${LIBPOD}/info`);
    return info.plugins?.network?.length ? info.plugins.network : ['bridge', 'macvlan'];
  };

  return {
    drivers,

    async create(input) {
      if (deps.networks.get(input.name)) throw new AppError('CONFLICT', `A network named “${input.name}” already exists`);
      const available = await drivers();
      if (!available.includes(input.driver)) {
        throw new AppError('INVALID_INPUT', `This Podman has no ${input.driver} driver (it offers ${available.join(', ')})`);
      }
      if (input.dnsServers.length > 0 && !atLeast(deps.engineVersion(), 4, 5)) {
        throw new AppError(
          'INVALID_INPUT',
          `Podman ${deps.engineVersion()} cannot set DNS servers per network (Podman 4.5 and later can); leave them empty`,
        );
      }
      const subnets = input.subnets.map((s) => {
        const cidr = (parseCidr(s.subnet) as { ok: true; cidr: Cidr }).cidr;
        for (const other of deps.networks.items())
          for (const used of subnetsOf(other))
            if (cidrsOverlap(cidr, used))
              throw new AppError('CONFLICT', `${cidr.text} overlaps ${used.text} of the network “${other.name}”`);
        const body: Record<string, unknown> = { subnet: cidr.text };
        if (s.gateway) body.gateway = s.gateway;
        if (s.range) {
          const range = parseRange(cidr, s.range) as { ok: true; start: string; end: string };
          body.lease_range = { start_ip: range.start, end_ip: range.end };
        }
        return body;
      });
      const body: Record<string, unknown> = {
        name: input.name,
        driver: input.driver,
        subnets,
        internal: input.internal,
        ipv6_enabled: input.ipv6,
        dns_enabled: input.dnsEnabled,
        labels: input.labels,
        options: {},
      };
      // macvlan and ipvlan attach to a host interface: libpod calls it the network interface.
      if (input.parent) body.network_interface = input.parent;
      if (input.dnsServers.length > 0) body.network_dns_servers = input.dnsServers;
      const created = toNetworkSummary(await deps.engine().json<LibpodNetwork>('POST', `${LIBPOD}/networks/create`, { body }));
      // Podman 4.3 emits no event for this: the cache learns it from us.
      deps.networks.put(created);
      return created;
    },

    async remove(name) {
      const network = deps.networks.get(name);
      if (network?.isDefault) throw new AppError('CONFLICT', `“${name}” is Podman’s default network and cannot be removed`);
      const users = await containersUsing(deps.engine(), { network: name });
      if (users.length > 0) {
        throw new AppError(
          'CONFLICT',
          `“${name}” is in use by ${users.length === 1 ? 'the container' : `${users.length} containers:`} ${users.join(', ')}. Disconnect ${users.length === 1 ? 'it' : 'them'} first.`,
          { containers: users },
        );
      }
      try {
        await deps.engine().json('DELETE', path(name));
      } catch (error) {
        if ((error as AppError).code === 'NOT_FOUND') {
          deps.networks.drop(name);
          return;
        }
        throw error;
      }
      deps.networks.drop(name);
    },

    async prune(names) {
      const removed: string[] = [];
      const kept: { name: string; reason: string }[] = [];
      for (const name of names) {
        const users = await containersUsing(deps.engine(), { network: name });
        if (deps.networks.get(name)?.isDefault) kept.push({ name, reason: 'the default network' });
        else if (users.length > 0) kept.push({ name, reason: `in use by ${users.join(', ')}` });
        else {
          try {
            await deps.engine().json('DELETE', path(name));
            deps.networks.drop(name);
            removed.push(name);
          } catch (error) {
            kept.push({ name, reason: (error as Error).message });
          }
        }
      }
      return { removed, kept };
    },

    async connect({ network, container, aliases, ipv4, ipv6 }) {
      let known = deps.networks.get(network);
      if (!known) {
        // Made in a terminal: Podman 4.3 announced nothing, so ask for that one network.
        deps.networks.refresh(network);
        await deps.networks.idle();
        known = deps.networks.get(network);
      }
      if (!known) throw new AppError('NOT_FOUND', `No network named “${network}”`);
      const subnets = subnetsOf(known);
      for (const ip of [ipv4, ipv6]) {
        if (!ip) continue;
        const parsed = parseIp(ip)!;
        if (subnets.length > 0 && !subnets.some((s) => cidrContains(s, parsed))) {
          throw new AppError(
            'INVALID_INPUT',
            `${ip} is not inside ${known.name}’s subnets (${known.subnets.map((s) => s.subnet).join(', ')})`,
          );
        }
      }
      if (ipv4 && parseIp(ipv4)!.family !== 4) throw new AppError('INVALID_INPUT', `${ipv4} is not an IPv4 address`);
      if (ipv6 && parseIp(ipv6)!.family !== 6) throw new AppError('INVALID_INPUT', `${ipv6} is not an IPv6 address`);
      // Podman 4.3 answers OK to a second connect and changes nothing: say so instead.
      const inspected = await deps
        .engine()
        .json<{ Name?: string; NetworkSettings?: { Networks?: Record<string, unknown> } }>(
          'GET',
          `/containers/${encodeURIComponent(container)}/json`,
        );
      if (inspected.NetworkSettings?.Networks?.[network]) {
        throw new AppError('CONFLICT', `${(inspected.Name ?? container).replace(/^\//, '')} is already connected to ${network}`);
      }
      const body: Record<string, unknown> = { container, aliases };
      const staticIps = [ipv4, ipv6].filter(Boolean);
      if (staticIps.length) body.static_ips = staticIps;
      await deps.engine().json('POST', `${path(network)}/connect`, { body });
    },

    async disconnect({ network, container, force }) {
      await deps.engine().json('POST', `${path(network)}/disconnect`, { body: { Container: container, Force: force } });
    },
  };
}
