import type { CallHandlers, StreamHandlers } from '../rpc/handlers';
import { untilAborted } from '../rpc/handlers';
import type { StacksService } from '../stacks/service';

export function stackHandlers(stacks: StacksService) {
  const calls = {
    'stacks.list': () => stacks.list(),
    'stacks.get': ({ id }) => stacks.get(id),
    'stacks.validate': ({ yaml, id }) => stacks.validate(yaml, id),
    'stacks.plan': ({ id, variables, rebuild, services }) => stacks.plan(id, variables, rebuild, services),
    'stacks.start': ({ id, service }) => stacks.start(id, service),
    'stacks.stop': ({ id, service, timeoutSeconds }) => stacks.stop(id, service, timeoutSeconds),
    'stacks.restart': ({ id, service, timeoutSeconds }) => stacks.restart(id, service, timeoutSeconds),
    'stacks.remove': ({ id, deleteVolumes, confirmName, timeoutSeconds }) =>
      stacks.remove(id, {
        deleteVolumes,
        ...(confirmName !== undefined ? { confirmName } : {}),
        ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
      }),
    'stacks.import': (input) => stacks.importText(input),
    'stacks.importFromHost': (input) => stacks.importFromHost(input),
    'stacks.save': ({ id, yaml }) => stacks.save(id, yaml),
    'stacks.confirmHostAccess': ({ id, fingerprint, code }) => stacks.confirmHostAccess(id, fingerprint, code),
    'stacks.setReachable': ({ id, reachable }) => stacks.setReachable(id, reachable),
    'stacks.revert': ({ id }) => stacks.revert(id),
    'stacks.setProfiles': ({ id, profiles }) => stacks.setProfiles(id, profiles),
    'stacks.addOverride': ({ id }) => stacks.addOverride(id),
    'stacks.removeOverride': ({ id, index }) => stacks.removeOverride(id, index),
    'stacks.setGpu': ({ id, gpu }) => stacks.setGpu(id, gpu),
    'stacks.setContainerNames': ({ id, naming }) => stacks.setContainerNames(id, naming),
    'stacks.setVariables': ({ id, values }) => stacks.setVariables(id, values),
    'stacks.delete': ({ id }) => stacks.deleteDefinition(id),
    'stacks.exportKube': ({ id, save }) => stacks.exportKube(id, save),
  } satisfies Partial<CallHandlers>;
  const streams = {
    'stacks.watch': async (_args, emit, signal) => {
      await stacks.ready;
      const unsubscribe = stacks.watch(emit);
      try {
        await untilAborted(signal);
      } finally {
        unsubscribe();
      }
    },
    'stacks.launch': (args, emit, signal) => stacks.launch(args, emit, signal),
    'stacks.logs': (args, emit, signal) => stacks.logs(args, emit, signal),
  } satisfies Partial<StreamHandlers>;
  return { calls, streams };
}
