import { useState } from 'react';
import type { ContainerStats } from '../../../../shared/contract';
import { useSubscription } from '../../api/stream';
import { useWindowActive } from '../../lib/window-active';

/**
 * CPU and memory of every running container, refreshed by the engine every few seconds while
 * shown. The stream costs the engine a stats read of every container each time (about 0.4
 * CPU-seconds a minute in Podman, 0.5 in the page): it is closed while the window is hidden or
 * in the background, and opened again the moment it comes back. The last figures stay shown.
 */
export function useStatsAll(enabled = true): ReadonlyMap<string, ContainerStats> {
  const [stats, setStats] = useState<ReadonlyMap<string, ContainerStats>>(() => new Map());
  const active = useWindowActive();
  useSubscription('containers.statsAll', enabled && active ? undefined : null, {
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
