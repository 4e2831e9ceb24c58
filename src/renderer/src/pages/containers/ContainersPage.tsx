import { ActionIcon, Anchor, Badge, Checkbox, Group, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { IconPlayerPlay, IconPlayerStop, IconSearch, IconTrash } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import type { ContainerSummary } from '../../../../shared/contract';
import { call } from '../../api/client';
import { useLive } from '../../api/live';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EngineGate } from '../../components/ConnectionPanel';
import { notifyError } from '../../components/notify';
import { timeAgo } from '../../lib/format';
import { matches, stateColor, statusText } from './state';

function Ports({ container }: { container: ContainerSummary }) {
  const published = container.ports.filter((p) => p.hostPort > 0);
  if (published.length === 0) return <Text c="dimmed">—</Text>;
  return (
    <Group gap={6}>
      {published.map((p) => (
        <Anchor
          key={`${p.hostIp}:${p.hostPort}/${p.protocol}`}
          href={`http://localhost:${p.hostPort}`}
          target="_blank"
          rel="noreferrer"
          size="sm"
          title={`${p.hostIp || '0.0.0.0'}:${p.hostPort} → ${p.containerPort}/${p.protocol}`}
        >
          {p.hostPort}→{p.containerPort}
          {p.protocol !== 'tcp' ? `/${p.protocol}` : ''}
        </Anchor>
      ))}
    </Group>
  );
}

function useAction() {
  const [busy, setBusy] = useState<Record<string, boolean>>({});
  const run = async (id: string, title: string, action: () => Promise<unknown>) => {
    setBusy((b) => ({ ...b, [id]: true }));
    try {
      await action();
    } catch (error) {
      notifyError(title, error);
    } finally {
      setBusy((b) => ({ ...b, [id]: false }));
    }
  };
  return { busy, run };
}

function Row({
  c,
  onRemove,
  action,
}: {
  c: ContainerSummary;
  onRemove: (c: ContainerSummary) => void;
  action: ReturnType<typeof useAction>;
}) {
  const running = c.state === 'running' || c.state === 'paused' || c.state === 'restarting';
  const busy = Boolean(action.busy[c.id]);
  return (
    <Table.Tr data-testid="container-row" data-name={c.name} data-state={c.state}>
      <Table.Td>
        <Stack gap={0}>
          <Text fw={500} size="sm">
            {c.name}
          </Text>
          <Text size="xs" c="dimmed" ff="monospace">
            {c.id.slice(0, 12)}
            {c.project ? ` · stack ${c.project}` : ''}
            {c.pod ? ` · pod ${c.pod.name}` : ''}
          </Text>
        </Stack>
      </Table.Td>
      <Table.Td>
        <Text size="sm" lineClamp={1} title={c.image}>
          {c.image}
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge color={c.health === 'unhealthy' ? 'red' : stateColor[c.state]} variant="light" data-testid="state-badge">
          {statusText(c)}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Ports container={c} />
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed">
          {timeAgo(c.created)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap={4} justify="flex-end" wrap="nowrap">
          {running ? (
            <Tooltip label="Stop">
              <ActionIcon
                variant="subtle"
                aria-label={`Stop ${c.name}`}
                loading={busy}
                onClick={() => action.run(c.id, `Could not stop ${c.name}`, () => call('containers.stop', { id: c.id }))}
              >
                <IconPlayerStop size={18} />
              </ActionIcon>
            </Tooltip>
          ) : (
            <Tooltip label="Start">
              <ActionIcon
                variant="subtle"
                color="teal"
                aria-label={`Start ${c.name}`}
                loading={busy}
                onClick={() => action.run(c.id, `Could not start ${c.name}`, () => call('containers.start', { id: c.id }))}
              >
                <IconPlayerPlay size={18} />
              </ActionIcon>
            </Tooltip>
          )}
          <Tooltip label="Remove">
            <ActionIcon variant="subtle" color="red" aria-label={`Remove ${c.name}`} disabled={busy} onClick={() => onRemove(c)}>
              <IconTrash size={18} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

function RemoveDialog({
  target,
  onClose,
  action,
}: {
  target: ContainerSummary | null;
  onClose: () => void;
  action: ReturnType<typeof useAction>;
}) {
  const [volumes, setVolumes] = useState(false);
  const running = target?.state === 'running' || target?.state === 'paused';
  return (
    <ConfirmDialog
      opened={target !== null}
      title={`Remove ${target?.name ?? ''}?`}
      message={
        running
          ? 'It is running: it will be stopped and removed. Its named volumes are kept.'
          : 'The container and its writable layer are deleted. Its named volumes are kept.'
      }
      confirmLabel={running ? 'Stop and remove' : 'Remove'}
      busy={target ? action.busy[target.id] : false}
      onCancel={() => {
        setVolumes(false);
        onClose();
      }}
      onConfirm={() => {
        if (!target) return;
        const { id, name } = target;
        onClose();
        void action.run(id, `Could not remove ${name}`, () => call('containers.remove', { id, force: running, volumes }));
        setVolumes(false);
      }}
    >
      <Checkbox
        label="Also delete its anonymous volumes"
        checked={volumes}
        onChange={(e) => setVolumes(e.currentTarget.checked)}
      />
    </ConfirmDialog>
  );
}

export function ContainersPage() {
  const { value: containers, loaded } = useLive('containers.watch', (c) => c.id);
  const [query, setQuery] = useState('');
  const [removing, setRemoving] = useState<ContainerSummary | null>(null);
  const action = useAction();

  const rows = useMemo(
    () =>
      containers
        .filter((c) => !c.isInfra && matches(c, query))
        .sort((a, b) => b.created - a.created || a.name.localeCompare(b.name)),
    [containers, query],
  );

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Containers</Title>
        <TextInput
          placeholder="Search name, image, stack…"
          leftSection={<IconSearch size={16} />}
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          w={280}
          aria-label="Search containers"
        />
      </Group>
      <EngineGate>
        {loaded && containers.length === 0 ? (
          <Stack align="center" py="xl" gap="xs" data-testid="empty-containers">
            <Text fw={500}>No containers yet</Text>
            <Text c="dimmed" size="sm">
              Containers you create — here or with <code>podman run</code> — appear at once.
            </Text>
          </Stack>
        ) : (
          <Table highlightOnHover verticalSpacing="xs" data-testid="containers-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Image</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Ports</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((c) => (
                <Row key={c.id} c={c} onRemove={setRemoving} action={action} />
              ))}
            </Table.Tbody>
          </Table>
        )}
        {loaded && containers.length > 0 && rows.length === 0 && (
          <Text c="dimmed" ta="center">
            No container matches “{query}”.
          </Text>
        )}
      </EngineGate>
      <RemoveDialog target={removing} onClose={() => setRemoving(null)} action={action} />
    </Stack>
  );
}
