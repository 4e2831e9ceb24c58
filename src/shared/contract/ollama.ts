import { z } from 'zod';
import { call, stream } from './define';
import { MODEL_NAME_PATTERN } from '../model-name';
import { MODEL_PARAMETERS } from '../model-file';
import type { HostHandle } from './kinds';
import { hostHandle, kind } from './kinds';

/** Where an Ollama server address came from, in the order they are tried. */
export type OllamaHostSource = 'setting' | 'environment' | 'default' | 'container';

export interface OllamaCandidate {
  /** A normalized base URL, e.g. http://127.0.0.1:11434 */
  host: string;
  source: OllamaHostSource;
  /** What the user reads: "OLLAMA_HOST", "container ollama (port 11434)" … */
  label: string;
}

export interface RunningModel {
  name: string;
  size: number;
  sizeVram: number;
  /** ISO time the model is unloaded unless used again. */
  expiresAt: string;
  contextLength?: number;
  details: ModelFacts;
}

export interface OllamaTried extends OllamaCandidate {
  error: string;
}

export type OllamaStatus =
  | { state: 'searching' }
  | { state: 'reachable'; candidate: OllamaCandidate; version: string; loaded: RunningModel[]; tried: OllamaTried[] }
  | {
      state: 'unreachable';
      tried: OllamaTried[];
      /** A running container that looks like Ollama but publishes no port this machine reaches. */
      containerHint?: string;
    };

export interface ModelFacts {
  family: string;
  families: string[];
  parameterSize: string;
  quantization: string;
  format: string;
}

export interface ModelSummary {
  name: string;
  size: number;
  digest: string;
  /** ISO time. */
  modifiedAt: string;
  details: ModelFacts;
}

export type Capability = 'completion' | 'vision' | 'thinking' | 'tools' | 'embedding' | 'insert';

export interface ModelDetails {
  name: string;
  capabilities: string[];
  /** The model's trained context window (model_info "<arch>.context_length"), when known. */
  contextLength?: number;
  /** The num_ctx the Modelfile sets, when it sets one. */
  numCtx?: number;
  parameters: string;
  template: string;
  system: string;
  license: string;
  modelfile: string;
  details: ModelFacts;
  modelInfo: Record<string, string | number | boolean>;
  modifiedAt?: string;
}

export interface PullProgress {
  /** The latest status line ("pulling manifest", "pulling 8eeb52dfb3bb", "verifying sha256 digest", "success"). */
  status: string;
  /** Summed over every layer seen so far. */
  completed: number;
  total: number;
  /** Bytes per second over the last few seconds. */
  bytesPerSecond: number;
  layers: number;
  done: boolean;
}

/**
 * A model name as Ollama accepts it: [host/][namespace/]model[:tag]. Letters, digits and
 * `_ . -` in each part; no spaces, no `..`, nothing that could escape into a path or URL.
 */
export const modelName = kind(
  'name',
  z
    .string()
    .trim()
    .min(1, 'A model name is required')
    .max(350, 'A model name is at most 350 characters')
    .regex(
      MODEL_NAME_PATTERN,
      'Not a model name: use letters, digits, "_", "." and "-", as in llama3.2:3b or namespace/model:tag',
    )
    .refine((name) => !name.includes('..'), 'Not a model name: ".." is not allowed'),
);

/** How an import of a model file goes (`ollama.import`). */
export type ModelImportProgress =
  /** The browser host waits for the page to send the file's bytes (PUT /upload/<ticket>/0); it is asked twice. */
  | { phase: 'awaiting-file'; ticket: string }
  | { phase: 'hashing'; completed: number; total: number }
  | { phase: 'uploading'; completed: number; total: number }
  /** Ollama's own status line while it creates the model ("parsing GGUF", "writing manifest" …). */
  | { phase: 'creating'; status: string }
  /** `uploaded` is false when Ollama had the file already. */
  | { phase: 'done'; name: string; uploaded: boolean };

/** Where a model's files can be exported from (`ollama.exportPlan`). */
export type ModelExportPlan =
  | {
      files: true;
      /** The GGUF weights' size, in bytes. */
      size: number;
      /** Where Ollama keeps them on this computer (shown, for the curious). */
      modelsDir: string;
    }
  | {
      files: false;
      /** Why the weights cannot be copied from here, in plain words. */
      reason: string;
    };

export interface ModelExportResult {
  /** Where the files went. */
  savedTo: string;
  files: string[];
}

const longText = (max: number) => kind('text', z.string().max(max));

export const modelImportInput = z.object({
  name: modelName,
  source: z.discriminatedUnion('kind', [
    /** A file main's open dialog gave a handle for (`ollama.chooseModelFile`) or dropped on the window. */
    z.object({ kind: z.literal('handle'), handle: hostHandle }),
    /** The browser host: the page sends the bytes when asked (PUT /upload/<ticket>/0), twice. */
    z.object({
      kind: z.literal('browser'),
      fileName: kind('name', z.string().min(1).max(255)),
      size: z.number().int().min(0),
    }),
  ]),
  template: longText(64 * 1024).optional(),
  system: longText(64 * 1024).optional(),
  parameters: z
    .partialRecord(
      kind('name', z.enum(MODEL_PARAMETERS)),
      z.union([
        z.number().finite(),
        z
          .array(kind('text', z.string().min(1).max(200)))
          .min(1)
          .max(16),
      ]),
    )
    .optional(),
});
export type ModelImportInput = z.input<typeof modelImportInput>;

export const ollamaCalls = {
  'ollama.status': call(z.void()).returns<OllamaStatus>(),
  /** Look for the server again now (after the user started it). */
  'ollama.retry': call(z.void()).returns<OllamaStatus>(),
  'ollama.models': call(z.void()).returns<ModelSummary[]>(),
  'ollama.running': call(z.void()).returns<RunningModel[]>(),
  'ollama.show': call(z.object({ name: modelName })).returns<ModelDetails>(),
  'ollama.delete': call(z.object({ name: modelName })).returns<void>(),
  'ollama.copy': call(z.object({ source: modelName, destination: modelName })).returns<void>(),
  /** Copy under the new name, then delete the old one. */
  'ollama.rename': call(z.object({ source: modelName, destination: modelName })).returns<void>(),
  'ollama.unload': call(z.object({ name: modelName })).returns<void>(),
  /** Main's open dialog for a .gguf file; a handle for `ollama.import`, or null when cancelled. */
  'ollama.chooseModelFile': call(z.void()).returns<HostHandle | null>(),
  /** Whether this model's weights can be copied from here, or only its Modelfile written. */
  'ollama.exportPlan': call(z.object({ name: modelName })).returns<ModelExportPlan>(),
  /**
   * Asks where (main's save dialog) and writes a folder with the GGUF weights and a Modelfile,
   * or with `modelfileOnly` the Modelfile alone; null when the user cancelled.
   */
  'ollama.export': call(
    z.object({ name: modelName, modelfileOnly: z.boolean().default(false) }),
  ).returns<ModelExportResult | null>(),
};

export const ollamaStreams = {
  'ollama.watch': stream(z.void()).emits<OllamaStatus>(),
  /** Pulls a model; unsubscribing cancels it (Ollama resumes from the downloaded part next time). */
  'ollama.pull': stream(z.object({ name: modelName })).emits<PullProgress>(),
  /**
   * Imports a GGUF file as a model: hashes it, pushes it to Ollama unless Ollama has it
   * (HEAD/POST /api/blobs/sha256:…), then POST /api/create with `files`. Unsubscribing cancels.
   */
  'ollama.import': stream(modelImportInput).emits<ModelImportProgress>(),
};
