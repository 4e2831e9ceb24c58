import { Badge, Group, Stack, Text } from '@mantine/core';
import { IconBox, IconNetwork, IconPlug } from '@tabler/icons-react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { TopologyNode } from './graph';
import { stateColor } from '../containers/state';

export type NodeData = { node: TopologyNode };

const card = (border: string) => ({
  width: '100%',
  height: '100%',
  borderRadius: 8,
  border: `1px solid ${border}`,
  background: 'var(--mantine-color-body)',
  padding: '6px 10px',
  boxShadow: '0 1px 3px rgba(0,0,0,0.08)',
  cursor: 'pointer',
});

export function ContainerNode({ data }: NodeProps & { data: NodeData }) {
  if (data.node.kind !== 'container') return null;
  const c = data.node.container;
  const color = stateColor[c.state];
  return (
    <div
      style={card(`var(--mantine-color-${color}-5)`)}
      data-testid="topology-node"
      data-kind="container"
      data-name={c.name}
      data-state={c.state}
    >
      <Handle type="target" position={Position.Left} />
      <Group gap={6} wrap="nowrap">
        <IconBox size={16} color={`var(--mantine-color-${color}-6)`} style={{ flexShrink: 0 }} />
        <Text size="sm" fw={600} truncate title={c.name}>
          {c.name}
        </Text>
      </Group>
      <Group gap={6} wrap="nowrap">
        <Badge size="xs" color={color} variant="light" tt="none" style={{ flexShrink: 0 }}>
          {c.state}
        </Badge>
        <Text size="xs" c="dimmed" truncate title={c.image}>
          {c.image}
        </Text>
      </Group>
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

export function NetworkNode({ data }: NodeProps & { data: NodeData }) {
  if (data.node.kind !== 'network') return null;
  const n = data.node.network;
  return (
    <div
      style={{ ...card('var(--mantine-color-violet-5)'), background: 'var(--mantine-color-violet-light)' }}
      data-testid="topology-node"
      data-kind="network"
      data-name={n.name}
    >
      <Handle type="target" position={Position.Left} />
      <Group gap={6} wrap="nowrap">
        <IconNetwork size={16} color="var(--mantine-color-violet-6)" style={{ flexShrink: 0 }} />
        <Text size="sm" fw={600} truncate title={n.name}>
          {n.name}
        </Text>
        <Text size="xs" c="dimmed">
          {n.driver}
        </Text>
      </Group>
      <Text size="xs" ff="monospace" c="dimmed" truncate>
        {n.subnets.map((s) => s.subnet).join(', ') || 'no subnet'}
        {n.internal ? ' · internal' : ''}
      </Text>
    </div>
  );
}

export function PortNode({ data }: NodeProps & { data: NodeData }) {
  if (data.node.kind !== 'port') return null;
  const p = data.node;
  return (
    <div
      style={{ ...card('var(--mantine-color-teal-5)'), padding: '5px 8px' }}
      data-testid="topology-node"
      data-kind="port"
      data-name={String(p.hostPort)}
    >
      <Group gap={4} wrap="nowrap">
        <IconPlug size={14} color="var(--mantine-color-teal-6)" style={{ flexShrink: 0 }} />
        <Text size="xs" fw={600} ff="monospace">
          {p.hostIp && p.hostIp !== '0.0.0.0' ? `${p.hostIp}:` : ':'}
          {p.hostPort}
          {p.protocol !== 'tcp' ? `/${p.protocol}` : ''}
        </Text>
      </Group>
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

export function StackNode({ data }: NodeProps & { data: NodeData }) {
  if (data.node.kind !== 'stack') return null;
  return (
    <Stack
      gap={0}
      style={{
        width: '100%',
        height: '100%',
        borderRadius: 12,
        border: '1.5px dashed var(--mantine-color-grape-4)',
        background: 'rgba(190, 75, 219, 0.05)',
        padding: '6px 12px',
      }}
      data-testid="topology-node"
      data-kind="stack"
      data-name={data.node.project}
    >
      <Text size="xs" fw={700} c="grape" tt="uppercase">
        stack {data.node.project}
      </Text>
    </Stack>
  );
}

export const nodeTypes = { container: ContainerNode, network: NetworkNode, port: PortNode, stack: StackNode };
