import type { OllamaEndpoint } from '../ollama/endpoint';
import type { OllamaModels } from '../ollama/models';
import { untilAborted, type CallHandlers, type StreamHandlers } from '../rpc/handlers';

export function ollamaHandlers(endpoint: OllamaEndpoint, models: OllamaModels) {
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
  } satisfies Partial<CallHandlers>;
  const streams = {
    'ollama.watch': async (_args, emit, signal) => {
      const unwatch = endpoint.watch(emit);
      await untilAborted(signal);
      unwatch();
    },
    'ollama.pull': ({ name }, emit, signal) => models.pull(name, emit, signal),
  } satisfies Partial<StreamHandlers>;
  return { calls, streams };
}
