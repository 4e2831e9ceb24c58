import type { MountSpec, PortSpec } from './model';

/**
 * Compose's short syntaxes (ports, volumes, durations, commands), each a pure function that
 * either returns the long form or throws an Error whose message the parser shows with the line.
 */

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "1m30s", "500ms", "10s", "1.5h"; a bare number counts as seconds (what most users mean). */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new Error(`"${value}" is not a duration`);
    return value * 1000;
  }
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    consumed = re.lastIndex;
  }
  if (consumed === 0 || consumed !== text.length) throw new Error(`"${value}" is not a duration such as 10s, 1m30s or 500ms`);
  return total;
}

function portNumber(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`"${text}" is not a ${what} port number`);
  const n = Number(text);
  if (n < 1 || n > 65535) throw new Error(`${what} port ${n} is out of range (1–65535)`);
  return n;
}

function portRange(text: string, what: string): number[] {
  const [from, to] = text.split('-');
  const start = portNumber(from!, what);
  if (to === undefined) return [start];
  const end = portNumber(to, what);
  if (end < start) throw new Error(`port range ${text} ends before it starts`);
  return Array.from({ length: end - start + 1 }, (_, i) => start + i);
}

/** "8080:80", "127.0.0.1:8080:80/udp", "[::1]:8080:80", "80", "8000-8002:8000-8002", "127.0.0.1::80". */
export function parsePortShort(value: string | number): PortSpec[] {
  let text = String(value).trim();
  let protocol: PortSpec['protocol'] = 'tcp';
  const slash = text.lastIndexOf('/');
  if (slash >= 0) {
    const proto = text.slice(slash + 1).toLowerCase();
    if (proto !== 'tcp' && proto !== 'udp') throw new Error(`protocol "${proto}" is not supported (tcp or udp)`);
    protocol = proto;
    text = text.slice(0, slash);
  }
  let hostIp = '';
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0 || text[close + 1] !== ':') throw new Error(`"${value}" is not a valid port mapping`);
    hostIp = text.slice(1, close);
    text = text.slice(close + 2);
  }
  const parts = text.split(':');
  let host: string | undefined;
  let container: string;
  if (parts.length === 1) container = parts[0]!;
  else if (parts.length === 2) [host, container] = parts as [string, string];
  else if (parts.length === 3 && !hostIp) [hostIp, host, container] = parts as [string, string, string];
  else throw new Error(`"${value}" is not a valid port mapping (expected [HOST_IP:][HOST:]CONTAINER[/PROTOCOL])`);
  if (hostIp && !/^[\d.]+$|^[0-9a-fA-F:]+$/.test(hostIp)) throw new Error(`"${hostIp}" is not an IP address`);
  const targets = portRange(container, 'container');
  if (!host) return targets.map((target) => ({ hostIp, target, protocol }));
  const published = portRange(host, 'host');
  if (published.length !== targets.length) {
    throw new Error(`"${value}": the host range and the container range must be the same length`);
  }
  return targets.map((target, i) => ({ hostIp, published: published[i], target, protocol }));
}

/** Compose treats a source as a path when it starts with ., / or ~ (or a Windows drive). */
export function isPathSource(source: string): boolean {
  return /^[./~]/.test(source) || /^[a-zA-Z]:[\\/]/.test(source) || source.startsWith('\\\\');
}

const MODES = new Set([
  'ro',
  'rw',
  'z',
  'Z',
  'nocopy',
  'cached',
  'delegated',
  'consistent',
  'rprivate',
  'private',
  'shared',
  'rshared',
  'slave',
  'rslave',
]);

/** "data:/srv", "./site:/www:ro", "/srv", "C:\\data:/data:rw". Paths are left relative here. */
export function parseVolumeShort(value: string): MountSpec {
  let rest = value;
  let drive = '';
  // A Windows drive's colon is part of the path, not a separator.
  const driveMatch = /^[a-zA-Z]:[\\/]/.exec(rest);
  if (driveMatch) {
    drive = rest.slice(0, 2);
    rest = rest.slice(2);
  }
  const parts = rest.split(':');
  if (drive) parts[0] = drive + parts[0];
  if (parts.some((p) => p === '')) throw new Error(`"${value}" is not a valid volume (expected SOURCE:TARGET[:MODE])`);
  if (parts.length === 1) {
    if (!parts[0]!.startsWith('/')) throw new Error(`"${value}": a container path must be absolute`);
    return { type: 'volume', target: parts[0]!, readOnly: false };
  }
  if (parts.length > 3) throw new Error(`"${value}" is not a valid volume (expected SOURCE:TARGET[:MODE])`);
  const [source, target, modeText] = parts as [string, string, string | undefined];
  if (!target.startsWith('/')) throw new Error(`"${value}": the container path "${target}" must be absolute`);
  const modes = modeText ? modeText.split(',') : [];
  for (const mode of modes) if (!MODES.has(mode)) throw new Error(`"${value}": unknown volume mode "${mode}"`);
  const readOnly = modes.includes('ro');
  if (isPathSource(source)) {
    const selinux = modes.includes('Z') ? 'Z' : modes.includes('z') ? 'z' : undefined;
    return selinux ? { type: 'bind', source, target, readOnly, selinux } : { type: 'bind', source, target, readOnly };
  }
  return { type: 'volume', source, target, readOnly };
}

/**
 * Splits a command string into words the way Compose does (shell-like quoting, no expansion):
 * `sh -c "echo hi"` → ['sh', '-c', 'echo hi'].
 */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && (command[i + 1] === '"' || command[i + 1] === '\\')) word += command[++i];
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < command.length) {
      word += command[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote in "${command}"`);
  if (inWord) words.push(word);
  return words;
}

/** `KEY=VALUE` lists and mappings as one record; `KEY` alone (or null) takes the value from `lookup`. */
export function toRecord(
  value: string[] | Record<string, string | number | boolean | null> | undefined,
  lookup: (name: string) => string | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value) return out;
  if (Array.isArray(value)) {
    for (const entry of value) {
      const eq = entry.indexOf('=');
      if (eq < 0) {
        const v = lookup(entry);
        if (v !== undefined) out[entry] = v;
      } else out[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return out;
  }
  for (const [k, v] of Object.entries(value)) {
    if (v === null) {
      const fromEnv = lookup(k);
      if (fromEnv !== undefined) out[k] = fromEnv;
    } else out[k] = String(v);
  }
  return out;
}
