import { ActionIcon, Menu } from '@mantine/core';
import {
  IconClockStop,
  IconDots,
  IconPrompt,
  IconFileText,
  IconPencil,
  IconPhoto,
  IconPlayerPause,
  IconPlayerPlay,
  IconPlayerStop,
  IconRefresh,
  IconSkull,
  IconStethoscope,
  IconTerminal2,
  IconTrash,
} from '@tabler/icons-react';
import { memo, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import type { ContainerStats, ContainerSummary } from '../../../../shared/contract';
import { call } from '../../api/client';
import { BusyActionIcon } from '../../components/Busy';
import { formatBytes, timeAgo } from '../../lib/format';
import { navigate } from '../../lib/router';
import { openDoctor } from '../doctor/open';
import type { ContainerAction } from './actions';
import { stateColor, statusText } from './state';
import { formatPercent } from './stats';
import { isActive, portUrl } from './table-model';

export const COLUMNS = '36px minmax(180px, 2.2fr) minmax(130px, 1.6fr) 150px minmax(100px, 1.1fr) 60px 76px 128px 100px';
export const ROW_HEIGHT = 52;

export function Ports({ container }: { container: ContainerSummary }) {
  const published = container.ports.filter((p) => p.hostPort > 0);
  if (published.length === 0) return <div className="pd-text pd-dim">—</div>;
  return (
    <div className="pd-ports">
      {published.slice(0, 3).map((p) => {
        const key = `${p.hostIp}:${p.hostPort}/${p.protocol}`;
        const label = `${p.hostPort}→${p.containerPort}${p.protocol !== 'tcp' ? `/${p.protocol}` : ''}`;
        const binding = `${p.hostIp || '0.0.0.0'}:${p.hostPort} → ${p.containerPort}/${p.protocol}`;
        const url = portUrl(p);
        return url ? (
          <a
            key={key}
            className="pd-link"
            href={url}
            target="_blank"
            rel="noreferrer"
            title={`Open ${url} (${binding})`}
            onClick={(e) => e.stopPropagation()}
          >
            {label}
          </a>
        ) : (
          <span key={key} className="pd-sub" title={binding}>
            {label}
          </span>
        );
      })}
      {published.length > 3 && (
        <span
          className="pd-sub"
          title={published
            .slice(3)
            .map((p) => `${p.hostPort}→${p.containerPort}/${p.protocol}`)
            .join(', ')}
        >
          +{published.length - 3}
        </span>
      )}
    </div>
  );
}

export interface RowHandlers {
  action: ContainerAction;
  onRemove(c: ContainerSummary): void;
  onRename(c: ContainerSummary): void;
  onCommit(c: ContainerSummary): void;
  onKill(c: ContainerSummary): void;
  /** Stop with a chosen grace period. */
  onStop(c: ContainerSummary): void;
  /** "Show as podman run" and the everyday commands. */
  onCommands?(c: ContainerSummary): void;
  onSelect(id: string, selected: boolean, range: boolean): void;
}

/** The actions of one container, as a menu: what `podman` does day to day. */
export function ContainerMenu({
  c,
  handlers,
  opened,
  onChange,
  targetRef,
}: {
  c: ContainerSummary;
  handlers: RowHandlers;
  /** Controlled by the row's lazy menu; uncontrolled elsewhere. */
  opened?: boolean;
  onChange?: (opened: boolean) => void;
  targetRef?: Ref<HTMLButtonElement>;
}) {
  const { action } = handlers;
  const running = c.state === 'running';
  return (
    <Menu position="bottom-end" withinPortal shadow="md" opened={opened} onChange={onChange}>
      <Menu.Target>
        <ActionIcon
          ref={targetRef}
          variant="subtle"
          color="gray"
          aria-label={`More actions for ${c.name}`}
          onClick={(e) => e.stopPropagation()}
        >
          <IconDots size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown onClick={(e) => e.stopPropagation()}>
        <Menu.Item leftSection={<IconFileText size={16} />} onClick={() => navigate(`/containers/${c.id}/logs`)}>
          Logs
        </Menu.Item>
        <Menu.Item
          leftSection={<IconTerminal2 size={16} />}
          disabled={!running}
          onClick={() => navigate(`/containers/${c.id}/terminal`)}
        >
          Terminal
        </Menu.Item>
        <Menu.Item leftSection={<IconStethoscope size={16} />} disabled={!running} onClick={() => openDoctor({ from: c.id })}>
          Can it reach…?
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item
          leftSection={<IconRefresh size={16} />}
          disabled={!isActive(c)}
          onClick={() =>
            action.run(c.id, `Could not restart ${c.name}`, () => call('containers.restart', { id: c.id }), `Restarted ${c.name}`)
          }
        >
          Restart
        </Menu.Item>
        {c.state === 'paused' ? (
          <Menu.Item
            leftSection={<IconPlayerPlay size={16} />}
            onClick={() => action.run(c.id, `Could not resume ${c.name}`, () => call('containers.unpause', { id: c.id }))}
          >
            Resume
          </Menu.Item>
        ) : (
          <Menu.Item
            leftSection={<IconPlayerPause size={16} />}
            disabled={!running}
            onClick={() => action.run(c.id, `Could not pause ${c.name}`, () => call('containers.pause', { id: c.id }))}
          >
            Pause
          </Menu.Item>
        )}
        <Menu.Item leftSection={<IconClockStop size={16} />} disabled={!isActive(c)} onClick={() => handlers.onStop(c)}>
          Stop after…
        </Menu.Item>
        <Menu.Item leftSection={<IconSkull size={16} />} disabled={!isActive(c)} onClick={() => handlers.onKill(c)}>
          Kill…
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => handlers.onRename(c)}>
          Rename…
        </Menu.Item>
        <Menu.Item leftSection={<IconPhoto size={16} />} onClick={() => handlers.onCommit(c)}>
          Save as image…
        </Menu.Item>
        {handlers.onCommands && (
          <Menu.Item leftSection={<IconPrompt size={16} />} onClick={() => handlers.onCommands?.(c)}>
            Show as podman run…
          </Menu.Item>
        )}
        <Menu.Divider />
        <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={() => handlers.onRemove(c)}>
          Remove…
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/**
 * The row's "more" menu is mounted on first click: a Mantine Menu per row (with its floating
 * positioning) would cost every one of the rows on screen on every sort and scroll. Once mounted
 * it stays. Closing it puts focus back on ⋯ (Mantine would return it to what had focus when the
 * menu opened, which on the first opening is the placeholder button, gone by then).
 */
function LazyMenu({ c, handlers }: { c: ContainerSummary; handlers: RowHandlers }) {
  const [opened, setOpened] = useState<boolean | null>(null);
  const target = useRef<HTMLButtonElement>(null);
  if (opened !== null)
    return (
      <ContainerMenu
        c={c}
        handlers={handlers}
        opened={opened}
        onChange={(next) => {
          setOpened(next);
          if (!next) target.current?.focus();
        }}
        targetRef={target}
      />
    );
  return (
    <ActionIcon variant="subtle" color="gray" aria-label={`More actions for ${c.name}`} onClick={() => setOpened(true)}>
      <IconDots size={18} />
    </ActionIcon>
  );
}

export const ContainerRow = memo(function ContainerRow(props: {
  c: ContainerSummary;
  stats?: ContainerStats;
  selected: boolean;
  busy: boolean;
  grouped: boolean;
  handlers: RowHandlers;
}) {
  const { c, stats, handlers } = props;
  const active = isActive(c);
  // Plain elements with classes in the cells: 1,000 rows scroll and sort past this code.
  // The row opens the container's details on a click, or on Enter once it has focus.
  return (
    <div
      className="pd-row"
      role="row"
      tabIndex={0}
      aria-label={`${c.name}, ${statusText(c)}`}
      data-testid="container-row"
      data-name={c.name}
      data-state={c.state}
      style={{ gridTemplateColumns: COLUMNS, height: ROW_HEIGHT }}
      onClick={() => navigate(`/containers/${c.id}`)}
      onKeyDown={(e: KeyboardEvent) => {
        if (e.key === 'Enter' && e.target === e.currentTarget) navigate(`/containers/${c.id}`);
      }}
    >
      <div role="cell" onClick={(e) => e.stopPropagation()}>
        <input
          type="checkbox"
          className="pd-check"
          aria-label={`Select ${c.name}`}
          checked={props.selected}
          onChange={(e) => handlers.onSelect(c.id, e.currentTarget.checked, (e.nativeEvent as MouseEvent).shiftKey)}
        />
      </div>
      <div role="cell" className="pd-cell" style={{ paddingLeft: props.grouped ? 14 : 0 }}>
        <div className="pd-name">{c.name}</div>
        <div className="pd-sub">
          {c.id.slice(0, 12)}
          {c.project && !props.grouped ? ` · stack ${c.project}` : ''}
          {c.pod && !props.grouped ? ` · pod ${c.pod.name}` : ''}
        </div>
      </div>
      <div role="cell" className="pd-cell pd-text" title={c.image}>
        {c.image}
      </div>
      <div role="cell">
        <span className="pd-badge" data-color={c.health === 'unhealthy' ? 'red' : stateColor[c.state]} data-testid="state-badge">
          {statusText(c)}
        </span>
      </div>
      <div role="cell" className="pd-cell">
        <Ports container={c} />
      </div>
      <div role="cell" className={`pd-text pd-num${active && stats ? '' : ' pd-dim'}`}>
        {active && stats ? formatPercent(stats.cpuPercent) : '—'}
      </div>
      <div role="cell" className={`pd-text pd-num${active && stats ? '' : ' pd-dim'}`}>
        {active && stats ? formatBytes(stats.memUsed) : '—'}
      </div>
      <div role="cell" className="pd-cell pd-text pd-dim">
        {timeAgo(c.created)}
      </div>
      <div role="cell" className="pd-actions" onClick={(e) => e.stopPropagation()}>
        {/* One button that turns from Stop to Start: the same element, so focus stays on it. */}
        {active ? (
          <BusyActionIcon
            variant="subtle"
            aria-label={`Stop ${c.name}`}
            title="Stop"
            busy={props.busy}
            onClick={() => handlers.action.run(c.id, `Could not stop ${c.name}`, () => call('containers.stop', { id: c.id }))}
          >
            <IconPlayerStop size={18} />
          </BusyActionIcon>
        ) : (
          <BusyActionIcon
            variant="subtle"
            color="teal"
            aria-label={`Start ${c.name}`}
            title="Start"
            busy={props.busy}
            onClick={() => handlers.action.run(c.id, `Could not start ${c.name}`, () => call('containers.start', { id: c.id }))}
          >
            <IconPlayerPlay size={18} />
          </BusyActionIcon>
        )}
        <ActionIcon
          variant="subtle"
          color="red"
          aria-label={`Remove ${c.name}`}
          title="Remove"
          disabled={props.busy}
          onClick={() => handlers.onRemove(c)}
        >
          <IconTrash size={18} />
        </ActionIcon>
        <LazyMenu c={c} handlers={handlers} />
      </div>
    </div>
  );
});
