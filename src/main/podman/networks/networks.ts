import type { NetworkSummary, Subnet } from '../../../shared/contract';
import { LIBPOD, type Engine } from '../engine';
import type { EngineEvent } from '../events';
import type { LiveCollection, LiveCollectionSource } from '../live-collection';

/** A network as libpod's `/networks/json` returns it (the fields we read). */
export interface LibpodNetwork {
  name: string;
  id: string;
  driver?: string;
  network_interface?: string;
  created?: string;
  subnets?: { subnet: string; gateway?: string; lease_range?: { start_ip?: string; end_ip?: string } }[] | null;
  ipv6_enabled?: boolean;
  internal?: boolean;
  dns_enabled?: boolean;
  network_dns_servers?: string[] | null;
  labels?: Record<string, string> | null;
  options?: Record<string, string> | null;
}

export const DEFAULT_NETWORK = 'podman';

export function toNetworkSummary(raw: LibpodNetwork): NetworkSummary {
  const labels = raw.labels ?? {};
  const created = raw.created ? Date.parse(raw.created) : NaN;
  const subnets: Subnet[] = (raw.subnets ?? []).map((s) => {
    const subnet: Subnet = { subnet: s.subnet };
    if (s.gateway) subnet.gateway = s.gateway;
    if (s.lease_range?.start_ip || s.lease_range?.end_ip) {
      subnet.range = { start: s.lease_range.start_ip ?? '', end: s.lease_range.end_ip ?? '' };
    }
    return subnet;
  });
  const summary: NetworkSummary = {
    id: raw.id,
    name: raw.name,
    driver: raw.driver ?? 'bridge',
    created: Number.isFinite(created) ? Math.floor(created / 1000) : 0,
    subnets,
    internal: Boolean(raw.internal),
    ipv6: Boolean(raw.ipv6_enabled),
    dnsEnabled: Boolean(raw.dns_enabled),
    dnsServers: raw.network_dns_servers ?? [],
    labels,
    options: raw.options ?? {},
    isDefault: raw.name === DEFAULT_NETWORK,
  };
  if (raw.network_interface) summary.interface = raw.network_interface;
  const project = labels['com.docker.compose.project'] ?? labels['io.podman.compose.project'];
  if (project) summary.project = project;
  return summary;
}

export function networkSource(engine: () => Engine, onError?: (error: unknown) => void): LiveCollectionSource<NetworkSummary> {
  return {
    key: (n) => n.name,
    async listAll() {
      const raw = await engine().json<LibpodNetwork[]>('GET', `${LIBPOD}/networks/json`);
      return (raw ?? []).map(toNetworkSummary);
    },
    async fetchOne(name) {
      try {
        return toNetworkSummary(await engine().json<LibpodNetwork>('GET', `${LIBPOD}/networks/${encodeURIComponent(name)}/json`));
      } catch (error) {
        if ((error as { code?: string }).code === 'NOT_FOUND') return null;
        throw error;
      }
    },
    resolveId(idOrName, cache) {
      if (cache.has(idOrName)) return idOrName;
      for (const n of cache.values())
        if (n.id === idOrName || (idOrName.length >= 12 && n.id.startsWith(idOrName))) return n.name;
      return undefined;
    },
    onError,
  };
}

/**
 * Network events. Podman 4.3 sends none for create and remove (later versions do, naming the
 * network); connect and disconnect name only the container. So besides the events, the cache
 * learns of networks through the app's own actions and through containers that mention one it
 * has not seen (see `noticeNetworks`).
 */
export function applyNetworkEvent(event: EngineEvent, networks: LiveCollection<NetworkSummary>): void {
  if (event.type !== 'network') return;
  const name =
    event.attributes.network ?? (event.action === 'create' || event.action === 'remove' ? event.attributes.name : undefined);
  if (!name) return;
  if (event.action === 'remove') networks.drop(name);
  else if (event.action === 'create') networks.refresh(name);
}

/** A container is on networks the cache does not know yet: fetch just those. */
export function noticeNetworks(names: Iterable<string>, networks: LiveCollection<NetworkSummary>): void {
  for (const name of names) if (!networks.get(name)) networks.refresh(name);
}
