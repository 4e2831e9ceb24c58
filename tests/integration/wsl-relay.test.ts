import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { LIBPOD } from '../../src/main/podman/engine';
import { POOL_SIZE } from '../../src/main/podman/transport/command';
import type { ExecEvent } from '../../src/shared/contract';
import { connectedApp, uniqueName } from '../support/app';
import { openStream } from '../support/open-stream';
import { podman, waitFor } from '../support/podman';
import { allReaped, standInWsl, type StandInWsl } from '../support/wsl-stand-in';

const info = inject('podman');

/**
 * Podman in a WSL distro, as PodDesk reaches it on Windows: every connection is
 * `wsl.exe -d <distro> --exec podman system dial-stdio`. Here wsl.exe is a stand-in that waits
 * 50 ms and becomes socat to the test Podman, so the whole app runs over the pooled relays.
 */
describe('Podman in a WSL distro, over pooled relays', () => {
  let wsl: StandInWsl;
  let app: App | null = null;
  let busy: string;

  beforeAll(async () => {
    wsl = await standInWsl(join(info.dir, `wsl-${process.pid}`), info.socketPath, 50);
    app = await connectedApp(info, {
      endpoint: wsl.endpoint,
      // A command runs only when main's own finders made it, as they do for WSL distros.
      moreCandidates: async () => [{ endpoint: wsl.endpoint, source: 'wsl', label: 'Podman in WSL distro Test' }],
      createEngine: wsl.createEngine,
    });
    busy = uniqueName('wsl-counting');
    await podman(
      info,
      'run',
      '-d',
      '--name',
      busy,
      info.busybox,
      'sh',
      '-c',
      'i=0; while true; do echo "line $i"; i=$((i+1)); sleep 0.05; done',
    );
  });

  afterAll(async () => {
    await app?.close();
    await podman(info, 'rm', '-f', '-t', '0', busy).catch(() => undefined);
  });

  it('lists, inspects, follows a log, runs a terminal and follows events, with relays kept and reused', async () => {
    const status = app!.connection.status();
    expect(status).toMatchObject({ state: 'connected', candidate: { endpoint: wsl.endpoint } });

    // The Containers page: the list, then details of many at once.
    await waitFor(() => app!.containers.items().some((c) => c.name === busy), 'the running container');
    const list = await app!.dispatcher.call('containers.list', undefined);
    expect(list.ok).toBe(true);
    const ids = (list.ok ? (list.data as { id: string; name: string }[]) : []).map((c) => c.id);
    expect(ids.length).toBeGreaterThan(0);
    const inspects = await Promise.all(
      Array.from({ length: 30 }, (_, i) => app!.dispatcher.call('containers.inspect', { id: ids[i % ids.length]! })),
    );
    expect(inspects.every((r) => r.ok)).toBe(true);

    const log = openStream(app!, 'containers.logs', { id: busy, follow: true, tail: 5 });
    await log.until((lines) => lines.length >= 10, 'followed log lines');

    const terminal = openStream(app!, 'exec.session', { id: busy, cols: 80, rows: 24 });
    await terminal.until((items) => items.some((e) => e.type === 'ready'), 'the terminal');
    const session = (terminal.items.find((e) => e.type === 'ready') as Extract<ExecEvent, { type: 'ready' }>).session;
    await app!.dispatcher.call('exec.input', { session, data: 'echo "sum=$((20+22))"\r' });
    await terminal.until((items) => items.some((e) => e.type === 'output' && /sum=42/.test(e.data)), 'the terminal’s answer');

    const made = uniqueName('wsl-event');
    await podman(info, 'create', '--name', made, info.busybox, 'true');
    await waitFor(() => app!.containers.items().some((c) => c.name === made), 'the create event');
    await podman(info, 'rm', made);

    // More requests while the streams stay open: they reuse the pool's relays.
    const before = wsl.spawned.length;
    for (let i = 0; i < 10; i++) expect((await app!.dispatcher.call('containers.inspect', { id: busy })).ok).toBe(true);
    expect(wsl.spawned.length).toBe(before);

    // The pool, plus one relay for each long stream (events, the log) and the terminal's upgraded
    // connection, which leaves the pool: far from one process per request (40 inspects alone).
    expect(wsl.spawned.length).toBeLessThanOrEqual(POOL_SIZE + 3);
    expect(wsl.spawned.length).toBeGreaterThanOrEqual(3);

    terminal.close();
    log.close();
    await waitFor(() => wsl.alive().length <= POOL_SIZE + 1, 'the streams’ relays to end');
  });

  it('after `wsl --shutdown`, says it is reconnecting, comes back by itself and resumes events with one list per cache', async () => {
    const engine = app!.connection.engine();
    const mark = engine.recent.at(-1);
    const since = () => engine.recent.slice(engine.recent.indexOf(mark!) + 1);
    // The containers cache's list (others list with filters, e.g. for the volume helper's leftovers).
    const fullLists = () => since().filter((r) => r.path === `${LIBPOD}/containers/json` && !r.query?.filters).length;
    const inspects = () => since().filter((r) => /^\/v4\.0\.0\/libpod\/containers\/[^/]+\/json$/.test(r.path)).length;
    const states: string[] = [];
    app!.connection.watch((s) => states.push(s.state));

    await wsl.shutdown();
    await waitFor(() => app!.connection.status().state === 'lost', 'the lost state');
    const lost = app!.connection.status();
    expect(lost).toMatchObject({ state: 'lost', candidate: { endpoint: wsl.endpoint } });
    expect(await app!.dispatcher.call('containers.inspect', { id: busy })).toMatchObject({
      ok: false,
      error: { code: 'ENGINE_UNAVAILABLE' },
    });

    // While WSL is down, something changes: the rebuilt list must have it.
    const whileDown = uniqueName('wsl-while-down');
    await podman(info, 'create', '--name', whileDown, info.busybox, 'true');
    await wsl.boot();
    await waitFor(() => app!.connection.status().state === 'connected', 'the connection to come back', 30_000);
    expect(states).toContain('lost');
    expect(app!.containers.items().some((c) => c.name === whileDown)).toBe(true);
    // One full list to rebuild the cache, and no inspect per container to get there.
    expect(fullLists()).toBe(1);
    expect(inspects()).toBe(0);

    const after = uniqueName('wsl-after');
    await podman(info, 'create', '--name', after, info.busybox, 'true');
    await waitFor(() => app!.containers.items().some((c) => c.name === after), 'an event after reconnecting');
    await podman(info, 'rm', whileDown, after);
  });

  it('leaves no relay behind once closed, not even a zombie', async () => {
    await app!.close();
    app = null;
    await waitFor(() => allReaped(wsl.spawned), 'every relay to end and be reaped', 10_000);
    expect(wsl.alive()).toEqual([]);
  });
});
