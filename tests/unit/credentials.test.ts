import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encryptedFileCredentials, memoryCredentials, type Cipher } from '../../src/main/registries/credentials';

/** A reversible stand-in for the keychain: XOR with a key, so the file never holds the clear text. */
const fakeCipher = (available = true, key = 0x5a): Cipher => ({
  available: () => available,
  encrypt: (text) => Buffer.from(Buffer.from(text).map((b) => b ^ key)),
  decrypt: (data) => Buffer.from(data.map((b) => b ^ key)).toString(),
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pd-cred-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('registry credentials', () => {
  it('keeps logins encrypted on disk and reads them back in a new store', async () => {
    const path = join(dir, 'logins.json');
    const store = encryptedFileCredentials(path, fakeCipher());
    expect(store.storage).toBe('encrypted');
    await store.save({ serveraddress: 'quay.io', username: 'me', password: 'hunter2-secret' }, true);
    const file = await readFile(path, 'utf8');
    expect(file).not.toContain('hunter2-secret');
    expect(file).not.toContain('"me"');
    const again = encryptedFileCredentials(path, fakeCipher());
    expect(await again.list()).toEqual([{ server: 'quay.io', username: 'me', verified: true }]);
    expect(await again.get('quay.io')).toEqual({ serveraddress: 'quay.io', username: 'me', password: 'hunter2-secret' });
    await again.remove('quay.io');
    expect(await encryptedFileCredentials(path, fakeCipher()).list()).toEqual([]);
  });

  it('skips entries another keychain encrypted, without failing', async () => {
    const path = join(dir, 'logins.json');
    await encryptedFileCredentials(path, fakeCipher(true, 0x11)).save({ serveraddress: 'a', username: 'u', password: 'p' }, true);
    const other = encryptedFileCredentials(path, {
      ...fakeCipher(true, 0x22),
      decrypt: () => {
        throw new Error('bad key');
      },
    });
    expect(await other.list()).toEqual([]);
  });

  it('falls back to memory, and says why, when there is no keychain', async () => {
    const store = encryptedFileCredentials(join(dir, 'x.json'), fakeCipher(false));
    expect(store.storage).toBe('memory');
    expect(store.note).toMatch(/no keychain/);
    await store.save({ serveraddress: 'r', username: 'u', password: 'p' }, false);
    expect(await store.list()).toEqual([{ server: 'r', username: 'u', verified: false }]);
    expect(memoryCredentials('why').note).toBe('why');
  });
});
