import http from 'node:http';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/main/podman/engine';
import { commandAgents, type CommandTransportOptions } from '../../../src/main/podman/transport/command';
import { isLongLived } from '../../../src/main/podman/transport/long-lived';
import { fakeEngineServer, fakeRelays, type FakeRelayOptions } from '../../support/fake-relays';

const ARGV = ['wsl.exe', '-d', 'Ubuntu', '--exec', 'podman', 'system', 'dial-stdio'];

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function setup(options: CommandTransportOptions = {}, relay: FakeRelayOptions = {}, hangUpOnReuse = () => false) {
  const server = await fakeEngineServer({ hangUpOnReuse });
  const relays = fakeRelays(server.socketPath, relay);
  const agents = commandAgents(ARGV, { spawnProcess: relays.spawnProcess, ...options });
  cleanups.push(() => server.close());
  cleanups.push(() => {
    agents.pooled.destroy();
    agents.dedicated.destroy();
  });
  return { server, relays, ...agents };
}

function get(agent: http.Agent, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ agent, host: 'podman', port: 80, path }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.once('error', reject);
      })
      .once('error', reject);
  });
}

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
};

const openSockets = (agent: http.Agent) =>
  Object.values(agent.sockets).flat().length + Object.values(agent.freeSockets).flat().length;

describe('the command transport’s pool', () => {
  it('runs the command it was given and reuses one relay for requests one after another', async () => {
    const { relays, pooled } = await setup();
    for (let i = 0; i < 30; i++) expect(await get(pooled, `/containers/${i}/json`)).toMatchObject({ status: 200 });
    expect(relays.children).toHaveLength(1);
    expect(relays.children[0]!.argv).toEqual(ARGV);
    expect(relays.alive()).toBe(1);
    // Each request's timeout listener goes with it: none piles up on a relay used many times.
    const [socket] = Object.values(pooled.freeSockets).flat();
    expect(socket!.listenerCount('timeout')).toBeLessThanOrEqual(2);
  });

  it('never runs more relays than the pool holds, however many requests wait', async () => {
    const { relays, pooled, server } = await setup({ poolSize: 3 });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => get(pooled, `/containers/${i}/json?delay=20`)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(relays.children).toHaveLength(3);
    expect(server.mostAtOnce()).toBe(3);
  });

  it('fails the request of a relay that dies mid-way, and gives the next one a new relay', async () => {
    const { relays, pooled } = await setup();
    const pending = get(pooled, '/containers/slow/json?delay=2000');
    await until(() => relays.children.length === 1, 'the relay');
    relays.children[0]!.crash();
    await expect(pending).rejects.toThrow(/was ended \(SIGKILL\)/);
    expect(await get(pooled, '/_ping')).toMatchObject({ status: 200 });
    expect(relays.children).toHaveLength(2);
    expect(openSockets(pooled)).toBe(1);
  });

  it('drops a parked relay that dies, so no request is sent to it', async () => {
    const { relays, pooled } = await setup();
    await get(pooled, '/_ping');
    relays.children[0]!.crash();
    await until(() => openSockets(pooled) === 0, 'the dead relay to leave the pool');
    expect(await get(pooled, '/_ping')).toMatchObject({ status: 200 });
    expect(relays.children).toHaveLength(2);
  });

  it('ends a relay by closing its input, and kills one that does not leave', async () => {
    const polite = await setup();
    await get(polite.pooled, '/_ping');
    polite.pooled.destroy();
    await until(() => polite.relays.alive() === 0, 'the relay to leave');
    expect(polite.relays.children[0]!.signalCode).toBeNull(); // it left by itself, at the end of its input

    const stubborn = await setup({ graceMs: 30 }, { ignoreEof: true });
    await get(stubborn.pooled, '/_ping');
    stubborn.pooled.destroy();
    await until(() => stubborn.relays.alive() === 0, 'the relay to be killed');
    expect(stubborn.relays.children[0]!.signalCode).toBe('SIGTERM');
  });

  it('ends relays that stay idle, so no process lingers', async () => {
    const { relays, pooled } = await setup({ idleMs: 40 });
    await Promise.all([get(pooled, '/a?delay=10'), get(pooled, '/b?delay=10')]);
    expect(relays.alive()).toBe(2);
    await until(() => relays.alive() === 0, 'the idle relays to end');
    expect(openSockets(pooled)).toBe(0);
    expect(await get(pooled, '/_ping')).toMatchObject({ status: 200 });
  });

  it('gives a long stream a relay of its own, outside the pool, ended with the stream', async () => {
    const { relays, pooled, dedicated } = await setup({ poolSize: 1 });
    const events = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get({ agent: dedicated, host: 'podman', port: 80, path: '/events' }, resolve).once('error', reject),
    );
    const answers = await Promise.all([get(pooled, '/a'), get(pooled, '/b'), get(pooled, '/c')]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(relays.children).toHaveLength(2);
    events.destroy();
    await until(() => relays.children[0]!.exited, 'the stream’s relay to end');
    expect(relays.alive()).toBe(1);
  });

  it('says why a relay failed, in its own words', async () => {
    const { pooled } = await setup({}, { failWith: 'There is no distribution with the supplied name.\r\n' });
    const error = await get(pooled, '/_ping').then(
      () => null,
      (e: unknown) => e as Error & { code?: string; detail?: string },
    );
    expect(error?.message).toBe('wsl.exe exited with code 1: There is no distribution with the supplied name.');
    expect(error).toMatchObject({ code: 'ECONNRESET', detail: 'There is no distribution with the supplied name.' });
  });

  it('starts no relay once destroyed, even for requests that were waiting', async () => {
    const { relays, pooled } = await setup({ poolSize: 1 });
    const waiting = Array.from({ length: 3 }, (_, i) =>
      get(pooled, `/${i}?delay=200`).then(
        () => 'ok',
        () => 'failed',
      ),
    );
    await until(() => relays.children.length === 1, 'the relay');
    pooled.destroy();
    expect(await Promise.all(waiting)).toEqual(['failed', 'failed', 'failed']);
    expect(relays.children).toHaveLength(1);
    await until(() => relays.alive() === 0, 'the relay to end');
  });
});

describe('the engine client over a command transport', () => {
  async function engineSetup(hangUpOnReuse = () => false) {
    const server = await fakeEngineServer({ hangUpOnReuse });
    const relays = fakeRelays(server.socketPath);
    const engine = createEngine({ kind: 'command', argv: ARGV }, { spawnProcess: relays.spawnProcess });
    cleanups.push(() => server.close());
    cleanups.push(() => engine.close());
    return { server, relays, engine };
  }

  it('shares pooled relays among requests and gives events and a followed log their own', async () => {
    const { relays, engine } = await engineSetup();
    for (let i = 0; i < 10; i++) await engine.json('GET', `/v4.0.0/libpod/containers/${i}/json`);
    expect(relays.children).toHaveLength(1);
    const stop = new AbortController();
    const events = await engine.stream('GET', '/events', { signal: stop.signal });
    const log = await engine.stream('GET', '/v4.0.0/libpod/containers/a/logs', { query: { follow: true }, signal: stop.signal });
    await engine.stream('GET', '/v4.0.0/libpod/containers/a/logs', { query: { follow: false } }).then((r) => r.resume());
    expect(relays.children).toHaveLength(3);
    stop.abort();
    events.destroy();
    log.destroy();
    await until(() => relays.alive() === 1, 'the streams’ relays to end');
    engine.close();
    await until(() => relays.alive() === 0, 'the pooled relay to end');
  });

  it('keeps its agents cheap to print: docker-modem formats them into every request’s debug line', async () => {
    const { engine } = await engineSetup();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => engine.json('GET', `/v4.0.0/libpod/containers/${i}/json`, { query: { delay: 20 } })),
    );
    const modem = engine.docker.modem as unknown as { agent: http.Agent };
    expect(inspect({ agent: modem.agent }, { showHidden: true, depth: null }).length).toBeLessThan(100);
  });

  it('sends a GET again when the parked relay it went out on had just been closed; never a POST', async () => {
    let hangUp = false;
    const { relays, engine } = await engineSetup(() => hangUp);
    await engine.json('GET', '/v4.0.0/libpod/containers/a/json');
    hangUp = true;
    expect(await engine.json('GET', '/v4.0.0/libpod/containers/a/json')).toEqual({ path: '/v4.0.0/libpod/containers/a/json' });
    expect(relays.children).toHaveLength(2);
    await expect(engine.json('POST', '/v4.0.0/libpod/containers/a/start')).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE' });
  });
});

describe('which requests hold a connection for long', () => {
  const shape = (method: string, path: string, query?: Record<string, unknown>, hijack = false) => ({
    method,
    path,
    query,
    isStream: true,
    hijack,
  });
  it.each([
    [shape('GET', '/events'), true],
    [shape('GET', '/v4.0.0/libpod/containers/x/logs', { follow: true }), true],
    [shape('GET', '/v4.0.0/libpod/containers/x/logs', { follow: false }), false],
    [shape('GET', '/v4.0.0/libpod/containers/stats', { stream: true }), true],
    [shape('GET', '/containers/x/stats', { stream: false }), false],
    [shape('POST', '/images/create', { fromImage: 'busybox' }), true],
    [shape('POST', '/v4.0.0/libpod/build'), true],
    [shape('POST', '/exec/abc/start'), true],
    [shape('POST', '/exec/abc/start', undefined, true), false],
    [shape('HEAD', '/containers/x/archive', { path: '/' }), false],
    [shape('GET', '/containers/x/archive', { path: '/etc' }), false],
    [{ ...shape('GET', '/events'), isStream: false }, false],
  ])('%j → %s', (request, long) => {
    expect(isLongLived(request)).toBe(long);
  });
});
