import { ActionIcon, Box, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import {
  IconArrowDown,
  IconArrowUp,
  IconDots,
  IconDownload,
  IconFile,
  IconFileZip,
  IconFolder,
  IconLink,
  IconLinkOff,
  IconPencil,
  IconTrash,
} from '@tabler/icons-react';
import { useState, type UIEvent } from 'react';
import type { FileEntry } from '../../../../shared/contract';
import { formatBytes } from '../../lib/format';
import { ownerText, type SortKey } from './sort';

const ROW = 34;
// Narrow enough that, beside the tree and an open preview, the row's actions stay in view.
const COLUMNS = 'minmax(140px, 1fr) 72px 116px 88px 72px 30px';
const MIN_WIDTH = 580;

/** 2026-11-29 03:08: sortable at a glance, and one line. */
export function shortDate(epochSeconds: number): string {
  if (!epochSeconds) return '';
  const d = new Date(epochSeconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export interface FileActions {
  open(entry: FileEntry): void;
  download(entry: FileEntry, format: 'file' | 'tar' | 'zip'): void;
  rename(entry: FileEntry): void;
  remove(entry: FileEntry): void;
}

function Icon({ entry }: { entry: FileEntry }) {
  if (entry.type === 'dir') return <IconFolder size={16} color="var(--mantine-color-yellow-6)" />;
  if (entry.type === 'symlink')
    return entry.linkEscapes ? (
      <IconLinkOff size={16} color="var(--mantine-color-orange-6)" />
    ) : (
      <IconLink size={16} color="var(--mantine-color-blue-6)" />
    );
  return <IconFile size={16} color="var(--mantine-color-gray-6)" />;
}

function Header({ sort, onSort }: { sort: { key: SortKey; descending: boolean }; onSort: (key: SortKey) => void }) {
  const cell = (key: SortKey, label: string, align: 'left' | 'right' = 'left') => (
    <UnstyledButton onClick={() => onSort(key)} style={{ textAlign: align }} aria-label={`Sort by ${label}`}>
      <Group gap={2} justify={align === 'right' ? 'flex-end' : 'flex-start'} wrap="nowrap">
        <Text size="xs" fw={600} c="dimmed" tt="uppercase">
          {label}
        </Text>
        {sort.key === key && (sort.descending ? <IconArrowDown size={12} /> : <IconArrowUp size={12} />)}
      </Group>
    </UnstyledButton>
  );
  return (
    <Box
      style={{
        display: 'grid',
        gridTemplateColumns: COLUMNS,
        gap: 8,
        padding: '6px 8px',
        borderBottom: '1px solid var(--mantine-color-default-border)',
      }}
    >
      {cell('name', 'Name')}
      {cell('size', 'Size', 'right')}
      {cell('mtime', 'Modified')}
      {cell('permissions', 'Permissions')}
      {cell('owner', 'Owner')}
      <span />
    </Box>
  );
}

/**
 * The folder's entries, virtualised: only the rows in view are in the page, so a folder of
 * 10,000 files scrolls as smoothly as one of ten.
 */
export function FileList(props: {
  entries: FileEntry[];
  selected: string | null;
  sort: { key: SortKey; descending: boolean };
  onSort: (key: SortKey) => void;
  onSelect: (entry: FileEntry) => void;
  actions: FileActions;
  height: string;
}) {
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const first = Math.max(0, Math.floor(scrollTop / ROW) - 10);
  const last = Math.min(props.entries.length, Math.ceil((scrollTop + viewport) / ROW) + 10);
  const onScroll = (e: UIEvent<HTMLDivElement>) => {
    setScrollTop(e.currentTarget.scrollTop);
    setViewport(e.currentTarget.clientHeight);
  };
  return (
    <Box style={{ overflowX: 'auto' }}>
      <Box miw={MIN_WIDTH}>
        <Header sort={props.sort} onSort={props.onSort} />
        <Box
          style={{ height: props.height, overflowY: 'auto', position: 'relative' }}
          onScroll={onScroll}
          ref={(el: HTMLDivElement | null) => {
            if (el && el.clientHeight && el.clientHeight !== viewport) setViewport(el.clientHeight);
          }}
          data-testid="file-list"
        >
          <Box style={{ height: props.entries.length * ROW, position: 'relative' }}>
            {props.entries.slice(first, last).map((entry, i) => {
              const index = first + i;
              const selected = props.selected === entry.path;
              return (
                <Box
                  key={entry.path}
                  data-testid="file-row"
                  data-name={entry.name}
                  data-type={entry.type}
                  onClick={() => props.onSelect(entry)}
                  onDoubleClick={() => props.actions.open(entry)}
                  // Reachable by keyboard: Tab to a row, Enter opens it as a click would.
                  tabIndex={0}
                  onKeyDown={(e) => {
                    if (e.target === e.currentTarget && (e.key === 'Enter' || e.key === ' ')) {
                      e.preventDefault();
                      props.onSelect(entry);
                    }
                  }}
                  style={{
                    position: 'absolute',
                    top: index * ROW,
                    left: 0,
                    right: 0,
                    height: ROW,
                    display: 'grid',
                    gridTemplateColumns: COLUMNS,
                    gap: 8,
                    alignItems: 'center',
                    padding: '0 8px',
                    cursor: 'pointer',
                    background: selected ? 'var(--mantine-primary-color-light)' : undefined,
                    borderBottom: '1px solid var(--mantine-color-default-border)',
                  }}
                >
                  <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
                    <Icon entry={entry} />
                    <Text size="sm" truncate title={entry.linkTarget ? `${entry.name} → ${entry.linkTarget}` : entry.name}>
                      {entry.name}
                      {entry.linkTarget !== undefined && (
                        <Text span size="xs" c={entry.linkEscapes ? 'orange' : 'dimmed'}>
                          {' '}
                          → {entry.linkTarget}
                        </Text>
                      )}
                    </Text>
                  </Group>
                  <Text size="sm" ta="right" c="dimmed">
                    {entry.type === 'file' ? formatBytes(entry.size) : ''}
                  </Text>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {shortDate(entry.mtime)}
                  </Text>
                  <Text size="xs" ff="monospace">
                    {entry.permissions}
                  </Text>
                  <Text size="xs" ff="monospace" c="dimmed">
                    {ownerText(entry.uid, entry.gid)}
                  </Text>
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <ActionIcon
                        variant="subtle"
                        size="sm"
                        aria-label={`Actions for ${entry.name}`}
                        onClick={(e) => e.stopPropagation()}
                      >
                        <IconDots size={16} />
                      </ActionIcon>
                    </Menu.Target>
                    <Menu.Dropdown onClick={(e) => e.stopPropagation()}>
                      {entry.type === 'dir' ? (
                        <>
                          <Menu.Item
                            leftSection={<IconDownload size={16} />}
                            onClick={() => props.actions.download(entry, 'tar')}
                          >
                            Download as .tar
                          </Menu.Item>
                          <Menu.Item leftSection={<IconFileZip size={16} />} onClick={() => props.actions.download(entry, 'zip')}>
                            Download as .zip
                          </Menu.Item>
                        </>
                      ) : (
                        <Menu.Item
                          leftSection={<IconDownload size={16} />}
                          disabled={entry.linkEscapes}
                          onClick={() => props.actions.download(entry, 'file')}
                        >
                          Download
                        </Menu.Item>
                      )}
                      <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => props.actions.rename(entry)}>
                        Rename…
                      </Menu.Item>
                      <Menu.Divider />
                      <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={() => props.actions.remove(entry)}>
                        Delete…
                      </Menu.Item>
                    </Menu.Dropdown>
                  </Menu>
                </Box>
              );
            })}
          </Box>
        </Box>
      </Box>
    </Box>
  );
}
