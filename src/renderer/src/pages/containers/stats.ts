import { useState } from 'react';
import type { ContainerStats } from '../../../../shared/contract';
import { useSubscription } from '../../api/stream';

/** CPU and memory of every running container, refreshed by the engine every few seconds while shown. */
export function useStatsAll(enabled = true): ReadonlyMap<string, ContainerStats> {
  const [stats, setStats] = useState<ReadonlyMap<string, ContainerStats>>(() => new Map());
  useSubscription('containers.statsAll', enabled ? undefined : null, {
    onItems: (reports) => {
      const latest = reports.at(-1);
      if (latest) setStats(new Map(latest.map((s) => [s.id, s])));
    },
  });
  return stats;
}

export function formatPercent(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return value >= 10 ? `${Math.round(value)}%` : `${value.toFixed(1)}%`;
}
