import { describe, expect, it } from 'vitest';
import { createHostPaths } from '../../../src/main/host-paths';
import { endpointToAdd, type AddDeps } from '../../../src/main/podman/connection/add';
import { connectionAddInput } from '../../../src/shared/contract';

function deps(sockets: Record<string, number> = {}): AddDeps {
  return { hostPaths: createHostPaths(), socketOwner: async (path) => sockets[path] ?? null, uid: 1000 };
}
const parse = (input: unknown) => connectionAddInput.parse(input);

describe('adding a connection by hand', () => {
  it('builds a TCP endpoint from a host and a port', async () => {
    expect(await endpointToAdd(parse({ kind: 'tcp', host: '192.168.1.20', port: 8888 }), deps())).toEqual({
      endpoint: { kind: 'tcp', host: '192.168.1.20', port: 8888 },
      label: 'tcp://192.168.1.20:8888',
    });
  });

  it('builds an ssh endpoint; the key file only by the handle of main’s dialog', async () => {
    const d = deps();
    const key = d.hostPaths.issue('/home/me/.ssh/id_ed25519', 'ssh-identity');
    const added = await endpointToAdd(
      parse({
        kind: 'ssh',
        host: 'build.example.org',
        username: 'me',
        socketPath: '/run/user/1000/podman/podman.sock',
        identity: key.handle,
      }),
      d,
    );
    expect(added.endpoint).toEqual({
      kind: 'ssh',
      host: 'build.example.org',
      port: 22,
      username: 'me',
      socketPath: '/run/user/1000/podman/podman.sock',
      identity: '/home/me/.ssh/id_ed25519',
    });
    // A dropped file or a folder chosen for a build is no key.
    const dropped = d.hostPaths.issue('/etc/shadow', 'drop');
    await expect(
      endpointToAdd(parse({ kind: 'ssh', host: 'h', username: 'me', socketPath: '/s.sock', identity: dropped.handle }), d),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('refuses a key file named by path, and any command', () => {
    expect(
      connectionAddInput.safeParse({ kind: 'ssh', host: 'h', username: 'me', socketPath: '/s.sock', identity: '/etc/shadow' })
        .success,
    ).toBe(false);
    expect(connectionAddInput.safeParse({ kind: 'command', argv: ['/bin/sh', '-c', 'id'] }).success).toBe(false);
    expect(connectionAddInput.safeParse({ kind: 'npipe', path: '//./pipe/x' }).success).toBe(false);
    for (const host of ['-oProxyCommand=id', 'a b', '', 'x'.repeat(300), 'host;id']) {
      expect(connectionAddInput.safeParse({ kind: 'tcp', host, port: 1 }).success, host).toBe(false);
    }
  });

  it('connects by hand only to a socket of this user', async () => {
    const d = deps({ '/run/user/1000/podman/podman.sock': 1000, '/var/run/docker.sock': 0 });
    expect(await endpointToAdd(parse({ kind: 'unix', path: '/run/user/1000/podman/podman.sock' }), d)).toMatchObject({
      endpoint: { kind: 'unix', path: '/run/user/1000/podman/podman.sock' },
    });
    await expect(endpointToAdd(parse({ kind: 'unix', path: '/var/run/docker.sock' }), d)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(endpointToAdd(parse({ kind: 'unix', path: '/home/me/.bashrc' }), d)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(connectionAddInput.safeParse({ kind: 'unix', path: 'relative.sock' }).success).toBe(false);
  });
});
