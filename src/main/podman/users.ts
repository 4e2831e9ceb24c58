import type { Engine } from './engine';
import { HELPER_LABEL } from '../../shared/labels';

interface Listed {
  Names?: string[];
  Id: string;
  Labels?: Record<string, string> | null;
}

/**
 * The containers (by name) that use a volume or sit on a network, asked of the engine at the
 * moment it matters (before a removal), so the answer is never a stale cache's. PodDesk's own
 * helper containers do not count: they are removed with the volume.
 */
export async function containersUsing(engine: Engine, filter: { volume: string } | { network: string }): Promise<string[]> {
  const filters = 'volume' in filter ? { volume: [filter.volume] } : { network: [filter.network] };
  const listed = await engine.json<Listed[]>('GET', '/containers/json', { query: { all: true, filters } });
  return (listed ?? [])
    .filter((c) => !c.Labels?.[HELPER_LABEL])
    .map((c) => (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''))
    .sort();
}
