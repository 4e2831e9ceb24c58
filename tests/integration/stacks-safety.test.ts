import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import type { RemoveResult, StackSummary } from '../../src/shared/contract';
import { connectedApp, uniqueName } from '../support/app';
import { podman, waitFor } from '../support/podman';
import { freePort } from '../support/registry';
import { importStack, launch, ok, steps } from '../support/stacks';

const info = inject('podman');
let app: App;

beforeAll(async () => {
  app = await connectedApp(info);
});
afterAll(() => app?.close());

const label = (project: string) => `label=com.docker.compose.project=${project}`;
const containers = async (project: string) =>
  (await podman(info, 'ps', '-a', '--filter', label(project), '--format', '{{.Names}}')).split('\n').filter(Boolean).sort();
const networks = async (project: string) =>
  (await podman(info, 'network', 'ls', '--filter', label(project), '--format', '{{.Name}}')).split('\n').filter(Boolean);
const volumeExists = (name: string) =>
  podman(info, 'volume', 'exists', name).then(
    () => true,
    () => false,
  );
const summary = async (id: string) =>
  (await ok<StackSummary[]>(app.dispatcher.call('stacks.list', undefined))).find((s) => s.id === id);

/** busybox as PID 1 ignores SIGTERM: these stacks stop at once. */
const quick = 'stop_grace_period: 0s';

describe('stacks keep the user’s data', () => {
  it('keeps a volume’s data through remove and relaunch; deletes it only when the name is typed', async () => {
    const id = uniqueName('data');
    await importStack(
      app,
      `services:\n  box:\n    image: ${info.busybox}\n    command: sleep 600\n    ${quick}\n    volumes: [notes:/data, /cache]\nvolumes:\n  notes:\n`,
      id,
    );
    expect((await launch(app, { id })).error).toBeUndefined();
    const anonymous = () =>
      podman(
        info,
        'inspect',
        `${id}-box-1`,
        '--format',
        '{{range .Mounts}}{{if eq .Destination "/cache"}}{{.Name}}{{end}}{{end}}',
      );
    const firstCache = await anonymous();
    expect(firstCache).toMatch(/^[0-9a-f]{64}$/);
    await podman(info, 'exec', `${id}-box-1`, 'sh', '-c', 'echo "my precious notes" > /data/notes.txt');

    const removed = await ok<RemoveResult>(app.dispatcher.call('stacks.remove', { id }));
    expect(removed).toEqual({
      containers: [`${id}-box-1`],
      networks: [`${id}_default`],
      volumesRemoved: [],
      volumesKept: [`${id}_notes`],
    });
    expect(await containers(id)).toEqual([]);
    expect(await networks(id)).toEqual([]);
    expect(await volumeExists(`${id}_notes`)).toBe(true);
    expect(await volumeExists(firstCache)).toBe(true);
    await podman(info, 'volume', 'rm', firstCache);

    expect((await launch(app, { id })).error).toBeUndefined();
    expect(await podman(info, 'exec', `${id}-box-1`, 'cat', '/data/notes.txt')).toBe('my precious notes');

    // Deleting data needs the stack's name typed back; a wrong one deletes nothing at all.
    const refused = await app.dispatcher.call('stacks.remove', { id, deleteVolumes: true, confirmName: 'yes' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining(id) } });
    expect(await containers(id)).toEqual([`${id}-box-1`]);
    const missing = await app.dispatcher.call('stacks.remove', { id, deleteVolumes: true });
    expect(missing).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

    const secondCache = await anonymous();
    const gone = await ok<RemoveResult>(app.dispatcher.call('stacks.remove', { id, deleteVolumes: true, confirmName: id }));
    expect(gone.volumesRemoved).toEqual([`${id}_notes`]);
    expect(await volumeExists(`${id}_notes`)).toBe(false);
    // The container's anonymous volume goes with it, as `compose down -v` does.
    expect(await volumeExists(secondCache)).toBe(false);
  });
});

describe('refusing before anything is created', () => {
  let server: Server;
  let busyPort: number;
  beforeAll(async () => {
    busyPort = await freePort();
    server = createServer();
    await new Promise<void>((resolve) => server.listen(busyPort, '0.0.0.0', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const nothingCreated = async (id: string) => {
    expect(await containers(id)).toEqual([]);
    expect(await networks(id)).toEqual([]);
    expect(await volumeExists(`${id}_data`)).toBe(false);
  };
  const twoServices = (port: number) =>
    `services:\n  a:\n    image: ${info.busybox}\n    command: sleep 600\n    ${quick}\n    volumes: [data:/data]\n  b:\n    image: ${info.busybox}\n    command: httpd -f -p 80 -h /www\n    ${quick}\n    ports: ["${port}:80"]\nvolumes:\n  data:\n`;

  it('a host port another program holds', async () => {
    const id = uniqueName('port');
    await importStack(app, twoServices(busyPort), id);
    const { error, events } = await launch(app, { id });
    expect(error).toMatchObject({ code: 'CONFLICT' });
    expect(error!.message).toBe(
      `Nothing was created: Host port ${busyPort} (service "b") is already in use by another program on this computer. Stop that, or choose another port in the Variables.`,
    );
    expect(steps(events)).toEqual([]);
    await nothingCreated(id);
  });

  it('a host port another stack’s container holds, named in the message', async () => {
    const port = await freePort();
    const holder = uniqueName('holder');
    await podman(
      info,
      'run',
      '-d',
      '--name',
      holder,
      '--label',
      'com.docker.compose.project=other',
      '-p',
      `${port}:80`,
      info.busybox,
      'httpd',
      '-f',
      '-p',
      '80',
    );
    const id = uniqueName('port');
    await importStack(app, twoServices(port), id);
    const { error } = await launch(app, { id });
    expect(error?.message).toContain(`is already in use by container "${holder}" (stack "other")`);
    await nothingCreated(id);
    await podman(info, 'rm', '-f', '-t', '0', holder);
  });

  it('an image that cannot be had', async () => {
    const id = uniqueName('img');
    const closed = await freePort();
    await importStack(
      app,
      `services:\n  a:\n    image: ${info.busybox}\n    volumes: [data:/data]\n  b:\n    image: 127.0.0.1:${closed}/nobody/nothing:1\nvolumes:\n  data:\n`,
      id,
    );
    const { error, events } = await launch(app, { id });
    expect(error).toMatchObject({ code: 'UNREACHABLE' });
    expect(error!.message).toMatch(new RegExp(`^Nothing was created: .*127\\.0\\.0\\.1:${closed}`));
    expect(steps(events)).toEqual([
      `image:127.0.0.1:${closed}/nobody/nothing:1 running`,
      `image:127.0.0.1:${closed}/nobody/nothing:1 failed`,
    ]);
    await nothingCreated(id);
  });

  it('a build context that does not exist, and a file with errors', async () => {
    const id = uniqueName('ctx');
    await importStack(app, `services:\n  a:\n    build: ./not-here\n    volumes: [data:/data]\nvolumes:\n  data:\n`, id);
    const { error } = await launch(app, { id });
    expect(error).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/Service "a" cannot be built: its build context .*not-here is not a folder/),
    });
    await nothingCreated(id);

    const bad = uniqueName('bad');
    await importStack(app, `services:\n  a:\n    image: x\n    ports: ["99999:80"]\n`, bad);
    expect((await summary(bad))?.invalid).toBe('Line 4: services.a.ports.0: host port 99999 is out of range (1–65535)');
    const refused = await launch(app, { id: bad });
    expect(refused.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('line 4, column 13') });
  });
});

describe('dependencies and failures', () => {
  it('waits for a healthcheck-gated dependency to be healthy before starting what needs it', async () => {
    const id = uniqueName('gate');
    // The check passes only once /tmp/ready exists, three seconds after start.
    await importStack(
      app,
      [
        'services:',
        '  db:',
        `    image: ${info.busybox}`,
        '    command: sh -c "sleep 3; touch /tmp/ready; exec sleep 600"',
        `    ${quick}`,
        '    healthcheck: {test: [CMD, test, -f, /tmp/ready], interval: 1s, timeout: 2s, retries: 10, start_interval: 250ms}',
        '  app:',
        `    image: ${info.busybox}`,
        '    command: sleep 600',
        `    ${quick}`,
        '    depends_on:',
        '      db: {condition: service_healthy}',
        '',
      ].join('\n'),
      id,
    );
    const { error, events } = await launch(app, { id });
    expect(error).toBeUndefined();
    const order = steps(events);
    expect(order.indexOf('health:db done')).toBeLessThan(order.indexOf('container:app running'));

    const health = JSON.parse(await podman(info, 'inspect', '--format', '{{json .State.Health}}', `${id}-db-1`)) as {
      Status: string;
      Log: { Start: string; ExitCode: number }[];
    };
    expect(health.Status).toBe('healthy');
    const firstPass = health.Log.find((l) => l.ExitCode === 0)!;
    expect(health.Log.some((l) => l.ExitCode !== 0)).toBe(true);
    const appCreated = await podman(info, 'inspect', '--format', '{{.Created}}', `${id}-app-1`);
    expect(Date.parse(appCreated.replace(/ \+0000 UTC.*$/, 'Z').replace(' ', 'T'))).toBeGreaterThanOrEqual(
      Date.parse(firstPass.Start) - 1,
    );
    await ok(app.dispatcher.call('stacks.remove', { id, deleteVolumes: false }));
  });

  it('leaves a clear state when a service fails midway, and a relaunch completes the stack', async () => {
    const id = uniqueName('retry');
    await importStack(
      app,
      [
        'services:',
        '  base:',
        `    image: ${info.busybox}`,
        '    command: sleep 600',
        `    ${quick}`,
        '  broken:',
        `    image: ${info.busybox}`,
        `    command: '\${BROKEN_COMMAND:-sh -c "echo cannot start: missing config >&2; exit 3"}'`,
        `    ${quick}`,
        '    depends_on: [base]',
        '  top:',
        `    image: ${info.busybox}`,
        '    command: sleep 600',
        `    ${quick}`,
        '    depends_on:',
        '      broken: {condition: service_healthy}',
        '',
      ].join('\n'),
      id,
    );
    const first = await launch(app, { id });
    expect(first.error).toMatchObject({ code: 'ENGINE_ERROR' });
    expect(first.error!.message).toBe('Service "broken" stopped (exit code 3). Its last lines:\ncannot start: missing config');
    expect(steps(first.events)).toContain('health:broken failed');
    expect(await containers(id)).toEqual([`${id}-base-1`, `${id}-broken-1`]);
    await waitFor(async () => (await summary(id))?.status === 'partial', 'the stack to show as partly running');
    const baseId = await podman(info, 'inspect', '--format', '{{.Id}}', `${id}-base-1`);

    await ok(app.dispatcher.call('stacks.setVariables', { id, values: { BROKEN_COMMAND: 'sleep 600' } }));
    const plan = await ok<{ services: { name: string; action: string }[] }>(app.dispatcher.call('stacks.plan', { id }));
    expect(plan.services.map((s) => [s.name, s.action])).toEqual([
      ['base', 'keep'],
      ['broken', 'recreate'],
      ['top', 'create'],
    ]);
    const second = await launch(app, { id });
    expect(second.error).toBeUndefined();
    expect(await containers(id)).toEqual([`${id}-base-1`, `${id}-broken-1`, `${id}-top-1`]);
    expect(await podman(info, 'inspect', '--format', '{{.Id}}', `${id}-base-1`)).toBe(baseId);
    await waitFor(async () => (await summary(id))?.status === 'running', 'the stack to run');
    await ok(app.dispatcher.call('stacks.remove', { id }));
  });

  it('refuses a second launch of the same stack while one runs', async () => {
    const id = uniqueName('twice');
    await importStack(
      app,
      `services:\n  a:\n    image: ${info.busybox}\n    command: sh -c "sleep 2; touch /tmp/ok; exec sleep 600"\n    ${quick}\n    healthcheck: {test: [CMD, test, -f, /tmp/ok], interval: 1s, retries: 10}\n`,
      id,
    );
    const first = launch(app, { id });
    await waitFor(async () => (await summary(id))?.launching === true, 'the launch to start');
    const second = await launch(app, { id });
    expect(second.error).toMatchObject({ code: 'CONFLICT', message: 'This stack is being launched already' });
    expect((await first).error).toBeUndefined();
    expect((await summary(id))?.launching).toBe(false);
    await ok(app.dispatcher.call('stacks.remove', { id }));
  });
});
