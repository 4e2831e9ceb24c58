import type { ContainerSummary, ContainerWiring, NetworkEndpoint, NetworkSummary } from '../../../../shared/contract';

/**
 * The topology as plain data: what is drawn, before any layout. Networks, containers (grouped by
 * stack), and the host ports they publish; edges say who is on which network, at which address.
 */
export type TopologyNode =
  | { id: string; kind: 'network'; network: NetworkSummary }
  | { id: string; kind: 'container'; container: ContainerSummary; parent?: string }
  | { id: string; kind: 'port'; hostIp: string; hostPort: number; containerPort: number; protocol: string }
  | { id: string; kind: 'stack'; project: string; members: string[] };

export interface TopologyEdge {
  id: string;
  source: string;
  target: string;
  label?: string;
  kind: 'network' | 'port';
}

import { isMachinery } from '../../../../shared/labels';

export function buildTopology(
  networks: NetworkSummary[],
  containers: ContainerSummary[],
  wiring: ContainerWiring[],
): { nodes: TopologyNode[]; edges: TopologyEdge[] } {
  const nodes: TopologyNode[] = [];
  const edges: TopologyEdge[] = [];
  const wiringById = new Map(wiring.map((w) => [w.id, w]));
  const shown = containers.filter((c) => !isMachinery(c)).sort((a, b) => a.name.localeCompare(b.name));
  const networkIds = new Set<string>();
  for (const n of [...networks].sort((a, b) => a.name.localeCompare(b.name))) {
    nodes.push({ id: `n:${n.name}`, kind: 'network', network: n });
    networkIds.add(`n:${n.name}`);
  }

  const stacks = new Map<string, string[]>();
  for (const c of shown) if (c.project) stacks.set(c.project, [...(stacks.get(c.project) ?? []), `c:${c.id}`]);
  for (const [project, members] of [...stacks].sort(([a], [b]) => a.localeCompare(b))) {
    nodes.push({ id: `s:${project}`, kind: 'stack', project, members });
  }

  const ports = new Set<string>();
  for (const c of shown) {
    const id = `c:${c.id}`;
    nodes.push(
      c.project ? { id, kind: 'container', container: c, parent: `s:${c.project}` } : { id, kind: 'container', container: c },
    );
    const endpoints: NetworkEndpoint[] =
      wiringById.get(c.id)?.endpoints ?? c.networks.map((network) => ({ network, aliases: [] }));
    for (const e of endpoints) {
      const target = `n:${e.network}`;
      if (!networkIds.has(target)) continue; // e.g. host or none: no network object to draw
      const address = [e.ipv4, e.ipv6].filter(Boolean).join(' ');
      const label = [address, e.aliases.length ? `aka ${e.aliases.join(', ')}` : ''].filter(Boolean).join(' · ');
      edges.push({ id: `e:${c.id}:${e.network}`, source: id, target, kind: 'network', ...(label ? { label } : {}) });
    }
    for (const p of c.ports) {
      if (!p.hostPort) continue;
      const portId = `p:${p.hostIp || '0.0.0.0'}:${p.hostPort}/${p.protocol}`;
      if (!ports.has(portId)) {
        ports.add(portId);
        nodes.push({
          id: portId,
          kind: 'port',
          hostIp: p.hostIp,
          hostPort: p.hostPort,
          containerPort: p.containerPort,
          protocol: p.protocol,
        });
      }
      edges.push({
        id: `e:${portId}:${c.id}`,
        source: portId,
        target: id,
        kind: 'port',
        label: `→ ${p.containerPort}/${p.protocol}`,
      });
    }
  }
  return { nodes, edges };
}

export const NODE_SIZE: Record<TopologyNode['kind'], { width: number; height: number }> = {
  network: { width: 210, height: 64 },
  container: { width: 210, height: 58 },
  port: { width: 130, height: 34 },
  stack: { width: 0, height: 0 },
};
