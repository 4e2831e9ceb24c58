import '@xyflow/react/dist/style.css';
import './topology.css';
import {
  Anchor,
  Badge,
  Button,
  Code,
  Drawer,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  Title,
  useComputedColorScheme,
} from '@mantine/core';
import { IconStethoscope } from '@tabler/icons-react';
import { Background, Controls, MiniMap, ReactFlow, type Edge, type Node } from '@xyflow/react';
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { useLive } from '../../api/live';
import { EngineGate } from '../../components/ConnectionPanel';
import { navigate } from '../../lib/router';
import { stateColor } from '../containers/state';
import { openDoctor } from '../doctor/open';
import { openVolume } from '../volumes/route';
import { buildTopology, type TopologyNode } from './graph';
import { layoutTopology, type Placed } from './layout';
import { nodeTypes, type NodeData } from './TopologyNodes';
import { PickBanner } from './PickBanner';

function Details({
  node,
  graph,
  onReach,
}: {
  node: TopologyNode;
  graph: ReturnType<typeof buildTopology>;
  onReach(containerNode: string): void;
}) {
  const { value: wiring } = useLive('wiring.watch', (w) => w.id);
  if (node.kind === 'container') {
    const c = node.container;
    const w = wiring.find((x) => x.id === c.id);
    return (
      <Stack gap="sm" data-testid="topology-details" data-name={c.name}>
        <Group>
          <Badge color={stateColor[c.state]} variant="light">
            {c.state}
          </Badge>
          {c.project && (
            <Badge color="grape" variant="light">
              stack {c.project}
            </Badge>
          )}
        </Group>
        <Text size="sm">
          Image <Code>{c.image}</Code>
        </Text>
        <Text size="sm" fw={600}>
          Networks
        </Text>
        <Table>
          <Table.Tbody>
            {(w?.endpoints ?? []).map((e) => (
              <Table.Tr key={e.network}>
                <Table.Td>{e.network}</Table.Td>
                <Table.Td ff="monospace">{[e.ipv4, e.ipv6].filter(Boolean).join(' ') || '—'}</Table.Td>
                <Table.Td>{e.aliases.join(', ')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {c.ports.filter((p) => p.hostPort).length > 0 && (
          <Text size="sm">
            Ports:{' '}
            {c.ports
              .filter((p) => p.hostPort)
              .map((p) => `${p.hostIp || '0.0.0.0'}:${p.hostPort} → ${p.containerPort}/${p.protocol}`)
              .join(', ')}
          </Text>
        )}
        {(w?.volumes.length ?? 0) > 0 && (
          <Stack gap={2}>
            <Text size="sm" fw={600}>
              Volumes
            </Text>
            {w!.volumes.map((v) => (
              <Text size="sm" key={v.name + v.destination}>
                <Anchor component="button" onClick={() => openVolume(v.name)}>
                  {v.name}
                </Anchor>{' '}
                at <Code>{v.destination}</Code> {v.rw ? '' : '(read-only)'}
              </Text>
            ))}
          </Stack>
        )}
        <Group gap="sm">
          <Button
            size="xs"
            variant="light"
            leftSection={<IconStethoscope size={16} />}
            disabled={c.state !== 'running'}
            onClick={() => onReach(node.id)}
            data-testid="topology-reach"
          >
            Can it reach…?
          </Button>
          <Anchor component="button" size="sm" onClick={() => navigate('/containers')}>
            Open Containers
          </Anchor>
        </Group>
        {c.state !== 'running' && <Text size="sm">Start it to check what it can reach: the checks run inside it.</Text>}
      </Stack>
    );
  }
  if (node.kind === 'network') {
    const n = node.network;
    const attached = graph.edges.filter((e) => e.target === node.id);
    return (
      <Stack gap="sm" data-testid="topology-details" data-name={n.name}>
        <Text size="sm">
          {n.driver}
          {n.internal ? ', internal' : ''}
          {n.ipv6 ? ', IPv6' : ''}, DNS {n.dnsEnabled ? 'on' : 'off'}
        </Text>
        {n.subnets.map((s) => (
          <Text key={s.subnet} size="sm" ff="monospace">
            {s.subnet} {s.gateway ? `via ${s.gateway}` : ''}
          </Text>
        ))}
        <Text size="sm" fw={600}>
          {attached.length} container{attached.length === 1 ? '' : 's'}
        </Text>
        {attached.map((e) => {
          const c = graph.nodes.find((x) => x.id === e.source);
          return (
            <Text size="sm" key={e.id}>
              {c?.kind === 'container' ? c.container.name : e.source} {e.label ? <Code>{e.label}</Code> : null}
            </Text>
          );
        })}
        <Anchor component="button" size="sm" onClick={() => navigate('/networks')}>
          Open Networks
        </Anchor>
      </Stack>
    );
  }
  if (node.kind === 'port')
    return (
      <Stack gap="sm" data-testid="topology-details" data-name={String(node.hostPort)}>
        <Text size="sm">
          Host {node.hostIp || '0.0.0.0'}:{node.hostPort} → container port {node.containerPort}/{node.protocol}
        </Text>
        {node.protocol === 'tcp' && (
          <Anchor href={`http://localhost:${node.hostPort}`} target="_blank" rel="noreferrer" size="sm">
            Open http://localhost:{node.hostPort}
          </Anchor>
        )}
      </Stack>
    );
  return (
    <Stack gap="sm" data-testid="topology-details" data-name={node.project}>
      <Text size="sm">{node.members.length} containers in this stack.</Text>
    </Stack>
  );
}

/**
 * An edge label fits between two layers of the graph (layout.ts); a longer one (many aliases, or
 * the pod's generated one) would run under the nodes. The whole label is in the details.
 */
const LABEL_CHARS = 28;
const shortLabel = (label?: string) => (label && label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}…` : label);

function title(node: TopologyNode): string {
  switch (node.kind) {
    case 'container':
      return `Container ${node.container.name}`;
    case 'network':
      return `Network ${node.network.name}`;
    case 'port':
      return `Port ${node.hostPort}`;
    case 'stack':
      return `Stack ${node.project}`;
  }
}

export function TopologyPage() {
  const { value: networks } = useLive('networks.watch', (n) => n.name);
  const { value: containers } = useLive('containers.watch', (c) => c.id);
  const { value: wiring } = useLive('wiring.watch', (w) => w.id);
  const graph = useMemo(() => buildTopology(networks, containers, wiring), [networks, containers, wiring]);
  const [placed, setPlaced] = useState<Map<string, Placed>>(new Map());
  const [selected, setSelected] = useState<string | null>(null);
  // "Can A reach B?": A's node, while the user picks B.
  const [pickFrom, setPickFrom] = useState<string | null>(null);
  const source = graph.nodes.find((n) => n.id === pickFrom);
  const sourceContainer = source?.kind === 'container' ? source.container : null;

  const pick = (id: string) => {
    const node = graph.nodes.find((n) => n.id === id);
    if (sourceContainer) {
      // Only a container can be B; other nodes are ignored while picking, the banner says so.
      if (node?.kind !== 'container' || node.container.id === sourceContainer.id) return;
      setPickFrom(null);
      openDoctor({ from: sourceContainer.id, to: node.container.id, autoStart: true });
      return;
    }
    setSelected(id);
  };
  // React Flow selects a focused node on Enter but does not call onNodeClick: do it here, so a
  // keyboard opens a node's details (and picks B) as a click does.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    const el = (e.target as HTMLElement).closest<HTMLElement>('.react-flow__node');
    const id = el?.dataset.id;
    if (!id || el !== e.target) return;
    e.preventDefault();
    pick(id);
  };

  // Events come in bursts (create, init, start …): lay out once the burst is over.
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      layoutTopology(graph.nodes, graph.edges).then(
        (result) => live && setPlaced(result),
        () => undefined,
      );
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [graph]);

  const nodes: Node<NodeData>[] = useMemo(
    () =>
      graph.nodes
        .filter((n) => placed.has(n.id))
        .map((n) => {
          const p = placed.get(n.id)!;
          return {
            id: n.id,
            type: n.kind,
            position: { x: p.x, y: p.y },
            data: { node: n },
            ...(n.id === pickFrom ? { className: 'pd-topology-pick-from' } : {}),
            ariaLabel: title(n),
            width: p.width,
            height: p.height,
            style: { width: p.width, height: p.height },
            ...(p.parent ? { parentId: p.parent, extent: 'parent' as const } : {}),
            ...(n.kind === 'stack' ? { zIndex: -1, selectable: true } : {}),
            draggable: true,
          };
        })
        // Parents before their children, as React Flow requires.
        .sort((a, b) => Number(Boolean(a.parentId)) - Number(Boolean(b.parentId))),
    [graph, placed, pickFrom],
  );
  const edges: Edge[] = useMemo(
    () =>
      graph.edges.map((e) => ({
        id: e.id,
        source: e.source,
        target: e.target,
        label: shortLabel(e.label),
        animated: e.kind === 'port',
        style: { stroke: e.kind === 'port' ? 'var(--mantine-color-teal-5)' : 'var(--mantine-color-violet-4)', strokeWidth: 1.5 },
        // Colours from topology.css (the theme's text on the theme's page), in both schemes.
        labelStyle: { fontSize: 11, fontFamily: 'var(--mantine-font-family-monospace)' },
        labelBgPadding: [4, 2] as [number, number],
      })),
    [graph],
  );
  const chosen = graph.nodes.find((n) => n.id === selected) ?? null;
  // React Flow's own dark styles (controls, minimap, edges) follow the app's scheme.
  const colorMode = useComputedColorScheme('light');

  return (
    <Stack h="calc(100vh - 100px)">
      <Group justify="space-between">
        <Title order={2}>Topology</Title>
        <Text size="sm" c="dimmed" data-testid="topology-summary">
          {networks.length} networks · {graph.nodes.filter((n) => n.kind === 'container').length} containers ·{' '}
          {graph.nodes.filter((n) => n.kind === 'port').length} published ports
        </Text>
      </Group>
      <EngineGate>
        {sourceContainer && (
          <PickBanner
            from={sourceContainer.name}
            onList={() => {
              setPickFrom(null);
              openDoctor({ from: sourceContainer.id });
            }}
            onCancel={() => setPickFrom(null)}
          />
        )}
        <Paper withBorder style={{ flex: 1, minHeight: 480 }} data-testid="topology" onKeyDown={onKeyDown}>
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            colorMode={colorMode}
            fitView
            fitViewOptions={{ padding: 0.15 }}
            minZoom={0.2}
            onNodeClick={(_, node) => pick(node.id)}
            proOptions={{ hideAttribution: true }}
            nodesConnectable={false}
            key={placed.size === 0 ? 'empty' : 'laid'}
          >
            <Background gap={20} />
            <Controls showInteractive={false} />
            <MiniMap pannable zoomable />
          </ReactFlow>
        </Paper>
      </EngineGate>
      <Drawer
        opened={chosen !== null}
        onClose={() => setSelected(null)}
        position="right"
        title={chosen ? title(chosen) : ''}
        size="md"
      >
        {chosen && (
          <Details
            node={chosen}
            graph={graph}
            onReach={(id) => {
              setSelected(null);
              setPickFrom(id);
            }}
          />
        )}
      </Drawer>
    </Stack>
  );
}
