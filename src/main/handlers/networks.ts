import type { Networking } from '../podman/networks';
import { untilAborted, type CallHandlers, type StreamHandlers } from '../rpc/handlers';
import { streamLive } from './live';

export function networkHandlers({ networks, watchWiring, actions }: Networking) {
  const calls = {
    'networks.list': () => networks.items(),
    'networks.drivers': () => actions.drivers(),
    'networks.create': (input) => actions.create(input),
    'networks.remove': ({ name }) => actions.remove(name),
    'networks.prune': ({ names }) => actions.prune(names),
    'networks.connect': (input) => actions.connect(input),
    'networks.disconnect': (input) => actions.disconnect(input),
  } satisfies Partial<CallHandlers>;
  const streams = {
    'networks.watch': (_args, emit, signal) => {
      // Podman 4.3 announces no network creation or removal: someone opening the list gets it
      // fresh once (a single request), and events keep it current from there.
      void networks.reload().catch(() => undefined);
      return streamLive(networks, emit, signal);
    },
    'wiring.watch': async (_args, emit, signal) => {
      const unwatch = watchWiring(emit);
      await untilAborted(signal);
      unwatch();
    },
  } satisfies Partial<StreamHandlers>;
  return { calls, streams };
}
