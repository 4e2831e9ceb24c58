import type { Volumes } from '../podman/volumes';
import type { CallHandlers, StreamHandlers } from '../rpc/handlers';
import { streamLive } from './live';

export function volumeHandlers({ volumes, service, transfers }: Volumes) {
  const calls = {
    'volumes.list': () => volumes.items(),
    'volumes.create': (input) => service.create(input),
    'volumes.remove': ({ name, force }) => service.remove(name, force),
    'volumes.prune': ({ names }) => service.prune(names),
    'volumes.size': ({ name }) => service.size(name),
    'volumes.helperImage': () => service.helperImage(),
    'volumes.pullHelperImage': () => service.pullHelperImage(),
    'volumes.files.list': ({ volume, path }) => service.list(volume, path),
    'volumes.files.preview': ({ volume, path }) => service.preview(volume, path),
    'volumes.files.mkdir': ({ volume, dir, name }) => service.mkdir(volume, dir, name),
    'volumes.files.rename': ({ volume, path, newName }) => service.rename(volume, path, newName),
    'volumes.files.delete': ({ volume, paths }) => service.deleteFiles(volume, paths),
  } satisfies Partial<CallHandlers>;
  const streams = {
    'volumes.watch': (_args, emit, signal) => streamLive(volumes, emit, signal),
    'volumes.files.download': (args, emit, signal) => transfers.download(args, emit, signal),
    'volumes.files.upload': (args, emit, signal) => transfers.upload(args, emit, signal),
    'volumes.backup': (args, emit, signal) => transfers.backup(args, emit, signal),
    'volumes.restore': (args, emit, signal) => transfers.restore(args, emit, signal),
    'volumes.clone': (args, emit, signal) => transfers.clone(args, emit, signal),
  } satisfies Partial<StreamHandlers>;
  return { calls, streams };
}
