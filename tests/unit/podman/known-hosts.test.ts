import { describe, expect, it } from 'vitest';
import {
  checkHostKey,
  entryNames,
  fingerprint,
  hostName,
  keyTypeOf,
  knownHostLine,
  knownKeyTypes,
  parseKnownHosts,
} from '../../../src/main/podman/transport/known-hosts';

// Made with ssh-keygen (OpenSSH 9.2): the keys, what `ssh-keygen -lf` printed for them, and a
// file `ssh-keygen -H` hashed ("[build.example.org]:2222" on line 1, "build.example.org" on line 2).
const ED = 'AAAAC3NzaC1lZDI1NTE5AAAAIIaAXU7dp0VtPJzoldj/vGoR9eYlRDmkbMwX1Ob/hxlj';
const ED_PRINT = 'SHA256:rL5Kf289kEW0lQdJff+6YxDDXQByrfqeFDTX3tBfik8';
const EC =
  'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBMUUTXHcgPgEmuNILj38L+ZlMX1rqboiUd+jcHlnpz/9++sm9tvqchAVCliQq8s6eTmcHiiq3dfwEsyYP5jyA1c=';
const EC_PRINT = 'SHA256:R3By+afE/q+PMJXxn1KlhoT9hF6M6tjJjF71wifRNwY';
const HASHED = [
  `|1|SEmsARyLzCr/3Rsjf1FgWSLYeyE=|UHZdB2lnAe0gpSyf2iBYgAn01L4= ssh-ed25519 ${ED}`,
  `|1|hDqcDuoZwqfyASCIIV/JKLPPa7o=|6KbEb5/dC7Pvdo2vvuNtYMeE6iA= ssh-ed25519 ${ED}`,
].join('\n');
const ed = Buffer.from(ED, 'base64');
const ec = Buffer.from(EC, 'base64');

const parse = (text: string) => parseKnownHosts(text, '/home/me/.ssh/known_hosts');

describe('known_hosts, read as ssh reads it', () => {
  it('prints fingerprints as ssh-keygen does, and reads the key type from the blob', () => {
    expect(fingerprint(ed)).toBe(ED_PRINT);
    expect(fingerprint(ec)).toBe(EC_PRINT);
    expect(keyTypeOf(ed)).toBe('ssh-ed25519');
    expect(keyTypeOf(ec)).toBe('ecdsa-sha2-nistp256');
    expect(keyTypeOf(Buffer.from('nonsense'))).toBe('');
  });

  it('names a host plainly on port 22 and as [host]:port elsewhere', () => {
    expect(hostName('Build.Example.org', 22)).toBe('build.example.org');
    expect(hostName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
    expect(hostName('::1', 2222)).toBe('[::1]:2222');
  });

  it('matches hashed names (HMAC-SHA1 of the salt), port included', () => {
    const [withPort, plain] = parse(HASHED);
    expect(entryNames(withPort!, 'build.example.org', 2222)).toBe(true);
    expect(entryNames(withPort!, 'build.example.org', 22)).toBe(false);
    expect(entryNames(plain!, 'build.example.org', 22)).toBe(true);
    expect(entryNames(plain!, 'BUILD.example.org', 22)).toBe(true);
    expect(entryNames(plain!, 'other.example.org', 22)).toBe(false);
  });

  it('matches patterns: lists, wildcards, negation, and a port only in brackets', () => {
    const [entry] = parse(`*.example.org,!secret.example.org,10.0.0.? ssh-ed25519 ${ED}`);
    expect(entryNames(entry!, 'build.example.org', 22)).toBe(true);
    expect(entryNames(entry!, 'secret.example.org', 22)).toBe(false);
    expect(entryNames(entry!, '10.0.0.7', 22)).toBe(true);
    expect(entryNames(entry!, '10.0.0.17', 22)).toBe(false);
    // A plain name does not cover another port: ssh looks up "[host]:port" there.
    expect(entryNames(entry!, 'build.example.org', 2222)).toBe(false);
    const [bracket] = parse(`[127.0.0.1]:2222 ssh-ed25519 ${ED}`);
    expect(entryNames(bracket!, '127.0.0.1', 2222)).toBe(true);
    expect(entryNames(bracket!, '127.0.0.1', 22)).toBe(false);
    // Regex characters in a pattern are literal.
    const [dots] = parse(`a.b ssh-ed25519 ${ED}`);
    expect(entryNames(dots!, 'axb', 22)).toBe(false);
  });

  it('skips comments, blank and damaged lines, and unknown markers', () => {
    const entries = parse(
      [
        '# a comment',
        '',
        'host-only',
        `host ssh-rsa ${ED}`, // the blob says ed25519: damaged
        `host ssh-ed25519 not*base64`,
        `@weird host ssh-ed25519 ${ED}`,
        `  host ssh-ed25519 ${ED} a comment with spaces`,
      ].join('\n'),
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ hosts: 'host', keyType: 'ssh-ed25519', line: 7, marker: null });
  });

  it('knows a key on file, and says changed when the host has another one', () => {
    const entries = parse([`other ssh-ed25519 ${ED}`, `build.example.org ecdsa-sha2-nistp256 ${EC}`].join('\n'));
    expect(checkHostKey(entries, 'build.example.org', 22, ec)).toMatchObject({ kind: 'known', entry: { line: 2 } });
    const changed = checkHostKey(entries, 'build.example.org', 22, ed);
    expect(changed).toMatchObject({ kind: 'changed', keyType: 'ssh-ed25519', fingerprint: ED_PRINT });
    expect(changed.kind === 'changed' && changed.known.map((e) => fingerprint(e.key))).toEqual([EC_PRINT]);
  });

  it('says unknown for a host with no key on file, and notes a certificate authority it cannot use', () => {
    expect(checkHostKey(parse(`other ssh-ed25519 ${ED}`), 'build.example.org', 22, ed)).toEqual({
      kind: 'unknown',
      keyType: 'ssh-ed25519',
      fingerprint: ED_PRINT,
      certAuthority: false,
    });
    const ca = parse(`@cert-authority *.example.org ssh-ed25519 ${ED}`);
    // The CA's own key is not a host key: it does not make the host known.
    expect(checkHostKey(ca, 'build.example.org', 22, ed)).toMatchObject({ kind: 'unknown', certAuthority: true });
  });

  it('refuses a revoked key even when a plain line trusts it', () => {
    const entries = parse([`build.example.org ssh-ed25519 ${ED}`, `@revoked * ssh-ed25519 ${ED}`].join('\n'));
    expect(checkHostKey(entries, 'build.example.org', 22, ed)).toMatchObject({ kind: 'revoked', entry: { line: 2 } });
    expect(checkHostKey(entries, 'build.example.org', 22, ec)).toMatchObject({ kind: 'changed' });
  });

  it('lists the key types on file for a host, to ask the server for those first', () => {
    const entries = parse(
      [`[h]:2222 ecdsa-sha2-nistp256 ${EC}`, `h ssh-ed25519 ${ED}`, `@revoked [h]:2222 ssh-ed25519 ${ED}`].join('\n'),
    );
    expect(knownKeyTypes(entries, 'h', 2222)).toEqual(['ecdsa-sha2-nistp256']);
    expect(knownKeyTypes(entries, 'h', 22)).toEqual(['ssh-ed25519']);
  });

  it('writes lines ssh reads back: plain, or hashed with a fresh salt', () => {
    expect(knownHostLine('127.0.0.1', 2222, ed)).toBe(`[127.0.0.1]:2222 ssh-ed25519 ${ED}`);
    expect(knownHostLine('build.example.org', 22, ec)).toBe(`build.example.org ecdsa-sha2-nistp256 ${EC}`);
    const salt = Buffer.from('SEmsARyLzCr/3Rsjf1FgWSLYeyE=', 'base64');
    // The same salt gives the line ssh-keygen -H wrote.
    expect(knownHostLine('build.example.org', 2222, ed, true, salt)).toBe(HASHED.split('\n')[0]);
    const [fresh] = parse(knownHostLine('build.example.org', 2222, ed, true));
    expect(fresh!.hosts).toMatch(/^\|1\|/);
    expect(entryNames(fresh!, 'build.example.org', 2222)).toBe(true);
  });
});
