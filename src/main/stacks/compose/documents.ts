import { isScalar, LineCounter, Pair, parseDocument, Scalar, visit, YAMLMap, type Document } from 'yaml';
import { OVERRIDE_KEY, RESET } from './merge';
import { InterpolationError, interpolate, type Lookup, type VariableUse } from './interpolate';
import { locate, pathText, type YamlPath } from './locate';
import type { ComposeIssue } from './model';
import { knownKeys } from './schema';
import { UNSUPPORTED } from './unsupported';

/**
 * One Compose file read: its YAML checked, every value interpolated, its keys checked against
 * what PodDesk applies, and its plain value. Several of these (overrides, included and extended
 * files) are merged into one project; each keeps its own lines for the messages.
 */
export interface LoadedDocument {
  /** The file's path; undefined for the stack's own file (its messages need no file name). */
  file?: string;
  doc: Document;
  lineCounter: LineCounter;
  /** The plain value; undefined when the file has errors. */
  value?: unknown;
}

export type Report = (message: string, path?: YamlPath, which?: 'key' | 'value') => void;

export interface Reporter {
  issues: ComposeIssue[];
  variables: Map<string, VariableUse>;
}

/** Where a path is in this document, or undefined when the document does not have all of it. */
export function locateExact(
  loaded: LoadedDocument,
  path: YamlPath,
  which: 'key' | 'value' = 'value',
): { line: number; column: number } | undefined {
  let node: unknown = loaded.doc.contents;
  for (const segment of path) {
    if (node && typeof node === 'object' && 'items' in node) {
      const items = (node as { items: unknown[] }).items;
      if (typeof segment === 'number') node = items[segment];
      else {
        const pair = items.find(
          (p) =>
            p &&
            typeof p === 'object' &&
            'key' in p &&
            isScalar((p as { key: unknown }).key) &&
            String((p as { key: { value: unknown } }).key.value) === segment,
        );
        if (!pair) return undefined;
        node = (pair as { value: unknown }).value ?? pair;
      }
      if (node === undefined) return undefined;
    } else return undefined;
  }
  return locate(loaded.doc, loaded.lineCounter, path, which);
}

export function loadDocument(text: string, file: string | undefined, lookup: Lookup, reporter: Reporter): LoadedDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true, prettyErrors: false, uniqueKeys: true });
  const loaded: LoadedDocument = { doc, lineCounter, ...(file ? { file } : {}) };
  const where = (path: YamlPath, which: 'key' | 'value' = 'value') => ({
    ...(file ? { file } : {}),
    path: pathText(path) || undefined,
    ...locate(doc, lineCounter, path, which),
  });
  const push =
    (severity: 'error' | 'warning') =>
    (message: string, path: YamlPath = [], which: 'key' | 'value' = 'value') =>
      reporter.issues.push({ severity, message, ...where(path, which) });
  const error = push('error');
  const errorCount = reporter.issues.filter((i) => i.severity === 'error').length;
  const newErrors = () => reporter.issues.filter((i) => i.severity === 'error').length > errorCount;

  for (const e of doc.errors) {
    const pos = lineCounter.linePos(e.pos[0]);
    reporter.issues.push({
      severity: 'error',
      message: yamlMessage(e.message),
      ...(file ? { file } : {}),
      line: pos.line,
      column: pos.col,
    });
  }
  if (newErrors()) return loaded;

  interpolateDocument(doc, lineCounter, file, lookup, reporter);
  if (newErrors()) return loaded;
  markMergeTags(doc);
  // The yaml library does not know Compose's own tags, which markMergeTags handles.
  for (const w of doc.warnings.filter((x) => !/^Unresolved tag: !(reset|override)\b/.test(x.message))) {
    const pos = lineCounter.linePos(w.pos[0]);
    reporter.issues.push({
      severity: 'warning',
      message: yamlMessage(w.message),
      ...(file ? { file } : {}),
      line: pos.line,
      column: pos.col,
    });
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    error(`The file cannot be read: ${(e as Error).message}`);
    return loaded;
  }
  if (value === null || value === undefined) {
    error('The file is empty: a Compose file needs at least a "services" mapping');
    return loaded;
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    reportUnknownKeys(value as Record<string, unknown>, [], { warning: push('warning'), error });
  }
  loaded.value = value;
  return loaded;
}

/**
 * Compose's merge tags: `!reset` drops what earlier files set for the key, `!override` replaces
 * it whole instead of merging. Each becomes a marker the merge understands (merge.ts).
 */
function markMergeTags(doc: Document): void {
  visit(doc, {
    Node(_key, node) {
      if (node.tag === '!reset') return new Scalar(RESET);
      if (node.tag === '!override') {
        node.tag = undefined;
        const wrapper = new YAMLMap();
        wrapper.items.push(new Pair(new Scalar(OVERRIDE_KEY), node));
        return wrapper;
      }
      return undefined;
    },
  });
}

/** The yaml library's messages end with a code frame we do not need (the UI shows the line). */
function yamlMessage(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function interpolateDocument(
  doc: Document,
  lineCounter: LineCounter,
  file: string | undefined,
  lookup: Lookup,
  reporter: Reporter,
): void {
  const warnedUnset = new Set(
    reporter.issues.flatMap((i) => /^The (\w+) variable is not set/.exec(i.message)?.slice(1, 2) ?? []),
  );
  visit(doc, {
    Scalar(key, node) {
      // A number written with a leading zero is octal, as Compose's YAML reader takes it
      // (`mode: 0440` is 288, not 440).
      if (key !== 'key' && typeof node.value === 'number' && /^0[0-7]+$/.test(node.source ?? '')) {
        node.value = parseInt(node.source!, 8);
        return;
      }
      // Compose interpolates values only, never keys.
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('$')) return;
      const pos = node.range ? lineCounter.linePos(node.range[0]) : undefined;
      const where = { ...(file ? { file } : {}), ...(pos ? { line: pos.line, column: pos.col } : {}) };
      const uses: VariableUse[] = [];
      try {
        const result = interpolate(node.value, lookup, uses);
        node.value = result.value;
        for (const name of result.unset) {
          if (warnedUnset.has(name)) continue;
          warnedUnset.add(name);
          reporter.issues.push({
            severity: 'warning',
            message: `The ${name} variable is not set. Defaulting to a blank string.`,
            ...where,
          });
        }
      } catch (e) {
        if (!(e instanceof InterpolationError)) throw e;
        reporter.issues.push({ severity: 'error', message: e.message, ...where });
      }
      for (const use of uses) {
        const known = reporter.variables.get(use.name);
        if (!known) reporter.variables.set(use.name, { ...use });
        else {
          if (known.default === undefined && use.default !== undefined) known.default = use.default;
          known.required ||= use.required;
        }
      }
    },
  });
}

function matches(pattern: string, path: YamlPath): boolean {
  const parts = pattern === '' ? [] : pattern.split('.');
  if (parts.length !== path.length) return false;
  return parts.every((p, i) =>
    p === '*' ? typeof path[i] === 'string' : p === '#' ? typeof path[i] === 'number' : p === path[i],
  );
}

function reportUnknownKeys(value: unknown, path: YamlPath, report: { warning: Report; error: Report }): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => reportUnknownKeys(item, [...path, i], report));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  // An !override marker (markMergeTags) stands for the value it wraps.
  if (OVERRIDE_KEY in value) return reportUnknownKeys((value as Record<string, unknown>)[OVERRIDE_KEY], path, report);
  const known = knownKeys.find(([pattern]) => matches(pattern, path));
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, key];
    if (path.length === 0 && key === 'version') {
      report.warning('"version" is obsolete and ignored (as docker compose does)', childPath, 'key');
      continue;
    }
    if (known && !known[1].has(key)) {
      // Extension fields (x-…) are free-form by the spec: other tools' business, not an error.
      if (key.startsWith('x-')) continue;
      const rule = UNSUPPORTED[known[0] ? `${known[0]}.${key}` : key];
      const where = pathText(childPath);
      if (rule?.severity === 'error') report.error(`${where} is not supported by PodDesk: ${rule.note}`, childPath, 'key');
      else report.warning(`${where} is not supported by PodDesk and is ignored${rule ? `: ${rule.note}` : ''}`, childPath, 'key');
      continue;
    }
    if (key.startsWith('x-') && key !== 'x-poddesk') continue;
    reportUnknownKeys(child, childPath, report);
  }
}
