import { readFile as nodeReadFile } from 'node:fs/promises';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { parseDocument } from 'yaml';
import {
  BIND_ADDRESS_VARIABLE,
  type ComposeIssue,
  type HostAccess,
  type HostAccessItem,
  type StackVariable,
} from '../../shared/contract';
import type { Env } from '../system/types';
import { parseEnvFile } from './compose/env-file';
import type { Lookup } from './compose/interpolate';
import type { ComposeProject } from './compose/model';
import { generatedNames, gpuOverrides, type StackDefinition } from './definitions';
import { profilesOf } from './selection';
import { analyzeHostAccess, hostAccessOf, localRealpath, NO_HOST_ACCESS } from './host-access';
import { relabelRefusal } from './host-paths';

/**
 * A stack definition made concrete for one moment: its variables looked up, its file parsed and
 * validated, its env files read. What the planner, the launcher and the Stacks page work from.
 */
export interface ResolvedStack {
  definition: StackDefinition;
  /** Present when the file is valid (warnings allowed). */
  project?: ComposeProject;
  /** The project name, even for an invalid file (the containers of an earlier launch carry it). */
  projectName: string;
  issues: ComposeIssue[];
  variables: StackVariable[];
  /** What the file touches on this computer (empty for a file with errors). */
  hostAccess: HostAccess;
  /** For a file publishing on ${BIND_ADDRESS}: whether that is every interface now. */
  reachableFromOtherComputers?: boolean;
  /** Every profile the file names, and those turned on (the stack's choice, and COMPOSE_PROFILES). */
  profiles: { all: string[]; active: string[] };
  /**
   * The files merged over the stack's own, in order: a compose.override.yaml beside an imported
   * file (auto), the user's own, the GPU choice's (gpu).
   */
  overrideFiles: { path: string; origin: 'auto' | 'user' | 'gpu' }[];
  /** The GPU overrides the file offers (x-poddesk.gpu), by vendor. */
  gpuOffers: ('nvidia' | 'amd')[];
}

/** The override file docker compose merges by itself when it finds one beside the file. */
export const AUTO_OVERRIDES = [
  'compose.override.yml',
  'compose.override.yaml',
  'docker-compose.override.yml',
  'docker-compose.override.yaml',
];

export interface ResolveOptions {
  env: Env;
  /** Values for this launch only, over everything else. */
  overrides?: Record<string, string>;
  homeDir?: string;
  readFile?: (path: string) => Promise<string>;
  /** Where a path really leads (symbolic links followed); undefined when nothing is there. */
  realpath?: (path: string) => Promise<string | undefined>;
}

const PROJECT = /^[a-z0-9][a-z0-9_-]*$/;

export async function resolveStack(definition: StackDefinition, options: ResolveOptions): Promise<ResolvedStack> {
  const read = options.readFile ?? ((path: string) => nodeReadFile(path, 'utf8'));
  const { state } = definition;
  const overrides = options.overrides ?? {};
  // Compose reads `.env` beside the file for interpolation; a built-in stack has none.
  const dotenvText =
    definition.source === 'user' ? await read(join(definition.workingDir, '.env')).catch(() => undefined) : undefined;
  const issues: ComposeIssue[] = [];
  let dotenv: Record<string, string> = {};
  /** .env keys whose value was built from PodDesk's environment, and the names it read there. */
  const dotenvFromEnv = new Set<string>();
  const dotenvReads = new Set<string>();
  if (dotenvText !== undefined) {
    try {
      dotenv = parseEnvFile(
        dotenvText,
        (name) => {
          if (options.env[name] !== undefined) dotenvReads.add(name);
          return options.env[name];
        },
        '.env',
      );
      // Parsed again without the environment: what differs came from it.
      const alone = parseEnvFile(dotenvText, () => undefined, '.env');
      for (const [k, v] of Object.entries(dotenv)) if (alone[k] !== v) dotenvFromEnv.add(k);
    } catch (e) {
      issues.push({ severity: 'error', message: (e as Error).message });
    }
  }

  const sourceOf = (name: string): StackVariable['source'] => {
    if (name in overrides || name in state.variables) return 'saved';
    if (name in state.generated) return 'generated';
    if (name in dotenv) return 'env-file';
    if (options.env[name] !== undefined) return 'environment';
    return 'unset';
  };
  const peek: Lookup = (name) =>
    overrides[name] ?? state.variables[name] ?? state.generated[name] ?? dotenv[name] ?? options.env[name];
  // Every value the file takes from PodDesk's environment is named in "this computer".
  const fromEnvironment = new Set<string>();
  const lookup: Lookup = (name) => {
    const source = sourceOf(name);
    if (source === 'environment') fromEnvironment.add(name);
    if (source === 'env-file' && dotenvFromEnv.has(name)) for (const read of dotenvReads) fromEnvironment.add(read);
    return peek(name);
  };

  // Override files: read each time, like .env, so an edit beside the file is seen.
  const overrideFiles: ResolvedStack['overrideFiles'] = [];
  if (definition.source === 'user' && state.importedFrom) {
    for (const name of AUTO_OVERRIDES) {
      const path = join(definition.workingDir, name);
      if ((await read(path).catch(() => undefined)) !== undefined) {
        overrideFiles.push({ path, origin: 'auto' });
        break;
      }
    }
  }
  for (const path of state.overrides ?? []) overrideFiles.push({ path, origin: 'user' });
  const offers = gpuOverrides(definition.yaml);
  const gpuOffers = (['nvidia', 'amd'] as const).filter((v) => offers[v]);
  if (state.gpu && offers[state.gpu])
    overrideFiles.push({ path: resolvePath(definition.workingDir, offers[state.gpu]!), origin: 'gpu' });
  const overrideTexts: { path: string; text: string }[] = [];
  for (const file of overrideFiles) {
    const text = await read(file.path).catch(() => undefined);
    if (text === undefined)
      issues.push({ severity: 'error', message: `The override file ${file.path} cannot be read`, file: file.path });
    else overrideTexts.push({ path: file.path, text });
  }

  // The parser and its schema load with the first stack resolved, not with main (their zod
  // schema is a large part of start-up, and the contract is served before any stack is read).
  const { parseCompose } = await import('./compose/parse');
  // Files named by include and extends are read as the parser asks for them (a few rounds at most).
  const others = new Map<string, string | null>();
  let parsed = parseCompose(definition.yaml, {
    lookup,
    workingDir: definition.workingDir,
    homeDir: options.homeDir,
    defaultName: definition.id.replace(/[^a-z0-9_-]/g, '-'),
    ...(state.project ? { overrideName: state.project } : {}),
    overrides: overrideTexts,
    readFile: (path) => others.get(path),
  });
  for (let round = 0; round < 10 && parsed.needs.length > 0; round++) {
    for (const path of parsed.needs) others.set(path, (await read(path).catch(() => undefined)) ?? null);
    parsed = parseCompose(definition.yaml, {
      lookup,
      workingDir: definition.workingDir,
      homeDir: options.homeDir,
      defaultName: definition.id.replace(/[^a-z0-9_-]/g, '-'),
      ...(state.project ? { overrideName: state.project } : {}),
      overrides: overrideTexts,
      readFile: (path) => others.get(path),
    });
  }
  issues.push(...parsed.issues);

  const secrets = new Set(generatedNames(definition.yaml));
  const variables: StackVariable[] = parsed.variables.map((use) => {
    const source = sourceOf(use.name);
    // A value from PodDesk's environment (a token, a password) is passed on, never shown.
    const hidden = source === 'environment' || (source === 'env-file' && dotenvFromEnv.has(use.name));
    const value = hidden ? undefined : peek(use.name);
    const v: StackVariable = {
      name: use.name,
      required: use.required,
      source: source === 'unset' && use.default !== undefined ? 'default' : source,
      secret: secrets.has(use.name),
    };
    if (use.default !== undefined) v.default = use.default;
    if (value !== undefined) v.value = value;
    return v;
  });

  const bindUse = parsed.variables.find((use) => use.name === BIND_ADDRESS_VARIABLE);
  const bindAddress = bindUse && (peek(bindUse.name) || bindUse.default || '');

  const project = parsed.project;
  if (project && state.containerNames === 'podman-compose') project.containerNames = 'podman-compose';
  if (project) await mergeEnvFiles(project, read, lookup, issues);
  if (project) await mergeLabelFiles(project, read, issues);
  let hostAccess = NO_HOST_ACCESS;
  if (project) {
    const realpath = options.realpath ?? localRealpath;
    const items = await analyzeHostAccess(project, {
      // A built-in stack's own folder is the app's resources (its build context is in templates/).
      ownFolders: [definition.source === 'builtin' ? dirname(definition.workingDir) : definition.workingDir],
      ...(options.homeDir ? { homeDir: options.homeDir } : {}),
      fromEnvironment,
      realpath,
    });
    hostAccess = hostAccessOf(items, state.hostAccessConfirmed);
    refuseLinkedRelabels(project, items, options.homeDir, issues);
  }
  const valid = project && !issues.some((i) => i.severity === 'error');

  return {
    definition,
    ...(valid ? { project } : {}),
    projectName: project?.name ?? state.project ?? nameInFile(definition.yaml) ?? definition.id,
    issues,
    variables,
    hostAccess: valid ? hostAccess : NO_HOST_ACCESS,
    ...(bindAddress !== undefined ? { reachableFromOtherComputers: ['', '0.0.0.0', '::'].includes(bindAddress) } : {}),
    profiles: {
      all: project ? profilesOf(project) : [],
      // COMPOSE_PROFILES (a variable, or .env) turns profiles on as docker compose reads it.
      active: [
        ...new Set([
          ...(state.profiles ?? []),
          ...(peek('COMPOSE_PROFILES') ?? '')
            .split(',')
            .map((p) => p.trim())
            .filter(Boolean),
        ]),
      ],
    },
    overrideFiles,
    gpuOffers,
  };
}

/** label_file contents first, `labels` over them (as env_file and environment). */
async function mergeLabelFiles(
  project: ComposeProject,
  read: (path: string) => Promise<string>,
  issues: ComposeIssue[],
): Promise<void> {
  for (const service of project.services) {
    let fromFiles: Record<string, string> = {};
    for (const path of service.labelFiles) {
      const text = await read(path).catch(() => undefined);
      if (text === undefined) {
        issues.push({
          severity: 'error',
          message: `Service "${service.name}": label_file ${path} cannot be read`,
          path: `services.${service.name}.label_file`,
        });
        continue;
      }
      try {
        fromFiles = { ...fromFiles, ...parseEnvFile(text, () => undefined, path) };
      } catch (e) {
        issues.push({ severity: 'error', message: (e as Error).message, path: `services.${service.name}.label_file` });
      }
    }
    service.labels = { ...fromFiles, ...service.labels };
  }
}

/** The parser refuses a relabel of a broad folder by its path; a link that leads to one is caught here. */
function refuseLinkedRelabels(
  project: ComposeProject,
  items: HostAccessItem[],
  homeDir: string | undefined,
  issues: ComposeIssue[],
): void {
  for (const service of project.services) {
    service.mounts.forEach((m, i) => {
      if (m.type !== 'bind' || !m.selinux) return;
      const real = items.find((x) => x.kind === 'relabel' && x.subject === m.source)?.realPath;
      const refused = real && relabelRefusal(real, m.selinux, homeDir);
      if (!refused) return;
      const path = `services.${service.name}.volumes.${i}`;
      issues.push({ severity: 'error', message: `${path}: ${m.source} is a link to ${real}: ${refused}`, path });
    });
  }
}

/** env_file contents first, `environment` over them (Compose's precedence). */
async function mergeEnvFiles(
  project: ComposeProject,
  read: (path: string) => Promise<string>,
  lookup: Lookup,
  issues: ComposeIssue[],
): Promise<void> {
  for (const service of project.services) {
    let fromFiles: Record<string, string> = {};
    for (const file of service.envFiles) {
      const text = await read(file.path).catch(() => undefined);
      if (text === undefined) {
        if (file.required) {
          issues.push({
            severity: 'error',
            message: `Service "${service.name}": env_file ${file.path} cannot be read`,
            path: `services.${service.name}.env_file`,
          });
        }
        continue;
      }
      try {
        fromFiles = { ...fromFiles, ...parseEnvFile(text, lookup, file.path) };
      } catch (e) {
        issues.push({ severity: 'error', message: (e as Error).message, path: `services.${service.name}.env_file` });
      }
    }
    service.environment = { ...fromFiles, ...service.environment };
  }
}

function nameInFile(yaml: string): string | undefined {
  try {
    const name = (parseDocument(yaml).toJS() as { name?: unknown } | null)?.name;
    return typeof name === 'string' && PROJECT.test(name) ? name : undefined;
  } catch {
    return undefined;
  }
}
