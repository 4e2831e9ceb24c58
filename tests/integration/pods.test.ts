import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { connectedApp, uniqueName } from '../support/app';
import { podman, waitFor } from '../support/podman';
import { freePort } from '../support/registry';

const info = inject('podman');
let app: App;
beforeAll(async () => {
  app = await connectedApp(info);
});
afterAll(() => app.close());

const pod = (name: string) => app.pods.items().find((p) => p.name === name);
const podState = (name: string) => podman(info, 'pod', 'inspect', '--format', '{{.State}}', name);
const podNames = async () => (await podman(info, 'pod', 'ps', '--format', '{{.Name}}')).split('\n');

describe('pods', () => {
  it('creates an empty pod with a published port, and runs a container in it', async () => {
    const name = uniqueName('pod');
    const port = await freePort();
    const created = await app.dispatcher.call('pods.create', {
      name,
      ports: [{ hostIp: '127.0.0.1', hostPort: port, containerPort: 80, protocol: 'tcp' }],
    });
    expect(created).toMatchObject({ ok: true, data: { containers: [] } });
    await waitFor(() => Boolean(pod(name)), 'the pod in the cache');
    const inspect = JSON.parse(await podman(info, 'pod', 'inspect', name));
    const bindings = (Array.isArray(inspect) ? inspect[0] : inspect).InfraConfig.PortBindings;
    expect(bindings['80/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(port) }]);

    const web = uniqueName('web');
    expect(
      await app.dispatcher.call('containers.run', {
        image: info.busybox,
        name: web,
        pod: name,
        command: ['httpd', '-f', '-p', '80', '-h', '/www'],
        stopTimeout: 1,
      }),
    ).toMatchObject({ ok: true });
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/`).catch(() => null))?.ok === true, 'the pod serving');
    await waitFor(
      () => pod(name)?.state === 'running' && pod(name)!.containers.some((c) => c.name === web),
      'the pod running with web',
    );
    // The pods and containers caches follow the same events independently: wait for this one too.
    await waitFor(() => app.containers.items().some((c) => c.name === web), 'web in the containers cache');
    expect(app.containers.items().find((c) => c.name === web)?.pod?.name).toBe(name);

    // Stop, start, restart and remove, each confirmed by podman.
    expect(await app.dispatcher.call('pods.stop', { id: name, timeoutSeconds: 0 })).toEqual({ ok: true });
    expect(await podState(name)).toMatch(/Exited|Stopped/);
    await waitFor(() => pod(name)?.state === 'exited' || pod(name)?.state === 'stopped', 'the stop in the cache');
    expect(await app.dispatcher.call('pods.start', { id: name })).toEqual({ ok: true });
    expect(await podState(name)).toBe('Running');
    expect(await app.dispatcher.call('pods.restart', { id: name })).toEqual({ ok: true });
    expect(await podState(name)).toBe('Running');
    const refused = await app.dispatcher.call('pods.remove', { id: name });
    expect(refused).toMatchObject({ ok: false });
    expect(await podNames()).toContain(name);
    expect(await app.dispatcher.call('pods.remove', { id: name, force: true })).toEqual({ ok: true });
    expect(await podNames()).not.toContain(name);
    await waitFor(() => !pod(name), 'the removal in the cache');
  });

  it('turns degraded when one member stops, from container events alone', async () => {
    const name = uniqueName('degraded');
    await podman(info, 'pod', 'create', '--name', name);
    for (const member of ['a', 'b'])
      await podman(
        info,
        'run',
        '-d',
        '--pod',
        name,
        '--name',
        `${name}-${member}`,
        '--stop-timeout',
        '1',
        info.busybox,
        'sleep',
        '300',
      );
    await waitFor(() => pod(name)?.state === 'running', 'running');
    await podman(info, 'stop', '-t', '0', `${name}-b`);
    await waitFor(() => pod(name)?.state === 'degraded', 'degraded in the cache');
    await podman(info, 'pod', 'rm', '-f', '-t', '0', name);
  });

  it('makes a pod from a container’s settings: a copy inside, the original stopped and kept', async () => {
    const original = uniqueName('orig');
    const port = await freePort();
    await podman(
      info,
      'run',
      '-d',
      '--name',
      original,
      '--stop-timeout',
      '1',
      '-e',
      'MODE=copy',
      '-p',
      `127.0.0.1:${port}:80`,
      info.busybox,
      'httpd',
      '-f',
      '-p',
      '80',
      '-h',
      '/www',
    );
    const name = uniqueName('frompod');
    const created = await app.dispatcher.call('pods.create', {
      name,
      ports: [{ hostIp: '127.0.0.1', hostPort: port, containerPort: 80 }],
      containers: [original],
    });
    expect(created).toMatchObject({ ok: true });
    const copy = `${original}-${name}`;
    expect(await podman(info, 'inspect', '--format', '{{.State.Status}}', original)).toMatch(/exited|stopped/);
    expect(await podman(info, 'inspect', '--format', '{{.State.Status}} {{.Pod}}', copy)).toMatch(/^running [a-f0-9]{64}$/);
    expect(await podman(info, 'exec', copy, 'sh', '-c', 'echo $MODE')).toBe('copy');
    await waitFor(
      async () => (await fetch(`http://127.0.0.1:${port}/`).catch(() => null))?.ok === true,
      'the copy serving in the pod',
    );
    await podman(info, 'pod', 'rm', '-f', '-t', '0', name);
    await podman(info, 'rm', '-f', original);
  });

  it('refuses a name in use and a port in use, and leaves nothing behind', async () => {
    const name = uniqueName('dup');
    await podman(info, 'pod', 'create', '--name', name);
    const before = await podNames();
    const dup = await app.dispatcher.call('pods.create', { name });
    expect(dup).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

    const holder = uniqueName('holder');
    const port = await freePort();
    await podman(info, 'run', '-d', '--name', holder, '-p', `${port}:80`, info.busybox, 'sleep', '300');
    const clash = uniqueName('clash');
    const refused = await app.dispatcher.call('pods.create', { name: clash, ports: [{ hostPort: port, containerPort: 80 }] });
    expect(refused).toMatchObject({ ok: false });
    expect(await podNames()).toEqual(before);
    expect(await app.dispatcher.call('pods.create', { name: 'bad name' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    await podman(info, 'rm', '-f', '-t', '0', holder);
    await podman(info, 'pod', 'rm', '-f', name);
  });
});
