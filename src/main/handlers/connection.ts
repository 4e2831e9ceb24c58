import type { Consent } from '../consent';
import type { HostFiles } from '../host-files';
import { chooseHostPath, type HostPaths } from '../host-paths';
import { endpointToAdd, type AddDeps } from '../podman/connection/add';
import type { ConnectionManager } from '../podman/connection/manager';
import { trustHostKey } from '../podman/connection/trust-host-key';
import type { HostKeys } from '../podman/transport/host-keys';
import { untilAborted, type CallHandlers, type StreamHandlers } from '../rpc/handlers';

export interface ConnectionHandlerDeps {
  connection: ConnectionManager;
  hostFiles: HostFiles;
  hostPaths: HostPaths;
  add: AddDeps;
  hostKeys: HostKeys;
  consent: Consent;
}

export function connectionHandlers({ connection, hostFiles, hostPaths, add, hostKeys, consent }: ConnectionHandlerDeps) {
  const calls = {
    'connection.status': () => connection.status(),
    'connection.candidates': () => connection.candidates(),
    'connection.choose': ({ key }) => connection.choose(key),
    'connection.add': async (input) => connection.add(await endpointToAdd(input, add)),
    'connection.chooseIdentity': () => chooseHostPath(hostFiles, hostPaths, 'ssh-identity', { title: 'Your ssh private key' }),
    'connection.trustHostKey': (input) => trustHostKey(input, { connection, hostKeys, consent }),
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
