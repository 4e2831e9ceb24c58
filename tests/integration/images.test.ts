import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import type { PruneReport } from '../../src/shared/contract';
import { connectedApp, uniqueName } from '../support/app';
import { podman, waitFor } from '../support/podman';
import { pushImage, REGISTRY_USER, startRegistry, type Registry } from '../support/registry';
import { openStream } from '../support/open-stream';

const info = inject('podman');
let app: App;
let registry: Registry;
let locked: Registry;
beforeAll(async () => {
  app = await connectedApp(info);
  [registry, locked] = await Promise.all([startRegistry(), startRegistry({ auth: true })]);
});
afterAll(async () => {
  await Promise.all([registry?.stop(), locked?.stop()]);
  await app?.close();
});

const imageId = (ref: string) => podman(info, 'image', 'inspect', '--format', '{{.Id}}', ref);
const exists = (ref: string) =>
  podman(info, 'image', 'exists', ref).then(
    () => true,
    () => false,
  );
const cachedWithTag = (tag: string) => app.images.items().find((i) => i.tags.includes(tag));

describe('the image list', () => {
  it('lists the test image with its size and follows tag, untag and remove from events', async () => {
    const base = app.images.items().find((i) => i.tags.includes(info.busybox));
    expect(base).toMatchObject({ dangling: false, size: expect.any(Number) });
    expect(base!.size).toBeGreaterThan(500_000);

    const tag = `localhost/pdt/${uniqueName('tagged')}:1`;
    const listsBefore = app.connection.engine().recent.filter((r) => r.path.endsWith('/images/json') && !r.query).length;
    await podman(info, 'tag', info.busybox, tag);
    await waitFor(() => Boolean(cachedWithTag(tag)), 'the CLI tag in the cache');
    await podman(info, 'untag', await imageId(tag), tag);
    await waitFor(() => !cachedWithTag(tag), 'the untag in the cache');
    // Events cost targeted fetches, never a full list.
    expect(app.connection.engine().recent.filter((r) => r.path.endsWith('/images/json') && !r.query).length).toBe(listsBefore);
  });

  it('tags through the contract, and refuses a bad tag', async () => {
    const repository = `localhost/pdt/${uniqueName('mine')}`;
    expect(await app.dispatcher.call('images.tag', { id: info.busybox, repository, tag: 'v2' })).toEqual({ ok: true });
    expect(await imageId(`${repository}:v2`)).toBe(await imageId(info.busybox));
    await waitFor(() => Boolean(cachedWithTag(`${repository}:v2`)), 'the new tag in the cache');
    expect(await app.dispatcher.call('images.tag', { id: info.busybox, repository, tag: 'bad tag!' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await app.dispatcher.call('images.tag', { id: info.busybox, repository: 'UPPER/case', tag: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    await podman(info, 'rmi', `${repository}:v2`);
  });

  it('refuses to remove an image a container uses unless forced', async () => {
    const tag = `localhost/pdt/${uniqueName('used')}:1`;
    await podman(info, 'commit', await podman(info, 'create', info.busybox, 'true'), tag);
    const user = uniqueName('user');
    await podman(info, 'create', '--name', user, tag);
    const refused = await app.dispatcher.call('images.remove', { id: await imageId(tag) });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect((refused as { error: { message: string } }).error.message).toMatch(/container/i);
    expect(await exists(tag)).toBe(true);
    expect(await app.dispatcher.call('images.remove', { id: tag, force: true })).toEqual({ ok: true });
    expect(await exists(tag)).toBe(false);
    // Forcing removes the containers that used it, as podman rmi --force does.
    await waitFor(
      async () => !(await podman(info, 'ps', '-a', '--format', '{{.Names}}')).includes(user),
      'the user container gone',
    );
  });

  it('prunes dangling images, then unused ones, and keeps what containers use', async () => {
    // A dangling image: build twice under one tag; the first loses its name.
    const tag = `localhost/pdt/${uniqueName('rebuilt')}:1`;
    await podman(info, 'commit', await podman(info, 'create', info.busybox, 'sh', '-c', 'echo 1'), tag);
    const first = await imageId(tag);
    await podman(info, 'commit', await podman(info, 'create', info.busybox, 'sh', '-c', 'echo 2'), tag);
    await podman(info, 'rm', '--all', '--filter', 'status=created', '--filter', `ancestor=${info.busybox}`).catch(
      () => undefined,
    );
    await waitFor(() => app.images.get(first)?.dangling === true, 'the first image dangling in the cache');

    const dangling = await app.dispatcher.call('images.prune', { mode: 'dangling' });
    expect(dangling).toMatchObject({ ok: true });
    expect((dangling as { data: PruneReport }).data.removed).toContain(first);
    expect(await exists(first)).toBe(false);
    expect(await exists(tag)).toBe(true);

    const keeper = uniqueName('keeper');
    await podman(info, 'create', '--name', keeper, info.busybox);
    const unused = await app.dispatcher.call('images.prune', { mode: 'unused' });
    expect(unused).toMatchObject({ ok: true });
    expect(await exists(tag)).toBe(false);
    expect(await exists(info.busybox)).toBe(true);
    expect(app.images.items().some((i) => i.tags.includes(tag))).toBe(false);
    await podman(info, 'rm', keeper);
  });
});

describe('registries: pull with progress, push, login', () => {
  it('pulls through the stream, with the id at the end, and the image appears', async () => {
    await pushImage(info, info.busybox, `${registry.host}/pdt/pulled:1`);
    const stream = openStream(app, 'images.pull', { reference: `${registry.host}/pdt/pulled:1` });
    expect(await stream.ended).toBeUndefined();
    const last = stream.items.at(-1)!;
    expect(last).toMatchObject({ done: true, fraction: 1 });
    expect(last.id).toBe(await imageId(`${registry.host}/pdt/pulled:1`));
    await waitFor(() => Boolean(cachedWithTag(`${registry.host}/pdt/pulled:1`)), 'the pulled image in the cache');
  });

  it('says UNAUTHORIZED when pushing without logging in, and pushes once logged in', async () => {
    const reference = `${locked.host}/pdt/${uniqueName('pushed')}:1`;
    await podman(info, 'tag', info.busybox, reference);
    const refused = openStream(app, 'images.push', { reference });
    const error = await refused.ended;
    expect(error).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(error!.message).toContain(`Log in to ${locked.host}`);

    const wrong = await app.dispatcher.call('registries.login', {
      server: locked.host,
      username: REGISTRY_USER.username,
      password: 'nope',
    });
    expect(wrong).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED', message: `${locked.host} refused the user name or password.` },
    });
    expect(await app.dispatcher.call('registries.list', undefined)).toMatchObject({
      ok: true,
      data: { logins: [], storage: 'memory' },
    });

    const login = await app.dispatcher.call('registries.login', {
      server: `http://${locked.host}/`,
      username: REGISTRY_USER.username,
      password: REGISTRY_USER.password,
    });
    expect(login).toEqual({ ok: true, data: { server: locked.host, username: REGISTRY_USER.username, verified: true } });
    const list = await app.dispatcher.call('registries.list', undefined);
    expect(list).toMatchObject({
      ok: true,
      data: { logins: [{ server: locked.host, username: 'poddesk' }], note: expect.stringMatching(/memory/) },
    });
    expect(JSON.stringify(list)).not.toContain(REGISTRY_USER.password);

    const pushed = openStream(app, 'images.push', { reference });
    expect(await pushed.ended).toBeUndefined();
    expect(pushed.items.at(-1)).toEqual({ type: 'done', reference });
    expect(pushed.items.some((e) => e.type === 'log' && /Writing manifest|Copying/.test(e.text))).toBe(true);

    // The stored login also serves pulls from that registry.
    await podman(info, 'rmi', reference);
    const pull = openStream(app, 'images.pull', { reference });
    expect(await pull.ended).toBeUndefined();
    expect(await exists(reference)).toBe(true);

    expect(await app.dispatcher.call('registries.logout', { server: locked.host })).toEqual({ ok: true });
    await podman(info, 'rmi', reference);
    const again = openStream(app, 'images.pull', { reference });
    expect(await again.ended).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('says which image is missing when pushing one that is not there, and refuses bad references', async () => {
    const missing = openStream(app, 'images.push', { reference: `${registry.host}/pdt/never-made:1` });
    expect(await missing.ended).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('not in local storage') });
    const bad = openStream(app, 'images.pull', { reference: 'has spaces:1' });
    expect(await bad.ended).toMatchObject({ code: 'INVALID_INPUT' });
  });
});
