import type { ConnectionManager } from '../podman/connection/manager';
import { untilAborted, type CallHandlers, type StreamHandlers } from '../rpc/handlers';

export function connectionHandlers(connection: ConnectionManager) {
  const calls = {
    'connection.status': () => connection.status(),
    'connection.candidates': () => connection.candidates(),
    'connection.choose': ({ candidate }) => connection.choose(candidate),
    'connection.start': () => connection.start(),
    'connection.retry': () => connection.connect(),
  } satisfies Partial<CallHandlers>;
  const streams = {
    'connection.watch': async (_args, emit, signal) => {
      const unwatch = connection.watch(emit);
      await untilAborted(signal);
      unwatch();
    },
  } satisfies Partial<StreamHandlers>;
  return { calls, streams };
}
