import type { CallArgs, ConnectionStatus } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { HostKeys } from '../transport/host-keys';
import type { ConnectionManager } from './manager';

/**
 * `connection.trustHostKey`: the page names a connection by key and repeats the fingerprint it
 * was shown. Main looks the host up itself and writes only the key that host showed in its last
 * attempt (host-keys.ts keeps it) — the page cannot make a key up, nor point at another host.
 */
export async function trustHostKey(
  input: CallArgs<'connection.trustHostKey'>,
  deps: { connection: Pick<ConnectionManager, 'status' | 'candidates' | 'connect'>; hostKeys: Pick<HostKeys, 'trust'> },
): Promise<ConnectionStatus> {
  const status = deps.connection.status();
  const candidate =
    status.state === 'host-key' && status.candidate.key === input.key
      ? status.candidate
      : (await deps.connection.candidates()).find((c) => c.key === input.key);
  if (!candidate)
    throw new AppError('NOT_FOUND', 'That connection is not among those found now: look again and pick one from the list');
  if (candidate.endpoint.kind !== 'ssh') throw new AppError('INVALID_INPUT', 'Only ssh connections have host keys');
  await deps.hostKeys.trust(candidate.endpoint.host, candidate.endpoint.port, input.fingerprint);
  return deps.connection.connect();
}
