import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { buildImage } from '../../src/main/podman/images/build';
import { pullImage } from '../../src/main/podman/images/pull';
import type { ImagePullProgress } from '../../src/shared/contract/images';
import { Readable } from 'node:stream';
import { connectedApp, uniqueName } from '../support/app';
import { callOk, runStream } from '../support/streams';
import { podman, waitFor } from '../support/podman';
import {
  buildRandomImage,
  freePort,
  manifestLayers,
  pushImage,
  REGISTRY_USER,
  startRegistry,
  startThrottle,
  type Registry,
  type Throttle,
} from '../support/registry';

const info = inject('podman');
let app: App;
let registry: Registry;
let locked: Registry;
let slow: Throttle;

const exists = (ref: string) =>
  podman(info, 'image', 'exists', ref).then(
    () => true,
    () => false,
  );

beforeAll(async () => {
  app = await connectedApp(info);
  [registry, locked] = await Promise.all([startRegistry(), startRegistry({ auth: true })]);
  // Two layers that each take over a second through the throttle, so Podman reports their sizes.
  await buildRandomImage(info, 'localhost/pdt/layers:1', [2.5, 3.5]);
  await buildRandomImage(info, 'localhost/pdt/big:1', [12]);
  await pushImage(info, 'localhost/pdt/layers:1', `${registry.host}/pdt/layers:1`);
  await pushImage(info, 'localhost/pdt/big:1', `${registry.host}/pdt/big:1`);
  await pushImage(info, info.busybox, `${locked.host}/pdt/private:1`, REGISTRY_USER);
  await podman(info, 'rmi', 'localhost/pdt/layers:1', 'localhost/pdt/big:1');
  slow = await startThrottle(registry.host, 1024 * 1024);
});

afterAll(async () => {
  await slow?.stop();
  await Promise.all([registry?.stop(), locked?.stop()]);
  await app?.close();
});

describe('pulling from a registry', () => {
  it('reports progress summed over the layers, ending at the size the registry lists', async () => {
    const reference = `${slow.host}/pdt/layers:1`;
    const seen: ImagePullProgress[] = [];
    const { id } = await pullImage(app.connection.engine(), reference, { onProgress: (p) => seen.push(p) });

    const layers = await manifestLayers(registry.host, 'pdt/layers', '1');
    const imageSize = layers.reduce((sum, l) => sum + l.size, 0);
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ done: true, fraction: 1, bytesTotal: imageSize, bytesDone: imageSize });
    // Midway there was partial progress, growing, never beyond the total.
    const partial = seen.filter((p) => p.bytesDone > 0 && p.bytesDone < imageSize);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.some((p) => p.bytesPerSecond > 0)).toBe(true);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.bytesDone).toBeGreaterThanOrEqual(seen[i - 1]!.bytesDone);
    expect(last.layers).toBeGreaterThanOrEqual(layers.length);
    expect(await podman(info, 'image', 'inspect', '--format', '{{.Id}}', reference)).toBe(id);
  });

  it('cancels mid-pull: the request closes, the engine stops, no image is left', async () => {
    const reference = `${slow.host}/pdt/big:1`;
    const controller = new AbortController();
    const accepted = slow.accepted();
    const pulling = pullImage(app.connection.engine(), reference, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.bytesDone > 0) controller.abort();
      },
    });
    await expect(pulling).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(slow.accepted()).toBeGreaterThan(accepted);
    // Podman follows the closed request: its connections to the registry close too.
    await waitFor(() => slow.open() === 0, 'the engine to drop its registry connections', 15_000);
    expect(await exists(reference)).toBe(false);
  });

  it('says which image is missing', async () => {
    const error = await pullImage(app.connection.engine(), `${registry.host}/pdt/nothing:1`).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
    expect((error as Error).message).toContain(`${registry.host}/pdt/nothing:1 was not found`);
  });

  it('says when the registry cannot be reached', async () => {
    const port = await freePort();
    const error = await pullImage(app.connection.engine(), `127.0.0.1:${port}/pdt/x:1`).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNREACHABLE' });
    expect((error as Error).message).toMatch(/cannot be reached \(connection refused\)/);
  });

  it('says when the registry wants credentials, and pulls with them', async () => {
    const reference = `${locked.host}/pdt/private:1`;
    const refused = await pullImage(app.connection.engine(), reference).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((refused as Error).message).toContain(`Log in to ${locked.host}`);
    const wrong = { username: REGISTRY_USER.username, password: 'wrong', serveraddress: locked.host };
    await expect(pullImage(app.connection.engine(), reference, { auth: wrong })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const auth = { username: REGISTRY_USER.username, password: REGISTRY_USER.password, serveraddress: locked.host };
    const { id } = await pullImage(app.connection.engine(), reference, { auth });
    expect(await podman(info, 'image', 'inspect', '--format', '{{.Id}}', reference)).toBe(id);
  });

  it('refuses a malformed reference', async () => {
    await expect(pullImage(app.connection.engine(), 'Bad Ref')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('building from a folder', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pdt-build-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('streams the log, applies build args, honours .containerignore and tags the image', async () => {
    const ctx = join(dir, 'ok');
    await mkdir(join(ctx, 'app'), { recursive: true });
    await writeFile(
      join(ctx, 'Containerfile'),
      [
        `FROM ${info.busybox}`,
        'ARG GREETING=hello',
        'RUN echo "$GREETING" > /greeting',
        'COPY app /app',
        'CMD ["cat", "/greeting"]',
      ].join('\n'),
    );
    await writeFile(join(ctx, 'app', 'main.txt'), 'main\n');
    await writeFile(join(ctx, 'app', 'secret.env'), 'TOKEN=1\n');
    await writeFile(join(ctx, '.containerignore'), '**/*.env\n');
    const tag = `localhost/pdt/${uniqueName('built')}:1`;
    const log: string[] = [];
    const { id } = await buildImage(app.connection.engine(), {
      contextDir: ctx,
      tag,
      buildArgs: { GREETING: 'bonjour' },
      onLog: (text) => log.push(text),
    });
    const text = log.join('');
    expect(text).toContain('.containerignore honoured');
    expect(text).toMatch(/STEP 1\/5: FROM/);
    expect(text).toContain('COPY app /app');
    expect(id).toMatch(/^[a-f0-9]{64}$/);
    expect(await podman(info, 'image', 'inspect', '--format', '{{.Id}}', tag)).toBe(id);
    const out = await podman(info, 'run', '--rm', tag, 'sh', '-c', 'cat /greeting; ls /app');
    expect(out.split('\n')).toEqual(['bonjour', 'main.txt']);
  });

  it('fails with the engine’s words when a step fails, and tags nothing', async () => {
    const ctx = join(dir, 'bad');
    await mkdir(ctx);
    await writeFile(join(ctx, 'Dockerfile'), `FROM ${info.busybox}\nRUN echo about to fail && exit 3\n`);
    const tag = `localhost/pdt/${uniqueName('broken')}:1`;
    const log: string[] = [];
    const error = await buildImage(app.connection.engine(), { contextDir: ctx, tag, onLog: (t) => log.push(t) }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'ENGINE_ERROR' });
    expect((error as Error).message).toMatch(/exit status 3/);
    expect(log.join('')).toContain('about to fail');
    expect(await exists(tag)).toBe(false);
  });

  it('cancels: the request closes and no image is tagged', async () => {
    const ctx = join(dir, 'slow');
    await mkdir(ctx);
    await writeFile(join(ctx, 'Containerfile'), `FROM ${info.busybox}\nRUN echo started && sleep 3\nRUN echo second\n`);
    const tag = `localhost/pdt/${uniqueName('cancelled')}:1`;
    const controller = new AbortController();
    const building = buildImage(app.connection.engine(), {
      contextDir: ctx,
      tag,
      signal: controller.signal,
      onLog: (text) => {
        if (text.includes('started')) controller.abort();
      },
    });
    await expect(building).rejects.toMatchObject({ code: 'CANCELLED' });
    // Podman 4.3 lets the running step finish, then gives up: the image is never tagged.
    await new Promise((r) => setTimeout(r, 5_000));
    expect(await exists(tag)).toBe(false);
  });

  it('refuses a folder with nothing to build', async () => {
    const ctx = join(dir, 'empty');
    await mkdir(ctx);
    await expect(buildImage(app.connection.engine(), { contextDir: ctx, tag: 'localhost/x:1' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('building through the contract', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pdt-build-contract-'));
    // A login the Containerfile needs: the build gets it because its FROM line names that registry.
    await callOk(app, 'registries.login', {
      server: locked.host,
      username: REGISTRY_USER.username,
      password: REGISTRY_USER.password,
    });
  });
  afterAll(async () => {
    await callOk(app, 'registries.logout', { server: locked.host });
    await rm(dir, { recursive: true, force: true });
  });

  it('builds a folder chosen in main’s dialog (a handle), FROM a registry that needs the login', async () => {
    const ctx = join(dir, 'chosen');
    await mkdir(ctx);
    await writeFile(join(ctx, 'Containerfile'), `FROM ${locked.host}/pdt/private:1\nCOPY hello.txt /hello.txt\n`);
    await writeFile(join(ctx, 'hello.txt'), 'from a handle\n');
    const { handle } = app.hostPaths.issue(ctx, 'build-context');
    const tag = `localhost/pdt/${uniqueName('by-handle')}:1`;
    // Not here yet: the build must pull it, with the login.
    await podman(info, 'image', 'rm', '-f', `${locked.host}/pdt/private:1`);
    const events = await runStream(app, 'images.build', { context: { kind: 'handle', handle }, tag });
    expect(events.map((e) => (e.type === 'log' ? e.text : '')).join('')).toContain(`Using your login for ${locked.host}`);
    expect(events.at(-1)).toMatchObject({ type: 'done', tag });
    expect(await podman(info, 'run', '--rm', tag, 'cat', '/hello.txt')).toBe('from a handle');
    // Used up: the same handle builds nothing more.
    await expect(runStream(app, 'images.build', { context: { kind: 'handle', handle }, tag })).rejects.toThrow(/no longer valid/);
  });

  it('builds what the browser host’s page sends: the Containerfile first, then only the files that go', async () => {
    const page: Record<string, string> = {
      'app/run.sh': 'echo sent by the page\n',
      'app/debug.log': 'left out by .containerignore\n',
      Containerfile: `FROM ${locked.host}/pdt/private:1\nCOPY app /app\nCMD ["sh", "/app/run.sh"]\n`,
      '.containerignore': '**/*.log\n',
    };
    const files = Object.entries(page).map(([path, text]) => ({ path, size: Buffer.byteLength(text) }));
    const tag = `localhost/pdt/${uniqueName('from-page')}:1`;
    await podman(info, 'image', 'rm', '-f', `${locked.host}/pdt/private:1`);
    const events = await runStream(app, 'images.build', { context: { kind: 'browser', files }, tag }, (event) => {
      if (event.type !== 'awaiting-files') return;
      void (async () => {
        for (const [n, index] of event.indexes.entries())
          await app.uploads.deliver(event.ticket, n, Readable.from([Buffer.from(page[files[index]!.path]!)]));
      })();
    });
    expect(events.at(-1)).toMatchObject({ type: 'done', tag });
    expect(await podman(info, 'run', '--rm', tag)).toBe('sent by the page');
    expect(await podman(info, 'run', '--rm', tag, 'ls', '/app')).toBe('run.sh');
  });
});
