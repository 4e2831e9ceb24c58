import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { connectedApp, uniqueName } from '../support/app';
import { podman } from '../support/podman';
import { importStack, launch, ok } from '../support/stacks';

/**
 * docker compose carries a recreated container's anonymous volumes over to its successor: a
 * database image's VOLUME keeps its data when the service's environment is edited.
 */
const info = inject('podman');
let app: App;
let dir: string;
const image = `localhost/poddesk-test/with-volume:${process.pid}`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pdt-anon-'));
  // A Postgres-like image: its data folder is a VOLUME.
  await writeFile(join(dir, 'Containerfile'), `FROM ${info.busybox}\nVOLUME /var/lib/db\n`);
  await podman(info, 'build', '-t', image, dir);
  app = await connectedApp(info);
});
afterAll(async () => {
  await app?.close();
  await podman(info, 'rmi', '--force', image).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

it('keeps an image VOLUME’s and a `- /path` volume’s data when an edit recreates the service', async () => {
  const project = uniqueName('anon');
  const c = `${project}-db-1`;
  const yaml = (level: string) =>
    `services:\n  db:\n    image: ${image}\n    command: sleep 600\n    stop_grace_period: 0s\n    environment: {LEVEL: "${level}"}\n    volumes: [/scratch]\n`;
  await importStack(app, yaml('1'), project);
  expect((await launch(app, { id: project })).error).toBeUndefined();
  await podman(info, 'exec', c, 'sh', '-c', 'echo rows > /var/lib/db/table && echo tmp > /scratch/file');
  const before = await podman(info, 'inspect', '--format', '{{.Id}}', c);

  await ok(app.dispatcher.call('stacks.save', { id: project, yaml: yaml('2') }));
  expect((await launch(app, { id: project })).error).toBeUndefined();
  expect(await podman(info, 'inspect', '--format', '{{.Id}}', c)).not.toBe(before);
  expect(await podman(info, 'exec', c, 'sh', '-c', 'echo $LEVEL; cat /var/lib/db/table /scratch/file')).toBe('2\nrows\ntmp');

  // "Delete data" still removes them, as `compose down -v` does.
  const volumes = (await podman(info, 'inspect', '--format', '{{range .Mounts}}{{.Name}} {{end}}', c)).split(' ').filter(Boolean);
  expect(volumes).toHaveLength(2);
  await ok(app.dispatcher.call('stacks.remove', { id: project, deleteVolumes: true, confirmName: project }));
  const left = (await podman(info, 'volume', 'ls', '--format', '{{.Name}}')).split('\n');
  for (const v of volumes) expect(left).not.toContain(v);
});
