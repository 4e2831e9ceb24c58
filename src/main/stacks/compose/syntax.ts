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

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Docker's sizes: a number of bytes, or "512m", "1g", "1.5GB", "64k" (powers of 1024). */
export function parseByteSize(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new Error(`"${value}" is not a size`);
    return Math.floor(value);
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*([bkmgt]?)(?:i?b)?\s*$/i.exec(value);
  if (!m) throw new Error(`"${value}" is not a size such as 512m or 1g`);
  return Math.floor(Number(m[1]) * SIZE_UNITS[m[2]!.toLowerCase()]!);
}

/** A file mode: 0440 and "0440" are octal (as Compose reads them), 288 stays 288. */
export function parseFileMode(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 0o7777) throw new Error(`"${value}" is not a file mode`);
    return value;
  }
  const text = value.trim().replace(/^0o/i, '0');
  if (!/^[0-7]{1,5}$/.test(text)) throw new Error(`"${value}" is not a file mode such as 0440`);
  return parseInt(text, 8);
}

/** extra_hosts: ["db:10.0.0.2", "web=10.0.0.3"] or {db: 10.0.0.2, multi: [ip1, ip2]} → "name:ip" lines. */
export function parseExtraHosts(value: (string | number | boolean)[] | Record<string, unknown>): string[] {
  const out: string[] = [];
  const add = (host: string, ip: string) => {
    // An IPv6 address may come in brackets ("[::1]"); /etc/hosts wants it bare.
    const address = ip.replace(/^\[(.*)\]$/, '$1');
    if (!host || !address) throw new Error(`"${host}:${ip}" is not a host entry (expected host:ip)`);
    out.push(`${host}:${address}`);
  };
  if (Array.isArray(value)) {
    for (const entry of value.map(String)) {
      const eq = entry.indexOf('=');
      // "host:ip" splits at the first colon (an IPv6 address has more of them).
      const at = eq >= 0 ? eq : entry.indexOf(':');
      if (at <= 0) throw new Error(`"${entry}" is not a host entry (expected host:ip or host=ip)`);
      add(entry.slice(0, at), entry.slice(at + 1));
    }
    return out;
  }
  for (const [host, ip] of Object.entries(value)) {
    for (const one of Array.isArray(ip) ? ip : [ip]) add(host, String(one));
  }
  return out;
}

/** ulimits: {nofile: {soft, hard}, nproc: 512}. */
export function parseUlimits(
  value: Record<string, number | { soft: number; hard: number }>,
): { name: string; soft: number; hard: number }[] {
  return Object.entries(value).map(([name, v]) => {
    const limit = typeof v === 'number' ? { name, soft: v, hard: v } : { name, soft: v.soft, hard: v.hard };
    if (limit.soft > limit.hard && limit.hard !== -1)
      throw new Error(`${name}: the soft limit ${limit.soft} is above the hard one ${limit.hard}`);
    return limit;
  });
}

/** tmpfs: "/run" or "/run:size=64m,mode=1777" → a tmpfs mount. */
export function parseTmpfsShort(value: string): { target: string; size?: number; mode?: number; readOnly: boolean } {
  const colon = value.indexOf(':');
  const target = colon < 0 ? value : value.slice(0, colon);
  if (!target.startsWith('/')) throw new Error(`"${value}": the container path must be absolute`);
  const out: { target: string; size?: number; mode?: number; readOnly: boolean } = { target, readOnly: false };
  if (colon >= 0) {
    for (const option of value
      .slice(colon + 1)
      .split(',')
      .filter(Boolean)) {
      const [key, v] = option.split('=') as [string, string | undefined];
      if (key === 'size' && v) out.size = parseByteSize(v);
      else if (key === 'mode' && v) out.mode = parseFileMode(v.startsWith('0') ? v : `0${v}`);
      else if (key === 'ro') out.readOnly = true;
      else if (key === 'rw') out.readOnly = false;
      else if (!['exec', 'noexec', 'suid', 'nosuid', 'dev', 'nodev'].includes(key))
        throw new Error(`"${value}": unknown tmpfs option "${option}" (size, mode, ro, rw, exec, noexec)`);
    }
  }
  return out;
}

/** A device: "/dev/sda", "/dev/sda:/dev/xvda:rwm", a CDI name "vendor.com/class=name", or the long form. */
export function parseDevice(value: string | { source: string; target?: string; permissions?: string }): string {
  if (typeof value !== 'string') {
    if (!value.source.startsWith('/')) throw new Error(`"${value.source}" is not a device path`);
    return [value.source, value.target ?? value.source, ...(value.permissions ? [value.permissions] : [])].join(':');
  }
  if (/^[a-z0-9.-]+\/[a-zA-Z0-9_.-]+=[a-zA-Z0-9_.:-]+$/.test(value)) return value;
  if (!value.startsWith('/')) throw new Error(`"${value}" is not a device path (/dev/…) or a CDI name (vendor.com/class=name)`);
  const [, target, permissions] = value.split(':');
  // "/dev/sda:rwm": the same path inside, with permissions.
  if (target !== undefined && permissions === undefined && /^[rwm]+$/.test(target)) return value;
  if (target !== undefined && !target.startsWith('/')) throw new Error(`"${value}": the container path must be absolute`);
  if (permissions !== undefined && !/^[rwm]+$/.test(permissions)) throw new Error(`"${value}": permissions are r, w and m`);
  return value;
}
