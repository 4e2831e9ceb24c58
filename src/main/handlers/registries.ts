import type { Engine } from '../podman/engine';
import type { CredentialStore } from '../registries/credentials';
import { login } from '../registries/login';
import type { CallHandlers } from '../rpc/handlers';

export function registryHandlers(engine: () => Engine, store: CredentialStore) {
  const calls = {
    'registries.list': async () => ({
      logins: await store.list(),
      storage: store.storage,
      ...(store.note ? { note: store.note } : {}),
    }),
    'registries.login': ({ server, username, password }) => login(engine(), store, { serveraddress: server, username, password }),
    'registries.logout': ({ server }) => store.remove(server),
  } satisfies Partial<CallHandlers>;
  return { calls, streams: {} };
}
