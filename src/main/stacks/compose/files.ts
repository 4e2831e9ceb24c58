import { dirname, isAbsolute, resolve } from 'node:path';
import { parseEnvFile } from './env-file';
import type { Lookup } from './interpolate';
import type { YamlPath } from './locate';
import { mergeFiles, mergeService } from './merge';

/**
 * Compose files that name other files: `include` (another project's resources added to this
 * one) and `extends` (a service built on another, here or in another file). Relative paths in
 * another file are relative to that file (or to the include's project_directory), as docker
 * compose reads them; they are made absolute before its services join this project.
 */
type Raw = Record<string, unknown>;
const isMap = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface FileContext {
  /** A file loaded (read, interpolated with `lookup`, keys checked); undefined when it cannot be had (yet). */
  load(path: string, lookup: Lookup, from: { file?: string; path: YamlPath }): Raw | undefined;
  /** An env file's text; undefined when it cannot be had (yet). */
  readText(path: string, from: { file?: string; path: YamlPath }): string | undefined;
  lookup: Lookup;
  error(message: string, where: { file?: string; path: YamlPath }): void;
}

const isUrl = (p: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(p) || p.startsWith('git@') || /^github\.com\//.test(p);
const toAbsolute = (dir: string, p: string) => (isAbsolute(p) || p.startsWith('~') ? p : resolve(dir, p));

/** A service's relative paths (build context, env/label files, bind sources, extends.file) made absolute. */
export function rebaseService(service: Raw, dir: string): Raw {
  const out: Raw = { ...service };
  const path = (p: unknown) => (typeof p === 'string' ? toAbsolute(dir, p) : p);
  if (typeof out.build === 'string') out.build = isUrl(out.build) ? out.build : toAbsolute(dir, out.build);
  else if (isMap(out.build)) {
    const context = typeof out.build.context === 'string' ? out.build.context : '.';
    out.build = { ...out.build, context: isUrl(context) ? context : toAbsolute(dir, context) };
  }
  for (const key of ['env_file', 'label_file']) {
    const v = out[key];
    if (typeof v === 'string') out[key] = path(v);
    else if (Array.isArray(v)) out[key] = v.map((f) => (isMap(f) ? { ...f, path: path(f.path) } : path(f)));
  }
  if (Array.isArray(out.volumes)) {
    out.volumes = out.volumes.map((v) => {
      if (typeof v === 'string') {
        // Only a source starting with "." is relative; a bare name is a volume, "/" and "~" are absolute.
        if (!v.startsWith('.')) return v;
        const colon = v.indexOf(':');
        return colon < 0 ? v : toAbsolute(dir, v.slice(0, colon)) + v.slice(colon);
      }
      if (isMap(v) && v.type === 'bind' && typeof v.source === 'string') return { ...v, source: path(v.source) };
      return v;
    });
  }
  if (isMap(out.extends) && typeof out.extends.file === 'string') out.extends = { ...out.extends, file: path(out.extends.file) };
  return out;
}

/** A whole file's relative paths made absolute: its services', and its secrets' and configs' files. */
export function rebaseFile(file: Raw, dir: string): Raw {
  const out: Raw = { ...file };
  if (isMap(out.services)) {
    out.services = Object.fromEntries(
      Object.entries(out.services).map(([name, s]) => [name, isMap(s) ? rebaseService(s, dir) : s]),
    );
  }
  for (const key of ['secrets', 'configs']) {
    const section = out[key];
    if (!isMap(section)) continue;
    out[key] = Object.fromEntries(
      Object.entries(section).map(([name, v]) => [
        name,
        isMap(v) && typeof v.file === 'string' ? { ...v, file: toAbsolute(dir, v.file) } : v,
      ]),
    );
  }
  return out;
}

const RESOURCES = ['services', 'networks', 'volumes', 'secrets', 'configs'] as const;

/**
 * `include:` — each entry's files (merged when there are several) add their resources to this
 * file's; a name both define differently is an error, as docker compose says.
 */
export function applyIncludes(file: Raw, where: { file?: string; dir: string }, ctx: FileContext, depth = 0): Raw {
  const entries = file.include;
  if (!Array.isArray(entries)) return file;
  const out: Raw = { ...file };
  delete out.include;
  if (depth > 10) {
    ctx.error('include: files include each other too deeply (a loop?)', { ...where, path: ['include'] });
    return out;
  }
  entries.forEach((entry, i) => {
    const at = { ...(where.file ? { file: where.file } : {}), path: ['include', i] as YamlPath };
    const spec = typeof entry === 'string' ? { path: entry } : isMap(entry) ? entry : undefined;
    const paths = spec
      ? (Array.isArray(spec.path) ? spec.path : [spec.path]).filter((p): p is string => typeof p === 'string')
      : [];
    if (!spec || paths.length === 0) {
      ctx.error('include: each entry must be a file path, or a mapping with path', at);
      return;
    }
    const files = paths.map((p) => toAbsolute(where.dir, p));
    const projectDir =
      typeof spec.project_directory === 'string' ? toAbsolute(where.dir, spec.project_directory) : dirname(files[0]!);
    // The include's env_file gives defaults for interpolating the included files only.
    const envFiles = (Array.isArray(spec.env_file) ? spec.env_file : spec.env_file ? [spec.env_file] : [])
      .filter((p): p is string => typeof p === 'string')
      .map((p) => toAbsolute(where.dir, p));
    const defaults: Record<string, string> = {};
    for (const envFile of envFiles) {
      const text = ctx.readText(envFile, at);
      if (text === undefined) continue;
      try {
        Object.assign(defaults, parseEnvFile(text, ctx.lookup, envFile));
      } catch (e) {
        ctx.error((e as Error).message, at);
      }
    }
    const lookup: Lookup = (name) => ctx.lookup(name) ?? defaults[name];
    let included: Raw | undefined;
    for (const path of files) {
      const loaded = ctx.load(path, lookup, at);
      if (!loaded) return;
      const expanded = rebaseFile(applyIncludes(loaded, { file: path, dir: dirname(path) }, ctx, depth + 1), projectDir);
      included = included ? mergeFiles(included, expanded) : expanded;
    }
    if (!included) return;
    for (const key of RESOURCES) {
      const theirs = included[key];
      if (!isMap(theirs)) continue;
      const ours: Raw = isMap(out[key]) ? { ...(out[key] as Raw) } : {};
      for (const [name, value] of Object.entries(theirs)) {
        if (name in ours && JSON.stringify(ours[name]) !== JSON.stringify(value)) {
          ctx.error(`include: ${key} "${name}" is defined both here and in ${files.join(', ')}`, at);
          continue;
        }
        ours[name] = value;
      }
      out[key] = ours;
    }
  });
  return out;
}

/**
 * `extends:` — each service that extends another is that service with its own keys merged over
 * it (Compose's merge rules), through any number of levels, here or in other files.
 */
export function applyExtends(services: Raw, ctx: FileContext, dir: string): Raw {
  const done = new Map<string, Raw | undefined>();
  const fileServices = (file: string, at: { file?: string; path: YamlPath }): Raw | undefined => {
    const loaded = ctx.load(file, ctx.lookup, at);
    if (!loaded) return undefined;
    const rebased = rebaseFile(loaded, dirname(file));
    return isMap(rebased.services) ? rebased.services : {};
  };
  const resolveOne = (
    file: string | undefined,
    name: string,
    chain: string[],
    at: { file?: string; path: YamlPath },
  ): Raw | undefined => {
    const key = `${file ?? ''}#${name}`;
    if (done.has(key)) return done.get(key);
    if (chain.includes(key)) {
      ctx.error(`extends: ${[...chain, key].map((k) => k.split('#')[1]).join(' → ')} extend each other in a loop`, at);
      return undefined;
    }
    const pool = file ? fileServices(file, at) : services;
    if (!pool) return undefined;
    const service = pool[name];
    if (!isMap(service)) {
      ctx.error(`extends: there is no service "${name}"${file ? ` in ${file}` : ''}`, at);
      return undefined;
    }
    const ext = service.extends;
    if (ext === undefined) {
      done.set(key, service);
      return service;
    }
    const baseName = typeof ext === 'string' ? ext : isMap(ext) && typeof ext.service === 'string' ? ext.service : undefined;
    const own = { ...service };
    delete own.extends;
    if (!baseName) {
      ctx.error('extends: name the service to extend (extends: NAME, or extends: {service: NAME, file: PATH})', at);
      return undefined;
    }
    // The stack's own files name other files relative to its folder; other files' were made absolute.
    const baseFile = isMap(ext) && typeof ext.file === 'string' ? toAbsolute(dir, ext.file) : file;
    const where = file ? { file, path: ['services', name, 'extends'] } : { path: ['services', name, 'extends'] };
    const base = resolveOne(baseFile, baseName, [...chain, key], where);
    const merged = base ? mergeService(base, own) : undefined;
    done.set(key, merged);
    return merged;
  };
  return Object.fromEntries(
    Object.entries(services).map(([name, s]) => {
      if (!isMap(s) || s.extends === undefined) return [name, s];
      return [name, resolveOne(undefined, name, [], { path: ['services', name, 'extends'] }) ?? s];
    }),
  );
}
