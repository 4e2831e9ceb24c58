import { HELPER_LABEL } from '../../../shared/labels';
import type { ContainerWiring, NetworkEndpoint, VolumeMount } from '../../../shared/contract';
import type { Engine } from '../engine';
import type { EngineEvent } from '../events';
import type { LiveCollection, LiveCollectionSource } from '../live-collection';

/**
 * The compat list is the one answer that carries, per container, each network's addresses and
 * aliases and each mount's volume name; libpod's list has only network names and mount paths.
 */
interface CompatContainer {
  Id: string;
  Names?: string[];
  Labels?: Record<string, string> | null;
  NetworkSettings?: {
    Networks?: Record<
      string,
      {
        Aliases?: string[] | null;
        IPAddress?: string;
        GlobalIPv6Address?: string;
        MacAddress?: string;
        Gateway?: string;
      }
    > | null;
  } | null;
  Mounts?: { Type?: string; Name?: string; Destination?: string; RW?: boolean }[] | null;
}

export function toWiring(raw: CompatContainer): ContainerWiring {
  const shortId = raw.Id.slice(0, 12);
  const endpoints: NetworkEndpoint[] = Object.entries(raw.NetworkSettings?.Networks ?? {}).map(([network, n]) => {
    const endpoint: NetworkEndpoint = {
      network,
      // Podman adds the short id as an alias of every container: true, but noise to a reader.
      aliases: (n.Aliases ?? []).filter((a) => a !== shortId),
    };
    if (n.IPAddress) endpoint.ipv4 = n.IPAddress;
    if (n.GlobalIPv6Address) endpoint.ipv6 = n.GlobalIPv6Address;
    if (n.MacAddress) endpoint.mac = n.MacAddress;
    if (n.Gateway) endpoint.gateway = n.Gateway;
    return endpoint;
  });
  const volumes: VolumeMount[] = (raw.Mounts ?? [])
    .filter((m) => m.Type === 'volume' && m.Name)
    .map((m) => ({ name: m.Name!, destination: m.Destination ?? '', rw: m.RW !== false }));
  return { id: raw.Id, name: (raw.Names?.[0] ?? shortId).replace(/^\//, ''), endpoints, volumes };
}

const isHelper = (raw: CompatContainer) => Boolean(raw.Labels?.[HELPER_LABEL]);

export function wiringSource(engine: () => Engine, onError?: (error: unknown) => void): LiveCollectionSource<ContainerWiring> {
  const list = async (filters?: Record<string, string[]>) => {
    const raw = await engine().json<CompatContainer[]>('GET', '/containers/json', {
      query: filters ? { all: true, filters } : { all: true },
    });
    return (raw ?? []).filter((c) => !isHelper(c));
  };
  return {
    key: (w) => w.id,
    listAll: async () => (await list()).map(toWiring),
    async fetchOne(id) {
      const found = (await list({ id: [id] })).find((c) => c.Id === id || c.Id.startsWith(id));
      return found ? toWiring(found) : null;
    },
    resolveId(idOrName, cache) {
      if (cache.has(idOrName)) return idOrName;
      for (const w of cache.values()) if (w.name === idOrName || w.id.startsWith(idOrName)) return w.id;
      return undefined;
    },
    onError,
  };
}

/** The container events after which a container's addresses or mounts may differ. */
const rewiring = new Set(['create', 'start', 'restart', 'died', 'cleanup', 'rename']);

export function applyWiringEvent(event: EngineEvent, wiring: LiveCollection<ContainerWiring>): void {
  if (event.type === 'network' && (event.action === 'connect' || event.action === 'disconnect')) {
    // Podman 4.3 names the container in the event's id; later versions in an attribute.
    const container = event.attributes.container ?? event.id;
    if (container) wiring.refresh(container);
    return;
  }
  if (event.type !== 'container' || !event.id) return;
  if (event.action === 'remove' || event.action === 'destroy') wiring.drop(event.id);
  else if (rewiring.has(event.action)) wiring.refresh(event.id);
}
