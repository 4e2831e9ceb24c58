import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import type { BulkResult } from '../../src/shared/contract';
import { connectedApp, uniqueName } from '../support/app';
import { podman, waitFor, withoutCgroups } from '../support/podman';

const info = inject('podman');
let app: App;
beforeAll(async () => {
  app = await connectedApp(info);
});
afterAll(() => app.close());

const state = (name: string) => podman(info, 'inspect', '--format', '{{.State.Status}}', name);
const cached = (name: string) => app.containers.items().find((c) => c.name === name);
const ok = (result: { ok: boolean }) => expect(result).toMatchObject({ ok: true });

describe('every container action, checked with podman inspect', () => {
  it.skipIf(withoutCgroups(info))('pauses and unpauses, and the cache follows', async () => {
    const name = uniqueName('pause');
    await podman(info, 'run', '-d', '--name', name, info.busybox, 'sleep', '300');
    ok(await app.dispatcher.call('containers.pause', { id: name }));
    expect(await state(name)).toBe('paused');
    await waitFor(() => cached(name)?.state === 'paused', 'paused in the cache');
    // Pausing what is paused is the engine's refusal, said as it says it.
    const again = await app.dispatcher.call('containers.pause', { id: name });
    expect(again).toMatchObject({ ok: false });
    ok(await app.dispatcher.call('containers.unpause', { id: name }));
    expect(await state(name)).toBe('running');
    await podman(info, 'rm', '-f', '-t', '0', name);
  });

  // Rootless Podman on cgroups v1 cannot freeze a container (the freezer is a cgroup): the refusal in its words.
  it.runIf(withoutCgroups(info))('says why it cannot pause (rootless on cgroups v1: no freezer cgroup)', async () => {
    const name = uniqueName('pause');
    await podman(info, 'run', '-d', '--name', name, info.busybox, 'sleep', '300');
    const refused = await app.dispatcher.call('containers.pause', { id: name });
    expect(refused).toMatchObject({ ok: false, error: { message: expect.stringMatching(/rootless containers with cgroup V1/) } });
    expect(await state(name)).toBe('running');
    await podman(info, 'rm', '-f', '-t', '0', name);
  });

  it('restarts with a new start time', async () => {
    const name = uniqueName('restart');
    await podman(info, 'run', '-d', '--name', name, info.busybox, 'sleep', '300');
    const before = await podman(info, 'inspect', '--format', '{{.State.StartedAt}}', name);
    await new Promise((r) => setTimeout(r, 1100));
    ok(await app.dispatcher.call('containers.restart', { id: name, timeoutSeconds: 0 }));
    expect(await state(name)).toBe('running');
    expect(await podman(info, 'inspect', '--format', '{{.State.StartedAt}}', name)).not.toBe(before);
    await podman(info, 'rm', '-f', '-t', '0', name);
  });

  it('kills with the chosen signal', async () => {
    const name = uniqueName('kill');
    // The shell traps HUP and writes a file, so the signal that arrived is visible.
    await podman(
      info,
      'run',
      '-d',
      '--name',
      name,
      info.busybox,
      'sh',
      '-c',
      'trap "echo got-hup > /tmp/sig" HUP; while true; do sleep 0.2; done',
    );
    ok(await app.dispatcher.call('containers.kill', { id: name, signal: 'SIGHUP' }));
    await waitFor(
      async () => (await podman(info, 'exec', name, 'cat', '/tmp/sig').catch(() => '')) === 'got-hup',
      'the trap to run',
    );
    ok(await app.dispatcher.call('containers.kill', { id: name }));
    await waitFor(async () => /exited|stopped/.test(await state(name)), 'SIGKILL to end it');
    expect(await podman(info, 'inspect', '--format', '{{.State.ExitCode}}', name)).toBe('137');
    const bad = await app.dispatcher.call('containers.kill', { id: name, signal: 'SIGNOPE' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await podman(info, 'rm', '-f', name);
  });

  it('renames, and refuses a name that is taken or malformed', async () => {
    const name = uniqueName('old');
    const other = uniqueName('other');
    await podman(info, 'create', '--name', name, info.busybox);
    await podman(info, 'create', '--name', other, info.busybox);
    await waitFor(() => Boolean(cached(other)), 'both in the cache');
    const taken = await app.dispatcher.call('containers.rename', { id: name, name: other });
    expect(taken).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: `A container named ${other} already exists` } });
    const malformed = await app.dispatcher.call('containers.rename', { id: name, name: 'no spaces please' });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const renamed = `${name}-new`;
    ok(await app.dispatcher.call('containers.rename', { id: name, name: renamed }));
    expect(await podman(info, 'inspect', '--format', '{{.Name}}', renamed)).toBe(renamed);
    await waitFor(() => Boolean(cached(renamed)) && !cached(name), 'the new name in the cache');
    await podman(info, 'rm', renamed, other);
  });

  it('commits the container’s changes to a new image', async () => {
    const name = uniqueName('commit');
    await podman(info, 'run', '--name', name, info.busybox, 'sh', '-c', 'echo committed > /data/mark');
    const reference = `localhost/pdt/${name}:v1`;
    const result = await app.dispatcher.call('containers.commit', { id: name, reference, message: 'from the test' });
    expect(result).toMatchObject({ ok: true });
    const id = (result as { data: { id: string } }).data.id;
    expect(id).toMatch(/^[a-f0-9]{64}$/);
    expect(await podman(info, 'run', '--rm', reference, 'cat', '/data/mark')).toBe('committed');
    await waitFor(() => app.images.items().some((i) => i.id === id && i.tags.includes(reference)), 'the image in the cache');
    const bad = await app.dispatcher.call('containers.commit', { id: name, reference: 'Not Valid' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await podman(info, 'rm', name);
    await podman(info, 'rmi', reference);
  });

  it('returns the full inspect JSON', async () => {
    const name = uniqueName('inspect');
    await podman(info, 'create', '--name', name, '--label', 'team=blue', info.busybox);
    const result = await app.dispatcher.call('containers.inspect', { id: name });
    expect(result).toMatchObject({ ok: true, data: { Name: name, Config: { Labels: { team: 'blue' } } } });
    await podman(info, 'rm', name);
  });

  it('acts on many at once, each with its own result', async () => {
    const names = [uniqueName('bulk'), uniqueName('bulk'), uniqueName('bulk')];
    for (const name of names) await podman(info, 'create', '--name', name, info.busybox, 'sleep', '300');
    const ids = [...names, 'no-such-container-x'];
    const started = await app.dispatcher.call('containers.bulk', { ids, action: 'start' });
    const results = (started as { data: BulkResult[] }).data;
    expect(results.filter((r) => r.ok).map((r) => r.id)).toEqual(names);
    expect(results.at(-1)).toMatchObject({ id: 'no-such-container-x', ok: false, error: { code: 'NOT_FOUND' } });
    for (const name of names) expect(await state(name)).toBe('running');

    const refused = (await app.dispatcher.call('containers.bulk', { ids: names, action: 'remove' })) as { data: BulkResult[] };
    expect(refused.data.every((r) => !r.ok && r.error?.code === 'CONFLICT')).toBe(true);
    for (const name of names) expect(await state(name)).toBe('running');

    ok(await app.dispatcher.call('containers.bulk', { ids: names, action: 'stop', timeoutSeconds: 0 }));
    for (const name of names) expect(await state(name)).toMatch(/exited|stopped/);
    ok(await app.dispatcher.call('containers.bulk', { ids: names, action: 'remove' }));
    for (const name of names) await expect(state(name)).rejects.toThrow(/no such/i);
    expect(await app.dispatcher.call('containers.bulk', { ids: [], action: 'start' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });
});
