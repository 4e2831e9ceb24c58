import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { podman, waitFor } from '../support/podman';
import { connectedApp, uniqueName } from '../support/app';

const info = inject('podman');
let app: App;
beforeAll(async () => {
  app = await connectedApp(info);
});
afterAll(() => app.close());

const state = async (name: string) => podman(info, 'inspect', '--format', '{{.State.Status}}', name);

describe('container actions through the contract', () => {
  it('starts, stops and removes, as podman inspect confirms', async () => {
    const name = uniqueName('act');
    await podman(info, 'create', '--name', name, info.busybox, 'sleep', '300');

    expect(await app.dispatcher.call('containers.start', { id: name })).toEqual({ ok: true, data: undefined });
    expect(await state(name)).toBe('running');
    // Starting what runs is not an error.
    expect((await app.dispatcher.call('containers.start', { id: name })).ok).toBe(true);

    expect((await app.dispatcher.call('containers.stop', { id: name, timeoutSeconds: 0 })).ok).toBe(true);
    expect(await state(name)).toMatch(/exited|stopped/);

    expect((await app.dispatcher.call('containers.remove', { id: name })).ok).toBe(true);
    await expect(state(name)).rejects.toThrow(/no such/i);
  });

  it('refuses to remove a running container without force, and keeps it', async () => {
    const name = uniqueName('busy');
    await podman(info, 'run', '-d', '--name', name, '--stop-timeout', '1', info.busybox, 'sleep', '300');
    const result = await app.dispatcher.call('containers.remove', { id: name });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (!result.ok) expect(result.error.message).toMatch(/running/);
    expect(await state(name)).toBe('running');
    expect((await app.dispatcher.call('containers.remove', { id: name, force: true })).ok).toBe(true);
    await waitFor(() => !app.containers.items().some((c) => c.name === name), 'the removal in the cache');
  });

  it('deletes anonymous volumes only when asked, and never a named one', async () => {
    const [keep, drop, named] = [uniqueName('anon-keep'), uniqueName('anon-drop'), uniqueName('named')];
    const volumesOf = async (name: string): Promise<string[]> =>
      (JSON.parse(await podman(info, 'container', 'inspect', name))[0].Mounts as { Type: string; Name: string }[])
        .filter((m) => m.Type === 'volume')
        .map((m) => m.Name);
    const volumes = async () => (await podman(info, 'volume', 'ls', '--format', '{{.Name}}')).split('\n');
    await podman(info, 'create', '--name', keep, '-v', '/data', info.busybox, 'true');
    await podman(info, 'create', '--name', drop, '-v', '/data', '-v', `${named}:/named`, info.busybox, 'true');
    const [anonKept] = await volumesOf(keep);
    const anonDropped = (await volumesOf(drop)).find((v) => v !== named);
    expect(anonKept && anonDropped).toBeTruthy();

    expect(await app.dispatcher.call('containers.remove', { id: keep })).toEqual({ ok: true });
    expect(await app.dispatcher.call('containers.remove', { id: drop, volumes: true })).toEqual({ ok: true });
    const left = await volumes();
    expect(left).toContain(anonKept);
    expect(left).not.toContain(anonDropped);
    expect(left).toContain(named);
    await podman(info, 'volume', 'rm', anonKept!, named);

    // The same for many at once.
    const many = [uniqueName('anon-bulk'), uniqueName('anon-bulk')];
    for (const name of many) await podman(info, 'create', '--name', name, '-v', '/data', info.busybox, 'true');
    const anonymous = (await Promise.all(many.map(volumesOf))).flat();
    expect(anonymous).toHaveLength(2);
    const results = await app.dispatcher.call('containers.bulk', { ids: many, action: 'remove', volumes: true });
    expect(results).toMatchObject({ ok: true, data: [{ ok: true }, { ok: true }] });
    expect(await volumes()).not.toEqual(expect.arrayContaining([anonymous[0]]));
    expect(await volumes()).not.toEqual(expect.arrayContaining([anonymous[1]]));
  });

  it('answers a missing container with NOT_FOUND and the engine’s words', async () => {
    const result = await app.dispatcher.call('containers.stop', { id: 'no-such-container-here' });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    if (!result.ok) expect(result.error.message).toMatch(/no-such-container-here/);
  });

  it('refuses bad input before anything reaches the engine', async () => {
    const engine = app.connection.engine();
    const before = engine.recent.length;
    for (const input of [{ id: '../etc' }, { id: '' }, { id: 'a b' }, {}, null, { id: 'x', timeoutSeconds: -1 }]) {
      const result = await app.dispatcher.call('containers.stop', input);
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    expect(engine.recent.length).toBe(before);
  });
});
