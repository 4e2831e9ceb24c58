import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { writeFileAtomic } from '../store/atomic-file';

/**
 * Where stack files live. Built-in stacks are ordinary Compose files in resources/stacks/ (read
 * only; an edit is kept as the user's version beside their state). User stacks live in the
 * app's data folder, one folder each: compose.yaml, and stack.json for what the app keeps about
 * them (variable values, generated secrets, where they were imported from).
 */
export interface StackDefinition {
  id: string;
  source: 'builtin' | 'user';
  yaml: string;
  /** The built-in file, or the original file a user stack was imported from. */
  file?: string;
  /** Relative paths in the file resolve against it. */
  workingDir: string;
  /** A built-in stack the user edited. */
  modified: boolean;
  state: StackState;
}

const stateSchema = z.object({
  /** Values the user set (Variables form, or the tests pointing images at offline ones). */
  variables: z.record(z.string(), z.string()).default({}),
  /** Secrets the app generated once (x-poddesk.generate), e.g. the Jupyter token. */
  generated: z.record(z.string(), z.string()).default({}),
  /** The project name the user chose at import (wins over `name:`, like `docker compose -p`). */
  project: z.string().optional(),
  /** For a user stack imported from a file on this computer: that file, and its folder. */
  importedFrom: z.string().optional(),
  workingDir: z.string().optional(),
  /** The fingerprint of what the stack touches on this computer, as the user last confirmed it. */
  hostAccessConfirmed: z.string().optional(),
  /** Compose profiles the user turned on for this stack. */
  profiles: z.array(z.string()).optional(),
  /**
   * Override files the user added (paths main got from its own file dialog), merged after the
   * stack's file (and after a compose.override.yaml beside it), in order: `docker compose -f`.
   */
  overrides: z.array(z.string()).optional(),
  /** "Use the GPU": which of the file's x-poddesk.gpu override files is merged. */
  gpu: z.enum(['nvidia', 'amd']).optional(),
  /** How its containers are named; absent: as docker compose names them. */
  containerNames: z.enum(['docker-compose', 'podman-compose']).optional(),
});
export type StackState = z.infer<typeof stateSchema>;

export interface DefinitionStore {
  list(): Promise<StackDefinition[]>;
  get(id: string): Promise<StackDefinition>;
  /** Adds a user stack; `id` must be free. */
  create(input: {
    id: string;
    yaml: string;
    project?: string;
    importedFrom?: string;
    workingDir?: string;
  }): Promise<StackDefinition>;
  save(id: string, yaml: string): Promise<StackDefinition>;
  revert(id: string): Promise<StackDefinition>;
  setVariables(id: string, values: Record<string, string>): Promise<StackDefinition>;
  /** Keeps the fingerprint of the "this computer" list the user confirmed. */
  confirmHostAccess(id: string, fingerprint: string): Promise<StackDefinition>;
  /** Keeps the stack's profiles, override files, GPU choice (null clears it) and container naming. */
  setOptions(
    id: string,
    options: {
      profiles?: string[];
      overrides?: string[];
      gpu?: 'nvidia' | 'amd' | null;
      containerNames?: 'docker-compose' | 'podman-compose';
    },
  ): Promise<StackDefinition>;
  /** Generates (once) and keeps the secrets the file asks for; returns the definition as stored. */
  ensureGenerated(id: string): Promise<StackDefinition>;
  remove(id: string): Promise<void>;
  /** Called after any change to a definition (the Stacks page refreshes from it). */
  onChange(listener: (id: string) => void): () => void;
  /** Resolves once every write begun so far is on disk (the app closes after it). */
  settled(): Promise<void>;
}

export const ID_PATTERN = /^[a-z0-9][a-z0-9_.-]*$/;

export function createDefinitionStore(options: { builtinDir: string; dataDir: string }): DefinitionStore {
  const userRoot = join(options.dataDir, 'stacks');
  const listeners = new Set<(id: string) => void>();
  const changed = (id: string) => {
    for (const l of listeners) l(id);
  };
  // One writer at a time per stack: two quick saves must not interleave.
  const queues = new Map<string, Promise<unknown>>();
  const serial = <T>(id: string, work: () => Promise<T>): Promise<T> => {
    const next = (queues.get(id) ?? Promise.resolve()).then(work, work);
    queues.set(
      id,
      next.catch(() => undefined),
    );
    return next;
  };

  const builtinFile = (id: string) => join(options.builtinDir, `${id}.yaml`);
  const folder = (id: string) => join(userRoot, id);

  const readText = (path: string) => readFile(path, 'utf8').catch(() => undefined);

  const builtinIds = async (): Promise<string[]> => {
    const names = await readdir(options.builtinDir).catch(() => [] as string[]);
    return names
      .filter((n) => n.endsWith('.yaml'))
      .map((n) => n.slice(0, -5))
      .filter((id) => ID_PATTERN.test(id))
      .sort(builtinOrder);
  };

  const readState = async (id: string): Promise<StackState> => {
    const text = await readText(join(folder(id), 'stack.json'));
    if (!text) return stateSchema.parse({});
    try {
      return stateSchema.parse(JSON.parse(text));
    } catch {
      // A damaged state file must not hide the stack; its values are lost, the stack is not.
      return stateSchema.parse({});
    }
  };
  const writeState = (id: string, state: StackState) =>
    writeFileAtomic(join(folder(id), 'stack.json'), JSON.stringify(state, null, 2));

  const load = async (id: string): Promise<StackDefinition | undefined> => {
    if (!ID_PATTERN.test(id)) return undefined;
    const shipped = await readText(builtinFile(id));
    const own = await readText(join(folder(id), 'compose.yaml'));
    const state = await readState(id);
    if (shipped !== undefined) {
      return {
        id,
        source: 'builtin',
        yaml: own ?? shipped,
        file: builtinFile(id),
        workingDir: options.builtinDir,
        modified: own !== undefined && own !== shipped,
        state,
      };
    }
    if (own === undefined) return undefined;
    return {
      id,
      source: 'user',
      yaml: own,
      ...(state.importedFrom ? { file: state.importedFrom } : {}),
      workingDir: state.workingDir ?? folder(id),
      modified: false,
      state,
    };
  };

  const get = async (id: string) => {
    const def = await load(id);
    if (!def) throw new AppError('NOT_FOUND', `No stack "${id}"`);
    return def;
  };

  return {
    async list() {
      const ids = new Set(await builtinIds());
      const builtins = [...ids];
      const users = (await readdir(userRoot).catch(() => [] as string[]))
        .filter((id) => !ids.has(id) && ID_PATTERN.test(id))
        .sort();
      const all = await Promise.all([...builtins, ...users].map(load));
      return all.filter((d): d is StackDefinition => d !== undefined);
    },
    get,
    create: (input) =>
      serial(input.id, async () => {
        if (!ID_PATTERN.test(input.id)) throw new AppError('INVALID_INPUT', `"${input.id}" cannot be a stack id`);
        if (await load(input.id))
          throw new AppError('CONFLICT', `A stack named "${input.id}" exists already: choose another name`);
        await mkdir(folder(input.id), { recursive: true });
        await writeFileAtomic(join(folder(input.id), 'compose.yaml'), input.yaml);
        const state = stateSchema.parse({
          ...(input.project ? { project: input.project } : {}),
          ...(input.importedFrom ? { importedFrom: input.importedFrom } : {}),
          ...(input.workingDir ? { workingDir: input.workingDir } : {}),
        });
        await writeState(input.id, state);
        changed(input.id);
        return get(input.id);
      }),
    save: (id, yaml) =>
      serial(id, async () => {
        await get(id);
        await writeFileAtomic(join(folder(id), 'compose.yaml'), yaml);
        changed(id);
        return get(id);
      }),
    revert: (id) =>
      serial(id, async () => {
        const def = await get(id);
        if (def.source !== 'builtin')
          throw new AppError('INVALID_INPUT', `"${id}" is not a built-in stack: there is no original to go back to`);
        await rm(join(folder(id), 'compose.yaml'), { force: true });
        changed(id);
        return get(id);
      }),
    setVariables: (id, values) =>
      serial(id, async () => {
        const def = await get(id);
        const variables = { ...def.state.variables };
        for (const [k, v] of Object.entries(values)) {
          if (v === '') delete variables[k];
          else variables[k] = v;
        }
        await writeState(id, { ...def.state, variables });
        changed(id);
        return get(id);
      }),
    confirmHostAccess: (id, fingerprint) =>
      serial(id, async () => {
        const def = await get(id);
        await writeState(id, { ...def.state, hostAccessConfirmed: fingerprint });
        changed(id);
        return get(id);
      }),
    setOptions: (id, options) =>
      serial(id, async () => {
        const def = await get(id);
        const { gpu, ...rest } = def.state;
        const next: StackState = { ...rest, ...(gpu ? { gpu } : {}) };
        if (options.profiles) next.profiles = [...new Set(options.profiles)];
        if (options.overrides) next.overrides = [...new Set(options.overrides)];
        if (options.gpu === null) delete next.gpu;
        else if (options.gpu) next.gpu = options.gpu;
        // The default is kept as absent, so a stack that never chose stays on whatever the default is.
        if (options.containerNames === 'docker-compose') delete next.containerNames;
        else if (options.containerNames) next.containerNames = options.containerNames;
        await writeState(id, next);
        changed(id);
        return get(id);
      }),
    ensureGenerated: (id) =>
      serial(id, async () => {
        const def = await get(id);
        const wanted = generatedNames(def.yaml);
        const missing = wanted.filter((name) => !def.state.generated[name] && !def.state.variables[name]);
        if (missing.length === 0) return def;
        const generated = { ...def.state.generated };
        for (const name of missing) generated[name] = randomBytes(24).toString('hex');
        await writeState(id, { ...def.state, generated });
        return get(id);
      }),
    remove: (id) =>
      serial(id, async () => {
        const def = await get(id);
        if (def.source === 'builtin')
          throw new AppError('INVALID_INPUT', `"${id}" is built in: it cannot be deleted (Revert undoes edits)`);
        await rm(folder(id), { recursive: true, force: true });
        changed(id);
      }),
    async settled() {
      // A write may queue another meanwhile: wait until a round finds nothing new.
      let pending: Promise<unknown>[];
      do {
        pending = [...queues.values()];
        await Promise.all(pending);
      } while ([...queues.values()].some((q) => !pending.includes(q)));
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Built-ins in the order a learner meets them. */
const PREFERRED = ['jupyter', 'ollama', 'ai-webapp', 'ai-lab'];
function builtinOrder(a: string, b: string): number {
  const ia = PREFERRED.indexOf(a);
  const ib = PREFERRED.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  return a.localeCompare(b);
}

/** The file's x-poddesk.gpu override files, by vendor (relative to the stack's folder), read without interpolation. */
export function gpuOverrides(yaml: string): { nvidia?: string; amd?: string } {
  try {
    const raw = parseDocument(yaml, { merge: true }).toJS() as { 'x-poddesk'?: { gpu?: Record<string, unknown> } } | null;
    const gpu = raw?.['x-poddesk']?.gpu;
    const out: { nvidia?: string; amd?: string } = {};
    if (typeof gpu?.nvidia === 'string') out.nvidia = gpu.nvidia;
    if (typeof gpu?.amd === 'string') out.amd = gpu.amd;
    return out;
  } catch {
    return {};
  }
}

/** The names under `x-poddesk.generate`, read without interpolation (they decide what interpolation sees). */
export function generatedNames(yaml: string): string[] {
  try {
    const raw = parseDocument(yaml, { merge: true }).toJS() as { 'x-poddesk'?: { generate?: Record<string, unknown> } } | null;
    const generate = raw?.['x-poddesk']?.generate;
    return generate && typeof generate === 'object'
      ? Object.keys(generate).filter((k) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
      : [];
  } catch {
    return [];
  }
}

/** A stack id from a name the user gave or a file's name: lower-case, safe, short. */
export function idFrom(text: string): string {
  const stem = basename(text, extname(text));
  const slug = stem
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, 63);
  return slug || 'stack';
}

/** Compose's default project name for a file on disk: its folder's name. */
export function projectFromPath(path: string): string {
  return idFrom(basename(dirname(path)));
}
