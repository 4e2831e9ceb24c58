import { ActionIcon, Anchor, Badge, Button, Group, Menu, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import {
  IconArchive,
  IconCopy,
  IconDots,
  IconFolderOpen,
  IconPlus,
  IconRestore,
  IconSearch,
  IconTrash,
  IconTrashX,
} from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useMenuOpener } from '../../lib/menu-opener';
import type { ContainerSummary, VolumeSummary } from '../../../../shared/contract';
import { call } from '../../api/client';
import { useLive } from '../../api/live';
import { EngineGate } from '../../components/ConnectionPanel';
import { notifyError } from '../../components/notify';
import { runTransfer } from '../../components/transfer-notice';
import { backupTitles } from '../../lib/transfer-titles';
import { formatBytes, timeAgo } from '../../lib/format';
import { useRoute } from '../../lib/router';
import { stateColor } from '../containers/state';
import { VolumeBrowser } from './VolumeBrowser';
import { CloneDialog, CreateVolumeDialog, PruneDialog, RemoveVolumeDialog, RestoreDialog } from './VolumeDialogs';
import { openVolume, parseVolumeRoute } from './route';

/**
 * Which containers mount each volume, from the live wiring and container lists; `loaded` once both
 * have arrived (before that every volume would look unused).
 */
export function useVolumeUsers(): { users: Map<string, ContainerSummary[]>; loaded: boolean } {
  const { value: wiring, loaded: wiringLoaded } = useLive('wiring.watch', (w) => w.id);
  const { value: containers, loaded: containersLoaded } = useLive('containers.watch', (c) => c.id);
  const users = useMemo(() => {
    const byId = new Map(containers.map((c) => [c.id, c]));
    const users = new Map<string, ContainerSummary[]>();
    for (const w of wiring) {
      const c = byId.get(w.id);
      if (!c) continue;
      for (const v of w.volumes) users.set(v.name, [...(users.get(v.name) ?? []), c]);
    }
    return users;
  }, [wiring, containers]);
  return { users, loaded: wiringLoaded && containersLoaded };
}

function SizeCell({ name }: { name: string }) {
  const [size, setSize] = useState<{ text: string; at: Date } | null>(null);
  const [busy, setBusy] = useState(false);
  const measure = async () => {
    setBusy(true);
    try {
      const s = await call('volumes.size', { name });
      setSize({ text: `${formatBytes(s.bytes)}${s.files !== undefined ? ` · ${s.files} items` : ''}`, at: new Date() });
    } catch (e) {
      notifyError(`Could not measure ${name}`, e);
    } finally {
      setBusy(false);
    }
  };
  // Measured once on request, never on a refresh; a click measures again (files change).
  return (
    <Tooltip label={size ? `Measured at ${size.at.toLocaleTimeString()}; click to measure again` : 'Count the files now'}>
      <Anchor
        component="button"
        size="sm"
        c={size ? 'var(--mantine-color-text)' : undefined}
        onClick={() => void measure()}
        style={{ whiteSpace: 'nowrap' }}
        data-testid="volume-size"
      >
        {busy ? 'Measuring…' : size ? size.text : 'Measure'}
      </Anchor>
    </Tooltip>
  );
}

function VolumeList() {
  const { value: volumes, loaded } = useLive('volumes.watch', (v) => v.name);
  const { users, loaded: usersLoaded } = useVolumeUsers();
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);
  const [restoring, setRestoring] = useState(false);
  const [pruning, setPruning] = useState(false);
  const [removing, setRemoving] = useState<VolumeSummary | null>(null);
  const [cloning, setCloning] = useState<VolumeSummary | null>(null);
  // Clone… and Remove… open from a row's ⋯ menu: closed, focus goes back to that ⋯.
  const opener = useMenuOpener();
  const taken = (n: string) => volumes.some((v) => v.name === n);

  const rows = useMemo(() => {
    const q = query.toLowerCase();
    return volumes
      .filter((v) => !q || v.name.toLowerCase().includes(q) || (v.project ?? '').toLowerCase().includes(q))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [volumes, query]);
  const unused = volumes.filter((v) => !(users.get(v.name)?.length ?? 0));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Volumes</Title>
        <Group>
          <TextInput
            placeholder="Search name or stack…"
            leftSection={<IconSearch size={16} />}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            w={240}
            aria-label="Search volumes"
          />
          <Button
            variant="default"
            leftSection={<IconTrashX size={16} />}
            onClick={() => setPruning(true)}
            disabled={!usersLoaded}
            data-testid="prune-volumes"
          >
            Prune unused
          </Button>
          <Button variant="default" leftSection={<IconRestore size={16} />} onClick={() => setRestoring(true)}>
            Restore
          </Button>
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="create-volume">
            Create volume
          </Button>
        </Group>
      </Group>
      <EngineGate>
        {loaded && volumes.length === 0 ? (
          <Stack align="center" py="xl" gap="xs" data-testid="empty-volumes">
            <Text fw={500}>No volumes yet</Text>
            <Text c="dimmed" size="sm">
              Volumes keep data beyond a container’s life. Create one here or with <code>podman volume create</code>.
            </Text>
          </Stack>
        ) : (
          <Table highlightOnHover verticalSpacing="xs" data-testid="volumes-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Driver</Table.Th>
                <Table.Th>Used by</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Mount point</Table.Th>
                <Table.Th>Size</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((v) => {
                const usedBy = users.get(v.name) ?? [];
                return (
                  <Table.Tr key={v.name} data-testid="volume-row" data-name={v.name}>
                    <Table.Td>
                      <Anchor component="button" fw={500} size="sm" onClick={() => openVolume(v.name)}>
                        {v.name}
                      </Anchor>
                      {v.project && (
                        <Badge ml={6} size="xs" variant="light" color="grape">
                          stack {v.project}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{v.driver}</Text>
                    </Table.Td>
                    <Table.Td>
                      {usedBy.length === 0 ? (
                        <Text size="sm" c="dimmed">
                          —
                        </Text>
                      ) : (
                        <Group gap={4}>
                          {usedBy.map((c) => (
                            <Badge
                              key={c.id}
                              size="sm"
                              variant="dot"
                              tt="none"
                              color={stateColor[c.state]}
                              title={`${c.state}${c.project ? ` · stack ${c.project}` : ''}`}
                              data-testid="volume-user"
                            >
                              {c.name}
                              {/* The volume's own stack badge already says it when they agree. */}
                              {c.project && c.project !== v.project && (
                                <Text span size="xs" c="grape" fw={500}>
                                  {` · stack ${c.project}`}
                                </Text>
                              )}
                            </Badge>
                          ))}
                        </Group>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                        {timeAgo(v.created)}
                      </Text>
                    </Table.Td>
                    <Table.Td maw={260}>
                      <Tooltip label={v.mountpoint} openDelay={400}>
                        <Text size="xs" ff="monospace" c="dimmed" truncate="start">
                          {v.mountpoint}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>
                      <SizeCell name={v.name} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Tooltip label="Browse files">
                          <ActionIcon variant="subtle" aria-label={`Browse ${v.name}`} onClick={() => openVolume(v.name)}>
                            <IconFolderOpen size={18} />
                          </ActionIcon>
                        </Tooltip>
                        <Menu position="bottom-end" withinPortal onOpen={opener.remember}>
                          <Menu.Target>
                            <ActionIcon variant="subtle" aria-label={`More for ${v.name}`}>
                              <IconDots size={18} />
                            </ActionIcon>
                          </Menu.Target>
                          <Menu.Dropdown>
                            <Menu.Item
                              leftSection={<IconArchive size={16} />}
                              onClick={() => void runTransfer(backupTitles(v.name), 'volumes.backup', { name: v.name })}
                            >
                              Back up to .tar.gz
                            </Menu.Item>
                            <Menu.Item leftSection={<IconCopy size={16} />} onClick={() => setCloning(v)}>
                              Clone…
                            </Menu.Item>
                            <Menu.Divider />
                            <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={() => setRemoving(v)}>
                              Remove…
                            </Menu.Item>
                          </Menu.Dropdown>
                        </Menu>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </EngineGate>
      <CreateVolumeDialog opened={creating} onClose={() => setCreating(false)} taken={taken} />
      <RestoreDialog opened={restoring} onClose={() => setRestoring(false)} volumes={volumes} />
      <PruneDialog opened={pruning} unused={unused} onClose={() => setPruning(false)} />
      <RemoveVolumeDialog
        target={removing}
        usedBy={(removing && users.get(removing.name)?.map((c) => c.name)) || []}
        onClose={() => {
          setRemoving(null);
          opener.restore();
        }}
      />
      <CloneDialog
        source={cloning}
        onClose={() => {
          setCloning(null);
          opener.restore();
        }}
        taken={taken}
      />
    </Stack>
  );
}

export function VolumesPage() {
  const route = parseVolumeRoute(useRoute());
  if (route) return <VolumeBrowser volume={route.volume} path={route.path} />;
  return <VolumeList />;
}
