import type { z } from 'zod';
import { loadDocument, locateExact, type LoadedDocument, type Reporter } from './documents';
import { applyExtends, applyIncludes, type FileContext } from './files';
import type { Lookup, VariableUse } from './interpolate';
import { locate, pathText, type YamlPath } from './locate';
import { mergeFiles, settleMarkers } from './merge';
import type { ComposeIssue, ComposeProject } from './model';
import { normalizeProject } from './normalize-project';
import { composeSchema } from './schema';

export interface ParseOptions {
  /** A variable's value, or undefined when it is not set. */
  lookup: Lookup;
  /** Relative paths (build contexts, bind mounts, env files) resolve against it. */
  workingDir: string;
  homeDir?: string;
  /** The project name when the file has no `name:`. */
  defaultName: string;
  /** The user's choice of project name; wins over `name:` (as `docker compose -p` does). */
  overrideName?: string;
  /**
   * Files merged over the first, in order (a compose.override.yaml beside it, the user's own):
   * `docker compose -f compose.yaml -f …`. Their relative paths resolve against workingDir too.
   */
  overrides?: { path: string; text: string }[];
  /**
   * Another file's text, for `include` and `extends.file`: undefined when not read yet (the
   * caller reads it and parses again), null when it cannot be read.
   */
  readFile?: (path: string) => string | null | undefined;
}

export interface ParseResult {
  /** Present when the files have no errors (warnings allowed). */
  project?: ComposeProject;
  issues: ComposeIssue[];
  /** Every variable the files refer to, once each, in order of first use. */
  variables: VariableUse[];
  /** Files named by include or extends that readFile has not read yet: read them and parse again. */
  needs: string[];
  /** The other files the project is made of (included and extended ones), as read. */
  files: string[];
}

/**
 * Compose file text (and the files merged over it, and those it includes or extends) → a
 * validated, normalised project, or the list of what is wrong, each with a file, a line and a
 * column. Never throws for a bad file.
 */
export function parseCompose(text: string, options: ParseOptions): ParseResult {
  const reporter: Reporter = { issues: [], variables: new Map() };
  const documents: LoadedDocument[] = [];
  const needs = new Set<string>();
  const files = new Set<string>();
  const result = (project?: ComposeProject): ParseResult => ({
    issues: reporter.issues,
    variables: [...reporter.variables.values()],
    needs: [...needs],
    files: [...files],
    ...(project ? { project } : {}),
  });
  const hasErrors = () => reporter.issues.some((i) => i.severity === 'error');

  /** Where a path of the merged value was written: the last file that has it, else the first's nearest line. */
  const at = (path: YamlPath, which: 'key' | 'value' = 'value'): Omit<ComposeIssue, 'severity' | 'message'> => {
    for (const d of [...documents].reverse()) {
      const pos = locateExact(d, path, which);
      if (pos) return { ...(d.file ? { file: d.file } : {}), path: pathText(path) || undefined, ...pos };
    }
    const main = documents[0];
    return { path: pathText(path) || undefined, ...(main ? locate(main.doc, main.lineCounter, path, which) : {}) };
  };
  const error = (message: string, path: YamlPath = [], which: 'key' | 'value' = 'value') =>
    reporter.issues.push({ severity: 'error', message, ...at(path, which) });
  const warn = (message: string, path: YamlPath = [], which: 'key' | 'value' = 'value') =>
    reporter.issues.push({ severity: 'warning', message, ...at(path, which) });

  const main = loadDocument(text, undefined, options.lookup, reporter);
  documents.push(main);
  if (main.value === undefined) return result();

  // Other files are loaded once each; a file loaded with another include's env_file is another load.
  const loadedOthers = new Map<string, Record<string, unknown> | undefined>();
  // A file that cannot be had or joined stops here; a refused key does not: the rest is checked too.
  let broken = false;
  const context: FileContext = {
    lookup: options.lookup,
    error: (message, where) => {
      broken = true;
      if (where.file) {
        const d = documents.find((x) => x.file === where.file);
        const pos = d && locate(d.doc, d.lineCounter, where.path);
        reporter.issues.push({ severity: 'error', message, file: where.file, path: pathText(where.path), ...pos });
      } else error(message, where.path);
    },
    readText(path, from) {
      const text = options.readFile?.(path);
      if (text === undefined) needs.add(path);
      else if (text === null) context.error(`${path} cannot be read`, from);
      return text ?? undefined;
    },
    load(path, lookup, from) {
      const key = `${path}\0${lookup === options.lookup ? '' : 'own-env'}`;
      if (loadedOthers.has(key)) return loadedOthers.get(key);
      const text = context.readText(path, from);
      if (text === undefined) return undefined;
      files.add(path);
      const loaded = loadDocument(text, path, lookup, reporter);
      documents.push(loaded);
      if (loaded.value === undefined) broken = true;
      const value = loaded.value;
      const ok = typeof value === 'object' && value !== null && !Array.isArray(value);
      if (loaded.value !== undefined && !ok) context.error(`${path} is not a Compose file (a mapping)`, from);
      const out = ok ? (value as Record<string, unknown>) : undefined;
      loadedOthers.set(key, out);
      return out;
    },
  };

  const asMap = (v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  let merged = asMap(main.value);
  if (!merged) {
    error('a Compose file must be a mapping with a "services" key');
    return result();
  }
  merged = applyIncludes(merged, { dir: options.workingDir }, context);
  for (const override of options.overrides ?? []) {
    const loaded = loadDocument(override.text, override.path, options.lookup, reporter);
    documents.push(loaded);
    if (loaded.value === undefined) broken = true;
    const value = asMap(loaded.value);
    if (loaded.value !== undefined && !value)
      context.error(`${override.path} is not a Compose file (a mapping)`, { file: override.path, path: [] });
    if (!value) continue;
    files.add(override.path);
    merged = mergeFiles(merged, applyIncludes(value, { file: override.path, dir: options.workingDir }, context));
  }
  const services = asMap(merged.services);
  if (services) merged = { ...merged, services: applyExtends(services, context, options.workingDir) };
  // !reset and !override have done their work in the merges (and extends): their markers go.
  merged = settleMarkers(merged) as Record<string, unknown>;
  if (needs.size > 0 || broken) return result();

  const parsed = composeSchema.safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) reportSchemaIssue(issue, error);
    return result();
  }

  const project = normalizeProject(
    parsed.data,
    {
      lookup: options.lookup,
      workingDir: options.workingDir,
      ...(options.homeDir ? { homeDir: options.homeDir } : {}),
      defaultName: options.defaultName,
      ...(options.overrideName ? { overrideName: options.overrideName } : {}),
    },
    error,
    warn,
  );
  return hasErrors() ? result() : result(project);
}

function reportSchemaIssue(issue: z.core.$ZodIssue, error: (message: string, path: YamlPath) => void): void {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const where = pathText(path);
  let message = issue.message;
  if (issue.code === 'invalid_type' && /received undefined/i.test(message) && path.length > 0) {
    message = `${where} is required`;
  } else if (issue.code === 'invalid_key') {
    message = `${where}: ${issue.issues[0]?.message ?? 'invalid name'}`;
  } else if (!message.includes(String(path.at(-1) ?? '\0'))) {
    message = where ? `${where}: ${message}` : message;
  }
  error(message, path);
}
