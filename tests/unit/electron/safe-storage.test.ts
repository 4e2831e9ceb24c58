import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeElectron, type FakeElectron } from '../../support/fake-electron';

const state = vi.hoisted(() => ({ fake: null as unknown as FakeElectron }));
vi.mock('electron', () => {
  const current = () => state.fake.electron as unknown as Record<string | symbol, unknown>;
  return new Proxy({}, { get: (_, key) => (key === 'default' ? current() : current()[key]), has: (_, key) => key in current() });
});

const file = join('/tmp/poddesk-fake-user-data', 'registry-logins.json');
afterEach(() => rm(file, { force: true }));

async function store(backend: string, available = true) {
  state.fake = createFakeElectron();
  state.fake.keychain.backend = backend;
  state.fake.keychain.available = available;
  vi.resetModules();
  const { safeStorageCredentials } = await import('../../../src/main/electron/safe-storage');
  return safeStorageCredentials();
}

describe('registry logins with Electron’s safeStorage', () => {
  it('keeps them encrypted in the user-data folder, never in the clear', async () => {
    const credentials = await store('gnome_libsecret');
    expect(credentials.storage).toBe('encrypted');
    await credentials.save({ serveraddress: 'quay.io', username: 'me', password: 'hunter2-very-secret' }, true);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('hunter2-very-secret');
    expect(await (await store('gnome_libsecret')).get('quay.io')).toMatchObject({ password: 'hunter2-very-secret' });
  });

  it('keeps them in memory, and says so, when the keychain is only a hard-coded key (basic_text) or missing', async () => {
    for (const [backend, available] of [
      ['basic_text', true],
      ['gnome_libsecret', false],
    ] as const) {
      const credentials = await store(backend, available);
      expect(credentials.storage).toBe('memory');
      expect(credentials.note).toMatch(/no keychain/);
    }
  });
});
