import { z } from 'zod';
import { call, stream } from './define';
import { kind } from './kinds';

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
      /^(?:[a-zA-Z0-9][a-zA-Z0-9_.-]*(?::[0-9]{1,5})?\/)?(?:[a-zA-Z0-9][a-zA-Z0-9_.-]*\/){0,2}[a-zA-Z0-9][a-zA-Z0-9_.-]*(?::[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,127})?$/,
      'Not a model name: use letters, digits, "_", "." and "-", as in llama3.2:3b or namespace/model:tag',
    )
    .refine((name) => !name.includes('..'), 'Not a model name: ".." is not allowed'),
);

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
};

export const ollamaStreams = {
  'ollama.watch': stream(z.void()).emits<OllamaStatus>(),
  /** Pulls a model; unsubscribing cancels it (Ollama resumes from the downloaded part next time). */
  'ollama.pull': stream(z.object({ name: modelName })).emits<PullProgress>(),
};
