import { Anchor, Badge, Button, Card, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { IconRefresh, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { DiskUsage } from '../../../../shared/contract';
import { call } from '../../api/client';
import { useConnection, useEngineReady } from '../../api/connection';
import { useLive } from '../../api/live';
import { useOllamaStatus } from '../../api/ollama';
import { formatBytes } from '../../lib/format';
import { navigate } from '../../lib/router';

const link = (path: string, label: string) => (
  <Anchor
    href={`#${path}`}
    size="sm"
    onClick={(e) => {
      e.preventDefault();
      navigate(path);
    }}
  >
    {label}
  </Anchor>
);

function Row({
  label,
  value,
  testId,
  children,
}: {
  label: string;
  value: React.ReactNode;
  testId: string;
  children?: React.ReactNode;
}) {
  return (
    <Group justify="space-between" wrap="nowrap" data-testid={testId}>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap">
        {value}
        {children}
      </Group>
    </Group>
  );
}

const STACK_UP = new Set(['running', 'starting', 'unhealthy', 'partial']);

/** The engine, Ollama, what runs, and the disk: the state of things, beside the checklist. */
export function AtAGlance({ onCleanUp }: { onCleanUp: () => void }) {
  const connection = useConnection();
  const ready = useEngineReady();
  const ollama = useOllamaStatus();
  const { value: containers, loaded: containersLoaded } = useLive('containers.watch', (c) => c.id);
  const { value: stacks, loaded: stacksLoaded } = useLive('stacks.watch', (s) => s.id);
  const disk = useQuery<DiskUsage>({ queryKey: ['home.diskUsage'], queryFn: () => call('home.diskUsage'), enabled: ready });

  const visible = containers.filter((c) => !c.isInfra);
  const running = visible.filter((c) => c.state === 'running').length;
  const stacksUp = stacks.filter((s) => STACK_UP.has(s.status)).length;

  const engine =
    connection.state === 'connected' ? (
      <Badge color="teal" variant="light">
        Podman {connection.engine.version} · {connection.engine.rootless ? 'rootless' : 'rootful'}
      </Badge>
    ) : connection.state === 'lost' ? (
      <Badge color="orange" variant="light">
        Reconnecting…
      </Badge>
    ) : connection.state === 'searching' || connection.state === 'starting' ? (
      <Badge color="gray" variant="light">
        Looking…
      </Badge>
    ) : (
      <Badge color="red" variant="light">
        Not connected
      </Badge>
    );
  const model =
    ollama.state === 'reachable' ? (
      <Badge color="teal" variant="light">
        Ollama {ollama.version}
        {ollama.loaded.length > 0 ? ` · ${ollama.loaded.length} loaded` : ''}
      </Badge>
    ) : ollama.state === 'searching' ? (
      <Badge color="gray" variant="light">
        Looking…
      </Badge>
    ) : (
      <Badge color="gray" variant="light">
        Not found
      </Badge>
    );

  const rows: [string, keyof DiskUsage][] = [
    ['Images', 'images'],
    ['Containers', 'containers'],
    ['Volumes', 'volumes'],
    ['Build cache', 'buildCache'],
  ];
  const reclaimable = disk.data ? rows.reduce((sum, [, key]) => sum + disk.data[key].reclaimableBytes, 0) : 0;

  return (
    <Card withBorder padding="lg" data-testid="at-a-glance" aria-labelledby="glance-title">
      <Stack gap="md">
        <Title order={3} id="glance-title">
          At a glance
        </Title>
        <Stack gap="xs">
          <Row label="Podman" value={engine} testId="glance-engine">
            {connection.state !== 'connected' && link('/settings', 'Settings')}
          </Row>
          <Row label="Ollama" value={model} testId="glance-ollama">
            {ollama.state !== 'reachable' && link('/chat', 'Start it')}
          </Row>
          <Row
            label="Containers"
            testId="glance-containers"
            value={<Text size="sm">{containersLoaded || visible.length ? `${running} running of ${visible.length}` : '—'}</Text>}
          >
            {link('/containers', 'Open')}
          </Row>
          <Row
            label="Stacks"
            testId="glance-stacks"
            value={<Text size="sm">{stacksLoaded || stacks.length ? `${stacksUp} running of ${stacks.length}` : '—'}</Text>}
          >
            {link('/stacks', 'Open')}
          </Row>
        </Stack>

        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={4} id="disk-title">
              Disk used
            </Title>
            <Button
              variant="subtle"
              size="compact-sm"
              leftSection={<IconRefresh size={14} />}
              onClick={() => void disk.refetch()}
              disabled={!ready}
              loading={disk.isFetching}
              aria-label="Refresh disk use"
            >
              Refresh
            </Button>
          </Group>
          {!ready ? (
            <Text size="sm" c="dimmed">
              Connect to Podman to see what images, containers and volumes take.
            </Text>
          ) : disk.isPending ? (
            <Group gap="xs">
              <Loader size="xs" />
              <Text size="sm">Measuring (podman system df)…</Text>
            </Group>
          ) : disk.isError ? (
            <Text size="sm" c="red">
              Could not measure: {disk.error.message}
            </Text>
          ) : (
            <Table aria-labelledby="disk-title" data-testid="disk-usage" verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">What</Table.Th>
                  <Table.Th scope="col" ta="right">
                    How many
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    Size
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    Reclaimable
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map(([label, key]) => {
                  const part = disk.data[key];
                  return (
                    <Table.Tr key={key} data-testid="disk-row" data-kind={key}>
                      <Table.Th scope="row" fw={400}>
                        {label}
                      </Table.Th>
                      <Table.Td ta="right">{key === 'buildCache' && part.count === 0 ? 'none' : part.count}</Table.Td>
                      <Table.Td ta="right">{formatBytes(part.bytes)}</Table.Td>
                      <Table.Td ta="right">{formatBytes(part.reclaimableBytes)}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          )}
          {ready && disk.data?.buildCache.count === 0 && (
            <Text size="xs" c="dimmed">
              Podman keeps no separate build cache: the layers a build leaves are images, counted above.
            </Text>
          )}
          <Group justify="space-between">
            <Text size="sm" data-testid="reclaimable">
              {disk.data ? `About ${formatBytes(reclaimable)} could be freed.` : ''}
            </Text>
            <Button
              leftSection={<IconTrash size={16} />}
              variant="light"
              color="red"
              onClick={onCleanUp}
              disabled={!ready}
              data-testid="open-cleanup"
            >
              Clean up…
            </Button>
          </Group>
        </Stack>
      </Stack>
    </Card>
  );
}
