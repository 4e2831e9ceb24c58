import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * OpenSSH's known_hosts, read as `ssh` reads it (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): host
 * patterns (comma-separated, `*` and `?` wildcards, `!` negation), hashed names
 * (`|1|salt|HMAC-SHA1(salt, name)`), `[host]:port` for ports other than 22, and the `@revoked`
 * and `@cert-authority` markers. Pure: the files are read and written in host-keys.ts.
 */
export interface KnownHostEntry {
  marker: 'revoked' | 'cert-authority' | null;
  /** The host field as written: patterns, or one hashed name. */
  hosts: string;
  keyType: string;
  /** The public key blob (SSH wire format), as the server sends it. */
  key: Buffer;
  file: string;
  /** 1-based, for messages that say where to look. */
  line: number;
}

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (!fields[0] || fields[0].startsWith('#')) return;
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0].startsWith('@')) {
      const name = fields.shift()!;
      // An unknown marker: OpenSSH skips the line, and so do we (it must not count as a plain entry).
      if (name !== '@revoked' && name !== '@cert-authority') return;
      marker = name === '@revoked' ? 'revoked' : 'cert-authority';
    }
    const [hosts, keyType, base64] = fields;
    if (!hosts || !keyType || !base64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return;
    const key = Buffer.from(base64, 'base64');
    // The blob names its own type first; a line whose two disagree is damaged.
    if (keyTypeOf(key) !== keyType) return;
    entries.push({ marker, hosts, keyType, key, file, line: index + 1 });
  });
  return entries;
}

/** The name known_hosts files a host under: `host` on port 22, `[host]:port` elsewhere. */
export function hostName(host: string, port: number): string {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return port === 22 ? bare : `[${bare}]:${port}`;
}

/** The key's type, read from the blob (its first SSH string), or '' when it is not a key blob. */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return '';
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || 4 + length > blob.length) return '';
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** What `ssh-keygen -l` and `ssh` print: SHA256 of the blob, base64 without padding. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

function hashName(name: string, salt: Buffer): string {
  return createHmac('sha1', salt).update(name).digest('base64');
}

/** `*` any run of characters, `?` one; the rest literal, case-insensitive (names are lower-cased). */
function wildcard(pattern: string, name: string): boolean {
  const re = pattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(name);
}

/** Whether the entry's host field names this host (OpenSSH's match_hostname: a negated match wins). */
export function entryNames(entry: Pick<KnownHostEntry, 'hosts'>, host: string, port: number): boolean {
  const name = hostName(host, port);
  if (entry.hosts.startsWith('|1|')) {
    const [, , salt, hash] = entry.hosts.split('|');
    if (!salt || !hash) return false;
    return hashName(name, Buffer.from(salt, 'base64')) === hash;
  }
  let matched = false;
  for (const pattern of entry.hosts.split(',')) {
    if (!pattern) continue;
    const negated = pattern.startsWith('!');
    if (!wildcard(negated ? pattern.slice(1) : pattern, name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

export type HostKeyVerdict =
  | { kind: 'known'; entry: KnownHostEntry }
  | { kind: 'unknown'; keyType: string; fingerprint: string; certAuthority: boolean }
  | { kind: 'changed'; keyType: string; fingerprint: string; known: KnownHostEntry[] }
  | { kind: 'revoked'; keyType: string; fingerprint: string; entry: KnownHostEntry };

/**
 * What known_hosts says about the key this host presented. Stricter than `ssh` in one way: if the
 * host has keys on file and none is this one — even of another type — it counts as changed, not
 * as new (ssh2 is asked for the types on file first, so a host that still has that key shows it).
 */
export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, blob: Buffer): HostKeyVerdict {
  const keyType = keyTypeOf(blob);
  const print = fingerprint(blob);
  const named = entries.filter((e) => entryNames(e, host, port));
  const same = (e: KnownHostEntry) => e.keyType === keyType && e.key.equals(blob);
  const revoked = named.find((e) => e.marker === 'revoked' && same(e));
  if (revoked) return { kind: 'revoked', keyType, fingerprint: print, entry: revoked };
  const plain = named.filter((e) => e.marker === null);
  const match = plain.find(same);
  if (match) return { kind: 'known', entry: match };
  if (plain.length > 0) return { kind: 'changed', keyType, fingerprint: print, known: plain };
  return { kind: 'unknown', keyType, fingerprint: print, certAuthority: named.some((e) => e.marker === 'cert-authority') };
}

/** The key types on file for this host, in file order: the server is asked for those first. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const types = entries.filter((e) => e.marker === null && entryNames(e, host, port)).map((e) => e.keyType);
  return [...new Set(types)];
}

/** One known_hosts line in OpenSSH's format; hashed (`|1|salt|hash`) when the file hashes its names. */
export function knownHostLine(host: string, port: number, blob: Buffer, hashed = false, salt = randomBytes(20)): string {
  const name = hostName(host, port);
  const field = hashed ? `|1|${salt.toString('base64')}|${hashName(name, salt)}` : name;
  return `${field} ${keyTypeOf(blob)} ${blob.toString('base64')}`;
}
