import type { VolumeSummary } from '../../../shared/contract';
import { LIBPOD, type Engine } from '../engine';
import type { EngineEvent } from '../events';
import type { LiveCollection, LiveCollectionSource } from '../live-collection';

/** A volume as libpod's `/volumes/json` returns it (the fields we read). */
export interface LibpodVolume {
  Name: string;
  Driver?: string;
  Mountpoint?: string;
  CreatedAt?: string;
  Labels?: Record<string, string> | null;
  Options?: Record<string, string> | null;
  Scope?: string;
}

export function toVolumeSummary(raw: LibpodVolume): VolumeSummary {
  const labels = raw.Labels ?? {};
  const created = raw.CreatedAt ? Date.parse(raw.CreatedAt) : NaN;
  const summary: VolumeSummary = {
    name: raw.Name,
    driver: raw.Driver ?? 'local',
    created: Number.isFinite(created) ? Math.floor(created / 1000) : 0,
    mountpoint: raw.Mountpoint ?? '',
    labels,
    options: raw.Options ?? {},
    scope: raw.Scope ?? 'local',
  };
  const project = labels['com.docker.compose.project'] ?? labels['io.podman.compose.project'];
  if (project) summary.project = project;
  return summary;
}

export function volumeSource(engine: () => Engine, onError?: (error: unknown) => void): LiveCollectionSource<VolumeSummary> {
  return {
    key: (v) => v.name,
    async listAll() {
      const raw = await engine().json<LibpodVolume[]>('GET', `${LIBPOD}/volumes/json`);
      return (raw ?? []).map(toVolumeSummary);
    },
    async fetchOne(name) {
      try {
        return toVolumeSummary(await engine().json<LibpodVolume>('GET', `${LIBPOD}/volumes/${encodeURIComponent(name)}/json`));
      } catch (error) {
        if ((error as { code?: string }).code === 'NOT_FOUND') return null;
        throw error;
      }
    },
    onError,
  };
}

/** Volume events name the volume in an attribute (Podman 4.3 leaves the id empty). */
export function applyVolumeEvent(event: EngineEvent, volumes: LiveCollection<VolumeSummary>): void {
  if (event.type !== 'volume') return;
  const name = event.attributes.name || event.id;
  if (!name) return;
  if (event.action === 'remove' || event.action === 'prune') volumes.drop(name);
  else if (event.action === 'create') volumes.refresh(name);
}
