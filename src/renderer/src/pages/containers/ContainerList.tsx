import {
  Badge,
  Button,
  Checkbox,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import {
  IconChevronDown,
  IconChevronRight,
  IconChevronUp,
  IconPlayerPlay,
  IconPlayerStop,
  IconPlus,
  IconRefresh,
  IconSearch,
  IconStack2,
  IconTopologyRing3,
  IconTrash,
} from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import type { BulkAction, ContainerSummary } from '../../../../shared/contract';
import { call } from '../../api/client';
import { useEngineReady } from '../../api/connection';
import { useLive } from '../../api/live';
import { EngineGate } from '../../components/ConnectionPanel';
import { PageHeader } from '../../components/PageHeader';
import { navigate } from '../../lib/router';
import { runBulk, useContainerAction } from './actions';
import { ContainerRow, COLUMNS, ROW_HEIGHT, type RowHandlers } from './ContainerRow';
import { CommandsDialog } from './CommandsDialog';
import { CommitDialog, KillDialog, RemoveDialog, RenameDialog, StopDialog } from './dialogs';
import { useStatsAll } from './stats';
import { isActive, tableItems, type GroupBy, type SortKey, type StateFilter } from './table-model';
import { isMachinery } from '../../../../shared/labels';

const GROUP_HEIGHT = 40;

function SortHeader(props: {
  label: string;
  k: SortKey;
  sort: { key: SortKey; descending: boolean };
  onSort: (k: SortKey) => void;
  right?: boolean;
}) {
  const active = props.sort.key === props.k;
  return (
    <div role="columnheader" aria-sort={active ? (props.sort.descending ? 'descending' : 'ascending') : undefined}>
      <UnstyledButton
        onClick={() => props.onSort(props.k)}
        style={{
          display: 'flex',
          width: '100%',
          alignItems: 'center',
          gap: 2,
          justifyContent: props.right ? 'flex-end' : 'flex-start',
          fontWeight: 600,
        }}
        aria-label={`Sort by ${props.label}`}
      >
        {props.label}
        {active && (props.sort.descending ? <IconChevronDown size={14} /> : <IconChevronUp size={14} />)}
      </UnstyledButton>
    </div>
  );
}

export function ContainerList() {
  const ready = useEngineReady();
  const { value: containers, loaded } = useLive('containers.watch', (c) => c.id);
  const [query, setQuery] = useState('');
  const [state, setState] = useState<StateFilter>('all');
  const [groupBy, setGroupBy] = useState<GroupBy>('none');
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'created', descending: true });
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [anchor, setAnchor] = useState<string | null>(null);
  const [removing, setRemoving] = useState<ContainerSummary[]>([]);
  const [renaming, setRenaming] = useState<ContainerSummary | null>(null);
  const [committing, setCommitting] = useState<ContainerSummary | null>(null);
  const [killing, setKilling] = useState<ContainerSummary | null>(null);
  const [stopping, setStopping] = useState<ContainerSummary | null>(null);
  const [showing, setShowing] = useState<ContainerSummary | null>(null);
  const [bulkBusy, setBulkBusy] = useState<BulkAction | null>(null);
  const action = useContainerAction();
  const stats = useStatsAll(containers.some((c) => c.state === 'running'));

  const items = useMemo(
    () => tableItems(containers, { query, state, sort, groupBy, collapsed, stats }),
    [containers, query, state, sort, groupBy, collapsed, stats],
  );
  const visibleIds = useMemo(() => items.flatMap((i) => (i.kind === 'row' ? [i.container.id] : [])), [items]);
  const byId = useMemo(() => new Map(containers.map((c) => [c.id, c])), [containers]);
  // Selection survives filtering, but never names a container that is gone.
  const chosen = useMemo(
    () => [...selected].map((id) => byId.get(id)).filter((c): c is ContainerSummary => Boolean(c)),
    [selected, byId],
  );
  const counts = useMemo(() => {
    const visible = containers.filter((c) => !isMachinery(c));
    return {
      all: visible.length,
      running: visible.filter((c) => c.state === 'running' || c.state === 'restarting').length,
      stopped: visible.filter((c) => !isActive(c)).length,
      paused: visible.filter((c) => c.state === 'paused').length,
      unhealthy: visible.filter((c) => c.health === 'unhealthy').length,
    };
  }, [containers]);

  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render on purpose
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (items[i]?.kind === 'group' ? GROUP_HEIGHT : ROW_HEIGHT),
    overscan: 12,
    getItemKey: (i) => {
      const item = items[i]!;
      return item.kind === 'group' ? item.key : item.container.id;
    },
  });

  const handlers: RowHandlers = {
    action,
    onRemove: (c) => setRemoving([c]),
    onRename: setRenaming,
    onCommit: setCommitting,
    onKill: setKilling,
    onStop: setStopping,
    onCommands: setShowing,
    onSelect: (id, on, range) => {
      setSelected((current) => {
        const next = new Set(current);
        if (range && anchor) {
          const [a, b] = [visibleIds.indexOf(anchor), visibleIds.indexOf(id)];
          if (a >= 0 && b >= 0)
            for (const rid of visibleIds.slice(Math.min(a, b), Math.max(a, b) + 1)) {
              if (on) next.add(rid);
              else next.delete(rid);
            }
        } else if (on) next.add(id);
        else next.delete(id);
        return next;
      });
      setAnchor(id);
    },
  };

  const allVisibleSelected = visibleIds.length > 0 && visibleIds.every((id) => selected.has(id));
  const someVisibleSelected = visibleIds.some((id) => selected.has(id));
  const onSort = (key: SortKey) =>
    setSort((s) =>
      s.key === key
        ? { key, descending: !s.descending }
        : { key, descending: key === 'created' || key === 'cpu' || key === 'memory' },
    );

  const bulk = async (kind: BulkAction, targets: ContainerSummary[], options: { force?: boolean; volumes?: boolean } = {}) => {
    setBulkBusy(kind);
    try {
      const results = await runBulk(targets, kind, options);
      if (kind === 'remove') setSelected(new Set(results.filter((r) => !r.ok).map((r) => r.id)));
    } catch {
      // runBulk reports per container; a failed call itself is shown by the notification below.
    } finally {
      setBulkBusy(null);
    }
  };

  return (
    <Stack h="calc(100dvh - 52px - 2 * var(--mantine-spacing-lg))" gap="sm">
      <PageHeader title="Containers" summary={ready && loaded && `${counts.running} running of ${counts.all}`}>
        <Button leftSection={<IconPlus size={16} />} onClick={() => navigate('/containers/new')} data-testid="run-container">
          Run a container
        </Button>
      </PageHeader>
      <EngineGate>
        <Group justify="space-between" gap="sm">
          <Group gap="sm">
            <TextInput
              placeholder="Search name, image, stack, pod…"
              leftSection={<IconSearch size={16} />}
              value={query}
              onChange={(e) => setQuery(e.currentTarget.value)}
              w={260}
              aria-label="Search containers"
            />
            <SegmentedControl
              value={state}
              onChange={(v) => setState(v as StateFilter)}
              data={[
                { value: 'all', label: `All ${counts.all}` },
                { value: 'running', label: `Running ${counts.running}` },
                { value: 'stopped', label: `Stopped ${counts.stopped}` },
                ...(counts.paused ? [{ value: 'paused', label: `Paused ${counts.paused}` }] : []),
                ...(counts.unhealthy ? [{ value: 'unhealthy', label: `Unhealthy ${counts.unhealthy}` }] : []),
              ]}
              aria-label="Filter by state"
            />
          </Group>
          <Select
            w={190}
            value={groupBy}
            onChange={(v) => v && setGroupBy(v as GroupBy)}
            allowDeselect={false}
            leftSection={groupBy === 'pod' ? <IconTopologyRing3 size={16} /> : <IconStack2 size={16} />}
            data={[
              { value: 'none', label: 'No grouping' },
              { value: 'stack', label: 'Group by stack' },
              { value: 'pod', label: 'Group by pod' },
            ]}
            aria-label="Group containers"
          />
        </Group>
        {chosen.length > 0 && (
          <Group
            gap="xs"
            data-testid="bulk-bar"
            p="xs"
            style={{ borderRadius: 8, background: 'var(--mantine-color-violet-light)' }}
          >
            <Text size="sm" fw={500} mr="sm">
              {chosen.length} selected
            </Text>
            <Button
              size="xs"
              variant="default"
              leftSection={<IconPlayerPlay size={14} />}
              loading={bulkBusy === 'start'}
              onClick={() => bulk('start', chosen)}
            >
              Start
            </Button>
            <Button
              size="xs"
              variant="default"
              leftSection={<IconPlayerStop size={14} />}
              loading={bulkBusy === 'stop'}
              onClick={() => bulk('stop', chosen)}
            >
              Stop
            </Button>
            <Button
              size="xs"
              variant="default"
              leftSection={<IconRefresh size={14} />}
              loading={bulkBusy === 'restart'}
              onClick={() => bulk('restart', chosen)}
            >
              Restart
            </Button>
            <Button
              size="xs"
              color="red"
              variant="light"
              leftSection={<IconTrash size={14} />}
              loading={bulkBusy === 'remove'}
              onClick={() => setRemoving(chosen)}
            >
              Remove…
            </Button>
            <Button
              size="xs"
              variant="default"
              leftSection={<IconTopologyRing3 size={14} />}
              disabled={chosen.every((c) => c.pod || c.isInfra)}
              title="A new pod with copies of these containers (the originals are stopped, not removed)"
              onClick={() => navigate(`/pods/new?from=${chosen.map((c) => c.id).join(',')}`)}
              data-testid="bulk-make-pod"
            >
              Make a pod…
            </Button>
            <Button size="xs" variant="subtle" onClick={() => setSelected(new Set())}>
              Clear
            </Button>
          </Group>
        )}
        {loaded && counts.all === 0 ? (
          <Stack align="center" py="xl" gap="xs" data-testid="empty-containers">
            <Text fw={500}>No containers yet</Text>
            <Text c="dimmed" size="sm">
              Containers you create — here or with <code>podman run</code> — appear at once.
            </Text>
            <Button variant="light" mt="sm" onClick={() => navigate('/containers/new')}>
              Run your first container
            </Button>
          </Stack>
        ) : (
          <div
            ref={scrollRef}
            className="pd-scroll"
            style={{ flex: 1, minHeight: 200 }}
            data-testid="containers-table"
            role="table"
          >
            <div className="pd-head" role="row" style={{ gridTemplateColumns: COLUMNS }}>
              <div role="columnheader">
                <Checkbox
                  aria-label="Select all shown"
                  checked={allVisibleSelected}
                  indeterminate={!allVisibleSelected && someVisibleSelected}
                  onChange={(e) =>
                    setSelected(
                      e.currentTarget.checked
                        ? new Set([...selected, ...visibleIds])
                        : new Set([...selected].filter((id) => !visibleIds.includes(id))),
                    )
                  }
                />
              </div>
              <SortHeader label="Name" k="name" sort={sort} onSort={onSort} />
              <SortHeader label="Image" k="image" sort={sort} onSort={onSort} />
              <SortHeader label="State" k="state" sort={sort} onSort={onSort} />
              <div role="columnheader">Ports</div>
              <SortHeader label="CPU" k="cpu" sort={sort} onSort={onSort} right />
              <SortHeader label="Memory" k="memory" sort={sort} onSort={onSort} right />
              <SortHeader label="Created" k="created" sort={sort} onSort={onSort} />
              <div role="columnheader">
                <VisuallyHidden>Actions</VisuallyHidden>
              </div>
            </div>
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((v) => {
                const item = items[v.index]!;
                return (
                  <div
                    key={v.key}
                    style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${v.start}px)` }}
                  >
                    {item.kind === 'group' ? (
                      <div
                        role="row"
                        className="pd-group"
                        style={{ height: GROUP_HEIGHT }}
                        data-testid="container-group"
                        data-group={item.label}
                      >
                        <div role="rowheader" className="pd-group-cell">
                          <UnstyledButton
                            aria-expanded={!collapsed.has(item.key)}
                            className="pd-group-toggle"
                            onClick={() =>
                              setCollapsed((c) => {
                                const next = new Set(c);
                                if (next.has(item.key)) next.delete(item.key);
                                else next.add(item.key);
                                return next;
                              })
                            }
                          >
                            {collapsed.has(item.key) ? <IconChevronRight size={16} /> : <IconChevronDown size={16} />}
                            {item.type === 'pod' ? (
                              <IconTopologyRing3 size={16} />
                            ) : item.type === 'stack' ? (
                              <IconStack2 size={16} />
                            ) : null}
                            <Text fw={600} size="sm" component="span">
                              {item.label}
                            </Text>
                            <Badge
                              size="sm"
                              variant="light"
                              color={item.running === item.count ? 'teal' : item.running ? 'yellow' : 'gray'}
                            >
                              {item.running}/{item.count} running
                            </Badge>
                          </UnstyledButton>
                        </div>
                      </div>
                    ) : (
                      <ContainerRow
                        c={item.container}
                        stats={stats.get(item.container.id)}
                        selected={selected.has(item.container.id)}
                        busy={Boolean(action.busy[item.container.id])}
                        grouped={item.grouped}
                        handlers={handlers}
                      />
                    )}
                  </div>
                );
              })}
            </div>
            {loaded && items.length === 0 && (
              <Text c="dimmed" ta="center" py="lg">
                No container matches {query ? `“${query}”` : 'this filter'}.
              </Text>
            )}
          </div>
        )}
      </EngineGate>
      <RemoveDialog
        targets={removing}
        onClose={() => setRemoving([])}
        onRemove={({ force, volumes }) => {
          if (removing.length === 1) {
            const { id, name } = removing[0]!;
            void action.run(id, `Could not remove ${name}`, () => call('containers.remove', { id, force, volumes }));
          } else void bulk('remove', removing, { force, volumes });
        }}
      />
      <RenameDialog target={renaming} onClose={() => setRenaming(null)} action={action} />
      <CommitDialog target={committing} onClose={() => setCommitting(null)} />
      <KillDialog target={killing} onClose={() => setKilling(null)} action={action} />
      <StopDialog target={stopping} onClose={() => setStopping(null)} action={action} />
      <CommandsDialog target={showing} onClose={() => setShowing(null)} />
    </Stack>
  );
}
