import { AppError } from '../../../shared/errors';

/** Credentials for one registry, as the engine's X-Registry-Auth header carries them. */
export interface RegistryAuth {
  username: string;
  password: string;
  /** The registry's host[:port], e.g. "quay.io" or "127.0.0.1:5000". */
  serveraddress: string;
}

/** X-Registry-Auth: base64url of the JSON credentials (what Docker and Podman both read). */
export function encodeAuth(auth: RegistryAuth): string {
  return Buffer.from(JSON.stringify(auth)).toString('base64url');
}

/** The registry part of a reference ("docker.io" when it has none). */
export function registryOf(reference: string): string {
  const first = reference.split('/')[0]!;
  const hasRegistry = reference.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return hasRegistry ? first : 'docker.io';
}

/**
 * A registry's refusal, as Podman words it mid-stream ("… reading manifest 1 in host/x: manifest
 * unknown: manifest unknown"), turned into a code the UI can act on and a sentence a person can
 * read. The engine's own words stay in `details.engine`.
 */
export function registryError(message: string, reference: string, action: 'pull' | 'push' = 'pull'): AppError {
  const registry = registryOf(reference);
  const details = { engine: message.trim(), reference, registry };
  // Words only: a bare "401" would also match a port such as 127.0.0.1:40129.
  if (/unauthorized|authentication required|denied|forbidden|incorrect username or password/i.test(message)) {
    return new AppError(
      'UNAUTHORIZED',
      `${registry} refused the ${action} of ${reference}: authentication required. Log in to ${registry} (or check the user name and password) and try again.`,
      details,
    );
  }
  if (
    /pinging container registry|connection refused|no such host|i\/o timeout|network is unreachable|dial tcp|TLS handshake|server gave HTTP response to HTTPS client|EOF$/i.test(
      message,
    )
  ) {
    const cause = /connection refused/i.test(message)
      ? 'connection refused'
      : /no such host/i.test(message)
        ? 'unknown host'
        : /timeout/i.test(message)
          ? 'timed out'
          : /HTTP response to HTTPS/i.test(message)
            ? 'it speaks plain HTTP; mark it insecure in registries.conf'
            : 'no answer';
    return new AppError(
      'UNREACHABLE',
      `The registry ${registry} cannot be reached (${cause}). Offline? Images already on this computer still work.`,
      details,
    );
  }
  // After the network errors: an unreachable host reads "no such host", which is no missing image.
  if (/manifest unknown|name unknown|not found|no such|does not exist|repository .* not found/i.test(message)) {
    return new AppError('NOT_FOUND', `${reference} was not found on ${registry}: check the name and the tag.`, details);
  }
  if (/invalid reference format|invalid reference/i.test(message)) {
    return new AppError('INVALID_INPUT', `Not an image reference: ${reference}`, details);
  }
  return new AppError('ENGINE_ERROR', message.trim(), details);
}
