import '../../styles/app.css';
import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Group,
  Menu,
  Modal,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import {
  IconBraces,
  IconDots,
  IconDownload,
  IconFileZip,
  IconHammer,
  IconKey,
  IconPlayerPlay,
  IconSearch,
  IconTag,
  IconTrash,
  IconTrashX,
  IconUpload,
} from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { call } from '../../api/client';
import { useEngineReady } from '../../api/connection';
import { useLive } from '../../api/live';
import { EngineGate } from '../../components/ConnectionPanel';
import { JsonView } from '../../components/JsonView';
import { PageHeader } from '../../components/PageHeader';
import { formatBytes, timeAgo } from '../../lib/format';
import { navigate } from '../../lib/router';
import { useMenuOpener } from '../../lib/menu-opener';
import { LoadImagesDialog, SaveImagesDialog } from './ArchiveDialogs';
import { BuildDialog } from './BuildDialog';
import { PruneDialog, PushDialog, RemoveImageDialog, TagDialog } from './ImageDialogs';
import { imageRows, type ImageFilter, type ImageRow } from './image-model';
import { PullDialog } from './PullDialog';
import { RegistriesDialog } from './RegistriesDialog';

function InspectImage({ row, onClose }: { row: ImageRow | null; onClose: () => void }) {
  const inspect = useQuery({
    queryKey: ['images.inspect', row?.image.id],
    queryFn: () => call('images.inspect', { id: row!.image.id }),
    enabled: row !== null,
  });
  return (
    <Modal opened={row !== null} onClose={onClose} title={row?.name ?? row?.image.id.slice(0, 12)} size="xl" centered>
      {inspect.data ? (
        <JsonView value={inspect.data} height={480} />
      ) : (
        <Text c="dimmed">{inspect.error?.message ?? 'Loading…'}</Text>
      )}
    </Modal>
  );
}

export function ImagesPage() {
  const ready = useEngineReady();
  const images = useLive('images.watch', (i) => i.id);
  const containers = useLive('containers.watch', (c) => c.id);
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<ImageFilter>('all');
  const [pulling, setPulling] = useState(false);
  const [building, setBuilding] = useState(false);
  const [registries, setRegistries] = useState<{ server?: string } | null>(null);
  const [tagging, setTagging] = useState<ImageRow | null>(null);
  const [pushing, setPushing] = useState<ImageRow | null>(null);
  const [removing, setRemoving] = useState<ImageRow | null>(null);
  const [inspecting, setInspecting] = useState<ImageRow | null>(null);
  const [pruning, setPruning] = useState<'dangling' | 'unused' | null>(null);
  const [saving, setSaving] = useState<string[] | null>(null);
  const [loading, setLoading] = useState(false);
  // Dialogs opened from a menu give focus back to the button or ⋯ that opened it.
  const opener = useMenuOpener();
  const closed =
    <T,>(set: (value: T) => void, value: T) =>
    () => {
      set(value);
      opener.restore();
    };

  const rows = useMemo(
    () => imageRows(images.value, containers.value, query, filter),
    [images.value, containers.value, query, filter],
  );
  const total = images.value.reduce((sum, i) => sum + i.size, 0);
  const dangling = images.value.filter((i) => i.dangling).length;

  return (
    <Stack>
      <PageHeader
        title="Images"
        summary={
          ready && images.loaded && `${images.value.length} image${images.value.length === 1 ? '' : 's'} · ${formatBytes(total)}`
        }
      >
        <Button
          variant="default"
          leftSection={<IconKey size={16} />}
          onClick={() => setRegistries({})}
          data-testid="open-registries"
        >
          Registries
        </Button>
        <Menu position="bottom-end" onOpen={opener.remember}>
          <Menu.Target>
            <Button variant="default" leftSection={<IconTrashX size={16} />}>
              Prune
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={() => setPruning('dangling')}>Dangling images ({dangling})</Menu.Item>
            <Menu.Item onClick={() => setPruning('unused')}>Every unused image</Menu.Item>
          </Menu.Dropdown>
        </Menu>
        <Menu position="bottom-end" onOpen={opener.remember}>
          <Menu.Target>
            <Button variant="default" leftSection={<IconFileZip size={16} />} data-testid="open-files">
              Files
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={() => setSaving([])} data-testid="open-save">
              Save images to a file…
            </Menu.Item>
            <Menu.Item onClick={() => setLoading(true)} data-testid="open-load">
              Load images from a file…
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
        <Button
          variant="default"
          leftSection={<IconHammer size={16} />}
          onClick={() => setBuilding(true)}
          data-testid="open-build"
        >
          Build
        </Button>
        <Button leftSection={<IconDownload size={16} />} onClick={() => setPulling(true)} data-testid="open-pull">
          Pull
        </Button>
      </PageHeader>
      <EngineGate>
        <Group gap="sm">
          <TextInput
            placeholder="Search name, tag, id"
            leftSection={<IconSearch size={16} />}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            w={260}
            aria-label="Search images"
          />
          <SegmentedControl
            value={filter}
            onChange={(v) => setFilter(v as ImageFilter)}
            data={[
              { value: 'all', label: 'All' },
              { value: 'used', label: 'In use' },
              { value: 'unused', label: 'Unused' },
              { value: 'dangling', label: `Dangling ${dangling}` },
            ]}
            aria-label="Filter images"
          />
        </Group>
        <Table highlightOnHover verticalSpacing="xs" data-testid="images-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Repository</Table.Th>
              <Table.Th>Tag</Table.Th>
              <Table.Th>Image ID</Table.Th>
              <Table.Th ta="right">Size</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Used by</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.key} data-testid="image-row" data-name={row.name ?? '<none>'}>
                <Table.Td>
                  <Group gap={6}>
                    <Text size="sm" fw={500} c={row.name ? undefined : 'dimmed'}>
                      {row.repository}
                    </Text>
                    {row.image.dangling && (
                      <Tooltip label="No name: left behind by a rebuild or a re-pull. Prune removes these.">
                        <Badge size="xs" color="orange" variant="light">
                          dangling
                        </Badge>
                      </Tooltip>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={row.name ? undefined : 'dimmed'}>
                    {row.tag}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace" c="dimmed">
                    {row.image.id.slice(0, 12)}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm">{formatBytes(row.image.size)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed">
                    {timeAgo(row.image.created)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {row.usedBy.length === 0 ? (
                    <Text size="sm" c="dimmed">
                      —
                    </Text>
                  ) : (
                    <Group gap={6}>
                      {row.usedBy.slice(0, 3).map((c) => (
                        <Anchor component="button" key={c.id} size="sm" onClick={() => navigate(`/containers/${c.id}`)}>
                          {c.name}
                        </Anchor>
                      ))}
                      {row.usedBy.length > 3 && (
                        <Text size="xs" c="dimmed">
                          +{row.usedBy.length - 3}
                        </Text>
                      )}
                    </Group>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={2} justify="flex-end" wrap="nowrap">
                    <Tooltip label="Run a container from it">
                      <ActionIcon
                        variant="subtle"
                        color="teal"
                        aria-label={`Run ${row.name ?? row.image.id.slice(0, 12)}`}
                        onClick={() => navigate(`/containers/new?image=${encodeURIComponent(row.name ?? row.image.id)}`)}
                      >
                        <IconPlayerPlay size={18} />
                      </ActionIcon>
                    </Tooltip>
                    <Menu position="bottom-end" withinPortal onOpen={opener.remember}>
                      <Menu.Target>
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          aria-label={`More actions for ${row.name ?? row.image.id.slice(0, 12)}`}
                        >
                          <IconDots size={18} />
                        </ActionIcon>
                      </Menu.Target>
                      <Menu.Dropdown>
                        <Menu.Item leftSection={<IconTag size={16} />} onClick={() => setTagging(row)}>
                          Add a name…
                        </Menu.Item>
                        <Menu.Item leftSection={<IconUpload size={16} />} disabled={!row.name} onClick={() => setPushing(row)}>
                          Push…
                        </Menu.Item>
                        <Menu.Item leftSection={<IconFileZip size={16} />} onClick={() => setSaving([row.image.id])}>
                          Save to a file…
                        </Menu.Item>
                        <Menu.Item leftSection={<IconBraces size={16} />} onClick={() => setInspecting(row)}>
                          Inspect
                        </Menu.Item>
                        <Menu.Divider />
                        <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={() => setRemoving(row)}>
                          Remove…
                        </Menu.Item>
                      </Menu.Dropdown>
                    </Menu>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {images.loaded && rows.length === 0 && (
          <Stack align="center" py="lg" gap={4}>
            <Text fw={500}>{images.value.length === 0 ? 'No images yet' : 'No image matches'}</Text>
            {images.value.length === 0 && (
              <Text size="sm" c="dimmed">
                Pull one from a registry, build one from a folder, or load one from a file (Files).
              </Text>
            )}
          </Stack>
        )}
      </EngineGate>
      <PullDialog opened={pulling} onClose={() => setPulling(false)} onLogin={(server) => setRegistries({ server })} />
      <BuildDialog opened={building} onClose={() => setBuilding(false)} />
      <RegistriesDialog opened={registries !== null} server={registries?.server} onClose={() => setRegistries(null)} />
      <TagDialog row={tagging} onClose={closed(setTagging, null)} />
      <PushDialog row={pushing} onClose={closed(setPushing, null)} onLogin={(server) => setRegistries({ server })} />
      <RemoveImageDialog row={removing} onClose={closed(setRemoving, null)} />
      <InspectImage row={inspecting} onClose={closed(setInspecting, null)} />
      <PruneDialog mode={pruning} onClose={closed(setPruning, null)} />
      <SaveImagesDialog opened={saving !== null} initial={saving ?? []} images={images.value} onClose={closed(setSaving, null)} />
      <LoadImagesDialog opened={loading} onClose={closed(setLoading, false)} />
    </Stack>
  );
}
