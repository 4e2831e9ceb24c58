import { AppError } from '../../shared/errors';
import type { FirstHourTracker } from '../home/first-hour';
import { cleanUp, cleanupPlanOf, readDiskUsage, summarizeDiskUsage } from '../home/disk-usage';
import type { Engine } from '../podman/engine';
import { untilAborted, type CallHandlers, type StreamHandlers } from '../rpc/handlers';

export function homeHandlers(deps: { firstHour: FirstHourTracker; engine: () => Engine }) {
  const calls = {
    'home.setChecklistHidden': ({ hidden }) => deps.firstHour.setHidden(hidden),
    'home.diskUsage': async () => summarizeDiskUsage(await readDiskUsage(deps.engine())),
    'home.cleanupPlan': async () => cleanupPlanOf(await readDiskUsage(deps.engine())),
    'home.cleanup': async (chosen) => {
      // Sizes come from a fresh listing: only what is still listed as unused has a size to add.
      const plan = cleanupPlanOf(await readDiskUsage(deps.engine()).catch(() => ({})));
      const sizes = new Map<string, number>([
        ...plan.containers.map((c) => [`container:${c.id}`, c.bytes] as const),
        ...plan.images.map((i) => [`image:${i.id}`, i.bytes] as const),
        ...plan.volumes.map((v) => [`volume:${v.name}`, v.bytes] as const),
      ]);
      if (chosen.containers.length + chosen.images.length + chosen.volumes.length === 0)
        throw new AppError('INVALID_INPUT', 'Choose something to delete');
      const tags = new Map(plan.images.map((i) => [i.id, i.tags]));
      return cleanUp(deps.engine(), chosen, sizes, tags);
    },
  } satisfies Partial<CallHandlers>;
  const streams = {
    'home.progress': async (_args, emit, signal) => {
      const unsubscribe = deps.firstHour.subscribe(emit);
      try {
        await untilAborted(signal);
      } finally {
        unsubscribe();
      }
    },
  } satisfies Partial<StreamHandlers>;
  return { calls, streams };
}
