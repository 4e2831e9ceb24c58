import type { ContainerSummary } from '../../shared/contract';
import type { ContainerActions } from '../podman/containers';
import type { LiveCollection } from '../podman/live-collection';
import type { CallHandlers, StreamHandlers } from '../rpc/handlers';
import { streamLive } from './live';

export function containerHandlers(containers: LiveCollection<ContainerSummary>, actions: ContainerActions) {
  const calls = {
    'containers.list': () => containers.items(),
    'containers.start': ({ id }) => actions.start(id),
    'containers.stop': ({ id, timeoutSeconds }) => actions.stop(id, timeoutSeconds),
    'containers.remove': ({ id, force, volumes }) => actions.remove(id, { force, volumes }),
  } satisfies Partial<CallHandlers>;
  const streams = {
    'containers.watch': (_args, emit, signal) => streamLive(containers, emit, signal),
  } satisfies Partial<StreamHandlers>;
  return { calls, streams };
}
