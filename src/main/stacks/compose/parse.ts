import { resolve } from 'node:path';
import { LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { InterpolationError, interpolate, type Lookup, type VariableUse } from './interpolate';
import { locate, pathText, type YamlPath } from './locate';
import type { ComposeIssue, ComposeProject, HealthcheckSpec, MountSpec, NetworkSpec, ServiceSpec, VolumeSpec } from './model';
import { relabelRefusal } from '../host-paths';
import { findCycle } from './order';
import { composeSchema, knownKeys, type RawCompose, type RawService } from './schema';
import { isPathSource, parseDuration, parsePortShort, parseVolumeShort, splitCommand, toRecord } from './syntax';

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
}

export interface ParseResult {
  /** Present when the file has no errors (warnings allowed). */
  project?: ComposeProject;
  issues: ComposeIssue[];
  /** Every variable the file refers to, once each, in order of first use. */
  variables: VariableUse[];
}

/** Keys of the Compose spec that PodDesk knows it does not do, with what that means for the user. */
const UNSUPPORTED_NOTES: Record<string, string> = {
  profiles: 'the service is launched with the others',
  deploy: 'resource limits and replicas are not applied',
  secrets: 'no secret is mounted',
  configs: 'no config is mounted',
  extends: 'the service does not inherit from the one named',
  include: 'the files named are not included',
};

/**
 * Compose file text → a validated, normalised project, or the list of what is wrong with it, each
 * with a line and a column. Never throws for a bad file.
 */
export function parseCompose(text: string, options: ParseOptions): ParseResult {
  const issues: ComposeIssue[] = [];
  const variables = new Map<string, VariableUse>();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true, prettyErrors: false, uniqueKeys: true });

  const at = (path: YamlPath, which: 'key' | 'value' = 'value') => ({
    path: pathText(path) || undefined,
    ...locate(doc, lineCounter, path, which),
  });
  const error = (message: string, path: YamlPath = [], which: 'key' | 'value' = 'value') =>
    issues.push({ severity: 'error', message, ...at(path, which) });
  const warn = (message: string, path: YamlPath = [], which: 'key' | 'value' = 'value') =>
    issues.push({ severity: 'warning', message, ...at(path, which) });

  for (const e of doc.errors) {
    const pos = lineCounter.linePos(e.pos[0]);
    issues.push({ severity: 'error', message: yamlMessage(e.message), line: pos.line, column: pos.col });
  }
  if (issues.length > 0) return { issues, variables: [] };

  interpolateDocument(doc, lineCounter, options.lookup, issues, variables);
  if (issues.some((i) => i.severity === 'error')) return { issues, variables: [...variables.values()] };

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    error(`The file cannot be read: ${(e as Error).message}`);
    return { issues, variables: [...variables.values()] };
  }
  if (raw === null || raw === undefined) {
    error('The file is empty: a Compose file needs at least a "services" mapping');
    return { issues, variables: [...variables.values()] };
  }

  if (typeof raw === 'object' && !Array.isArray(raw)) reportUnknownKeys(raw as Record<string, unknown>, [], warn);

  const parsed = composeSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) reportSchemaIssue(issue, error);
    return { issues, variables: [...variables.values()] };
  }

  const project = normalize(parsed.data, options, error, warn);
  const result: ParseResult = { issues, variables: [...variables.values()] };
  if (!issues.some((i) => i.severity === 'error')) result.project = project;
  return result;
}

/** The yaml library's messages end with a code frame we do not need (the UI shows the line). */
function yamlMessage(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function interpolateDocument(
  doc: Document,
  lineCounter: LineCounter,
  lookup: Lookup,
  issues: ComposeIssue[],
  variables: Map<string, VariableUse>,
): void {
  const warnedUnset = new Set<string>();
  visit(doc, {
    Scalar(key, node) {
      // Compose interpolates values only, never keys.
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('$')) return;
      const pos = node.range ? lineCounter.linePos(node.range[0]) : undefined;
      const where = pos ? { line: pos.line, column: pos.col } : {};
      const uses: VariableUse[] = [];
      try {
        const result = interpolate(node.value, lookup, uses);
        node.value = result.value;
        for (const name of result.unset) {
          if (warnedUnset.has(name)) continue;
          warnedUnset.add(name);
          issues.push({
            severity: 'warning',
            message: `The ${name} variable is not set. Defaulting to a blank string.`,
            ...where,
          });
        }
      } catch (e) {
        if (!(e instanceof InterpolationError)) throw e;
        issues.push({ severity: 'error', message: e.message, ...where });
      }
      for (const use of uses) {
        const known = variables.get(use.name);
        if (!known) variables.set(use.name, { ...use });
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

function reportUnknownKeys(
  value: unknown,
  path: YamlPath,
  warn: (message: string, path: YamlPath, which?: 'key' | 'value') => void,
): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => reportUnknownKeys(item, [...path, i], warn));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const known = knownKeys.find(([pattern]) => matches(pattern, path))?.[1];
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, key];
    if (path.length === 0 && key === 'version') {
      warn('"version" is obsolete and ignored (as docker compose does)', childPath, 'key');
      continue;
    }
    if (known && !known.has(key)) {
      // Extension fields (x-…) are free-form by the spec: other tools' business, not an error.
      if (key.startsWith('x-')) continue;
      const note = UNSUPPORTED_NOTES[key];
      warn(`${pathText(childPath)} is not supported by PodDesk and is ignored${note ? `: ${note}` : ''}`, childPath, 'key');
      continue;
    }
    if (key.startsWith('x-') && key !== 'x-poddesk') continue;
    reportUnknownKeys(child, childPath, warn);
  }
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

type Report = (message: string, path: YamlPath, which?: 'key' | 'value') => void;

function normalize(raw: RawCompose, options: ParseOptions, error: Report, warn: Report): ComposeProject {
  const name = options.overrideName ?? raw.name ?? options.defaultName;
  const home = options.homeDir ?? '';
  const absolute = (p: string) => {
    const expanded = p === '~' ? home : p.startsWith('~/') ? `${home}${p.slice(1)}` : p;
    // Normalised too (`~/`, `a/../b`): "this computer" lists paths as the engine will see them.
    return resolve(options.workingDir, expanded);
  };

  const rawServices = raw.services ?? {};
  const serviceNames = Object.keys(rawServices);
  if (serviceNames.length === 0) error('The file defines no services', ['services']);

  const networks: NetworkSpec[] = Object.entries(raw.networks ?? {}).map(([key, n]) => ({
    key,
    name: n?.name ?? `${name}_${key}`,
    external: n?.external ?? false,
    ...(n?.driver ? { driver: n.driver } : {}),
    internal: n?.internal ?? false,
    labels: toRecord(n?.labels, () => undefined),
    options: Object.fromEntries(Object.entries(n?.driver_opts ?? {}).map(([k, v]) => [k, String(v)])),
  }));
  const volumes: VolumeSpec[] = Object.entries(raw.volumes ?? {}).map(([key, v]) => ({
    key,
    name: v?.name ?? `${name}_${key}`,
    external: v?.external ?? false,
    ...(v?.driver ? { driver: v.driver } : {}),
    labels: toRecord(v?.labels, () => undefined),
    options: Object.fromEntries(Object.entries(v?.driver_opts ?? {}).map(([k, val]) => [k, String(val)])),
  }));
  for (const n of networks) {
    if (n.external && n.driver) warn(`networks.${n.key}: an external network's driver is ignored`, ['networks', n.key]);
  }

  const services: ServiceSpec[] = [];
  for (const serviceName of serviceNames) {
    const s = rawServices[serviceName] ?? ({} as RawService);
    const path: YamlPath = ['services', serviceName];
    const spec = normalizeService(serviceName, s, path, { name, options, absolute, error, warn });
    services.push(spec);
  }

  // Compose puts every service that names no network on the project's default network.
  const usesDefault = services.some((s) => Object.keys(s.networks).length === 0);
  for (const s of services) if (Object.keys(s.networks).length === 0) s.networks = { default: { aliases: [] } };
  if (usesDefault && !networks.some((n) => n.key === 'default')) {
    networks.push({ key: 'default', name: `${name}_default`, external: false, internal: false, labels: {}, options: {} });
  }

  checkReferences(services, networks, volumes, serviceNames, error);

  const cycle = findCycle(services.map((s) => ({ name: s.name, dependsOn: Object.keys(s.dependsOn) })));
  if (cycle) {
    error(`Dependency cycle: ${cycle.join(' → ')} (depends_on must not loop)`, ['services', cycle[0]!, 'depends_on']);
  }

  checkPorts(services, error);

  const extras = raw['x-poddesk'];
  return {
    name,
    services,
    networks,
    volumes,
    workingDir: options.workingDir,
    ...(extras?.title ? { title: extras.title } : {}),
    ...(extras?.description ? { description: extras.description } : {}),
  };
}

interface ServiceContext {
  name: string;
  options: ParseOptions;
  absolute(path: string): string;
  error: Report;
  warn: Report;
}

function normalizeService(serviceName: string, s: RawService, path: YamlPath, ctx: ServiceContext): ServiceSpec {
  const { error, absolute, options } = ctx;
  const attempt = <T>(sub: YamlPath, fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (e) {
      error(`${pathText([...path, ...sub])}: ${(e as Error).message}`, [...path, ...sub]);
      return undefined;
    }
  };

  if (!s.image && !s.build) error(`Service "${serviceName}" has neither an image nor a build section`, path, 'key');

  const spec: ServiceSpec = {
    name: serviceName,
    image: s.image ?? `${ctx.name}-${serviceName}`,
    imageDerived: !s.image,
    environment: toRecord(s.environment, options.lookup),
    envFiles: [],
    ports: [],
    mounts: [],
    networks: {},
    dependsOn: {},
    labels: toRecord(s.labels, () => undefined),
    tty: s.tty ?? false,
    stdinOpen: s.stdin_open ?? false,
    devices: s.devices ?? [],
    extras: {},
  };

  if (s.build !== undefined) {
    const b = typeof s.build === 'string' ? { context: s.build } : s.build;
    spec.build = {
      context: absolute(b.context ?? '.'),
      args: toRecord(b.args, options.lookup),
      ...(b.dockerfile ? { dockerfile: b.dockerfile } : {}),
    };
  }
  if (s.command != null) {
    const command = s.command;
    const words = attempt(['command'], () => (typeof command === 'string' ? splitCommand(command) : command));
    if (words) spec.command = words;
  }
  if (s.entrypoint != null) {
    const entrypoint = s.entrypoint;
    const words = attempt(['entrypoint'], () => (typeof entrypoint === 'string' ? splitCommand(entrypoint) : entrypoint));
    if (words) spec.entrypoint = words;
  }
  if (s.env_file !== undefined) {
    const files = typeof s.env_file === 'string' ? [s.env_file] : s.env_file;
    spec.envFiles = files.map((f) =>
      typeof f === 'string' ? { path: absolute(f), required: true } : { path: absolute(f.path), required: f.required },
    );
  }

  (s.ports ?? []).forEach((p, i) => {
    const ports = attempt(['ports', i], () => {
      if (typeof p === 'object') {
        const published = p.published === undefined ? [] : parsePortShort(`${p.published}:${p.target}`);
        return [
          {
            hostIp: p.host_ip ?? '',
            target: p.target,
            protocol: p.protocol ?? 'tcp',
            ...(published[0]?.published !== undefined ? { published: published[0].published } : {}),
          },
        ];
      }
      return parsePortShort(p);
    });
    if (ports) spec.ports.push(...ports);
  });

  (s.volumes ?? []).forEach((v, i) => {
    const mount = attempt(['volumes', i], (): MountSpec => {
      if (typeof v === 'string') return parseVolumeShort(v);
      if (!v.target.startsWith('/')) throw new Error(`the container path "${v.target}" must be absolute`);
      const readOnly = v.read_only ?? false;
      if (v.type === 'tmpfs') return { type: 'tmpfs', target: v.target, readOnly };
      if (v.type === 'bind') {
        if (!v.source) throw new Error('a bind mount needs a source');
        return v.bind?.selinux
          ? { type: 'bind', source: v.source, target: v.target, readOnly, selinux: v.bind.selinux }
          : { type: 'bind', source: v.source, target: v.target, readOnly };
      }
      if (v.source && isPathSource(v.source)) throw new Error(`"${v.source}" is a path: use type: bind for a host folder`);
      return v.source
        ? { type: 'volume', source: v.source, target: v.target, readOnly }
        : { type: 'volume', target: v.target, readOnly };
    });
    if (!mount) return;
    if (mount.type === 'bind') {
      mount.source = absolute(mount.source);
      const refused = mount.selinux && relabelRefusal(mount.source, mount.selinux, options.homeDir);
      if (refused) error(`${pathText([...path, 'volumes', i])}: ${refused}`, [...path, 'volumes', i]);
    }
    spec.mounts.push(mount);
  });

  if (s.networks) {
    const entries = Array.isArray(s.networks) ? s.networks.map((n) => [n, null] as const) : Object.entries(s.networks);
    for (const [key, value] of entries) spec.networks[key] = { aliases: value?.aliases ?? [] };
  }

  if (s.depends_on) {
    const entries = Array.isArray(s.depends_on)
      ? s.depends_on.map((d) => [d, { condition: 'service_started' as const, required: true, restart: false }] as const)
      : Object.entries(s.depends_on);
    for (const [dep, value] of entries) spec.dependsOn[dep] = { ...value };
  }

  if (s.healthcheck) {
    const h = s.healthcheck;
    const ms = (key: 'interval' | 'timeout' | 'start_period' | 'start_interval', fallback: number) => {
      const value = h[key];
      return value === undefined ? fallback : (attempt(['healthcheck', key], () => parseDuration(value)) ?? fallback);
    };
    const test = attempt(['healthcheck', 'test'], (): string[] | undefined => {
      if (typeof h.test === 'string') return ['CMD-SHELL', h.test];
      if (Array.isArray(h.test) && !['CMD', 'CMD-SHELL', 'NONE'].includes(h.test[0] ?? '')) {
        throw new Error('as a list, it must start with "CMD", "CMD-SHELL" or "NONE"');
      }
      return h.test;
    });
    if (h.disable || test?.[0] === 'NONE') spec.healthcheck = { disabled: true };
    else {
      const out: HealthcheckSpec = {
        intervalMs: ms('interval', 30_000),
        timeoutMs: ms('timeout', 30_000),
        retries: h.retries ?? 3,
        startPeriodMs: ms('start_period', 0),
      };
      if (h.start_interval !== undefined) out.startIntervalMs = ms('start_interval', 5_000);
      if (test) out.test = test;
      spec.healthcheck = out;
    }
  }

  if (s.restart) {
    const [policy, retries] = s.restart.split(':') as [NonNullable<ServiceSpec['restart']>['policy'], string | undefined];
    spec.restart = retries ? { policy, maxRetries: Number(retries) } : { policy };
  }
  if (s.container_name) spec.containerName = s.container_name;
  if (s.working_dir) spec.workingDir = s.working_dir;
  if (s.user !== undefined) spec.user = s.user;
  if (s.hostname) spec.hostname = s.hostname;
  if (s.stop_signal) spec.stopSignal = s.stop_signal;
  if (s.stop_grace_period !== undefined) {
    const grace = s.stop_grace_period;
    const ms = attempt(['stop_grace_period'], () => parseDuration(grace));
    if (ms !== undefined) spec.stopGracePeriodMs = ms;
  }
  const extras = s['x-poddesk'];
  if (extras?.title) spec.extras.title = extras.title;
  if (extras?.open)
    spec.extras.open = extras.open.port ? { port: extras.open.port, path: extras.open.path } : { path: extras.open.path };
  return spec;
}

function checkReferences(
  services: ServiceSpec[],
  networks: NetworkSpec[],
  volumes: VolumeSpec[],
  serviceNames: string[],
  error: Report,
): void {
  const networkKeys = new Set(networks.map((n) => n.key));
  const volumeKeys = new Set(volumes.map((v) => v.key));
  const containerNames = new Map<string, string>();
  for (const s of services) {
    const path: YamlPath = ['services', s.name];
    for (const dep of Object.keys(s.dependsOn)) {
      if (dep === s.name) error(`Service "${s.name}" depends on itself`, [...path, 'depends_on']);
      else if (!serviceNames.includes(dep)) {
        error(`Service "${s.name}" depends on "${dep}", which is not a service of this file`, [...path, 'depends_on', dep]);
      }
    }
    for (const key of Object.keys(s.networks)) {
      if (key !== 'default' && !networkKeys.has(key)) {
        error(`Service "${s.name}" uses network "${key}", which is not declared under the top-level "networks"`, [
          ...path,
          'networks',
        ]);
      }
    }
    s.mounts.forEach((m, i) => {
      if (m.type === 'volume' && m.source && !volumeKeys.has(m.source)) {
        error(`Service "${s.name}" uses volume "${m.source}", which is not declared under the top-level "volumes"`, [
          ...path,
          'volumes',
          i,
        ]);
      }
    });
    if (s.containerName) {
      const other = containerNames.get(s.containerName);
      if (other)
        error(`Services "${other}" and "${s.name}" both use container_name "${s.containerName}"`, [...path, 'container_name']);
      containerNames.set(s.containerName, s.name);
    }
    if (s.extras.open?.port !== undefined && !s.ports.some((p) => p.target === s.extras.open!.port)) {
      error(`x-poddesk.open.port ${s.extras.open.port} is not one of the service's ports`, [...path, 'x-poddesk', 'open']);
    }
  }
}

function checkPorts(services: ServiceSpec[], error: Report): void {
  const taken = new Map<string, string>();
  for (const s of services) {
    s.ports.forEach((p, i) => {
      if (p.published === undefined) return;
      const key = `${p.published}/${p.protocol}`;
      const other = taken.get(key);
      if (other) {
        error(`Host port ${p.published}/${p.protocol} is published by both "${other}" and "${s.name}"`, [
          'services',
          s.name,
          'ports',
          i,
        ]);
      }
      taken.set(key, s.name);
    });
  }
}
