import { readFile } from 'node:fs/promises';
import type { RegistryLogin } from '../../shared/contract';
import type { RegistryAuth } from '../podman/images/registry-errors';
import { writeFileAtomic } from '../store/atomic-file';

/**
 * Where registry logins are kept. The Electron app encrypts them with the OS keychain
 * (electron/safe-storage.ts provides the cipher); the browser host and the tests keep them in
 * memory only, and say so. Never in plain text on disk.
 */
export interface CredentialStore {
  readonly storage: 'encrypted' | 'memory';
  /** Why nothing is kept on disk, when nothing is. */
  readonly note?: string;
  list(): Promise<RegistryLogin[]>;
  get(server: string): Promise<RegistryAuth | null>;
  save(auth: RegistryAuth, verified: boolean): Promise<void>;
  remove(server: string): Promise<void>;
}

interface Entry {
  username: string;
  password: string;
  verified: boolean;
}

export function memoryCredentials(note?: string): CredentialStore {
  const entries = new Map<string, Entry>();
  return {
    storage: 'memory',
    ...(note ? { note } : {}),
    list: async () => [...entries].map(([server, e]) => ({ server, username: e.username, verified: e.verified })),
    get: async (server) => {
      const e = entries.get(server);
      return e ? { username: e.username, password: e.password, serveraddress: server } : null;
    },
    save: async (auth, verified) =>
      void entries.set(auth.serveraddress, { username: auth.username, password: auth.password, verified }),
    remove: async (server) => void entries.delete(server),
  };
}

/** What encrypts secrets: Electron's safeStorage in the app, a fake in the tests. */
export interface Cipher {
  available(): boolean;
  encrypt(text: string): Buffer;
  decrypt(data: Buffer): string;
}

interface StoredFile {
  version: 1;
  /** server → base64 of the encrypted JSON { username, password, verified } */
  logins: Record<string, string>;
}

/**
 * Logins in a file whose every entry is encrypted by the cipher; the file holds no secret in
 * the clear. When the cipher is unavailable (no keychain), it falls back to memory and says why.
 */
export function encryptedFileCredentials(path: string, cipher: Cipher): CredentialStore {
  if (!cipher.available()) {
    return memoryCredentials('This system offers no keychain to encrypt secrets: logins are kept until PodDesk closes.');
  }
  let cache: Map<string, Entry> | null = null;
  const load = async () => {
    if (cache) return cache;
    cache = new Map();
    const text = await readFile(path, 'utf8').catch(() => null);
    if (!text) return cache;
    try {
      const file = JSON.parse(text) as StoredFile;
      for (const [server, blob] of Object.entries(file.logins ?? {})) {
        try {
          cache.set(server, JSON.parse(cipher.decrypt(Buffer.from(blob, 'base64'))) as Entry);
        } catch {
          // Encrypted under another user or keychain: unreadable, so skipped (and dropped on the next save).
        }
      }
    } catch {
      // A damaged file holds nothing we can use.
    }
    return cache;
  };
  const persist = async (entries: Map<string, Entry>) => {
    const file: StoredFile = { version: 1, logins: {} };
    for (const [server, entry] of entries) file.logins[server] = cipher.encrypt(JSON.stringify(entry)).toString('base64');
    await writeFileAtomic(path, JSON.stringify(file, null, 2));
  };
  return {
    storage: 'encrypted',
    list: async () => [...(await load())].map(([server, e]) => ({ server, username: e.username, verified: e.verified })),
    get: async (server) => {
      const e = (await load()).get(server);
      return e ? { username: e.username, password: e.password, serveraddress: server } : null;
    },
    async save(auth, verified) {
      const entries = await load();
      entries.set(auth.serveraddress, { username: auth.username, password: auth.password, verified });
      await persist(entries);
    },
    async remove(server) {
      const entries = await load();
      if (entries.delete(server)) await persist(entries);
    },
  };
}
