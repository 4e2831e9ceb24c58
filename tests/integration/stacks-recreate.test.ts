import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { connectedApp, uniqueName } from '../support/app';
import { podman } from '../support/podman';
import { importStack, launch, ok, steps } from '../support/stacks';

const info = inject('podman');
let app: App;
let image: string;

/**
 * Two things docker compose does to spare the user's data and time, with the real Podman: a
 * service recreated after an edit keeps its anonymous volumes (an image's VOLUME — a database's
 * data), and starting one service starts what it depends on first, as its condition asks.
 */
beforeAll(async () => {
  app = await connectedApp(info);
  // A database-like image: its data folder is a VOLUME, so every container gets an anonymous volume there.
  image = `localhost/pdt/${uniqueName('volimg')}:1`;
  const dir = await mkdtemp(join(tmpdir(), 'pdt-volimg-'));
  await writeFile(join(dir, 'Containerfile'), `FROM ${info.busybox}\nVOLUME /data\n`);
  await podman(info, 'build', '-q', '-t', image, dir);
  await rm(dir, { recursive: true, force: true });
});
afterAll(() => app?.close());

const file = () =>
  [
    'services:',
    '  db:',
    `    image: ${image}`,
    // Healthy two seconds after each start (/dev/shm is new at every start).
    '    command: sh -c "sleep 2; touch /dev/shm/ready; exec sleep 600"',
    '    stop_grace_period: 1s',
    '    environment: {EDITED: "${EDITED:-no}"}',
    '    volumes: [/cache]',
    '    healthcheck: {test: [CMD, test, -f, /dev/shm/ready], interval: 1s, timeout: 2s, retries: 30}',
    '  web:',
    `    image: ${info.busybox}`,
    '    command: sleep 600',
    '    stop_grace_period: 1s',
    '    depends_on:',
    '      db: {condition: service_healthy}',
    '',
  ].join('\n');

const mounts = async (container: string) =>
  (
    JSON.parse(await podman(info, 'inspect', '--format', '{{json .Mounts}}', container)) as {
      Name: string;
      Destination: string;
    }[]
  )
    .map((m) => `${m.Destination}=${m.Name}`)
    .sort();

describe('a stack’s services recreated and started one by one', () => {
  const id = uniqueName('recreate');
  const db = `${id}-db-1`;

  it('keeps the data in the image’s VOLUME and in a `- /cache` when an edit recreates the service', async () => {
    await importStack(app, file(), id);
    expect((await launch(app, { id, services: ['db'] })).error).toBeUndefined();
    await podman(info, 'exec', db, 'sh', '-c', 'echo kept > /data/table && echo warm > /cache/entry');
    const before = await mounts(db);
    const createdBefore = await podman(info, 'inspect', '--format', '{{.Id}}', db);
    expect(before.map((m) => m.split('=')[0])).toEqual(['/cache', '/data']);

    // An ordinary edit: a variable changes the service's environment, so the launch recreates it.
    await ok(app.dispatcher.call('stacks.setVariables', { id, values: { EDITED: 'yes' } }));
    const { events, error } = await launch(app, { id, services: ['db'] });
    expect(error).toBeUndefined();
    expect(steps(events).some((s) => s.startsWith('container:db'))).toBe(true);
    expect(await podman(info, 'inspect', '--format', '{{.Id}}', db)).not.toBe(createdBefore);
    expect(await podman(info, 'exec', db, 'sh', '-c', 'echo $EDITED')).toBe('yes');
    expect(await mounts(db)).toEqual(before);
    expect(await podman(info, 'exec', db, 'sh', '-c', 'cat /data/table /cache/entry')).toBe('kept\nwarm');
  });

  it('starts what a service depends on first when that service is started alone', async () => {
    expect((await launch(app, { id })).error).toBeUndefined();
    await ok(app.dispatcher.call('stacks.stop', { id, timeoutSeconds: 0 }));
    const running = async (c: string) => (await podman(info, 'inspect', '--format', '{{.State.Running}}', c)) === 'true';
    expect(await running(db)).toBe(false);

    await ok(app.dispatcher.call('stacks.start', { id, service: 'web' }));
    expect(await running(db)).toBe(true);
    expect(await running(`${id}-web-1`)).toBe(true);
    // web started only once db was healthy, as its condition asks.
    expect(await podman(info, 'inspect', '--format', '{{.State.Health.Status}}', db)).toBe('healthy');
    const started = async (c: string) => Date.parse(await podman(info, 'inspect', '--format', '{{.State.StartedAt}}', c));
    expect(await started(`${id}-web-1`)).toBeGreaterThanOrEqual(await started(db));
    await ok(app.dispatcher.call('stacks.remove', { id, deleteVolumes: false }));
  });
});
