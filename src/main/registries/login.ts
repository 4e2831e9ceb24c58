import type { Endpoint, RegistryLogin } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { Engine } from '../podman/engine';
import { registryError, registryOf, type RegistryAuth } from '../podman/images/registry-errors';
import type { CredentialStore } from './credentials';

/**
 * Logs in to a registry: the engine checks the credentials with the registry (`POST /auth`);
 * only then are they kept. Podman 4.3's /auth insists on HTTPS for a loopback IP even when
 * registries.conf marks it insecure, while it accepts "localhost:port" over HTTP — same host,
 * so that is asked instead. A registry the engine can only reach over plain HTTP elsewhere
 * cannot be checked this way: its credentials are kept unverified and the first pull or push
 * checks them.
 */
export async function login(engine: Engine, store: CredentialStore, auth: RegistryAuth): Promise<RegistryLogin> {
  if (!engineMayHoldLogins(engine.endpoint)) {
    // Checking would hand the password to whatever answers on that port: kept, unchecked, instead.
    await store.save(auth, false);
    return { server: auth.serveraddress, username: auth.username, verified: false };
  }
  const check = async (serveraddress: string) => {
    await engine.json('POST', '/auth', { body: { username: auth.username, password: auth.password, serveraddress } });
  };
  let verified = true;
  try {
    await check(auth.serveraddress);
  } catch (error) {
    const words =
      error instanceof AppError ? String((error.details as { engine?: string })?.engine ?? error.message) : String(error);
    const loopback = /^(127\.0\.0\.1|\[::1\])(:\d+)?$/.exec(auth.serveraddress);
    if (/HTTP response to HTTPS client/i.test(words) && loopback) {
      try {
        await check(`localhost${loopback[2] ?? ''}`);
      } catch (retry) {
        throw loginError(retry, auth.serveraddress);
      }
    } else if (/HTTP response to HTTPS client/i.test(words)) {
      verified = false;
    } else {
      throw loginError(error, auth.serveraddress);
    }
  }
  await store.save(auth, verified);
  return { server: auth.serveraddress, username: auth.username, verified };
}

function loginError(error: unknown, server: string): AppError {
  const words =
    error instanceof AppError ? String((error.details as { engine?: string })?.engine ?? error.message) : String(error);
  const mapped = registryError(words, `${server}/`);
  if (mapped.code === 'UNAUTHORIZED') {
    return new AppError('UNAUTHORIZED', `${server} refused the user name or password.`, mapped.details);
  }
  return mapped.code === 'ENGINE_ERROR' ? new AppError('ENGINE_ERROR', words, mapped.details) : mapped;
}

/** The stored credentials for the registry a reference names, if any and if this engine may hold them. */
export async function credentialsFor(
  store: CredentialStore,
  reference: string,
  endpoint: Endpoint,
): Promise<RegistryAuth | null> {
  return (await loginsFor(store, endpoint, [registryOf(reference)]))[0] ?? null;
}

/**
 * Whether stored logins may travel to this engine. A socket, a named pipe, ssh (host key checked)
 * or a command main's own finders made reach an engine of the user's; a `tcp` endpoint may be
 * anything listening on that address — the page can add one — so it never gets them.
 */
export function engineMayHoldLogins(endpoint: Endpoint): boolean {
  return endpoint.kind === 'unix' || endpoint.kind === 'npipe' || endpoint.kind === 'ssh' || endpoint.kind === 'command';
}

/** The stored logins for these registries, when the engine may hold them; none otherwise. */
export async function loginsFor(
  store: CredentialStore,
  endpoint: Endpoint,
  registries: readonly string[],
): Promise<RegistryAuth[]> {
  if (!engineMayHoldLogins(endpoint)) return [];
  const found = await Promise.all([...new Set(registries)].map((r) => store.get(r)));
  return found.filter((a): a is RegistryAuth => a !== null);
}
