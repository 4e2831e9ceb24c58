import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import type { StackDetail, StackSummary } from '../../src/shared/contract';
import { connectedApp, uniqueName } from '../support/app';
import { fakeHostFiles, type FakeHostFiles } from '../support/host-files';
import { podman, waitFor } from '../support/podman';
import { freePort } from '../support/registry';
import { confirmHostAccess, launch, ok, steps } from '../support/stacks';

/**
 * The Compose keys a learner's own file uses, through a real engine: a file opened from disk
 * (relative build context, bind mount, env_file and .env beside it), a Dockerfile of another
 * name with build args, an entrypoint, a read-only bind mount, a network alias, an init job
 * gated by service_completed_successfully, and restarting one service or the whole stack.
 */
const info = inject('podman');
let app: App;
let files: FakeHostFiles;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pdt-compose-'));
  files = fakeHostFiles(dir);
  app = await connectedApp(info, { hostFiles: files });
});
afterAll(async () => {
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

const inspect = (container: string, format: string) => podman(info, 'inspect', '--format', format, container);
const summary = async (id: string) =>
  (await ok<StackSummary[]>(app.dispatcher.call('stacks.list', undefined))).find((s) => s.id === id);

describe('a Compose file opened from disk', () => {
  const project = uniqueName('feat');
  const c = (service: string) => `${project}-${service}-1`;
  let port: number;

  it('launches with its relative paths, build, env files, aliases and an init job', async () => {
    port = await freePort();
    const folder = join(dir, 'my-app');
    await mkdir(join(folder, 'app', 'www'), { recursive: true });
    await mkdir(join(folder, 'site'), { recursive: true });
    await writeFile(
      join(folder, 'app', 'Dockerfile.dev'),
      [
        `FROM ${info.busybox}`,
        'ARG GREETING=unset',
        'RUN echo "$GREETING" > /greeting',
        'COPY www /www',
        'COPY entry.sh /entry.sh',
        'RUN chmod +x /entry.sh',
        'STOPSIGNAL SIGKILL',
        '',
      ].join('\n'),
    );
    await writeFile(join(folder, 'app', 'www', 'index.html'), 'built here');
    await writeFile(join(folder, 'app', 'entry.sh'), '#!/bin/sh\necho "entry $MODE $SECRET"\nexec "$@"\n');
    await writeFile(join(folder, 'site', 'page.txt'), 'from the bind mount');
    await writeFile(join(folder, 'app.env'), 'SECRET=from-env-file\n');
    await writeFile(join(folder, '.env'), `WEB_PORT=${port}\n`);
    await writeFile(
      join(folder, 'compose.yaml'),
      `services:
  init:
    image: ${info.busybox}
    command: ["sh", "-c", "echo ready > /shared/flag"]
    volumes: [shared:/shared]
  web:
    build:
      context: ./app
      dockerfile: Dockerfile.dev
      args:
        GREETING: hello-arg
    image: localhost/poddesk-test/${project}-web:latest
    entrypoint: ["/entry.sh"]
    command: httpd -f -p 80 -h /www
    environment:
      MODE: \${MODE:-dev}
    env_file: [app.env]
    ports: ["\${WEB_PORT:?}:80"]
    volumes:
      - ./site:/site:ro
      - shared:/shared
    networks:
      back:
        aliases: [api]
    depends_on:
      init:
        condition: service_completed_successfully
    restart: unless-stopped
    stop_grace_period: 0s
  client:
    image: ${info.busybox}
    command: sleep 600
    networks: [back]
    depends_on: [web]
    stop_grace_period: 0s
networks:
  back: {}
volumes:
  shared: {}
`,
    );
    files.nextOpen.push([join(folder, 'compose.yaml')]);
    const detail = await ok<StackDetail>(app.dispatcher.call('stacks.importFromHost', { name: project }));
    expect(detail).toMatchObject({ id: project, source: 'user', workingDir: folder });
    expect(detail.issues.filter((i) => i.severity === 'error')).toEqual([]);

    // The bind mount is a folder of this computer: the first launch waits for a confirmation.
    const refused = await launch(app, { id: project });
    expect(refused.error).toMatchObject({ code: 'NEEDS_CONFIRMATION' });
    expect(steps(refused.events)).toEqual([]);
    const confirmed = await confirmHostAccess(app, project);
    // Its env file and build folder are inside the stack's folder: part of the stack, not listed.
    expect(confirmed.items.map((i) => [i.kind, i.subject, i.target, i.access, i.services])).toEqual([
      ['mount', join(folder, 'site'), '/site', 'read-only', ['web']],
    ]);

    const { events, error } = await launch(app, { id: project });
    expect(error).toBeUndefined();
    const order = steps(events);
    expect(order.indexOf('health:init done')).toBeLessThan(order.indexOf('container:web running'));

    // Built from Dockerfile.dev with the arg; the entrypoint wraps the command.
    expect(await podman(info, 'exec', c('web'), 'cat', '/greeting')).toBe('hello-arg');
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('built here');
    expect(await inspect(c('web'), '{{.Config.Entrypoint}}')).toBe('/entry.sh');
    expect(await podman(info, 'logs', c('web'))).toMatch(/entry dev from-env-file/);
    // The bind mount is there, read-only; the init job's file is in the shared volume.
    expect(await podman(info, 'exec', c('web'), 'cat', '/site/page.txt')).toBe('from the bind mount');
    await expect(podman(info, 'exec', c('web'), 'touch', '/site/new')).rejects.toThrow(/Read-only/i);
    expect(await podman(info, 'exec', c('web'), 'cat', '/shared/flag')).toBe('ready');
    expect(await inspect(c('web'), '{{.HostConfig.RestartPolicy.Name}}')).toBe('unless-stopped');
    // Another service reaches it by its alias on the stack's own network.
    expect(await podman(info, 'exec', c('client'), 'wget', '-qO-', 'http://api/')).toBe('built here');
    expect(await podman(info, 'exec', c('client'), 'wget', '-qO-', 'http://web/')).toBe('built here');
    await waitFor(async () => (await summary(project))?.status === 'running', 'the stack to show as running');

    // The finished init job counts as done: launching again changes nothing.
    const again = await launch(app, { id: project });
    expect(again.error).toBeUndefined();
    expect(again.events.at(-1)).toMatchObject({ type: 'done', nothingToDo: true });
  });

  it('restarts one service, then the whole stack, leaving a finished init job finished unless started by name', async () => {
    const started = async (name: string) => inspect(name, '{{.State.StartedAt}}');
    const web = await started(c('web'));
    const client = await started(c('client'));
    await ok(app.dispatcher.call('stacks.restart', { id: project, service: 'web' }));
    expect(await started(c('web'))).not.toBe(web);
    expect(await started(c('client'))).toBe(client);
    expect(await inspect(c('web'), '{{.State.Status}}')).toBe('running');

    const web2 = await started(c('web'));
    const init = await started(c('init'));
    await ok(app.dispatcher.call('stacks.restart', { id: project }));
    expect(await started(c('web'))).not.toBe(web2);
    expect(await started(c('client'))).not.toBe(client);
    expect(await inspect(c('client'), '{{.State.Status}}')).toBe('running');
    // The finished init job is not run again by a restart of the stack, nor by a start.
    expect(await started(c('init'))).toBe(init);
    await ok(app.dispatcher.call('stacks.stop', { id: project, timeoutSeconds: 0 }));
    await ok(app.dispatcher.call('stacks.start', { id: project }));
    expect(await started(c('init'))).toBe(init);
    expect(await inspect(c('web'), '{{.State.Status}}')).toBe('running');
    // Asked for by name, it runs.
    await ok(app.dispatcher.call('stacks.start', { id: project, service: 'init' }));
    expect(await started(c('init'))).not.toBe(init);
    await waitFor(async () => (await summary(project))?.status === 'running', 'the stack to be running again');
    await ok(app.dispatcher.call('stacks.remove', { id: project, deleteVolumes: true, confirmName: project }));
  });
});
