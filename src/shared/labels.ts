import type { ContainerSummary } from './contract';

/** Marks the containers PodDesk runs for itself (the volume browser's helpers). */
export const HELPER_LABEL = 'io.poddesk.helper';

/**
 * Containers that are machinery, not the user's: pod infra containers and PodDesk's helpers.
 * Lists, counts and the topology leave them out.
 */
export function isMachinery(c: Pick<ContainerSummary, 'isInfra' | 'labels'>): boolean {
  return c.isInfra || Boolean(c.labels[HELPER_LABEL]);
}
