import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageHandlers } from '../../../src/main/handlers/images';
import { createHostPaths } from '../../../src/main/host-paths';
import type { Engine, RequestOptions } from '../../../src/main/podman/engine';
import { imagesPulledBy, registriesPulledBy } from '../../../src/main/podman/images/containerfile-registries';
import { memoryCredentials } from '../../../src/main/registries/credentials';
import { credentialsFor, login } from '../../../src/main/registries/login';
import { createUploadInbox } from '../../../src/main/uploads';
import type { BuildEvent, Endpoint, ImageSummary } from '../../../src/shared/contract';
import { buildContext } from '../../../src/shared/contract';
import type { LiveCollection } from '../../../src/main/podman/live-collection';

describe('the images a Containerfile pulls', () => {
  it('reads FROM lines with ARGs applied, skipping scratch and its own stages', () => {
    const file = [
      '# syntax=docker/dockerfile:1',
      'ARG BASE=docker.io/library/python:3.12',
      'ARG TOOLS',
      'FROM --platform=$BUILDPLATFORM ${BASE} AS build',
      'ARG BASE',
      'RUN --mount=type=cache,target=/root/.cache \\',
      '    --mount=type=bind,from=ghcr.io/acme/wheels:1,target=/wheels pip install /wheels/*',
      'FROM build AS test',
      'FROM scratch',
      'COPY --from=build /app /app',
      'COPY --from=quay.io/acme/tools:${TOOLS:-latest} /bin/tool /bin/tool',
      'FROM $TOOLS',
    ].join('\n');
    expect(imagesPulledBy(file)).toEqual(['docker.io/library/python:3.12', 'ghcr.io/acme/wheels:1', 'quay.io/acme/tools:latest']);
    expect(imagesPulledBy(file, { BASE: 'private.example:5000/py:3', TOOLS: '2' })).toEqual([
      'private.example:5000/py:3',
      'ghcr.io/acme/wheels:1',
      'quay.io/acme/tools:2',
    ]);
    expect(registriesPulledBy(file, { TOOLS: 'registry.example.org/tools:2' })).toEqual([
      'docker.io',
      'ghcr.io',
      'quay.io',
      'registry.example.org',
    ]);
    expect(registriesPulledBy('FROM busybox\nFROM localhost:5000/x\nCOPY --from=0 / /')).toEqual(['docker.io', 'localhost:5000']);
  });

  it('ignores build arguments the file does not declare (as the builder does)', () => {
    expect(imagesPulledBy('FROM ${IMAGE:-alpine}', { IMAGE: 'evil.example/x' })).toEqual(['alpine']);
  });
});

/** An engine that reads the build's tar and headers and answers like Podman. */
function fakeEngine(kind: 'unix' | 'tcp') {
  const endpoint: Endpoint =
    kind === 'unix' ? { kind: 'unix', path: '/run/podman.sock' } : { kind: 'tcp', host: '10.0.0.9', port: 2375 };
  const seen: { headers: Record<string, string>; files: Map<string, string>; order: string[] }[] = [];
  const engine = {
    endpoint,
    async stream(_method: string, _path: string, options: RequestOptions = {}) {
      const files = new Map<string, string>();
      const order: string[] = [];
      const extract = tar.extract();
      extract.on('entry', (header, stream, next) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: unknown) => chunks.push(c as Buffer));
        stream.on('end', () => {
          order.push(header.name);
          if (header.type === 'file') files.set(header.name, Buffer.concat(chunks).toString());
          next();
        });
      });
      const done = new Promise<void>((resolve, reject) => {
        extract.on('finish', () => resolve());
        extract.on('error', reject);
      });
      (options.raw as Readable).pipe(extract as unknown as NodeJS.WritableStream);
      await done;
      seen.push({ headers: options.headers ?? {}, files, order });
      return Readable.from([
        `${JSON.stringify({ stream: 'STEP 1/1\n' })}\n`,
        `${JSON.stringify({ aux: { ID: `sha256:${'a'.repeat(64)}` } })}\n`,
      ]);
    },
  } as unknown as Engine;
  return { engine, seen };
}

function setup(kind: 'unix' | 'tcp') {
  const { engine, seen } = fakeEngine(kind);
  const credentials = memoryCredentials();
  const hostPaths = createHostPaths();
  const inbox = createUploadInbox();
  const handlers = imageHandlers({
    images: { refresh: () => undefined } as unknown as LiveCollection<ImageSummary>,
    actions: {} as never,
    engine: () => engine,
    credentials,
    hostFiles: { chooseOpenPaths: async () => [], chooseSavePath: async () => null },
    hostPaths,
    inbox,
  });
  return { handlers, seen, credentials, hostPaths, inbox };
}

const registryConfig = (headers: Record<string, string>) =>
  headers['X-Registry-Config'] ? Object.keys(JSON.parse(Buffer.from(headers['X-Registry-Config'], 'base64').toString())) : [];

describe('a build’s registry logins', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pd-build-logins-'));
    await writeFile(join(dir, 'Containerfile'), 'FROM quay.io/acme/base:1\nCOPY . /app\n');
    await writeFile(join(dir, 'app.txt'), 'hi');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const logins = async (credentials: ReturnType<typeof memoryCredentials>) => {
    for (const server of ['quay.io', 'docker.io', 'ghcr.io', 'private.example:5000'])
      await credentials.save({ serveraddress: server, username: 'me', password: `secret-${server}` }, true);
  };
  const run = async (handlers: ReturnType<typeof imageHandlers>, input: Record<string, unknown>) => {
    const events: BuildEvent[] = [];
    await handlers.streams['images.build'](
      { buildArgs: {}, registries: [], tag: 'localhost/x:1', ...input } as never,
      (e) => void events.push(e),
      new AbortController().signal,
    );
    return events;
  };

  it('sends the logins of the registries the Containerfile names, and those the user picked — no others', async () => {
    const { handlers, seen, credentials, hostPaths } = setup('unix');
    await logins(credentials);
    const { handle } = hostPaths.issue(dir, 'build-context');
    const events = await run(handlers, { context: { kind: 'handle', handle }, registries: ['ghcr.io'] });
    expect(registryConfig(seen[0]!.headers).sort()).toEqual(['ghcr.io', 'quay.io']);
    expect(seen[0]!.files.get('app.txt')).toBe('hi');
    expect(events.at(-1)).toMatchObject({ type: 'done', tag: 'localhost/x:1' });
  });

  it('sends none to an engine reached over TCP, and says so', async () => {
    const { handlers, seen, credentials, hostPaths } = setup('tcp');
    await logins(credentials);
    const { handle } = hostPaths.issue(dir, 'build-context');
    const events = await run(handlers, { context: { kind: 'handle', handle }, registries: ['ghcr.io'] });
    expect(seen[0]!.headers['X-Registry-Config']).toBeUndefined();
    expect(JSON.stringify(events)).toMatch(/not sent to an engine reached over TCP/);
  });

  it('builds from a folder handle once; a forged one or a path is refused before anything is read', async () => {
    const { handlers, hostPaths, seen } = setup('unix');
    const { handle } = hostPaths.issue(dir, 'build-context');
    await run(handlers, { context: { kind: 'handle', handle } });
    await expect(run(handlers, { context: { kind: 'handle', handle } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(run(handlers, { context: { kind: 'handle', handle: `hp_${'Z'.repeat(32)}` } })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(buildContext.safeParse({ kind: 'handle', handle: dir }).success).toBe(false);
    expect(buildContext.safeParse({ kind: 'folder', path: dir }).success).toBe(false);
    expect(seen).toHaveLength(1);
  });
});

describe('a build the browser host’s page sends', () => {
  it('reads the Containerfile and the ignore file first, then asks only for the files that go', async () => {
    const { handlers, seen, credentials, inbox } = setup('unix');
    await credentials.save({ serveraddress: 'quay.io', username: 'me', password: 'p' }, true);
    await credentials.save({ serveraddress: 'docker.io', username: 'me', password: 'p' }, true);
    const page: Record<string, string> = {
      'src/main.py': 'print(1)',
      Containerfile: 'FROM quay.io/acme/py:3\nCOPY src /src\n',
      'notes.log': 'do not send',
      'build/out.bin': 'ignored folder',
      '.containerignore': '*.log\nbuild\n',
    };
    const files = Object.entries(page).map(([path, text]) => ({ path, size: Buffer.byteLength(text) }));
    const asked: number[][] = [];
    const events: BuildEvent[] = [];
    await handlers.streams['images.build'](
      { context: { kind: 'browser', files }, buildArgs: {}, registries: [], tag: 'localhost/web:1' } as never,
      (event) => {
        events.push(event);
        if (event.type !== 'awaiting-files') return;
        asked.push(event.indexes);
        // The page: PUT /upload/<ticket>/<n>, one after the other.
        void (async () => {
          for (const [n, index] of event.indexes.entries())
            await inbox.deliver(event.ticket, n, Readable.from([Buffer.from(page[files[index]!.path]!)]));
        })();
      },
      new AbortController().signal,
    );
    expect(asked).toEqual([[1, 4], [0]]);
    const sent = seen[0]!;
    expect(sent.order.slice(0, 2)).toEqual(['Containerfile', '.containerignore']);
    expect([...sent.files.keys()].sort()).toEqual(['.containerignore', 'Containerfile', 'src/main.py']);
    expect(sent.files.get('src/main.py')).toBe('print(1)');
    expect(registryConfig(sent.headers)).toEqual(['quay.io']);
    expect(events.at(-1)).toMatchObject({ type: 'done' });
  });

  it('refuses file names that climb out of the folder, and a folder without a Containerfile', async () => {
    for (const path of ['../x', '/etc/passwd', 'a/../../b', 'C:\\x', '']) {
      expect(buildContext.safeParse({ kind: 'browser', files: [{ path, size: 1 }] }).success, path).toBe(false);
    }
    const { handlers } = setup('unix');
    await expect(
      handlers.streams['images.build'](
        {
          context: { kind: 'browser', files: [{ path: 'app.py', size: 1 }] },
          buildArgs: {},
          registries: [],
          tag: 'x:1',
        } as never,
        () => undefined,
        new AbortController().signal,
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('logins and the engine they would go to', () => {
  it('gives pulls and pushes the stored login only over a socket, a pipe, ssh or a found command', async () => {
    const credentials = memoryCredentials();
    await credentials.save({ serveraddress: 'quay.io', username: 'me', password: 'p' }, true);
    const unix: Endpoint = { kind: 'unix', path: '/s' };
    const tcp: Endpoint = { kind: 'tcp', host: 'anywhere.example', port: 2375 };
    expect(await credentialsFor(credentials, 'quay.io/acme/x:1', unix)).toMatchObject({ serveraddress: 'quay.io' });
    expect(await credentialsFor(credentials, 'quay.io/acme/x:1', tcp)).toBeNull();
    expect(await credentialsFor(credentials, 'docker.io/library/x', unix)).toBeNull();
  });

  it('does not hand a new password to an engine over TCP to check it: it is kept, unchecked', async () => {
    const credentials = memoryCredentials();
    const engine = {
      endpoint: { kind: 'tcp', host: 'anywhere.example', port: 2375 },
      json: async () => {
        throw new Error('the password went to the engine');
      },
    } as unknown as Engine;
    expect(await login(engine, credentials, { serveraddress: 'quay.io', username: 'me', password: 'p' })).toEqual({
      server: 'quay.io',
      username: 'me',
      verified: false,
    });
    expect(await credentials.list()).toEqual([{ server: 'quay.io', username: 'me', verified: false }]);
  });
});
