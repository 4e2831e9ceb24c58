import type { CallArgs, HostKeyTrust } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { pendingConsent, plainLine, type Consent } from '../../consent';
import type { HostKeys } from '../transport/host-keys';
import type { ConnectionManager } from './manager';

/**
 * `connection.trustHostKey`: the page names a connection by key and repeats the fingerprint it
 * was shown. Main looks the host up itself and writes only the key that host showed in its last
 * attempt (host-keys.ts keeps it) — the page cannot make a key up, nor point at another host.
 * Nor can it say yes: a trusted key is where PodDesk then logs in and sends registry logins for
 * builds, so the user agrees through main's own channel (a dialog, or a code in the terminal).
 */
export async function trustHostKey(
  input: CallArgs<'connection.trustHostKey'>,
  deps: {
    connection: Pick<ConnectionManager, 'status' | 'candidates' | 'connect'>;
    hostKeys: Pick<HostKeys, 'trust' | 'expectWaiting'>;
    consent: Consent;
  },
): Promise<HostKeyTrust> {
  const status = deps.connection.status();
  const candidate =
    status.state === 'host-key' && status.candidate.key === input.key
      ? status.candidate
      : (await deps.connection.candidates()).find((c) => c.key === input.key);
  if (!candidate)
    throw new AppError('NOT_FOUND', 'That connection is not among those found now: look again and pick one from the list');
  const endpoint = candidate.endpoint;
  if (endpoint.kind !== 'ssh') throw new AppError('INVALID_INPUT', 'Only ssh connections have host keys');
  deps.hostKeys.expectWaiting(endpoint.host, endpoint.port, input.fingerprint);
  const where = endpoint.port === 22 ? endpoint.host : `${endpoint.host} port ${endpoint.port}`;
  const pending = pendingConsent(
    await deps.consent.ask({
      subject: `host-key:${endpoint.host}:${endpoint.port}:${input.fingerprint}`,
      title: `Trust the ssh host key of ${plainLine(where, 80)}?`,
      intro:
        'PodDesk has not connected to this machine before. Compare this fingerprint with the one the machine’s owner gives you ' +
        '(ssh-keygen -lf on its host key); allow only if they match. PodDesk then adds it to your known_hosts and connects.',
      lines: [`Connection: ${plainLine(candidate.label)}`, `Fingerprint: ${input.fingerprint}`],
      allowLabel: 'Trust and connect',
      ...(input.code !== undefined ? { code: input.code } : {}),
    }),
  );
  if (pending) return pending;
  await deps.hostKeys.trust(endpoint.host, endpoint.port, input.fingerprint);
  return { state: 'trusted', status: await deps.connection.connect() };
}
