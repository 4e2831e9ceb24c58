import { ActionIcon, Badge, Button, Group, SegmentedControl, Select, Switch, Text, TextInput, Tooltip } from '@mantine/core';
import { IconArrowDown, IconChevronDown, IconChevronUp, IconDownload, IconEraser, IconSearch } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ContainerSummary, LogLine } from '../../../../../shared/contract';
import { call } from '../../../api/client';
import { useSubscription } from '../../../api/stream';
import { AnsiText } from '../../../components/AnsiText';
import { notifyDone, notifyError } from '../../../components/notify';
import { stripAnsi } from '../../../lib/ansi';
import { createLogBuffer } from '../../../lib/log-buffer';

/** The most lines a log view keeps; older ones are dropped, with a marker saying how many. */
export const LOG_CAPACITY = 50_000;
const LINE_HEIGHT = 18;

type Since = 'tail' | '300' | '3600' | '86400' | 'all';
type Streams = 'both' | 'stdout' | 'stderr';

function sinceSeconds(since: Since): number | undefined {
  if (since === 'tail') return undefined;
  if (since === 'all') return 0;
  return Math.floor(Date.now() / 1000) - Number(since);
}

export function LogsTab({ container }: { container: ContainerSummary }) {
  const [buffer] = useState(() => createLogBuffer(LOG_CAPACITY));
  const [version, setVersion] = useState(0);
  const [since, setSince] = useState<Since>('tail');
  const [sinceValue, setSinceValue] = useState<number | undefined>(undefined);
  const [streams, setStreams] = useState<Streams>('both');
  const [timestamps, setTimestamps] = useState(false);
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState(0);
  const [stick, setStick] = useState(true);
  const [ended, setEnded] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);

  // A new run of the container (or a new "since") starts the view over.
  const input = { id: container.id, follow: true, ...(sinceValue !== undefined ? { since: sinceValue } : {}) };
  useSubscription(
    'containers.logs',
    input,
    {
      onStart: () => {
        buffer.clear();
        setEnded(null);
        setVersion((v) => v + 1);
      },
      onItems: (lines: LogLine[]) => {
        buffer.append(lines);
        setVersion((v) => v + 1);
      },
      onEnd: (error) =>
        setEnded(
          error
            ? `${error.message} (${error.code})`
            : container.state === 'running'
              ? 'The log stream ended.'
              : 'The container is not running: the log ends here.',
        ),
    },
    String(container.startedAt ?? 0),
  );

  // Which held lines are shown (the stream filter), as indexes into the buffer.
  const shown = useMemo(() => {
    void version;
    if (streams === 'both') return null;
    const out: number[] = [];
    for (let i = 0; i < buffer.size(); i++) if (buffer.at(i).stream === streams) out.push(i);
    return out;
  }, [buffer, version, streams]);
  const count = shown ? shown.length : buffer.size();
  const lineAt = (row: number) => buffer.at(shown ? shown[row]! : row);
  const dropped = buffer.dropped();
  const offset = dropped > 0 ? 1 : 0; // the marker row

  const q = query.trim().toLowerCase();
  const matches = useMemo(() => {
    void version;
    if (!q) return [];
    const out: number[] = [];
    for (let row = 0; row < count; row++) {
      const line = buffer.at(shown ? shown[row]! : row);
      if (stripAnsi(line.text).toLowerCase().includes(q)) out.push(row);
    }
    return out;
  }, [buffer, version, q, shown, count]);

  // eslint-disable-next-line react-hooks/incompatible-library -- read during render on purpose
  const virtualizer = useVirtualizer({
    count: count + offset,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LINE_HEIGHT,
    overscan: 20,
  });

  useEffect(() => {
    if (stick && count > 0) virtualizer.scrollToIndex(count + offset - 1, { align: 'end' });
  }, [version, stick, count, offset, virtualizer]);

  const jumpTo = (index: number) => {
    if (matches.length === 0) return;
    const next = (index + matches.length) % matches.length;
    setCurrent(next);
    setStick(false);
    virtualizer.scrollToIndex(matches[next]! + offset, { align: 'center' });
  };

  const save = async () => {
    setSaving(true);
    try {
      const result = await call('containers.saveLogs', { id: container.id, timestamps, since: sinceValue });
      if (result) notifyDone(`Saved ${result.lines.toLocaleString()} lines to ${result.savedTo}`);
    } catch (error) {
      notifyError('Could not save the log', error);
    } finally {
      setSaving(false);
    }
  };

  const currentRow = matches[Math.min(current, matches.length - 1)];
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 8, height: '100%' }}>
      <Group justify="space-between" gap="xs">
        <Group gap="xs">
          <TextInput
            size="xs"
            w={220}
            placeholder="Search the log"
            leftSection={<IconSearch size={14} />}
            value={query}
            onChange={(e) => {
              setQuery(e.currentTarget.value);
              setCurrent(0);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') jumpTo(e.shiftKey ? current - 1 : current + 1);
            }}
            aria-label="Search the log"
            data-testid="log-search"
          />
          {q && (
            <Group gap={2}>
              <Badge variant="light" color={matches.length ? 'yellow' : 'gray'} data-testid="log-matches">
                {matches.length ? `${Math.min(current, matches.length - 1) + 1} of ${matches.length}` : 'no match'}
              </Badge>
              <ActionIcon size="sm" variant="subtle" aria-label="Previous match" onClick={() => jumpTo(current - 1)}>
                <IconChevronUp size={14} />
              </ActionIcon>
              <ActionIcon size="sm" variant="subtle" aria-label="Next match" onClick={() => jumpTo(current + 1)}>
                <IconChevronDown size={14} />
              </ActionIcon>
            </Group>
          )}
          <SegmentedControl
            size="xs"
            value={streams}
            onChange={(v) => setStreams(v as Streams)}
            data={[
              { value: 'both', label: 'All' },
              { value: 'stdout', label: 'stdout' },
              { value: 'stderr', label: 'stderr' },
            ]}
            aria-label="Which output"
          />
          <Select
            size="xs"
            w={150}
            value={since}
            allowDeselect={false}
            onChange={(v) => {
              const next = (v ?? 'tail') as Since;
              setSince(next);
              setSinceValue(sinceSeconds(next));
            }}
            data={[
              { value: 'tail', label: 'Last 5,000 lines' },
              { value: '300', label: 'Last 5 minutes' },
              { value: '3600', label: 'Last hour' },
              { value: '86400', label: 'Last 24 hours' },
              { value: 'all', label: 'Everything' },
            ]}
            aria-label="Since"
          />
          <Switch size="xs" label="Timestamps" checked={timestamps} onChange={(e) => setTimestamps(e.currentTarget.checked)} />
        </Group>
        <Group gap={4}>
          <Text size="xs" c="dimmed" data-testid="log-count">
            {buffer.total().toLocaleString()} lines
          </Text>
          <Tooltip label="Clear the view (the container’s log is kept)">
            <ActionIcon variant="subtle" aria-label="Clear the view" onClick={() => (buffer.clear(), setVersion((v) => v + 1))}>
              <IconEraser size={16} />
            </ActionIcon>
          </Tooltip>
          <Button size="xs" variant="default" leftSection={<IconDownload size={14} />} loading={saving} onClick={save}>
            Download
          </Button>
        </Group>
      </Group>
      <div
        ref={scrollRef}
        className="pd-scroll pd-log"
        style={{ flex: 1, minHeight: 240 }}
        data-testid="log-view"
        onScroll={(e) => {
          const el = e.currentTarget;
          const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < LINE_HEIGHT * 2;
          if (atBottom !== stick) setStick(atBottom);
        }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth: '100%' }}>
          {virtualizer.getVirtualItems().map((v) => {
            if (offset && v.index === 0)
              return (
                <div
                  key="dropped"
                  className="pd-log-line"
                  data-testid="log-dropped"
                  style={{
                    position: 'absolute',
                    top: v.start,
                    height: LINE_HEIGHT,
                    left: 0,
                    right: 0,
                    color: '#e5a540',
                    fontStyle: 'italic',
                  }}
                >
                  — {dropped.toLocaleString()} older lines dropped: the view keeps the latest {LOG_CAPACITY.toLocaleString()}{' '}
                  (Download saves all) —
                </div>
              );
            const row = v.index - offset;
            const line = lineAt(row);
            return (
              <div
                key={v.key}
                className="pd-log-line"
                data-stream={line.stream}
                data-current={row === currentRow ? 'true' : undefined}
                data-testid="log-line"
                style={{
                  position: 'absolute',
                  top: v.start,
                  height: LINE_HEIGHT,
                  left: 0,
                  minWidth: '100%',
                  width: 'max-content',
                }}
              >
                {timestamps && line.time && <span className="pd-log-time">{line.time}</span>}
                <AnsiText text={line.text} query={q} />
              </div>
            );
          })}
        </div>
        {count === 0 && (
          <Text c="dimmed" size="sm" p="md" style={{ position: 'absolute', top: 0 }}>
            {ended ?? 'Waiting for output…'}
          </Text>
        )}
      </div>
      <Group justify="space-between">
        <Text size="xs" c="dimmed" data-testid="log-status">
          {ended && count > 0 ? ended : container.state === 'running' ? 'Following live output.' : ''}
        </Text>
        {!stick && (
          <Button
            size="compact-xs"
            variant="light"
            leftSection={<IconArrowDown size={12} />}
            onClick={() => {
              setStick(true);
              virtualizer.scrollToIndex(count + offset - 1, { align: 'end' });
            }}
          >
            Jump to the latest
          </Button>
        )}
      </Group>
    </div>
  );
}
