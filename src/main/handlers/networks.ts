import type { Networking } from '../podman/networks';
import type { CallHandlers, StreamHandlers } from '../rpc/handlers';
import { streamLive } from './live';

export function networkHandlers({ networks, wiring, actions }: Networking) {
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
    'wiring.watch': (_args, emit, signal) => streamLive(wiring, emit, signal),
  } satisfies Partial<StreamHandlers>;
  return { calls, streams };
}
