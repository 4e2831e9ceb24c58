import type { BulkResult, ContainerSummary } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { HostFiles } from '../host-files';
import { chooseHostPath, type HostPaths } from '../host-paths';
import type { ContainerActions } from '../podman/containers';
import { downloadPath, statPath, suggestedName, listFiles } from '../podman/containers/files';
import { followLogs } from '../podman/containers/log-follow';
import { saveLogs } from '../podman/containers/logs';
import { checkPort, folderHandles, planRun, runContainer, type RunDeps } from '../podman/containers/run';
import { followStats } from '../podman/containers/stats';
import type { Engine } from '../podman/engine';
import type { LiveCollection } from '../podman/live-collection';
import { toErrorShape } from '../rpc/dispatcher';
import type { CallHandlers, StreamHandlers } from '../rpc/handlers';
import { streamLive } from './live';

export interface ContainerHandlerDeps {
  containers: LiveCollection<ContainerSummary>;
  actions: ContainerActions;
  engine: () => Engine;
  /** Resolves once the engine is connected again (a followed log resumes then). */
  untilConnected: (signal: AbortSignal) => Promise<void>;
  run: RunDeps;
  hostFiles: HostFiles;
  hostPaths: HostPaths;
  /** After a commit: the new image, so the images page shows it at once. */
  onImageCreated?: (id: string) => void;
}

/** Lines to show when a log view opens without a "since": enough context, never the whole history. */
export const DEFAULT_TAIL = 5_000;

export function containerHandlers(deps: ContainerHandlerDeps) {
  const { containers, actions } = deps;
  const bulk = async (ids: string[], run: (id: string) => Promise<void>): Promise<BulkResult[]> =>
    Promise.all(
      ids.map(async (id) => {
        try {
          await run(id);
          return { id, ok: true };
        } catch (error) {
          const { code, message } = toErrorShape(error);
          return { id, ok: false, error: { code, message } };
        }
      }),
    );

  const calls = {
    'containers.list': () => containers.items(),
    'containers.start': ({ id }) => actions.start(id),
    'containers.stop': ({ id, timeoutSeconds }) => actions.stop(id, timeoutSeconds),
    'containers.restart': ({ id, timeoutSeconds }) => actions.restart(id, timeoutSeconds),
    'containers.pause': ({ id }) => actions.pause(id),
    'containers.unpause': ({ id }) => actions.unpause(id),
    'containers.kill': ({ id, signal }) => actions.kill(id, signal),
    'containers.remove': ({ id, force, volumes }) => actions.remove(id, { force, volumes }),
    'containers.rename': async ({ id, name }) => {
      if (containers.items().some((c) => c.name === name && c.id !== id && !c.id.startsWith(id))) {
        throw new AppError('CONFLICT', `A container named ${name} already exists`);
      }
      await actions.rename(id, name);
    },
    'containers.commit': async ({ id, reference, message, author, pause }) => {
      const image = await actions.commit(id, { reference, message, author, pause });
      deps.onImageCreated?.(image.id);
      return image;
    },
    'containers.bulk': ({ ids, action, force, volumes, timeoutSeconds }) =>
      bulk(ids, (id) => {
        switch (action) {
          case 'start':
            return actions.start(id);
          case 'stop':
            return actions.stop(id, timeoutSeconds);
          case 'restart':
            return actions.restart(id, timeoutSeconds);
          case 'remove':
            return actions.remove(id, { force, volumes });
        }
      }),
    'containers.inspect': ({ id }) => actions.inspect(id),
    'containers.run': (spec) => {
      const handles = folderHandles(spec);
      if (handles.length === 0) return runContainer(deps.run, planRun(spec, []));
      // Used up only when the run succeeds: a refused run (a port in use) can be sent again as is.
      return deps.hostPaths.use(handles, ['bind-mount'], (folders) => runContainer(deps.run, planRun(spec, folders)));
    },
    'containers.chooseFolder': () =>
      chooseHostPath(deps.hostFiles, deps.hostPaths, 'bind-mount', {
        title: 'Folder to mount in the container',
        directories: true,
      }),
    'containers.checkPort': (port) => checkPort(deps.run, port),
    'containers.listFiles': ({ id, path }) => listFiles(deps.engine(), id, path),
    'containers.downloadPath': async ({ id, path }) => {
      const stat = await statPath(deps.engine(), id, path);
      if (!stat) throw new AppError('NOT_FOUND', `No ${path} in this container`);
      const target = await deps.hostFiles.chooseSavePath({
        suggestedName: suggestedName(path, stat.isDir),
        title: `Save ${path}`,
      });
      if (!target) return null;
      await downloadPath(deps.engine(), id, path, target);
      return { savedTo: target };
    },
    'containers.saveLogs': async ({ id, timestamps, since }) => {
      const name = containers.get(id)?.name ?? containers.items().find((c) => c.name === id || c.id.startsWith(id))?.name ?? id;
      const target = await deps.hostFiles.chooseSavePath({ suggestedName: `${name}.log`, title: `Save the log of ${name}` });
      if (!target) return null;
      const { lines } = await saveLogs(deps.engine(), id, target, { timestamps, since });
      return { savedTo: target, lines };
    },
  } satisfies Partial<CallHandlers>;

  const streams = {
    'containers.watch': (_args, emit, signal) => streamLive(containers, emit, signal),
    'containers.logs': ({ id, follow, tail, since }, emit, signal) =>
      followLogs(
        { engine: deps.engine, untilConnected: deps.untilConnected },
        id,
        { follow, since, tail: since === undefined ? (tail ?? DEFAULT_TAIL) : undefined, signal },
        emit,
      ),
    'containers.stats': ({ id }, emit, signal) =>
      followStats(deps.engine(), { ids: [id], intervalSeconds: 1, signal }, (stats) => {
        for (const s of stats) emit(s);
      }),
    'containers.statsAll': (_args, emit, signal) => followStats(deps.engine(), { intervalSeconds: 3, signal }, emit),
  } satisfies Partial<StreamHandlers>;
  return { calls, streams };
}
