import { Alert, Button, Checkbox, Group, Loader, Modal, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { CleanupPlan, CleanupResult } from '../../../../shared/contract';
import { cleanupCommands } from '../../../../shared/podman-commands';
import { call } from '../../api/client';
import { CommandPreview } from '../../components/CommandPreview';
import { notifyDone, notifyError } from '../../components/notify';
import { formatBytes } from '../../lib/format';

type Kind = 'containers' | 'images' | 'volumes';
interface Item {
  key: string;
  label: string;
  detail: string;
  bytes: number;
}

const itemsOf = (plan: CleanupPlan): Record<Kind, Item[]> => ({
  containers: plan.containers.map((c) => ({
    key: c.id,
    label: c.name,
    // Podman names the image of some containers by its id: the short form reads better.
    detail: `${c.state} · ${/^(sha256:)?[a-f0-9]{64}$/.test(c.image) ? c.image.replace(/^sha256:/, '').slice(0, 12) : c.image}`,
    bytes: c.bytes,
  })),
  images: plan.images.map((i) => ({
    key: i.id,
    label: i.tags.length > 0 ? i.tags.join(', ') : `<none> ${i.id.slice(0, 12)}`,
    detail: i.tags.length > 0 ? i.id.slice(0, 12) : 'no name (dangling)',
    bytes: i.bytes,
  })),
  volumes: plan.volumes.map((v) => ({
    key: v.name,
    label: v.name,
    detail: v.project ? `stack ${v.project}` : 'volume',
    bytes: v.bytes,
  })),
});

const titles: Record<Kind, string> = {
  containers: 'Stopped containers',
  images: 'Images no container uses',
  volumes: 'Volumes no container uses',
};

function Section({
  kind,
  items,
  chosen,
  setChosen,
}: {
  kind: Kind;
  items: Item[];
  chosen: Set<string>;
  setChosen: (next: Set<string>) => void;
}) {
  const all = items.length > 0 && items.every((i) => chosen.has(i.key));
  const some = items.some((i) => chosen.has(i.key));
  const titleId = `cleanup-${kind}-title`;
  return (
    <Stack gap={6} role="group" aria-labelledby={titleId} data-testid={`cleanup-${kind}`}>
      <Group justify="space-between">
        <Title order={4} id={titleId}>
          {titles[kind]} ({items.length})
        </Title>
        {items.length > 1 && (
          <Checkbox
            label="All"
            checked={all}
            indeterminate={some && !all}
            onChange={(e) => setChosen(new Set(e.currentTarget.checked ? items.map((i) => i.key) : []))}
            aria-label={`Choose all ${titles[kind].toLowerCase()}`}
          />
        )}
      </Group>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          None.
        </Text>
      ) : (
        items.map((item) => (
          <Checkbox
            key={item.key}
            checked={chosen.has(item.key)}
            data-testid="cleanup-item"
            data-kind={kind}
            data-key={item.key}
            onChange={(e) => {
              const next = new Set(chosen);
              if (e.currentTarget.checked) next.add(item.key);
              else next.delete(item.key);
              setChosen(next);
            }}
            label={
              <Text size="sm" span style={{ overflowWrap: 'anywhere' }}>
                <Text span fw={600}>
                  {item.label}
                </Text>{' '}
                — {item.detail}, {formatBytes(item.bytes)}
              </Text>
            }
          />
        ))
      )}
    </Stack>
  );
}

/**
 * Lists exactly what Clean up would delete, and deletes only what is ticked, by id. Containers
 * and images are ticked at first; volumes are not (their data would go): keeping is the default.
 * Mounted while open, so each opening lists afresh.
 */
export function CleanUpDialog({ onClose }: { onClose: () => void }) {
  const plan = useQuery({ queryKey: ['home.cleanupPlan'], queryFn: () => call('home.cleanupPlan'), gcTime: 0 });
  const items = useMemo(() => (plan.data ? itemsOf(plan.data) : null), [plan.data]);
  return (
    <Modal opened onClose={onClose} title="Clean up" size="lg" centered>
      {plan.isPending ? (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm">Listing what nothing uses…</Text>
        </Group>
      ) : plan.isError ? (
        <Text size="sm" c="red">
          Could not list: {plan.error.message}
        </Text>
      ) : (
        items && <Chooser items={items} onClose={onClose} />
      )}
    </Modal>
  );
}

function Chooser({ items, onClose }: { items: Record<Kind, Item[]>; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState<Record<Kind, Set<string>>>(() => ({
    containers: new Set(items.containers.map((i) => i.key)),
    images: new Set(items.images.map((i) => i.key)),
    volumes: new Set(),
  }));
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<CleanupResult | null>(null);

  const selected = { containers: [...chosen.containers], images: [...chosen.images], volumes: [...chosen.volumes] };
  const count = selected.containers.length + selected.images.length + selected.volumes.length;
  const bytes = (['containers', 'images', 'volumes'] as Kind[]).reduce(
    (sum, kind) => sum + items[kind].filter((i) => chosen[kind].has(i.key)).reduce((s, i) => s + i.bytes, 0),
    0,
  );
  const empty = items.containers.length + items.images.length + items.volumes.length === 0;

  const run = async () => {
    setBusy(true);
    try {
      const done = await call('home.cleanup', selected);
      setResult(done);
      const removed = done.outcomes.filter((o) => o.removed).length;
      notifyDone(`Deleted ${removed} of ${count}: about ${formatBytes(done.reclaimedBytes)} freed`);
      void queryClient.invalidateQueries({ queryKey: ['home.diskUsage'] });
    } catch (error) {
      notifyError('Clean up failed', error);
    } finally {
      setBusy(false);
    }
  };

  const labelOf = (kind: string, id: string) => items[`${kind}s` as Kind].find((i) => i.key === id)?.label ?? id.slice(0, 12);

  if (result)
    return (
      <Stack data-testid="cleanup-result">
        <Text size="sm">
          Deleted {result.outcomes.filter((o) => o.removed).length} of {result.outcomes.length}, about{' '}
          {formatBytes(result.reclaimedBytes)} freed.
        </Text>
        {result.outcomes.some((o) => !o.removed) && (
          <Stack gap={4}>
            <Text size="sm" fw={600}>
              Kept:
            </Text>
            {result.outcomes
              .filter((o) => !o.removed)
              .map((o) => (
                <Text size="sm" key={`${o.kind}:${o.id}`} data-testid="cleanup-kept">
                  {o.kind} {labelOf(o.kind, o.id)} — {o.reason}
                </Text>
              ))}
          </Stack>
        )}
        <Group justify="flex-end">
          <Button onClick={onClose} data-autofocus data-testid="close-cleanup">
            Close
          </Button>
        </Group>
      </Stack>
    );

  return (
    <Stack>
      <Text size="sm">
        This deletes exactly what is ticked below, as listed now — nothing that appears or starts later. Something in use by then
        is kept.
      </Text>
      {empty ? (
        <Text size="sm" data-testid="cleanup-empty">
          Nothing to clean up: every container runs, and every image and volume is in use.
        </Text>
      ) : (
        <ScrollArea.Autosize mah="45vh" type="auto" scrollbars="y">
          <Stack gap="md" pr="sm">
            <Section
              kind="containers"
              items={items.containers}
              chosen={chosen.containers}
              setChosen={(s) => setChosen({ ...chosen, containers: s })}
            />
            <Section
              kind="images"
              items={items.images}
              chosen={chosen.images}
              setChosen={(s) => setChosen({ ...chosen, images: s })}
            />
            <Section
              kind="volumes"
              items={items.volumes}
              chosen={chosen.volumes}
              setChosen={(s) => setChosen({ ...chosen, volumes: s })}
            />
          </Stack>
        </ScrollArea.Autosize>
      )}
      {selected.volumes.length > 0 && (
        <Alert color="orange" icon={<IconAlertTriangle size={16} />} data-testid="cleanup-volume-warning">
          The files in {selected.volumes.length === 1 ? 'this volume' : `these ${selected.volumes.length} volumes`} are deleted
          for good.
        </Alert>
      )}
      {count > 0 && <CommandPreview commands={cleanupCommands(selected)} testId="cleanup-command" />}
      <Group justify="space-between">
        <Text size="sm" data-testid="cleanup-total">
          {count > 0 ? `${count} chosen, about ${formatBytes(bytes)}` : 'Nothing chosen'}
        </Text>
        <Group>
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button color="red" onClick={() => void run()} loading={busy} disabled={count === 0} data-testid="confirm-cleanup">
            {count > 0 ? `Delete ${count}` : 'Delete'}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
