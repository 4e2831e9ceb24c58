import { Alert, SimpleGrid, Text } from '@mantine/core';
import { useState } from 'react';
import type { ContainerStats, ContainerSummary } from '../../../../../shared/contract';
import { useSubscription } from '../../../api/stream';
import { Sparkline } from '../../../components/Sparkline';
import { formatBytes } from '../../../lib/format';
import { formatPercent } from '../stats';

const KEEP = 90;

/** Bytes per second between two samples of a counter. */
function rate(samples: ContainerStats[], pick: (s: ContainerStats) => number): number[] {
  const out: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const dt = (samples[i]!.at - samples[i - 1]!.at) / 1000;
    out.push(dt > 0 ? Math.max(0, (pick(samples[i]!) - pick(samples[i - 1]!)) / dt) : 0);
  }
  return out.length ? out : [0];
}

export function StatsTab({ container }: { container: ContainerSummary }) {
  const [samples, setSamples] = useState<ContainerStats[]>([]);
  const [failed, setFailed] = useState<string | null>(null);
  const running = container.state === 'running';
  useSubscription(
    'containers.stats',
    running ? { id: container.id } : null,
    {
      onStart: () => {
        setSamples([]);
        setFailed(null);
      },
      onItems: (items) => setSamples((s) => [...s, ...items].slice(-KEEP)),
      // Without this the tab would wait for a first sample for ever (rootless Podman on cgroups v1 has none).
      onEnd: (error) => setFailed(error ? error.message : null),
    },
    String(container.startedAt ?? 0),
  );
  if (!running)
    return (
      <Alert color="gray" title="Not running">
        Live statistics appear while the container runs.
      </Alert>
    );
  if (failed)
    return (
      <Alert color="yellow" title="No statistics" role="status">
        {failed}
      </Alert>
    );
  const last = samples.at(-1);
  if (!last)
    return (
      <Text c="dimmed" size="sm">
        Waiting for the first sample…
      </Text>
    );
  const net = [rate(samples, (s) => s.netRx), rate(samples, (s) => s.netTx)];
  const block = [rate(samples, (s) => s.blockRead), rate(samples, (s) => s.blockWrite)];
  const perSecond = (n: number) => `${formatBytes(n)}/s`;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} data-testid="stats">
      <Sparkline
        label="CPU"
        testId="stats-cpu"
        values={samples.map((s) => s.cpuPercent)}
        value={formatPercent(last.cpuPercent)}
        detail={`${last.pids} process${last.pids === 1 ? '' : 'es'}`}
      />
      <Sparkline
        label="Memory"
        testId="stats-memory"
        color="var(--mantine-color-teal-6)"
        values={samples.map((s) => s.memUsed)}
        value={`${formatBytes(last.memUsed)} of ${formatBytes(last.memLimit)}`}
        detail={last.memLimit ? `${((last.memUsed / last.memLimit) * 100).toFixed(1)}% of the limit` : undefined}
      />
      <Sparkline
        label="Network (in + out)"
        color="var(--mantine-color-blue-6)"
        values={net[0]!.map((v, i) => v + (net[1]![i] ?? 0))}
        value={`↓ ${perSecond(net[0]!.at(-1)!)}  ↑ ${perSecond(net[1]!.at(-1)!)}`}
        detail={`Total received ${formatBytes(last.netRx)}, sent ${formatBytes(last.netTx)}`}
      />
      <Sparkline
        label="Block I/O (read + write)"
        color="var(--mantine-color-orange-6)"
        values={block[0]!.map((v, i) => v + (block[1]![i] ?? 0))}
        value={`R ${perSecond(block[0]!.at(-1)!)}  W ${perSecond(block[1]!.at(-1)!)}`}
        detail={`Total read ${formatBytes(last.blockRead)}, written ${formatBytes(last.blockWrite)}`}
      />
    </SimpleGrid>
  );
}
