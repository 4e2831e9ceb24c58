import { Anchor, Badge, Button, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import {
  IconBraces,
  IconChartLine,
  IconFileText,
  IconFolder,
  IconPlayerPause,
  IconPlayerPlay,
  IconPlayerStop,
  IconPrompt,
  IconRefresh,
  IconTerminal2,
  IconTrash,
} from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import type { ContainerSummary } from '../../../../../shared/contract';
import { call } from '../../../api/client';
import { useLive } from '../../../api/live';
import { EngineGate } from '../../../components/ConnectionPanel';
import { BusyButton } from '../../../components/Busy';
import { BackButton } from '../../../components/PageHeader';
import { timeAgo } from '../../../lib/format';
import { navigate } from '../../../lib/router';
import { useContainerAction } from '../actions';
import { ContainerMenu, Ports } from '../ContainerRow';
import { CommandsDialog } from '../CommandsDialog';
import { CommitDialog, KillDialog, RemoveDialog, RenameDialog, StopDialog } from '../dialogs';
import { stateColor, statusText } from '../state';
import { isActive } from '../table-model';
import { FilesTab } from './FilesTab';
import { InspectTab } from './InspectTab';
import { LogsTab } from './LogsTab';
import { StatsTab } from './StatsTab';
import { TerminalTab } from './TerminalTab';

export const TABS = ['logs', 'inspect', 'stats', 'terminal', 'files'] as const;
export type Tab = (typeof TABS)[number];

function Header({ c }: { c: ContainerSummary }) {
  const action = useContainerAction();
  // Arriving here (a row opened with Enter, a container just run) puts focus on the title, so
  // the keyboard and a screen reader start where the page does, not on the page body.
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => title.current?.focus({ preventScroll: true }), []);
  const [removing, setRemoving] = useState<ContainerSummary[]>([]);
  const [renaming, setRenaming] = useState<ContainerSummary | null>(null);
  const [committing, setCommitting] = useState<ContainerSummary | null>(null);
  const [killing, setKilling] = useState<ContainerSummary | null>(null);
  const [stopping, setStopping] = useState<ContainerSummary | null>(null);
  const [showing, setShowing] = useState<ContainerSummary | null>(null);
  const busy = Boolean(action.busy[c.id]);
  const active = isActive(c);
  return (
    <Group justify="space-between" align="flex-start">
      <Stack gap={4}>
        <Group gap="sm">
          <BackButton to="/containers" label="All containers" />
          <Title order={2} data-testid="container-title" ref={title} tabIndex={-1}>
            {c.name}
          </Title>
          <Badge
            color={c.health === 'unhealthy' ? 'red' : stateColor[c.state]}
            variant="light"
            data-testid="details-state"
            data-state={c.state}
          >
            {statusText(c)}
          </Badge>
        </Group>
        <Group gap="lg" pl={40}>
          <Text size="sm" c="dimmed">
            Image{' '}
            <Anchor component="button" size="sm" onClick={() => navigate('/images')}>
              {c.image}
            </Anchor>
          </Text>
          <Text size="sm" c="dimmed" ff="monospace">
            {c.id.slice(0, 12)}
          </Text>
          <Text size="sm" c="dimmed">
            Created {timeAgo(c.created)}
          </Text>
          {c.project && <Badge variant="outline">stack {c.project}</Badge>}
          {c.pod && <Badge variant="outline">pod {c.pod.name}</Badge>}
          {c.ports.some((p) => p.hostPort > 0) && <Ports container={c} />}
        </Group>
      </Stack>
      <Group gap="xs">
        {/* Stop turns into Start in the same element, and busy buttons keep focus (components/Busy). */}
        {active ? (
          <BusyButton
            variant="default"
            leftSection={<IconPlayerStop size={16} />}
            busy={busy}
            onClick={() => void action.run(c.id, `Could not stop ${c.name}`, () => call('containers.stop', { id: c.id }))}
            data-testid="details-stop"
          >
            Stop
          </BusyButton>
        ) : (
          <BusyButton
            variant="default"
            color="teal"
            leftSection={<IconPlayerPlay size={16} />}
            busy={busy}
            onClick={() => void action.run(c.id, `Could not start ${c.name}`, () => call('containers.start', { id: c.id }))}
            data-testid="details-start"
          >
            Start
          </BusyButton>
        )}
        <BusyButton
          variant="default"
          leftSection={<IconRefresh size={16} />}
          disabled={!active}
          blocked={busy}
          onClick={() => void action.run(c.id, `Could not restart ${c.name}`, () => call('containers.restart', { id: c.id }))}
        >
          Restart
        </BusyButton>
        {c.state === 'paused' ? (
          <BusyButton
            variant="default"
            leftSection={<IconPlayerPlay size={16} />}
            blocked={busy}
            onClick={() => void action.run(c.id, `Could not resume ${c.name}`, () => call('containers.unpause', { id: c.id }))}
          >
            Resume
          </BusyButton>
        ) : (
          <BusyButton
            variant="default"
            leftSection={<IconPlayerPause size={16} />}
            disabled={c.state !== 'running'}
            blocked={busy}
            onClick={() => void action.run(c.id, `Could not pause ${c.name}`, () => call('containers.pause', { id: c.id }))}
          >
            Pause
          </BusyButton>
        )}
        <Button
          variant="default"
          leftSection={<IconPrompt size={16} />}
          onClick={() => setShowing(c)}
          data-testid="details-commands"
        >
          podman run
        </Button>
        <Button
          color="red"
          variant="light"
          leftSection={<IconTrash size={16} />}
          onClick={() => setRemoving([c])}
          data-testid="details-remove"
        >
          Remove
        </Button>
        <ContainerMenu
          c={c}
          handlers={{
            action,
            onRemove: (x) => setRemoving([x]),
            onRename: setRenaming,
            onCommit: setCommitting,
            onKill: setKilling,
            onStop: setStopping,
            onCommands: setShowing,
            onSelect: () => undefined,
          }}
        />
      </Group>
      <RemoveDialog
        targets={removing}
        onClose={() => setRemoving([])}
        onRemove={({ force, volumes }) =>
          void action
            .run(
              c.id,
              `Could not remove ${c.name}`,
              () => call('containers.remove', { id: c.id, force, volumes }),
              `Removed ${c.name}`,
            )
            .then((ok) => ok && navigate('/containers'))
        }
      />
      <RenameDialog target={renaming} onClose={() => setRenaming(null)} action={action} />
      <CommitDialog target={committing} onClose={() => setCommitting(null)} />
      <KillDialog target={killing} onClose={() => setKilling(null)} action={action} />
      <StopDialog target={stopping} onClose={() => setStopping(null)} action={action} />
      <CommandsDialog target={showing} onClose={() => setShowing(null)} />
    </Group>
  );
}

/** One container: its state and actions, and tabs whose streams run only while the tab is open. */
export function ContainerDetails({ id, tab }: { id: string; tab: Tab }) {
  const { value: containers, loaded } = useLive('containers.watch', (c) => c.id);
  const c = containers.find((x) => x.id === id || x.name === id || (id.length >= 12 && x.id.startsWith(id)));
  return (
    <EngineGate>
      {!c ? (
        <Stack align="center" py="xl" data-testid="container-missing">
          <Text fw={500}>{loaded ? 'This container no longer exists.' : 'Loading…'}</Text>
          <Button variant="light" onClick={() => navigate('/containers')}>
            All containers
          </Button>
        </Stack>
      ) : (
        <Stack h="calc(100dvh - 52px - 2 * var(--mantine-spacing-lg))" gap="md">
          <Header c={c} />
          <Tabs
            value={tab}
            onChange={(next) => next && navigate(`/containers/${c.id}/${next}`)}
            keepMounted={false}
            style={{ flex: 1, display: 'flex', flexDirection: 'column', minHeight: 0 }}
          >
            <Tabs.List>
              <Tabs.Tab value="logs" leftSection={<IconFileText size={16} />}>
                Logs
              </Tabs.Tab>
              <Tabs.Tab value="inspect" leftSection={<IconBraces size={16} />}>
                Inspect
              </Tabs.Tab>
              <Tabs.Tab value="stats" leftSection={<IconChartLine size={16} />}>
                Stats
              </Tabs.Tab>
              <Tabs.Tab value="terminal" leftSection={<IconTerminal2 size={16} />}>
                Terminal
              </Tabs.Tab>
              <Tabs.Tab value="files" leftSection={<IconFolder size={16} />}>
                Files
              </Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="logs" pt="sm" style={{ flex: 1, minHeight: 0 }}>
              <LogsTab container={c} />
            </Tabs.Panel>
            <Tabs.Panel value="inspect" pt="sm">
              <InspectTab id={c.id} version={`${c.state}:${c.name}:${c.startedAt ?? 0}`} />
            </Tabs.Panel>
            <Tabs.Panel value="stats" pt="sm">
              <StatsTab container={c} />
            </Tabs.Panel>
            <Tabs.Panel value="terminal" pt="sm">
              <TerminalTab container={c} />
            </Tabs.Panel>
            <Tabs.Panel value="files" pt="sm">
              <FilesTab id={c.id} />
            </Tabs.Panel>
          </Tabs>
        </Stack>
      )}
    </EngineGate>
  );
}
