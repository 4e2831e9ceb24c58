import { ActionIcon, Badge, Button, Code, Group, List, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { IconLinkPlus, IconPlugConnectedX, IconPlus, IconSearch, IconTrash, IconTrashX } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import type { ContainerSummary, NetworkEndpoint, NetworkSummary } from '../../../../shared/contract';
import { call } from '../../api/client';
import { useLive } from '../../api/live';
import { networkDisconnectCommand, networkPruneCommand, networkRemoveCommand } from '../../../../shared/podman-commands';
import { CommandPreview } from '../../components/CommandPreview';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EngineGate } from '../../components/ConnectionPanel';
import { notifyDone, notifyError } from '../../components/notify';
import { stateColor } from '../containers/state';
import { ConnectDialog, CreateNetworkDialog } from './NetworkDialogs';

export interface Attached {
  container: ContainerSummary | { id: string; name: string; state: 'unknown' };
  endpoint: NetworkEndpoint;
}

/** Per network, the containers on it with their addresses and aliases; `loaded` once the wiring has arrived. */
export function useAttachments(): { attachments: Map<string, Attached[]>; loaded: boolean } {
  const { value: wiring, loaded } = useLive('wiring.watch', (w) => w.id);
  const { value: containers } = useLive('containers.watch', (c) => c.id);
  const attachments = useMemo(() => {
    const byId = new Map(containers.map((c) => [c.id, c]));
    const out = new Map<string, Attached[]>();
    for (const w of wiring)
      for (const endpoint of w.endpoints) {
        const container = byId.get(w.id) ?? { id: w.id, name: w.name, state: 'unknown' as const };
        out.set(endpoint.network, [...(out.get(endpoint.network) ?? []), { container, endpoint }]);
      }
    return out;
  }, [wiring, containers]);
  return { attachments, loaded };
}

function AttachedList({ network, attached }: { network: string; attached: Attached[] }) {
  const [leaving, setLeaving] = useState<Attached | null>(null);
  const [busy, setBusy] = useState(false);
  if (attached.length === 0)
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  return (
    <Stack gap={4}>
      {attached.map(({ container, endpoint }) => (
        <Group key={container.id} gap={6} wrap="nowrap" data-testid="attached" data-container={container.name}>
          <Badge size="sm" variant="dot" tt="none" color={stateColor[container.state as ContainerSummary['state']] ?? 'gray'}>
            {container.name}
          </Badge>
          <Text size="xs" ff="monospace" c="dimmed">
            {[endpoint.ipv4, endpoint.ipv6].filter(Boolean).join(' ') || 'no address (stopped)'}
          </Text>
          {endpoint.aliases.length > 0 && (
            <Text size="xs" c="dimmed" data-testid="aliases">
              aka {endpoint.aliases.join(', ')}
            </Text>
          )}
          <Tooltip label={`Disconnect from ${network}`}>
            <ActionIcon
              size="sm"
              variant="subtle"
              color="gray"
              aria-label={`Disconnect ${container.name} from ${network}`}
              onClick={() => setLeaving({ container, endpoint })}
            >
              <IconPlugConnectedX size={14} />
            </ActionIcon>
          </Tooltip>
        </Group>
      ))}
      <ConfirmDialog
        opened={leaving !== null}
        title={`Disconnect ${leaving?.container.name ?? ''} from ${network}?`}
        message={
          leaving &&
          [
            `Other containers on ${network} can no longer reach it`,
            leaving.endpoint.aliases.length ? ` by ${leaving.endpoint.aliases.join(', ')}` : '',
            '. ',
            leaving.endpoint.ipv4 || leaving.endpoint.ipv6
              ? `Its address ${[leaving.endpoint.ipv4, leaving.endpoint.ipv6].filter(Boolean).join(' and ')} is given up; connecting again may give it another.`
              : '',
          ].join('')
        }
        confirmLabel="Disconnect"
        busy={busy}
        onCancel={() => setLeaving(null)}
        onConfirm={async () => {
          const { container } = leaving!;
          setBusy(true);
          try {
            await call('networks.disconnect', { network, container: container.id });
            notifyDone(`${container.name} disconnected from ${network}`);
            setLeaving(null);
          } catch (e) {
            notifyError('Could not disconnect', e);
          } finally {
            setBusy(false);
          }
        }}
      >
        {leaving && <CommandPreview commands={networkDisconnectCommand({ network, container: leaving.container.name })} />}
      </ConfirmDialog>
    </Stack>
  );
}

function Flags({ n }: { n: NetworkSummary }) {
  return (
    <Group gap={4}>
      {n.isDefault && (
        <Badge size="xs" variant="light">
          default
        </Badge>
      )}
      {n.internal && (
        <Badge size="xs" variant="light" color="orange">
          internal
        </Badge>
      )}
      {n.ipv6 && (
        <Badge size="xs" variant="light" color="cyan">
          IPv6
        </Badge>
      )}
      <Badge size="xs" variant="light" color={n.dnsEnabled ? 'teal' : 'gray'}>
        DNS {n.dnsEnabled ? 'on' : 'off'}
      </Badge>
      {n.dnsServers.length > 0 && (
        <Badge size="xs" variant="outline">
          dns {n.dnsServers.join(', ')}
        </Badge>
      )}
    </Group>
  );
}

export function NetworksPage() {
  const { value: networks, loaded } = useLive('networks.watch', (n) => n.name);
  const { value: containers } = useLive('containers.watch', (c) => c.id);
  // Until the wiring arrives every network would look unused: pruning waits for it.
  const { attachments, loaded: attachmentsLoaded } = useAttachments();
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);
  const [connecting, setConnecting] = useState<NetworkSummary | null>(null);
  const [removing, setRemoving] = useState<NetworkSummary | null>(null);
  const [pruning, setPruning] = useState(false);
  const [busy, setBusy] = useState(false);

  const rows = useMemo(() => {
    const q = query.toLowerCase();
    return networks
      .filter((n) => !q || n.name.toLowerCase().includes(q) || n.subnets.some((s) => s.subnet.includes(q)))
      .sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name));
  }, [networks, query]);
  const unused = networks.filter((n) => !n.isDefault && !(attachments.get(n.name)?.length ?? 0));
  const removingUsers = removing ? (attachments.get(removing.name) ?? []).map((a) => a.container.name) : [];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Networks</Title>
        <Group>
          <TextInput
            placeholder="Search name or subnet…"
            leftSection={<IconSearch size={16} />}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            w={240}
            aria-label="Search networks"
          />
          <Button
            variant="default"
            leftSection={<IconTrashX size={16} />}
            onClick={() => setPruning(true)}
            disabled={!attachmentsLoaded}
          >
            Prune unused
          </Button>
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="create-network">
            Create network
          </Button>
        </Group>
      </Group>
      <EngineGate>
        <Table highlightOnHover verticalSpacing="xs" data-testid="networks-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Driver</Table.Th>
              <Table.Th>Subnets</Table.Th>
              <Table.Th>Options</Table.Th>
              <Table.Th>Containers</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((n) => (
              <Table.Tr key={n.name} data-testid="network-row" data-name={n.name}>
                <Table.Td>
                  <Text fw={500} size="sm">
                    {n.name}
                  </Text>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {n.id.slice(0, 12)}
                    {n.interface ? ` · ${n.interface}` : ''}
                    {n.project ? ` · stack ${n.project}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{n.driver}</Text>
                </Table.Td>
                <Table.Td>
                  {n.subnets.length === 0 ? (
                    <Text size="sm" c="dimmed">
                      —
                    </Text>
                  ) : (
                    n.subnets.map((s) => (
                      <Text key={s.subnet} size="xs" ff="monospace">
                        {s.subnet}
                        {s.gateway ? ` via ${s.gateway}` : ''}
                        {s.range ? ` (hands out ${s.range.start}–${s.range.end})` : ''}
                      </Text>
                    ))
                  )}
                </Table.Td>
                <Table.Td>
                  <Flags n={n} />
                </Table.Td>
                <Table.Td>
                  <AttachedList network={n.name} attached={attachments.get(n.name) ?? []} />
                </Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Tooltip label="Connect a container">
                      <ActionIcon
                        variant="subtle"
                        aria-label={`Connect a container to ${n.name}`}
                        onClick={() => setConnecting(n)}
                      >
                        <IconLinkPlus size={18} />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label={n.isDefault ? 'The default network cannot be removed' : 'Remove'}>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Remove ${n.name}`}
                        disabled={n.isDefault}
                        onClick={() => setRemoving(n)}
                      >
                        <IconTrash size={18} />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {loaded && rows.length === 0 && (
          <Text c="dimmed" ta="center">
            No network matches “{query}”.
          </Text>
        )}
      </EngineGate>
      <CreateNetworkDialog opened={creating} onClose={() => setCreating(false)} networks={networks} />
      <ConnectDialog network={connecting} onClose={() => setConnecting(null)} containers={containers} />
      <ConfirmDialog
        opened={removing !== null}
        title={removingUsers.length ? `${removing?.name} is in use` : `Remove ${removing?.name ?? ''}?`}
        message={
          removingUsers.length
            ? `Podman refuses to remove a network while containers are attached: ${removingUsers.join(', ')}. Disconnect them first.`
            : 'The network definition is removed. No container uses it.'
        }
        confirmLabel={removingUsers.length ? 'Try anyway' : 'Remove network'}
        busy={busy}
        onCancel={() => setRemoving(null)}
        onConfirm={async () => {
          const target = removing!;
          setBusy(true);
          try {
            await call('networks.remove', { name: target.name });
            notifyDone(`Network ${target.name} removed`);
            setRemoving(null);
          } catch (e) {
            notifyError(`Could not remove ${target.name}`, e);
          } finally {
            setBusy(false);
          }
        }}
      >
        {removing && <CommandPreview commands={networkRemoveCommand(removing.name)} />}
      </ConfirmDialog>
      <ConfirmDialog
        opened={pruning}
        title="Remove unused networks?"
        message={
          unused.length
            ? 'No container is attached to these networks:'
            : 'Every network is in use (or the default): nothing to remove.'
        }
        confirmLabel={`Remove ${unused.length} network${unused.length === 1 ? '' : 's'}`}
        onCancel={() => setPruning(false)}
        onConfirm={async () => {
          setPruning(false);
          if (!unused.length) return;
          try {
            const result = await call('networks.prune', { names: unused.map((n) => n.name) });
            notifyDone(
              `${result.removed.length} removed${result.kept.length ? `; kept ${result.kept.map((k) => `${k.name} (${k.reason})`).join(', ')}` : ''}`,
            );
          } catch (e) {
            notifyError('Could not prune', e);
          }
        }}
      >
        <List size="sm">
          {unused.map((n) => (
            <List.Item key={n.name}>
              <Code>{n.name}</Code>
            </List.Item>
          ))}
        </List>
        {unused.length > 0 && <CommandPreview commands={networkPruneCommand(unused.map((n) => n.name))} />}
      </ConfirmDialog>
    </Stack>
  );
}
