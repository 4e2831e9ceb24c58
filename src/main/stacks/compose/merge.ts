/**
 * Compose's merge rules (compose-spec "Merge and override"), on the plain values of files already
 * interpolated: what `docker compose -f a.yaml -f b.yaml` and `extends` do.
 *
 *   mappings            merged key by key, the later file winning
 *   command, entrypoint, healthcheck.test
 *                       replaced whole (a shell command is one thing)
 *   environment, labels, annotations, sysctls, extra_hosts, build.args, depends_on, networks …
 *                       list or mapping alike, merged by key
 *   volumes, devices    merged by the path in the container
 *   secrets, configs    merged by source
 *   other lists         appended, without repeats
 */
type Raw = Record<string, unknown>;

/** `!reset`: the key is dropped, whatever earlier files set. */
export const RESET = '\0poddesk:reset';
/** `!override`: the value (under this key) replaces the earlier one instead of merging with it. */
export const OVERRIDE_KEY = '\0poddesk:override';

const isOverride = (v: unknown): v is Raw => isMap(v) && OVERRIDE_KEY in v;

/** After the last merge: markers gone (a reset key removed, an override's value in its place). */
export function settleMarkers(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== RESET).map(settleMarkers);
  if (!isMap(value)) return value;
  if (isOverride(value)) return settleMarkers(value[OVERRIDE_KEY]);
  const out: Raw = {};
  for (const [k, v] of Object.entries(value)) if (v !== RESET) out[k] = settleMarkers(v);
  return out;
}

const isMap = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys whose list form is KEY=VALUE (or KEY alone), merged as mappings. */
const KEY_VALUE = new Set(['environment', 'labels', 'annotations', 'sysctls', 'args', 'storage_opt', 'options']);
const REPLACED = new Set(['command', 'entrypoint', 'test']);

function keyValueMap(value: unknown): Raw {
  if (isMap(value)) return value;
  const out: Raw = {};
  if (!Array.isArray(value)) return out;
  for (const entry of value.map(String)) {
    const eq = entry.indexOf('=');
    if (eq < 0) out[entry] = null;
    else out[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return out;
}

function hostsMap(value: unknown): Raw {
  if (isMap(value)) return value;
  const out: Raw = {};
  if (!Array.isArray(value)) return out;
  for (const entry of value.map(String)) {
    const eq = entry.indexOf('=');
    const at = eq >= 0 ? eq : entry.indexOf(':');
    if (at > 0) out[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return out;
}

/** depends_on and networks: a list of names is a mapping of names to defaults. */
function namesMap(value: unknown, empty: () => unknown): Raw {
  if (isMap(value)) return value;
  if (!Array.isArray(value)) return {};
  return Object.fromEntries(value.map((name) => [String(name), empty()]));
}

function volumeTarget(v: unknown): string {
  if (isMap(v)) return String(v.target ?? '');
  const text = String(v);
  // "SOURCE:TARGET[:MODE]" or "TARGET"; a Windows drive's colon is part of the source.
  const parts = text.replace(/^[a-zA-Z]:[\\/]/, 'X').split(':');
  return parts.length === 1 ? parts[0]! : parts[1]!;
}

function deviceTarget(v: unknown): string {
  if (isMap(v)) return String(v.target ?? v.source ?? '');
  const parts = String(v).split(':');
  return parts.length >= 2 && parts[1]!.startsWith('/') ? parts[1]! : parts[0]!;
}

const referenceSource = (v: unknown) => (isMap(v) ? String(v.source ?? '') : String(v));

function byKey(base: unknown[], over: unknown[], key: (v: unknown) => string): unknown[] {
  const out = new Map<string, unknown>();
  for (const v of base) out.set(key(v), v);
  for (const v of over) out.set(key(v), v);
  return [...out.values()];
}

function appendUnique(base: unknown[], over: unknown[]): unknown[] {
  const seen = new Set(base.map((v) => JSON.stringify(v)));
  return [...base, ...over.filter((v) => !seen.has(JSON.stringify(v)) && (seen.add(JSON.stringify(v)), true))];
}

function mergeValue(key: string, base: unknown, over: unknown, inService: boolean): unknown {
  if (over === undefined) return base;
  if (over === RESET) return RESET;
  if (isOverride(over)) return over[OVERRIDE_KEY];
  if (base === undefined || base === null || over === null) return over;
  if (REPLACED.has(key)) return over;
  if (inService) {
    if (KEY_VALUE.has(key)) return { ...keyValueMap(base), ...keyValueMap(over) };
    if (key === 'extra_hosts') return { ...hostsMap(base), ...hostsMap(over) };
    if (key === 'depends_on' || key === 'networks') {
      const empty = key === 'depends_on' ? () => ({ condition: 'service_started' }) : () => null;
      const a = namesMap(base, empty);
      const b = namesMap(over, empty);
      const out: Raw = { ...a };
      for (const [k, v] of Object.entries(b)) out[k] = isMap(a[k]) && isMap(v) ? mergeMaps(a[k], v, true) : (v ?? a[k] ?? null);
      return out;
    }
    if (Array.isArray(base) && Array.isArray(over)) {
      if (key === 'volumes') return byKey(base, over, volumeTarget);
      if (key === 'devices') return byKey(base, over, deviceTarget);
      if (key === 'secrets' || key === 'configs') return byKey(base, over, referenceSource);
      return appendUnique(base, over);
    }
    // `build: ./dir` over (or under) the long form: the path is the context.
    if (key === 'build' && (typeof base === 'string' || typeof over === 'string')) {
      const asMap = (v: unknown) => (typeof v === 'string' ? { context: v } : (v as Raw));
      return mergeMaps(asMap(base), asMap(over), true);
    }
  }
  if (isMap(base) && isMap(over)) return mergeMaps(base, over, inService);
  if (Array.isArray(base) && Array.isArray(over)) return appendUnique(base, over);
  return over;
}

function mergeMaps(base: Raw, over: Raw, inService: boolean): Raw {
  const out: Raw = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = mergeValue(k, base[k], v, inService);
  return out;
}

/** One service over another (an override file's, or the service that `extends` a base). */
export function mergeService(base: Raw, over: Raw): Raw {
  return mergeMaps(base, over, true);
}

/** A later Compose file over an earlier one. */
export function mergeFiles(base: Raw, over: Raw): Raw {
  const out: Raw = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (k === 'services' && isMap(base.services) && isMap(v)) {
      const services: Raw = { ...base.services };
      for (const [name, s] of Object.entries(v)) {
        const known = services[name];
        services[name] = isMap(known) && isMap(s) ? mergeService(known, s) : (s ?? known ?? null);
      }
      out.services = services;
    } else out[k] = mergeValue(k, base[k], v, false);
  }
  return out;
}
