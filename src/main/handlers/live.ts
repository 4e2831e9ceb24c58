import type { LiveChange } from '../../shared/contract';
import type { LiveCollection } from '../podman/live-collection';
import { untilAborted } from '../rpc/handlers';

/** Streams a live collection to one subscriber until it leaves: a reset first, then changes. */
export async function streamLive<T>(
  collection: LiveCollection<T>,
  emit: (change: LiveChange<T>) => void,
  signal: AbortSignal,
): Promise<void> {
  const unsubscribe = collection.subscribe(emit);
  try {
    await untilAborted(signal);
  } finally {
    unsubscribe();
  }
}
