import type { AbortableAsyncIterator, ModelResponse, ProgressResponse, ShowResponse } from 'ollama';
import type { ModelDetails, ModelFacts, ModelSummary, PullProgress, RunningModel } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { OllamaEndpoint } from './endpoint';
import { ollamaError } from './errors';
import { createPullTracker } from './pull-progress';

type RawDetails = Partial<ModelResponse['details']> | undefined;

function toFacts(d: RawDetails): ModelFacts {
  return {
    family: d?.family ?? '',
    families: d?.families ?? [],
    parameterSize: d?.parameter_size ?? '',
    quantization: d?.quantization_level ?? '',
    format: d?.format ?? '',
  };
}

function iso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? value : '';
}

export function toModelSummary(m: ModelResponse): ModelSummary {
  return { name: m.name || m.model, size: m.size, digest: m.digest, modifiedAt: iso(m.modified_at), details: toFacts(m.details) };
}

export function toRunningModel(m: ModelResponse & { context_length?: number }): RunningModel {
  const running: RunningModel = {
    name: m.name || m.model,
    size: m.size,
    sizeVram: m.size_vram ?? 0,
    expiresAt: iso(m.expires_at),
    details: toFacts(m.details),
  };
  if (typeof m.context_length === 'number') running.contextLength = m.context_length;
  return running;
}

/** "num_ctx   4096" from the parameters text of /api/show. */
function paramNumber(parameters: string, name: string): number | undefined {
  const m = new RegExp(`^${name}\\s+(\\d+)`, 'm').exec(parameters);
  return m ? Number(m[1]) : undefined;
}

export function toModelDetails(name: string, s: ShowResponse): ModelDetails {
  const info = (s.model_info ?? {}) as unknown as Record<string, unknown>;
  const arch = typeof info['general.architecture'] === 'string' ? info['general.architecture'] : '';
  const ctx = info[`${arch}.context_length`];
  const modelInfo: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(info)) if (['string', 'number', 'boolean'].includes(typeof v)) modelInfo[k] = v as string;
  const details: ModelDetails = {
    name,
    capabilities: s.capabilities ?? ['completion'],
    parameters: s.parameters ?? '',
    template: s.template ?? '',
    system: s.system ?? '',
    license: s.license ?? '',
    modelfile: s.modelfile ?? '',
    details: toFacts(s.details),
    modelInfo,
  };
  if (typeof ctx === 'number') details.contextLength = ctx;
  const numCtx = paramNumber(details.parameters, 'num_ctx');
  if (numCtx) details.numCtx = numCtx;
  if (s.modified_at) details.modifiedAt = iso(s.modified_at);
  return details;
}

/** The Models page's operations, each one request (or stream) to the server found. */
export function ollamaModels(endpoint: OllamaEndpoint) {
  /** Runs a request; a connection failure makes the endpoint look again. */
  const withClient = async <T>(
    what: string,
    fn: (client: Awaited<ReturnType<OllamaEndpoint['client']>>['client']) => Promise<T>,
  ) => {
    const { client, host } = await endpoint.client();
    try {
      return await fn(client);
    } catch (error) {
      const shaped = ollamaError(error, host, what);
      if (shaped.code === 'OLLAMA_UNAVAILABLE') endpoint.lost();
      throw shaped;
    }
  };

  const list = () => withClient('Could not list models', async (c) => ((await c.list()).models ?? []).map(toModelSummary));

  return {
    list,
    running: () => withClient('Could not list loaded models', async (c) => ((await c.ps()).models ?? []).map(toRunningModel)),
    show: (name: string) =>
      withClient(`Could not read ${name}`, async (c) => toModelDetails(name, await c.show({ model: name }))),
    delete: (name: string) =>
      withClient(`Could not delete ${name}`, async (c) => {
        await c.delete({ model: name });
      }),
    copy: (source: string, destination: string) =>
      withClient(`Could not copy ${source}`, async (c) => {
        await c.copy({ source, destination });
      }),
    async rename(source: string, destination: string) {
      const normalize = (n: string) => (n.includes(':') ? n : `${n}:latest`).toLowerCase();
      const models = await list();
      if (models.some((m) => normalize(m.name) === normalize(destination)))
        throw new AppError('CONFLICT', `A model named ${destination} already exists`);
      await withClient(`Could not rename ${source}`, async (c) => {
        await c.copy({ source, destination });
        await c.delete({ model: source });
      });
    },
    unload: (name: string) =>
      withClient(`Could not unload ${name}`, async (c) => {
        // An empty request with keep_alive 0 is how Ollama (and `ollama stop`) unloads a model.
        await c.generate({ model: name, prompt: '', keep_alive: 0, stream: false });
      }),
    /** Streams summed progress until success; aborting the signal aborts the HTTP request. */
    async pull(name: string, emit: (progress: PullProgress) => void, signal: AbortSignal) {
      const { client, host } = await endpoint.client({ signal });
      const tracker = createPullTracker();
      let iterator: AbortableAsyncIterator<ProgressResponse> | null = null;
      const abort = () => iterator?.abort();
      signal.addEventListener('abort', abort, { once: true });
      try {
        const stream = await client.pull({ model: name, stream: true });
        iterator = stream;
        if (signal.aborted) stream.abort();
        for await (const line of stream) {
          emit(tracker.update(line));
          if (line.status === 'success') return;
        }
      } catch (error) {
        if (signal.aborted) throw new AppError('CANCELLED', `Pull of ${name} cancelled`);
        const shaped = ollamaError(error, host, `Could not pull ${name}`);
        if (shaped.code === 'OLLAMA_UNAVAILABLE') endpoint.lost();
        throw shaped;
      } finally {
        signal.removeEventListener('abort', abort);
      }
    },
  };
}

export type OllamaModels = ReturnType<typeof ollamaModels>;
