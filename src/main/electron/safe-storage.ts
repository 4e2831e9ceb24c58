import { join } from 'node:path';
import { app, safeStorage } from 'electron';
import { encryptedFileCredentials, type CredentialStore } from '../registries/credentials';

/**
 * Registry logins encrypted with the OS keychain (Keychain, DPAPI, libsecret/kwallet). On Linux
 * without a secret service Electron falls back to a hard-coded key ("basic_text"): that is not
 * encryption, so PodDesk then keeps logins in memory only rather than pretend.
 */
export function safeStorageCredentials(): CredentialStore {
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
  return encryptedFileCredentials(join(app.getPath('userData'), 'registry-logins.json'), {
    available: () => safeStorage.isEncryptionAvailable() && backend !== 'basic_text' && backend !== 'unknown',
    encrypt: (text) => safeStorage.encryptString(text),
    decrypt: (data) => safeStorage.decryptString(data),
  });
}
