import { basename, join } from 'node:path';
import { AppError } from '../../shared/errors';
import type { HostFiles } from '../host-files';
import { chooseHostPath, type HostPaths } from '../host-paths';
import type { OllamaEndpoint } from '../ollama/endpoint';
import {
  buildModelfile,
  digestCheck,
  exportBaseName,
  exportFolder,
  findLocalModel,
  modelsDirs,
  openBlob,
  toPlan,
} from '../ollama/export';
import { importModel } from '../ollama/import';
import { browserSource, pathSource } from '../ollama/import-sources';
import type { OllamaModels } from '../ollama/models';
import { untilAborted, type CallHandlers, type StreamHandlers } from '../rpc/handlers';
import { saveStream, saveText } from '../save-file';
import type { Env } from '../system/types';
import type { UploadInbox } from '../uploads';

/** What importing and exporting model files needs beside the server: this computer's files. */
export interface ModelFileDeps {
  hostFiles: HostFiles;
  hostPaths: HostPaths;
  inbox: UploadInbox;
  env: Env;
  home: string;
}

const normalize = (n: string) => (n.includes(':') ? n : `${n}:latest`).toLowerCase();

export function ollamaHandlers(endpoint: OllamaEndpoint, models: OllamaModels, files: ModelFileDeps) {
  /** Where the model's weights are on this computer, or why they cannot be read from here. */
  const locate = async (name: string) => {
    await endpoint.client();
    const status = endpoint.status();
    if (status.state !== 'reachable') throw new AppError('OLLAMA_UNAVAILABLE', 'Ollama is not reachable');
    const summary = (await models.list()).find((m) => normalize(m.name) === normalize(name));
    if (!summary) throw new AppError('NOT_FOUND', `No model named ${name}`);
    return findLocalModel(summary.name, summary.digest, status.candidate, modelsDirs(files.env, files.home));
  };

  const calls = {
    'ollama.status': async () => {
      const status = endpoint.status();
      return status.state === 'searching' ? endpoint.refresh() : status;
    },
    'ollama.retry': () => endpoint.refresh(),
    'ollama.models': () => models.list(),
    'ollama.running': () => models.running(),
    'ollama.show': ({ name }) => models.show(name),
    'ollama.delete': ({ name }) => models.delete(name),
    'ollama.copy': ({ source, destination }) => models.copy(source, destination),
    'ollama.rename': ({ source, destination }) => models.rename(source, destination),
    'ollama.unload': ({ name }) => models.unload(name),
    'ollama.chooseModelFile': () =>
      chooseHostPath(files.hostFiles, files.hostPaths, 'model-file', {
        title: 'A model file to import',
        filters: [
          { name: 'GGUF model files', extensions: ['gguf'] },
          { name: 'All files', extensions: ['*'] },
        ],
      }),
    'ollama.exportPlan': async ({ name }) => toPlan(await locate(name)),
    'ollama.export': async ({ name, modelfileOnly }) => {
      const details = await models.show(name);
      const base = exportBaseName(name);
      if (modelfileOnly) {
        const target = await files.hostFiles.chooseSavePath({
          suggestedName: `${base}.Modelfile`,
          title: `Save the Modelfile of ${name}`,
        });
        if (!target) return null;
        await saveText(target, buildModelfile(details, null));
        return { savedTo: target, files: [basename(target)] };
      }
      const found = await locate(name);
      if ('reason' in found) throw new AppError('NOT_FOUND', found.reason);
      const folder = await files.hostFiles.chooseSavePath({ suggestedName: base, title: `Export ${name} to a new folder` });
      if (!folder) return null;
      await exportFolder(folder);
      const weights = `${base}.gguf`;
      await saveStream(
        openBlob(found.modelsDir, found.model.digest),
        join(folder, weights),
        undefined,
        digestCheck(found.model.digest),
      );
      await saveText(join(folder, 'Modelfile'), buildModelfile(details, weights));
      return { savedTo: folder, files: [weights, 'Modelfile'] };
    },
  } satisfies Partial<CallHandlers>;
  const streams = {
    'ollama.watch': async (_args, emit, signal) => {
      const unwatch = endpoint.watch(emit);
      await untilAborted(signal);
      unwatch();
    },
    'ollama.pull': ({ name }, emit, signal) => models.pull(name, emit, signal),
    'ollama.import': async ({ name, source, template, system, parameters }, emit, signal) => {
      const { host } = await endpoint.client({ signal });
      const request = { name, template, system, parameters };
      try {
        if (source.kind === 'handle') {
          await files.hostPaths.use([source.handle], ['model-file', 'drop'], async ([path]) =>
            importModel(request, await pathSource(path!), { host }, emit, signal),
          );
        } else {
          const ask = (ticket: string) => emit({ phase: 'awaiting-file', ticket });
          await importModel(
            request,
            browserSource(source.fileName, source.size, { inbox: files.inbox, ask }),
            { host },
            emit,
            signal,
          );
        }
      } catch (error) {
        if (error instanceof AppError && error.code === 'OLLAMA_UNAVAILABLE') endpoint.lost();
        throw error;
      }
    },
  } satisfies Partial<StreamHandlers>;
  return { calls, streams };
}
