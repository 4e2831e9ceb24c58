import type { VolumeSummary } from '../../../shared/contract';
import type { HostFiles } from '../../host-files';
import type { HostPaths } from '../../host-paths';
import type { SettingsStore } from '../../store/settings';
import type { UploadInbox } from '../../uploads';
import type { ConnectionManager } from '../connection/manager';
import { createLiveCollection, type LiveCollection } from '../live-collection';
import { createHelpers, type Helpers } from './helper';
import { createVolumeService, type VolumeService } from './service';
import { createTransfers } from './transfers';
import { applyVolumeEvent, volumeSource } from './volumes';

export interface Volumes {
  volumes: LiveCollection<VolumeSummary>;
  service: VolumeService;
  transfers: ReturnType<typeof createTransfers>;
  helpers: Helpers;
  close(): Promise<void>;
}

/** The volume cache, the file browser and the transfers, kept live by the connection. */
export function createVolumes(deps: {
  connection: ConnectionManager;
  settings: SettingsStore;
  hostFiles: HostFiles;
  hostPaths: HostPaths;
  inbox: UploadInbox;
  log: (message: string, error?: unknown) => void;
  helperIdleMs?: number;
}): Volumes {
  const engine = () => deps.connection.engine();
  const volumes = createLiveCollection(volumeSource(engine, (error) => deps.log('volume refresh failed', error)));
  const helpers = createHelpers({
    engine,
    image: () => deps.settings.get().volumeHelperImage,
    idleMs: deps.helperIdleMs,
    log: deps.log,
  });
  deps.connection.onEvent((event) => applyVolumeEvent(event, volumes));
  deps.connection.onConnect(async () => {
    await Promise.all([volumes.reload(), helpers.cleanupLeftovers()]).catch((error: unknown) =>
      deps.log('volume load failed', error),
    );
  });
  deps.connection.watch((status) => {
    if (status.state === 'not-running' || status.state === 'not-installed' || status.state === 'host-key') volumes.clear();
  });

  const service = createVolumeService({ engine, volumes, settings: deps.settings, helpers });
  const transfers = createTransfers({
    service,
    hostFiles: deps.hostFiles,
    hostPaths: deps.hostPaths,
    inbox: deps.inbox,
    createVolume: (input) => service.create(input),
    // Never forced: a container that attached to the new volume meanwhile must not be removed.
    removeVolume: (name) => service.remove(name, false),
  });
  return {
    volumes,
    service,
    transfers,
    helpers,
    close: () => helpers.close().catch(() => undefined),
  };
}
