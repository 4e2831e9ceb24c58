import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHostKeys, isHostKeyError, userKnownHostsFile } from '../../../src/main/podman/transport/host-keys';
import { parseKnownHosts, entryNames } from '../../../src/main/podman/transport/known-hosts';
import type { HostKeyProblem } from '../../../src/shared/contract';

const ED = 'AAAAC3NzaC1lZDI1NTE5AAAAIIaAXU7dp0VtPJzoldj/vGoR9eYlRDmkbMwX1Ob/hxlj';
const ED_PRINT = 'SHA256:rL5Kf289kEW0lQdJff+6YxDDXQByrfqeFDTX3tBfik8';
const EC =
  'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBMUUTXHcgPgEmuNILj38L+ZlMX1rqboiUd+jcHlnpz/9++sm9tvqchAVCliQq8s6eTmcHiiq3dfwEsyYP5jyA1c=';
const EC_PRINT = 'SHA256:R3By+afE/q+PMJXxn1KlhoT9hF6M6tjJjF71wifRNwY';
const ed = Buffer.from(ED, 'base64');
const ec = Buffer.from(EC, 'base64');

let home: string;
let userFile: string;
let systemFile: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'pd-hostkeys-'));
  userFile = userKnownHostsFile(home);
  systemFile = join(home, 'ssh_known_hosts');
});
afterEach(() => rm(home, { recursive: true, force: true }));

const problemOf = (error: unknown): HostKeyProblem => {
  expect(isHostKeyError(error)).toBe(true);
  return (error as { details: HostKeyProblem }).details;
};

describe('the host keys PodDesk trusts', () => {
  it('refuses an unknown host with its fingerprint, and trusts that key once asked: a new ~/.ssh (0700) and file (0600)', async () => {
    const keys = createHostKeys({ userFile, systemFiles: [systemFile] });
    const refusal = await keys.check('127.0.0.1', 2222, ed);
    expect(refusal?.code).toBe('HOST_KEY_UNKNOWN');
    expect(problemOf(refusal)).toMatchObject({
      kind: 'unknown',
      host: '127.0.0.1',
      port: 2222,
      algorithm: 'ssh-ed25519',
      fingerprint: ED_PRINT,
      knownHostsFile: userFile,
    });
    expect(refusal?.message).toContain(ED_PRINT);
    expect(refusal?.message).toContain('ssh_host_ed25519_key.pub');

    await keys.trust('127.0.0.1', 2222, ED_PRINT);
    expect(await readFile(userFile, 'utf8')).toBe(`[127.0.0.1]:2222 ssh-ed25519 ${ED}\n`);
    expect((await stat(join(home, '.ssh'))).mode & 0o777).toBe(0o700);
    expect((await stat(userFile)).mode & 0o777).toBe(0o600);
    expect(await keys.check('127.0.0.1', 2222, ed)).toBeNull();
  });

  it('trusts only the key this host showed last, by its exact fingerprint', async () => {
    const keys = createHostKeys({ userFile, systemFiles: [] });
    // Nothing shown yet: nothing to trust, whatever the page says.
    await expect(keys.trust('h', 22, ED_PRINT)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await keys.check('h', 22, ed);
    await expect(keys.trust('h', 22, EC_PRINT)).rejects.toMatchObject({ code: 'CONFLICT' });
    // Another host, or the same one on another port, showed nothing.
    await expect(keys.trust('h', 2222, ED_PRINT)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // The host showed another key since: the first is no longer on offer.
    await keys.check('h', 22, ec);
    await expect(keys.trust('h', 22, ED_PRINT)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(readFile(userFile, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
    await keys.trust('h', 22, EC_PRINT);
    expect(await readFile(userFile, 'utf8')).toBe(`h ecdsa-sha2-nistp256 ${EC}\n`);
    // Used up: trusting again needs another look.
    await expect(keys.trust('h', 22, EC_PRINT)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a changed key with both fingerprints and the command that removes the old one', async () => {
    await mkdir(join(home, '.ssh'));
    await writeFile(userFile, `# mine\n[h]:2222 ecdsa-sha2-nistp256 ${EC}\n`);
    const keys = createHostKeys({ userFile, systemFiles: [] });
    const refusal = await keys.check('h', 2222, ed);
    expect(refusal?.code).toBe('HOST_KEY_CHANGED');
    const problem = problemOf(refusal);
    expect(problem).toMatchObject({
      kind: 'changed',
      fingerprint: ED_PRINT,
      known: [{ algorithm: 'ecdsa-sha2-nistp256', fingerprint: EC_PRINT, file: userFile, line: 2 }],
      removeCommand: `ssh-keygen -R '[h]:2222' -f '${userFile}'`,
    });
    expect(refusal?.message).toContain(ED_PRINT);
    expect(refusal?.message).toContain(EC_PRINT);
    // A changed key is never trusted from the app.
    await expect(keys.trust('h', 2222, ED_PRINT)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await readFile(userFile, 'utf8')).toBe(`# mine\n[h]:2222 ecdsa-sha2-nistp256 ${EC}\n`);
  });

  it('reads the system file too, but never writes it, and says who must change it', async () => {
    await writeFile(systemFile, `h ecdsa-sha2-nistp256 ${EC}\n`);
    const keys = createHostKeys({ userFile, systemFiles: [systemFile] });
    expect(await keys.check('h', 22, ec)).toBeNull();
    expect(await keys.preferredTypes('h', 22)).toEqual(['ecdsa-sha2-nistp256']);
    const refusal = await keys.check('h', 22, ed);
    expect(problemOf(refusal).removeCommand).toBeUndefined();
    expect(refusal?.message).toMatch(/administrator/);
    expect(await readFile(systemFile, 'utf8')).toBe(`h ecdsa-sha2-nistp256 ${EC}\n`);
  });

  it('refuses a revoked key, and explains a @cert-authority line it cannot use', async () => {
    await mkdir(join(home, '.ssh'));
    await writeFile(userFile, `@revoked h ssh-ed25519 ${ED}\n@cert-authority *.example.org ssh-ed25519 ${ED}\n`);
    const keys = createHostKeys({ userFile, systemFiles: [] });
    expect((await keys.check('h', 22, ed))?.code).toBe('HOST_KEY_REVOKED');
    const ca = await keys.check('build.example.org', 22, ec);
    expect(ca?.code).toBe('HOST_KEY_UNKNOWN');
    expect(problemOf(ca).note).toMatch(/certificate authority/);
  });

  it('appends hashed when the file hashes its names, after a last line without a newline', async () => {
    await mkdir(join(home, '.ssh'), { mode: 0o700 });
    const hashed = `|1|SEmsARyLzCr/3Rsjf1FgWSLYeyE=|UHZdB2lnAe0gpSyf2iBYgAn01L4= ssh-ed25519 ${ED}`;
    await writeFile(userFile, hashed, { mode: 0o600 });
    const keys = createHostKeys({ userFile, systemFiles: [] });
    expect(await keys.check('build.example.org', 2222, ed)).toBeNull();
    await keys.check('new.example.org', 22, ec);
    await keys.trust('new.example.org', 22, EC_PRINT);
    const text = await readFile(userFile, 'utf8');
    expect(text.startsWith(`${hashed}\n|1|`)).toBe(true);
    const entries = parseKnownHosts(text, userFile);
    expect(entries).toHaveLength(2);
    expect(entryNames(entries[1]!, 'new.example.org', 22)).toBe(true);
    expect(text).not.toContain('new.example.org');
  });
});
