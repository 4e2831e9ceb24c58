import net from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { connectedApp, uniqueName } from '../support/app';
import { podman, waitFor } from '../support/podman';
import { freePort } from '../support/registry';

const info = inject('podman');
let app: App;
let hostDir: string;
beforeAll(async () => {
  app = await connectedApp(info);
  hostDir = await mkdtemp(join(tmpdir(), 'pdt-run-'));
  await writeFile(join(hostDir, 'hello.txt'), 'from the host\n');
});
afterAll(async () => {
  await app.close();
  await rm(hostDir, { recursive: true, force: true });
});

const names = async () => (await podman(info, 'ps', '-a', '--format', '{{.Names}}')).split('\n');
const inspect = async (name: string) => JSON.parse(await podman(info, 'container', 'inspect', name))[0];

describe('running a container from the form', () => {
  it('creates exactly what the form says, as podman inspect shows', async () => {
    const name = uniqueName('run');
    const port = await freePort();
    const volume = uniqueName('vol');
    const network = uniqueName('net');
    await podman(info, 'network', 'create', network);
    const result = await app.dispatcher.call('containers.run', {
      image: info.busybox,
      name,
      command: ['httpd', '-f', '-p', '8080', '-h', '/www'],
      ports: [{ hostIp: '127.0.0.1', hostPort: port, containerPort: 8080, protocol: 'tcp' }],
      env: [
        { key: 'GREETING', value: 'hello world' },
        { key: 'EMPTY', value: '' },
      ],
      volumes: [
        { source: volume, target: '/data' },
        // A folder of this computer: chosen in main's dialog, named by its handle.
        { folder: app.hostPaths.issue(hostDir, 'bind-mount').handle, target: '/host', readOnly: true },
      ],
      network,
      restartPolicy: 'on-failure',
      restartRetries: 3,
      labels: { team: 'blue' },
    });
    expect(result).toMatchObject({ ok: true, data: { name, warnings: [] } });
    const c = await inspect(name);
    expect(c.State.Status).toBe('running');
    expect(c.Config.Cmd).toEqual(['httpd', '-f', '-p', '8080', '-h', '/www']);
    expect(c.Config.Env).toEqual(expect.arrayContaining(['GREETING=hello world', 'EMPTY=']));
    expect(c.Config.Labels.team).toBe('blue');
    expect(c.HostConfig.PortBindings['8080/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(port) }]);
    expect(c.HostConfig.RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 3 });
    expect(Object.keys(c.NetworkSettings.Networks)).toEqual([network]);
    const mounts = Object.fromEntries(c.Mounts.map((m: { Destination: string }) => [m.Destination, m]));
    expect(mounts['/data']).toMatchObject({ Type: 'volume', Name: volume, RW: true });
    expect(mounts['/host']).toMatchObject({ Type: 'bind', Source: hostDir, RW: false });
    // And it serves on the published port.
    await waitFor(async () => {
      const response = await fetch(`http://127.0.0.1:${port}/`).catch(() => null);
      return response?.ok === true && (await response.text()).includes('hello from busybox');
    }, 'httpd on the published port');
    expect(await podman(info, 'exec', name, 'cat', '/host/hello.txt')).toBe('from the host');
    await podman(info, 'rm', '-f', '-t', '0', name);
    await podman(info, 'volume', 'rm', volume);
    await podman(info, 'network', 'rm', network);
  });

  it('creates without starting, and removes itself when asked to', async () => {
    const name = uniqueName('created');
    expect(await app.dispatcher.call('containers.run', { image: info.busybox, name, start: false })).toMatchObject({ ok: true });
    expect((await inspect(name)).State.Status).toBe('created');
    await podman(info, 'rm', name);
    const gone = uniqueName('autorm');
    expect(
      await app.dispatcher.call('containers.run', { image: info.busybox, name: gone, command: ['true'], autoRemove: true }),
    ).toMatchObject({ ok: true });
    await waitFor(async () => !(await names()).includes(gone), 'the container to remove itself');
  });

  it('refuses a name that exists, and creates nothing', async () => {
    const name = uniqueName('taken');
    await podman(info, 'create', '--name', name, info.busybox);
    await waitFor(() => app.containers.items().some((c) => c.name === name), 'the cache');
    const before = (await names()).length;
    const result = await app.dispatcher.call('containers.run', { image: info.busybox, name });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: `A container named ${name} already exists`, details: [{ path: 'name' }] },
    });
    expect((await names()).length).toBe(before);
    await podman(info, 'rm', name);
  });

  it('refuses invalid ports and a host port in use, field by field, and creates nothing', async () => {
    const before = (await names()).length;
    const invalid = await app.dispatcher.call('containers.run', {
      image: info.busybox,
      ports: [{ hostPort: 70000, containerPort: 80 }],
    });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: [{ path: 'ports.0.hostPort' }] } });

    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const busy = (server.address() as net.AddressInfo).port;
    const folder = app.hostPaths.issue(hostDir, 'bind-mount').handle;
    const name = uniqueName('porttaken');
    const taken = await app.dispatcher.call('containers.run', {
      image: info.busybox,
      name,
      ports: [{ hostPort: busy, containerPort: 80 }],
      volumes: [{ folder, target: '/host' }],
    });
    server.close();
    expect(taken).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: `Port ${busy} is in use by another program on this computer` },
    });
    expect((taken as { error: { details: { path: string }[] } }).error.details[0]!.path).toBe('ports.0.hostPort');
    expect((await names()).length).toBe(before);
    // The refused run kept its folder: sent again with a free port, it runs — and then the handle is used up.
    const again = {
      image: info.busybox,
      name,
      ports: [{ hostPort: await freePort(), containerPort: 80 }],
      volumes: [{ folder, target: '/host' }],
      start: false,
    };
    expect(await app.dispatcher.call('containers.run', again)).toMatchObject({ ok: true });
    expect(await app.dispatcher.call('containers.run', { ...again, name: uniqueName('again') })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    await podman(info, 'rm', name);
  });

  it('checks a port held by a container, and says which', async () => {
    const holder = uniqueName('holder');
    const port = await freePort();
    await podman(info, 'run', '-d', '--name', holder, '-p', `${port}:80`, info.busybox, 'sleep', '300');
    await waitFor(() => app.containers.items().some((c) => c.name === holder && c.state === 'running'), 'the holder running');
    expect(await app.dispatcher.call('containers.checkPort', { hostPort: port })).toEqual({
      ok: true,
      data: { free: false, usedBy: `container ${holder} (${port}→80/tcp)` },
    });
    expect(await app.dispatcher.call('containers.checkPort', { hostPort: await freePort() })).toEqual({
      ok: true,
      data: { free: true },
    });
    await podman(info, 'rm', '-f', '-t', '0', holder);
  });

  it('refuses an image reference with illegal characters before the engine sees it', async () => {
    const before = app.connection.engine().recent.length;
    const result = await app.dispatcher.call('containers.run', { image: 'busy box;rm -rf /' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(app.connection.engine().recent.length).toBe(before);
  });

  it('shows the engine’s own words when it refuses, and leaves nothing behind when start fails', async () => {
    const missing = await app.dispatcher.call('containers.run', {
      image: 'localhost/pdt/not-here:1',
      name: uniqueName('missing'),
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((missing as { error: { message: string } }).error.message).toMatch(/not-here:1: image not known/);

    const name = uniqueName('nostart');
    const failed = await app.dispatcher.call('containers.run', { image: info.busybox, name, command: ['/no/such/binary'] });
    expect(failed).toMatchObject({ ok: false });
    expect((failed as { error: { message: string } }).error.message).toMatch(/no such file or directory|not found/i);
    expect(await names()).not.toContain(name);

    // An image that declares a VOLUME: the anonymous volume made for the failed run goes too.
    const withVolume = `localhost/pdt/${uniqueName('with-volume')}:1`;
    const source = uniqueName('volsrc');
    await podman(info, 'create', '--name', source, info.busybox, 'true');
    await podman(info, 'commit', '--change', 'VOLUME /data', source, withVolume);
    await podman(info, 'rm', source);
    const volumes = async () => (await podman(info, 'volume', 'ls', '--format', '{{.Name}}')).split('\n').filter(Boolean);
    const before = await volumes();
    const again = uniqueName('nostart-vol');
    expect(
      await app.dispatcher.call('containers.run', { image: withVolume, name: again, command: ['/no/such/binary'] }),
    ).toMatchObject({
      ok: false,
    });
    expect(await names()).not.toContain(again);
    expect(await volumes()).toEqual(before);
    await podman(info, 'rmi', withVolume);
  });
});
