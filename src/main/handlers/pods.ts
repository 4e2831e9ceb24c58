import type { PodSummary } from '../../shared/contract';
import type { LiveCollection } from '../podman/live-collection';
import type { PodActions } from '../podman/pods';
import type { CallHandlers, StreamHandlers } from '../rpc/handlers';
import { streamLive } from './live';

export function podHandlers(pods: LiveCollection<PodSummary>, actions: PodActions) {
  const calls = {
    'pods.list': () => pods.items(),
    'pods.start': ({ id }) => actions.start(id),
    'pods.stop': ({ id, timeoutSeconds }) => actions.stop(id, timeoutSeconds),
    'pods.restart': ({ id }) => actions.restart(id),
    'pods.remove': ({ id, force }) => actions.remove(id, force),
    'pods.inspect': ({ id }) => actions.inspect(id),
    'pods.create': async (options) => {
      const created = await actions.create(options);
      pods.refresh(created.id);
      return created;
    },
  } satisfies Partial<CallHandlers>;
  const streams = {
    'pods.watch': (_args, emit, signal) => streamLive(pods, emit, signal),
  } satisfies Partial<StreamHandlers>;
  return { calls, streams };
}
