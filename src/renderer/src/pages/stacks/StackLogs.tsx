import { Badge, Group, Paper, ScrollArea, SegmentedControl, Stack, Switch, Text } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { StackLogLine, StackSummary } from '../../../../shared/contract';
import { subscribe } from '../../api/client';

const MAX_LINES = 2_000;
const COLORS = ['violet', 'teal', 'orange', 'blue', 'pink', 'lime', 'cyan', 'grape'];

/** Logs of one service or of all merged, following live; the stream closes when this unmounts. */
export function StackLogs({ stack, initialService }: { stack: StackSummary; initialService?: string }) {
  const [service, setService] = useState(initialService ?? 'all');
  const [follow, setFollow] = useState(true);
  // A relaunch replaces containers: a new view (and stream) for the new ones.
  const containers = stack.services.map((s) => s.container?.id ?? '').join();
  const withContainer = stack.services.filter((s) => s.container);
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <SegmentedControl
          size="xs"
          value={service}
          onChange={setService}
          data={[{ label: 'All services', value: 'all' }, ...withContainer.map((s) => ({ label: s.name, value: s.name }))]}
        />
        <Switch size="xs" label="Follow" checked={follow} onChange={(e) => setFollow(e.currentTarget.checked)} />
      </Group>
      <LogView key={`${service}|${containers}`} stack={stack} service={service} follow={follow} />
    </Stack>
  );
}

function LogView({ stack, service, follow }: { stack: StackSummary; service: string; follow: boolean }) {
  const [{ lines, dropped }, setLog] = useState<{ lines: StackLogLine[]; dropped: number }>({ lines: [], dropped: 0 });
  const [ended, setEnded] = useState<string | null>(null);
  const viewport = useRef<HTMLDivElement>(null);
  const colors = useMemo(
    () => Object.fromEntries(stack.services.map((s, i) => [s.name, COLORS[i % COLORS.length]!])),
    [stack.services],
  );
  const id = stack.id;

  useEffect(
    () =>
      subscribe(
        'stacks.logs',
        { id, ...(service === 'all' ? {} : { service }), tail: 300, follow: true },
        {
          onItems: (items) =>
            setLog((prev) => {
              const next = prev.lines.concat(items);
              // A bounded buffer: a chatty service must not grow the page without end.
              if (next.length <= MAX_LINES) return { lines: next, dropped: prev.dropped };
              return { lines: next.slice(-MAX_LINES), dropped: prev.dropped + next.length - MAX_LINES };
            }),
          onEnd: (error) => setEnded(error ? error.message : 'The containers stopped: no more lines will come.'),
        },
      ),
    [id, service],
  );

  useEffect(() => {
    if (follow && viewport.current) viewport.current.scrollTop = viewport.current.scrollHeight;
  }, [lines, follow]);

  return (
    <Paper withBorder>
      <ScrollArea h={420} viewportRef={viewport} type="auto">
        <Stack gap={0} p="xs" data-testid="stack-logs">
          {dropped > 0 && (
            <Text size="xs" c="dimmed">
              … {dropped} older lines not shown
            </Text>
          )}
          {lines.length === 0 && (
            <Text size="sm" c="dimmed">
              No output yet.
            </Text>
          )}
          {lines.map((l, i) => (
            <Group key={i} gap={8} wrap="nowrap" align="flex-start" data-testid="log-line">
              {service === 'all' && (
                <Badge size="xs" variant="light" color={colors[l.service] ?? 'gray'} style={{ flexShrink: 0 }}>
                  {l.service}
                </Badge>
              )}
              <Text
                size="xs"
                ff="monospace"
                c={l.stream === 'stderr' ? 'orange' : undefined}
                style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
              >
                {l.text}
              </Text>
            </Group>
          ))}
          {ended && (
            <Text size="xs" c="dimmed" mt={4}>
              {ended}
            </Text>
          )}
        </Stack>
      </ScrollArea>
    </Paper>
  );
}
