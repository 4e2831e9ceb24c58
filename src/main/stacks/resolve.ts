import { readFile as nodeReadFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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
import { parseCompose } from './compose/parse';
import { generatedNames, type StackDefinition } from './definitions';
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
}

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

  const parsed = parseCompose(definition.yaml, {
    lookup,
    workingDir: definition.workingDir,
    homeDir: options.homeDir,
    defaultName: definition.id.replace(/[^a-z0-9_-]/g, '-'),
    ...(state.project ? { overrideName: state.project } : {}),
  });
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
  if (project) await mergeEnvFiles(project, read, lookup, issues);
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
  };
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
