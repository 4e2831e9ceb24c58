import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import type { StackDetail, StackLogLine, StackSummary } from '../../src/shared/contract';
import { engineImages } from '../../src/main/stacks/images';
import { connectedApp, uniqueName } from '../support/app';
import { podman, waitFor } from '../support/podman';
import { freePort } from '../support/registry';
import { STACK_IMAGES, buildStackImages, offlineVariables, writeWebappContext } from '../support/stack-images';
import { confirmHostAccess, importStack, launch, ok, runComposeProject, steps } from '../support/stacks';

const info = inject('podman');
let app: App;

beforeAll(async () => {
  await buildStackImages(info);
  app = await connectedApp(info);
});
afterAll(() => app?.close());

/**
 * The built-in files, imported under names of this run's own: every rootful Podman on a machine
 * shares /run/containers/networks (aardvark-dns, IPAM), so a fixed network name could meet
 * another test run's.
 */
const builtin = (file: string) => readFileSync(join(import.meta.dirname, '../../resources/stacks', file), 'utf8');
const envOf = async (container: string, key: string) => {
  const env = JSON.parse(await podman(info, 'inspect', '--format', '{{json .Config.Env}}', container)) as string[];
  return env.find((e) => e.startsWith(`${key}=`))?.slice(key.length + 1);
};
const names = async (filter: string) =>
  (await podman(info, 'ps', '-a', '--filter', filter, '--format', '{{.Names}}')).split('\n').filter(Boolean).sort();
const summary = async (id: string) =>
  (await ok<StackSummary[]>(app.dispatcher.call('stacks.list', undefined))).find((s) => s.id === id);

describe('launching the built-in AI web app with offline images', () => {
  let ports: { ollama: number; web: number };
  const id = uniqueName('webapp');
  const c = (service: string) => `${id}-${service}-1`;

  it('builds the app, waits for Ollama’s healthcheck, and the app reaches Ollama by service name', async () => {
    ports = { ollama: await freePort(), web: await freePort() };
    // The models volume has one name for every stack that shares it, and a removed stack keeps
    // it: left by another test file, it would exist already and carry that stack's labels.
    await podman(info, 'volume', 'rm', 'ollama_models').catch(() => undefined);
    const context = await writeWebappContext(info);
    await importStack(app, builtin('ai-webapp.yaml'), id);
    await ok(app.dispatcher.call('stacks.setVariables', { id, values: offlineVariables(ports, context) }));
    // The app's source comes from a folder of this computer outside the stack's own: confirmed first.
    expect((await confirmHostAccess(app, id)).items.map((i) => [i.kind, i.subject])).toEqual([['build-context', context]]);

    const { events, error } = await launch(app, { id });
    expect(error).toBeUndefined();
    const order = steps(events);
    // Build (with its log streamed), network and volume, Ollama healthy, then the app that depends on it.
    expect(events.some((e) => e.type === 'build-log' && /STEP|COPY/.test(e.line))).toBe(true);
    expect(order.indexOf('health:ollama done')).toBeLessThan(order.indexOf('container:web running'));
    expect(order).toContain(`network:${id}_default done`);
    const done = events.at(-1);
    expect(done).toMatchObject({ type: 'done', nothingToDo: false });
    if (done?.type === 'done') {
      expect(done.links).toEqual([
        { label: 'Ollama API', url: `http://localhost:${ports.ollama}/`, service: 'ollama' },
        { label: 'Chat app', url: `http://localhost:${ports.web}/`, service: 'web' },
      ]);
    }

    // The web service asks http://ollama:11434 — a name only the stack network's DNS knows.
    const answer = await fetch(`http://127.0.0.1:${ports.web}/cgi-bin/ask`);
    expect(await answer.json()).toEqual({ version: '0.0.0-offline' });
    expect(await podman(info, 'inspect', '--format', '{{.State.Health.Status}}', c('ollama'))).toBe('healthy');
    await waitFor(async () => (await summary(id))?.status === 'running', 'the stack to show as running');
  });

  it('labels every container, the network and the volume as docker compose and podman-compose do', async () => {
    expect(await names(`label=com.docker.compose.project=${id}`)).toEqual([c('ollama'), c('web')]);
    expect(await names(`label=io.podman.compose.project=${id}`)).toEqual([c('ollama'), c('web')]);
    const labels = JSON.parse(await podman(info, 'inspect', '--format', '{{json .Config.Labels}}', c('web'))) as Record<
      string,
      string
    >;
    expect(labels).toMatchObject({
      'com.docker.compose.service': 'web',
      'com.docker.compose.oneoff': 'False',
      'io.podman.compose.service': 'web',
      'com.docker.compose.depends_on': 'ollama:service_healthy:false',
    });
    expect(
      await podman(info, 'network', 'ls', '--filter', `label=com.docker.compose.project=${id}`, '--format', '{{.Name}}'),
    ).toBe(`${id}_default`);
    expect(
      await podman(info, 'volume', 'ls', '--filter', `label=com.docker.compose.project=${id}`, '--format', '{{.Name}}'),
    ).toBe('ollama_models');
  });

  it('does nothing when launched again while running', async () => {
    const engine = app.connection.engine();
    const ids = await names(`label=com.docker.compose.project=${id}`);
    const before = engine.recent.length;
    const { events, error } = await launch(app, { id });
    expect(error).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ type: 'done', nothingToDo: true });
    const writes = engine.recent.slice(before).filter((r) => r.method !== 'GET');
    expect(writes).toEqual([]);
    expect(await names(`label=com.docker.compose.project=${id}`)).toEqual(ids);
  });

  it('after an edit, recreates only the service that changed', async () => {
    const idOf = (name: string) => podman(info, 'inspect', '--format', '{{.Id}}', name);
    const ollamaBefore = await idOf(c('ollama'));
    const webBefore = await idOf(c('web'));
    const detail = await ok<StackDetail>(app.dispatcher.call('stacks.get', { id }));
    const edited = detail.yaml!.replace(
      'OLLAMA_MODEL: ${OLLAMA_MODEL:-llama3.2:1b}',
      'OLLAMA_MODEL: ${OLLAMA_MODEL:-qwen2.5:0.5b}',
    );
    expect(edited).not.toBe(detail.yaml);
    const saved = await ok<StackDetail>(app.dispatcher.call('stacks.save', { id, yaml: edited }));
    expect(saved.yaml).toBe(edited);

    const plan = await ok<{ services: { name: string; action: string }[] }>(app.dispatcher.call('stacks.plan', { id }));
    expect(plan.services.map((s) => [s.name, s.action])).toEqual([
      ['ollama', 'keep'],
      ['web', 'recreate'],
    ]);
    const { error } = await launch(app, { id });
    expect(error).toBeUndefined();
    expect(await idOf(c('ollama'))).toBe(ollamaBefore);
    expect(await idOf(c('web'))).not.toBe(webBefore);
    expect(await envOf(c('web'), 'OLLAMA_MODEL')).toBe('qwen2.5:0.5b');
  });

  it('merges the services’ logs, and shows one service’s alone', async () => {
    await podman(info, 'exec', c('ollama'), 'sh', '-c', 'echo from-ollama > /proc/1/fd/1');
    await podman(info, 'exec', c('web'), 'sh', '-c', 'echo from-web > /proc/1/fd/2');
    const collect = (input: object) =>
      new Promise<StackLogLine[]>((resolve, reject) => {
        const lines: StackLogLine[] = [];
        const session = app.dispatcher.session((m) => {
          if (m.type === 'batch') lines.push(...(m.items as StackLogLine[]));
          else if (m.error) reject(new Error(m.error.message));
          else resolve(lines);
        });
        session.open(uniqueName('logs'), 'stacks.logs', { id, follow: false, ...input });
      });
    const all = await collect({});
    expect(all).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ service: 'ollama', stream: 'stdout', text: 'from-ollama' }),
        expect.objectContaining({ service: 'web', stream: 'stderr', text: 'from-web' }),
      ]),
    );
    expect(all.every((l) => l.time && !Number.isNaN(Date.parse(l.time)))).toBe(true);
    const web = await collect({ service: 'web' });
    expect(web.map((l) => l.service)).toEqual(web.map(() => 'web'));
    expect(web.some((l) => l.text === 'from-web')).toBe(true);
  });

  it('exports the stack as Kubernetes YAML', async () => {
    const { yaml } = await ok<{ yaml: string }>(app.dispatcher.call('stacks.exportKube', { id }));
    expect(yaml).toMatch(/kind: Pod/);
    expect(yaml).toContain(`name: ${c('ollama')}`);
    expect(yaml).toContain(`name: ${c('web')}`);
  });

  it('stops and starts the whole stack, and one service', async () => {
    await ok(app.dispatcher.call('stacks.stop', { id, service: 'web' }));
    expect(await podman(info, 'inspect', '--format', '{{.State.Status}}', c('web'))).toMatch(/exited|stopped/);
    await ok(app.dispatcher.call('stacks.stop', { id }));
    await waitFor(async () => (await summary(id))?.status === 'stopped', 'the stack to show as stopped');
    await ok(app.dispatcher.call('stacks.start', { id }));
    expect(await podman(info, 'inspect', '--format', '{{.State.Status}}', c('ollama'), c('web'))).toBe('running\nrunning');
    // Nothing else drives healthchecks here: the app does, so the stack does not stay "starting".
    await waitFor(async () => (await summary(id))?.status === 'running', 'health to be established again', 30_000);
    await ok(app.dispatcher.call('stacks.remove', { id, timeoutSeconds: 0 }));
    expect(await names(`label=com.docker.compose.project=${id}`)).toEqual([]);
  });
});

describe('the built-in Jupyter stack', () => {
  it('generates a token once and opens Lab logged in with it', async () => {
    const port = await freePort();
    const id = uniqueName('jupyter');
    await importStack(app, builtin('jupyter.yaml'), id);
    await ok(
      app.dispatcher.call('stacks.setVariables', {
        id,
        values: { JUPYTER_IMAGE: STACK_IMAGES.jupyter, JUPYTER_PORT: String(port) },
      }),
    );
    const detail = await ok<StackDetail>(app.dispatcher.call('stacks.get', { id }));
    const token = detail.variables.find((v) => v.name === 'JUPYTER_TOKEN')!;
    expect(token).toMatchObject({ source: 'generated', secret: true });
    expect(token.value).toMatch(/^[a-f0-9]{48}$/);

    const { events, error } = await launch(app, { id });
    expect(error).toBeUndefined();
    const done = events.at(-1);
    const link = done?.type === 'done' ? done.links[0]! : undefined;
    expect(link).toEqual({ label: 'Jupyter Lab', url: `http://localhost:${port}/lab?token=${token.value}`, service: 'jupyter' });
    expect(await envOf(`${id}-jupyter-1`, 'JUPYTER_TOKEN')).toBe(token.value);
    const page = await fetch(link!.url.replace('localhost', '127.0.0.1'));
    expect(page.status).toBe(200);
    // The same token on the next look: it is kept, not made anew.
    const again = await ok<StackDetail>(app.dispatcher.call('stacks.get', { id }));
    expect(again.variables.find((v) => v.name === 'JUPYTER_TOKEN')!.value).toBe(token.value);
    await ok(app.dispatcher.call('stacks.remove', { id, timeoutSeconds: 0 }));
  });
});

describe('the Flask template', () => {
  it('builds from its own Containerfile with the Python base swapped for an offline one', async () => {
    const tag = `localhost/poddesk-test/flask-template-${process.pid}:latest`;
    const log: string[] = [];
    await engineImages(() => app.connection.engine()).build(
      {
        context: join(import.meta.dirname, '../../resources/templates/flask-chat'),
        tag,
        buildArgs: { PYTHON_IMAGE: STACK_IMAGES.python },
      },
      (text) => log.push(text),
      new AbortController().signal,
    );
    expect(log.join('')).toMatch(/pip \(offline stand-in\): install --no-cache-dir -r requirements.txt/);
    const config = JSON.parse(await podman(info, 'image', 'inspect', '--format', '{{json .Config}}', tag)) as {
      Cmd: string[];
      User: string;
      WorkingDir: string;
    };
    expect(config).toMatchObject({ User: 'nobody', WorkingDir: '/app' });
    expect(config.Cmd.slice(0, 3)).toEqual(['gunicorn', '--bind', '0.0.0.0:5000']);
    const files = await podman(info, 'run', '--rm', '--entrypoint', 'ls', tag, '/app', '/app/templates');
    expect(files).toMatch(/app\.py/);
    expect(files).toMatch(/requirements\.txt/);
    expect(files).toMatch(/index\.html/);
  });
});

describe('stacks made by other tools', () => {
  it('shows a Compose project started by the CLI, and stops it', async () => {
    const project = uniqueName('ext');
    await runComposeProject(info, project, ['db', 'web'], (service) =>
      service === 'web' ? ['--label', 'com.docker.compose.depends_on=db:service_started:false'] : [],
    );
    await waitFor(async () => (await summary(`project:${project}`))?.services.length === 2, 'the external stack');
    const s = (await summary(`project:${project}`))!;
    expect(s).toMatchObject({ source: 'external', status: 'running', project });
    expect(s.services.map((x) => x.name)).toEqual(['db', 'web']);
    await ok(app.dispatcher.call('stacks.stop', { id: `project:${project}`, timeoutSeconds: 0 }));
    await waitFor(async () => (await summary(`project:${project}`))?.status === 'stopped', 'the external stack to stop');
    const launchIt = await launch(app, { id: `project:${project}` });
    expect(launchIt.error).toMatchObject({ code: 'INVALID_INPUT' });
    await ok(app.dispatcher.call('stacks.remove', { id: `project:${project}` }));
    expect(await names(`label=com.docker.compose.project=${project}`)).toEqual([]);
  });

  it('imports a Compose file as a user stack that launches', async () => {
    const name = uniqueName('imp');
    const port = await freePort();
    const yaml = `services:\n  web:\n    image: ${info.busybox}\n    command: httpd -f -p 80 -h /www\n    stop_grace_period: 0s\n    ports: ["${port}:80"]\n`;
    const detail = await importStack(app, yaml, name);
    expect(detail).toMatchObject({ id: name, project: name, source: 'user', editable: true, issues: [] });
    const { error } = await launch(app, { id: name });
    expect(error).toBeUndefined();
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toMatch(/hello from busybox/);
    const again = await app.dispatcher.call('stacks.import', { yaml, name });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    await ok(app.dispatcher.call('stacks.remove', { id: name }));
    await ok(app.dispatcher.call('stacks.delete', { id: name }));
    expect(await summary(name)).toBeUndefined();
  });
});
