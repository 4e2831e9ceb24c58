import { lstat } from 'node:fs/promises';
import type { CallArgs, Candidate, Endpoint } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { HostPaths } from '../../host-paths';

export interface AddDeps {
  hostPaths: HostPaths;
  /** Who owns the socket at `path` (not following links); null when there is no socket there. */
  socketOwner(path: string): Promise<number | null>;
  /** This process's user; undefined where there are no uids (Windows). */
  uid?: number;
}

/** lstat: a link to a socket is not a socket, so the check cannot be pointed elsewhere. */
export async function nodeSocketOwner(path: string): Promise<number | null> {
  const info = await lstat(path).catch(() => null);
  return info?.isSocket() ? info.uid : null;
}

/**
 * The endpoint for a connection the user described, built by main from checked fields. The
 * page never hands main an endpoint: it could otherwise name a command to spawn or a key file to
 * read.
 */
export async function endpointToAdd(
  input: CallArgs<'connection.add'>,
  deps: AddDeps,
): Promise<Pick<Candidate, 'endpoint' | 'label'>> {
  switch (input.kind) {
    case 'tcp': {
      const host = input.host.replace(/^\[|\]$/g, '');
      return { endpoint: { kind: 'tcp', host, port: input.port }, label: `tcp://${input.host}:${input.port}` };
    }
    case 'ssh': {
      const host = input.host.replace(/^\[|\]$/g, '');
      // The key file is one the user picked in main's dialog; main reads it, the page never names it.
      const identity = input.identity ? deps.hostPaths.take([input.identity], ['ssh-identity'])[0] : undefined;
      const endpoint: Endpoint = {
        kind: 'ssh',
        host,
        port: input.port,
        username: input.username,
        socketPath: input.socketPath,
        ...(identity ? { identity } : {}),
      };
      return { endpoint, label: `ssh://${input.username}@${input.host}:${input.port}` };
    }
    case 'unix': {
      // A typed socket path is accepted: main only connects to it and speaks HTTP, it never reads,
      // writes or runs the file. But only a socket this user owns: a root-owned one (Docker's
      // /var/run/docker.sock, rootful Podman) would hand the page more than the user's own rights,
      // so those are reachable only when main's finders found them (connection.choose).
      const owner = await deps.socketOwner(input.path);
      if (owner === null) throw new AppError('NOT_FOUND', `There is no socket at ${input.path}`);
      if (deps.uid !== undefined && owner !== deps.uid) {
        throw new AppError(
          'FORBIDDEN',
          `${input.path} belongs to another user. PodDesk connects by hand only to your own sockets; the rootful Podman socket is offered in the list when it exists.`,
        );
      }
      return { endpoint: { kind: 'unix', path: input.path }, label: input.path };
    }
  }
}
