import { readFile as nodeReadFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { ComposeIssue, StackVariable } from '../../shared/contract';
import type { Env } from '../system/types';
import { parseEnvFile } from './compose/env-file';
import type { Lookup } from './compose/interpolate';
import type { ComposeProject } from './compose/model';
import { parseCompose } from './compose/parse';
import { generatedNames, type StackDefinition } from './definitions';

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
}

export interface ResolveOptions {
  env: Env;
  /** Values for this launch only, over everything else. */
  overrides?: Record<string, string>;
  homeDir?: string;
  readFile?: (path: string) => Promise<string>;
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
  if (dotenvText !== undefined) {
    try {
      dotenv = parseEnvFile(dotenvText, (name) => options.env[name], '.env');
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
  const lookup: Lookup = (name) =>
    overrides[name] ?? state.variables[name] ?? state.generated[name] ?? dotenv[name] ?? options.env[name];

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
    const value = lookup(use.name);
    const source = sourceOf(use.name);
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

  const project = parsed.project;
  if (project) await mergeEnvFiles(project, read, lookup, issues);
  const valid = project && !issues.some((i) => i.severity === 'error');

  return {
    definition,
    ...(valid ? { project } : {}),
    projectName: project?.name ?? state.project ?? nameInFile(definition.yaml) ?? definition.id,
    issues,
    variables,
  };
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
