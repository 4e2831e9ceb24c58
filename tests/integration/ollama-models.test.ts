import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import type { ModelSummary, OllamaStatus, PullProgress } from '../../src/shared/contract';
import { startOllamaServer, type OllamaTestServer } from '../fixtures/ollama-server/server';
import { defaultRegistry, modelSize } from '../fixtures/ollama-server/catalog';
import { uniqueName } from '../support/app';
import { podman, waitFor } from '../support/podman';
import { chatApp, ok, openStream } from '../support/ollama';

let server: OllamaTestServer;
let app: App;

beforeAll(async () => {
  server = await startOllamaServer({ pullMs: 1_200 });
  app = await chatApp(server.url);
});
afterAll(async () => {
  await app?.close();
  await server?.close();
});

describe('pulling models', () => {
  it('shows one progress bar summed over every layer, then the model is there', async () => {
    const pull = openStream<PullProgress>(app, 'ollama.pull', { name: 'tinyllama' });
    await waitFor(() => pull.ended() !== null, 'the pull to end', 20_000);
    expect(pull.ended()).toEqual({ error: undefined });
    const total = modelSize(defaultRegistry()[0]!);
    const last = pull.items.at(-1)!;
    expect(last).toMatchObject({ status: 'success', done: true, completed: total, total, layers: 4 });
    // Summed progress only grows, and never passes the total.
    for (let i = 1; i < pull.items.length; i++)
      expect(pull.items[i]!.completed).toBeGreaterThanOrEqual(pull.items[i - 1]!.completed);
    expect(pull.items.some((p) => p.completed > 0 && p.completed < total && p.total === total)).toBe(true);
    expect(pull.items.some((p) => p.bytesPerSecond > 0)).toBe(true);
    expect(pull.items[0]!.status).toBe('pulling manifest');
    const models = await ok<ModelSummary[]>(app.dispatcher.call('ollama.models', undefined));
    expect(models.map((m) => m.name)).toContain('tinyllama:latest');
  });

  it('cancel closes the request; pulling again resumes where it stopped', async () => {
    const since = Date.now();
    const first = openStream<PullProgress>(app, 'ollama.pull', { name: 'smollm2:135m' });
    await waitFor(() => (first.items.at(-1)?.completed ?? 0) > 0, 'some bytes');
    first.closeAll();
    const gone = await server.waitForDisconnect(since);
    expect(gone.path).toBe('/api/pull');
    const stoppedAt = first.items.at(-1)!.completed;
    expect(stoppedAt).toBeGreaterThan(0);
    expect(server.installed()).not.toContain('smollm2:135m');

    const second = openStream<PullProgress>(app, 'ollama.pull', { name: 'smollm2:135m' });
    await waitFor(() => second.ended() !== null, 'the second pull to end', 20_000);
    const firstWithBytes = second.items.find((p) => p.total > 0)!;
    expect(firstWithBytes.completed).toBeGreaterThanOrEqual(stoppedAt);
    expect(second.items.at(-1)).toMatchObject({ status: 'success', done: true });
  });

  it('an unknown model, and no network, are clear errors', async () => {
    const unknown = openStream<PullProgress>(app, 'ollama.pull', { name: 'no-such-model:7b' });
    await waitFor(() => unknown.ended() !== null, 'the pull to fail');
    expect(unknown.ended()?.error).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/No such model in the Ollama library/),
    });

    server.setOffline(true);
    try {
      const offline = openStream<PullProgress>(app, 'ollama.pull', { name: 'tinyllama' });
      await waitFor(() => offline.ended() !== null, 'the pull to fail');
      expect(offline.ended()?.error).toMatchObject({ code: 'OLLAMA_ERROR', message: expect.stringMatching(/offline/) });
    } finally {
      server.setOffline(false);
    }

    const illegal = openStream<PullProgress>(app, 'ollama.pull', { name: 'bad name!' });
    await waitFor(() => illegal.ended() !== null, 'the refusal');
    expect(illegal.ended()?.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/Not a model name/) });
  });
});

describe('finding Ollama', () => {
  it('uses OLLAMA_HOST when there is no setting, in any of the forms Ollama accepts', async () => {
    const other = await chatApp(null, { env: { OLLAMA_HOST: `0.0.0.0:${server.port}` } });
    try {
      const status = await ok<OllamaStatus>(other.dispatcher.call('ollama.status', undefined));
      expect(status).toMatchObject({ state: 'reachable', candidate: { source: 'environment', host: server.url } });
    } finally {
      await other.close();
    }
  });

  it('falls back past an unreachable setting and says what it tried', async () => {
    const other = await chatApp('http://127.0.0.1:9', { env: { OLLAMA_HOST: server.url } });
    try {
      const status = await ok<OllamaStatus>(other.dispatcher.call('ollama.status', undefined));
      expect(status.state).toBe('reachable');
      if (status.state !== 'reachable') return;
      expect(status.candidate.source).toBe('environment');
      expect(status.tried[0]).toMatchObject({ host: 'http://127.0.0.1:9', source: 'setting' });
    } finally {
      await other.close();
    }
  });

  it('takes the port a running Ollama container publishes as a candidate (real Podman)', async () => {
    const info = inject('podman');
    const name = uniqueName('ollama');
    const image = `localhost/poddesk-test/ollama-fake:${name}`;
    await podman(info, 'tag', info.busybox, image);
    // busybox httpd answers /api/version like Ollama does (a static file).
    await podman(
      info,
      'run',
      '-d',
      '--name',
      name,
      '-p',
      '127.0.0.1::11434',
      image,
      'sh',
      '-c',
      'mkdir -p /www/api && echo \'{"version":"0.0.0-container"}\' > /www/api/version && httpd -f -p 11434 -h /www',
    );
    const { connectedApp } = await import('../support/app');
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const withPodman = await connectedApp(info, { dataDir: await mkdtemp(join(tmpdir(), 'poddesk-ollama-')) });
    try {
      await withPodman.containers.idle();
      await waitFor(
        () => withPodman.containers.items().some((c) => c.name === name && c.state === 'running'),
        'the container in the list',
      );
      const status = await ok<OllamaStatus>(withPodman.dispatcher.call('ollama.retry', undefined));
      const port = (await podman(info, 'port', name, '11434')).split(':').pop();
      // The container's published port is a candidate, named after the container. (Reaching it
      // from this host needs loopback DNAT, which these test machines do not route —
      // net.ipv4.conf.all.route_localnet=0 — so the probe itself is tested in the unit layer.)
      const candidates =
        status.state === 'reachable' ? [status.candidate, ...status.tried] : status.state === 'unreachable' ? status.tried : [];
      expect(candidates).toContainEqual(
        expect.objectContaining({ source: 'container', host: `http://127.0.0.1:${port}`, label: `Container ${name}` }),
      );
      // Stopping the container takes it out of the candidates (the endpoint looks again by itself).
      await podman(info, 'stop', '-t', '0', name);
      await waitFor(async () => {
        const s = withPodman.ollama.endpoint.status();
        const list = s.state === 'unreachable' ? s.tried : s.state === 'reachable' ? s.tried : [];
        return s.state !== 'searching' && !list.some((c) => c.source === 'container');
      }, 'the container to leave the candidates');
    } finally {
      await withPodman.close();
      await podman(info, 'rm', '-f', '-t', '0', name).catch(() => undefined);
      await podman(info, 'rmi', image).catch(() => undefined);
    }
  });

  it('says it is unreachable, and what was tried, when nothing answers', async () => {
    const other = await chatApp('http://127.0.0.1:9');
    try {
      const status = await ok<OllamaStatus>(other.dispatcher.call('ollama.status', undefined));
      expect(status.state).toBe('unreachable');
      if (status.state !== 'unreachable') return;
      expect(status.tried.map((t) => t.source)).toEqual(['setting', 'default']);
      const call = await other.dispatcher.call('ollama.models', undefined);
      expect(call).toMatchObject({ ok: false, error: { code: 'OLLAMA_UNAVAILABLE' } });
    } finally {
      await other.close();
    }
  });
});
