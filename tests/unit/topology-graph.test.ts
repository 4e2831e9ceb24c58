import { describe, expect, it } from 'vitest';
import { buildTopology } from '../../src/renderer/src/pages/topology/graph';
import type { ContainerSummary, ContainerWiring, NetworkSummary } from '../../src/shared/contract';

const net = (name: string): NetworkSummary => ({
  id: `${name}-id`,
  name,
  driver: 'bridge',
  created: 0,
  subnets: [{ subnet: '10.0.0.0/24' }],
  internal: false,
  ipv6: false,
  dnsEnabled: true,
  dnsServers: [],
  labels: {},
  options: {},
  isDefault: name === 'podman',
});
const container = (id: string, extra: Partial<ContainerSummary> = {}): ContainerSummary => ({
  id,
  name: id,
  image: 'busybox',
  imageId: 'x',
  command: '',
  state: 'running',
  created: 0,
  ports: [],
  labels: {},
  isInfra: false,
  networks: ['podman'],
  ...extra,
});

describe('the topology graph', () => {
  it('groups stacks, draws published ports once, and labels edges with addresses and aliases', () => {
    const containers = [
      container('web', { project: 'shop', ports: [{ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp' }] }),
      container('db', {
        project: 'shop',
        state: 'exited',
        ports: [{ hostIp: '', hostPort: 0, containerPort: 5432, protocol: 'tcp' }],
      }),
      container('infra', { isInfra: true }),
      container('helper', { labels: { 'io.poddesk.helper': 'volume-browser' } }),
    ];
    const wiring: ContainerWiring[] = [
      {
        id: 'web',
        name: 'web',
        volumes: [],
        endpoints: [
          { network: 'front', ipv4: '10.0.0.5', aliases: ['www'] },
          { network: 'podman', aliases: [] },
        ],
      },
      { id: 'db', name: 'db', volumes: [], endpoints: [{ network: 'host', aliases: [] }] },
    ];
    const { nodes, edges } = buildTopology([net('podman'), net('front')], containers, wiring);
    expect(nodes.map((n) => n.id).sort()).toEqual(['c:db', 'c:web', 'n:front', 'n:podman', 'p:0.0.0.0:8080/tcp', 's:shop']);
    expect(nodes.find((n) => n.id === 'c:web')).toMatchObject({ parent: 's:shop' });
    expect(nodes.find((n) => n.id === 's:shop')).toMatchObject({ members: ['c:db', 'c:web'] });
    expect(edges).toContainEqual({
      id: 'e:web:front',
      source: 'c:web',
      target: 'n:front',
      kind: 'network',
      label: '10.0.0.5 · aka www',
    });
    expect(edges).toContainEqual(expect.objectContaining({ source: 'p:0.0.0.0:8080/tcp', target: 'c:web', label: '→ 80/tcp' }));
    // "host" is no network object: no dangling edge.
    expect(edges.some((e) => e.target === 'n:host')).toBe(false);
  });

  it('falls back to the container list’s network names before the wiring arrives', () => {
    const { edges } = buildTopology([net('podman')], [container('a')], []);
    expect(edges).toEqual([{ id: 'e:a:podman', source: 'c:a', target: 'n:podman', kind: 'network' }]);
  });
});
