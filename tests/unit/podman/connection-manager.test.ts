import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { candidateKey } from '../../../src/main/podman/connection/endpoint-uri';
import { createConnectionManager, type ConnectionManagerDeps } from '../../../src/main/podman/connection/manager';
import { trustHostKey } from '../../../src/main/podman/connection/trust-host-key';
import { hostKeyError } from '../../../src/main/podman/transport/host-keys';
import type { Engine } from '../../../src/main/podman/engine';
import type { ServiceProcess } from '../../../src/main/podman/connection/service-process';
import { wslRelayArgv } from '../../../src/main/podman/connection/finders';
import { wslServiceArgv, type DistroService } from '../../../src/main/podman/connection/wsl-service';
import { memorySettings } from '../../../src/main/store/settings';
import type { Candidate, CandidateSource, ConnectionStatus, Endpoint, HostKeyProblem } from '../../../src/shared/contract';
import { AppError } from '../../../src/shared/errors';
import { ALLOW, fakeConsent } from '../../support/consent';

/** Engines that answer or not as the test says, with an event stream the test can cut. */
function world() {
  const alive = new Set<string>();
  const streams: PassThrough[] = [];
  // ssh hosts whose key is not trusted: by endpoint key, the problem a handshake would report.
  const hostKeyProblems = new Map<string, HostKeyProblem>();
  let pings = 0;
  const key = (e: Endpoint) => (e.kind === 'unix' ? e.path : e.kind === 'ssh' ? `${e.host}:${e.port}` : JSON.stringify(e));
  const createEngine = (endpoint: Endpoint): Engine =>
    ({
      endpoint,
      requests: new Map(),
      recent: [],
      docker: {} as Engine['docker'],
      async ping() {
        pings++;
        const problem = hostKeyProblems.get(key(endpoint));
        if (problem) throw hostKeyError(problem);
        if (!alive.has(key(endpoint))) throw new AppError('ENGINE_UNAVAILABLE', `nothing at ${key(endpoint)}`);
      },
      async json() {
        return {
          version: { Version: '5.2.0', APIVersion: '5.2.0' },
          host: { os: 'linux', arch: 'amd64', security: { rootless: true } },
        };
      },
      async stream() {
        if (!alive.has(key(endpoint))) throw new AppError('ENGINE_UNAVAILABLE', 'gone');
        const s = new PassThrough();
        streams.push(s);
        return s as never;
      },
      close() {},
    }) as unknown as Engine;
  return { alive, streams, hostKeyProblems, createEngine, pings: () => pings };
}

const ssh = (host: string, source: CandidateSource = 'podman-connection'): Candidate => {
  const endpoint: Endpoint = { kind: 'ssh', host, port: 2222, username: 'me', socketPath: '/run/podman/podman.sock' };
  return { key: candidateKey(endpoint), endpoint, source, label: `ssh ${host}` };
};

const problem = (kind: HostKeyProblem['kind'], host: string): HostKeyProblem => ({
  kind,
  host,
  port: 2222,
  algorithm: 'ssh-ed25519',
  fingerprint: `SHA256:${'B'.repeat(43)}`,
  known: kind === 'unknown' ? [] : [{ algorithm: 'ssh-ed25519', fingerprint: `SHA256:${'C'.repeat(43)}`, file: '/k', line: 1 }],
  knownHostsFile: '/home/me/.ssh/known_hosts',
});

const sock = (path: string): Candidate => {
  const endpoint: Endpoint = { kind: 'unix', path };
  return { key: candidateKey(endpoint), endpoint, source: 'rootless-socket', label: path };
};

function manager(w: ReturnType<typeof world>, overrides: Partial<ConnectionManagerDeps> = {}) {
  return createConnectionManager({
    platform: 'linux',
    locatePodman: async () => '/usr/bin/podman',
    findCandidates: async () => [sock('/a.sock'), sock('/b.sock')],
    settings: memorySettings(),
    createEngine: w.createEngine,
    createService: () => null,
    startMachine: async () => undefined,
    backoff: { initialMs: 5, maxMs: 20 },
    idleProbeMs: 10,
    ...overrides,
  });
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

/** Podman in a WSL distro: a relay that answers once the owned service runs. */
function wslWorld(w: ReturnType<typeof world>, distro = 'Ubuntu') {
  const relay: Candidate = (() => {
    const endpoint: Endpoint = { kind: 'command', argv: wslRelayArgv(distro) };
    return { key: candidateKey(endpoint), endpoint, source: 'wsl', label: `Podman in WSL distro ${distro}` };
  })();
  const relayKey = JSON.stringify(relay.endpoint);
  let running = false;
  const service: DistroService = {
    distro,
    argv: wslServiceArgv(relay.endpoint)!,
    start: vi.fn(async () => {
      running = true;
      w.alive.add(relayKey);
    }),
    stop: vi.fn(async () => {
      running = false;
      w.alive.delete(relayKey);
    }),
    running: () => running,
  };
  const pipe: Candidate = (() => {
    const endpoint: Endpoint = { kind: 'npipe', path: '//./pipe/podman-machine-default' };
    return { key: candidateKey(endpoint), endpoint, source: 'machine', label: 'Podman machine podman-machine-default' };
  })();
  /** `wsl --shutdown`: the service and every relay end. */
  const shutdown = () => {
    running = false;
    w.alive.delete(relayKey);
    for (const stream of w.streams) stream.end();
  };
  return {
    relay,
    pipe,
    service,
    shutdown,
    createDistroService: vi.fn((endpoint: Endpoint) => (JSON.stringify(endpoint) === relayKey ? service : null)),
  };
}

describe('the connection manager', () => {
  it('connects to the first candidate that answers, and reports the engine', async () => {
    const w = world();
    w.alive.add('/b.sock');
    const m = manager(w);
    const status = await m.connect();
    expect(status).toMatchObject({
      state: 'connected',
      candidate: { label: '/b.sock' },
      engine: { version: '5.2.0', rootless: true },
    });
    expect(m.engine().endpoint).toEqual({ kind: 'unix', path: '/b.sock' });
    await m.close();
  });

  it('says not-installed without podman and without candidates, with the platform’s hint', async () => {
    const m = manager(world(), { locatePodman: async () => null, findCandidates: async () => [], platform: 'darwin' });
    const status = await m.connect();
    expect(status).toMatchObject({ state: 'not-installed', platform: 'darwin' });
    expect(status.state === 'not-installed' && status.hint.steps.join()).toMatch(/brew/);
    expect(() => m.engine()).toThrow(/not connected/);
    await m.close();
  });

  it('says not-running when podman is there but silent, then connects when a socket starts answering', async () => {
    const w = world();
    const m = manager(w);
    const status = await m.connect();
    expect(status).toMatchObject({
      state: 'not-running',
      podmanPath: '/usr/bin/podman',
      startAction: 'podman system service --time=0',
    });
    expect(status.state === 'not-running' && status.tried.map((c) => c.label)).toEqual(['/a.sock', '/b.sock']);
    w.alive.add('/a.sock');
    await until(() => m.status().state === 'connected');
    await m.close();
  });

  it('starts the service it owns when asked, and stops it on close', async () => {
    const w = world();
    const service: ServiceProcess = {
      socketPath: '/owned.sock',
      start: vi.fn(async () => void w.alive.add('/owned.sock')),
      stop: vi.fn(async () => void w.alive.delete('/owned.sock')),
      running: () => w.alive.has('/owned.sock'),
    };
    const m = manager(w, { createService: () => service, settings: memorySettings({ autoStartService: true }) });
    const status = await m.connect();
    expect(status).toMatchObject({ state: 'connected', ownedService: true, candidate: { source: 'owned-service' } });
    await m.close();
    expect(service.stop).toHaveBeenCalled();
  });

  it('starts the machine on Windows and macOS instead of a service', async () => {
    const w = world();
    const startMachine = vi.fn(async () => void w.alive.add('/a.sock'));
    const m = manager(w, { platform: 'win32', startMachine });
    expect((await m.connect()).state).toBe('not-running');
    expect((await m.start()).state).toBe('connected');
    expect(startMachine).toHaveBeenCalledWith('/usr/bin/podman');
    await m.close();
  });

  it('goes to lost when the event stream ends, backs off, and comes back with the caches reloaded', async () => {
    const w = world();
    w.alive.add('/a.sock');
    const reloads = vi.fn(async () => undefined);
    const m = manager(w);
    m.onConnect(reloads);
    const seen: ConnectionStatus[] = [];
    m.watch((s) => seen.push(s));
    await m.connect();
    expect(reloads).toHaveBeenCalledTimes(1);

    w.alive.delete('/a.sock');
    w.streams.at(-1)!.end();
    await until(() => seen.filter((s) => s.state === 'lost').length >= 3);
    const lost = seen.filter((s): s is Extract<ConnectionStatus, { state: 'lost' }> => s.state === 'lost');
    expect(lost.map((s) => s.attempt).slice(0, 3)).toEqual([1, 2, 3]);
    expect(lost.map((s) => s.retryInMs).slice(0, 3)).toEqual([5, 10, 20]);
    expect(() => m.engine()).toThrow(/lost/);

    w.alive.add('/a.sock');
    await until(() => m.status().state === 'connected');
    expect(reloads).toHaveBeenCalledTimes(2);
    await m.close();
  });

  it('passes events to every listener, even when one throws', async () => {
    const w = world();
    w.alive.add('/a.sock');
    const m = manager(w);
    await m.connect();
    const got: string[] = [];
    m.onEvent(() => {
      throw new Error('bad listener');
    });
    m.onEvent((e) => got.push(e.action));
    w.streams.at(-1)!.write('{"Type":"container","Action":"start","Actor":{"ID":"x"}}\nnot json\n{"Type":"container",');
    w.streams.at(-1)!.write('"Action":"stop","Actor":{"ID":"x"}}\n');
    await until(() => got.length === 2);
    expect(got).toEqual(['start', 'stop']);
    await m.close();
  });

  it('saves the candidate the page chose by key, and uses it first', async () => {
    const w = world();
    w.alive.add('/a.sock');
    w.alive.add('/chosen.sock');
    const settings = memorySettings();
    const m = manager(w, {
      settings,
      findCandidates: async (_p, saved) => [
        ...(saved ? [{ ...saved, key: candidateKey(saved.endpoint), source: 'saved' as const }] : []),
        sock('/a.sock'),
        sock('/chosen.sock'),
      ],
    });
    await m.connect();
    const status = await m.choose(sock('/chosen.sock').key);
    expect(status).toMatchObject({ state: 'connected', candidate: { source: 'saved', label: '/chosen.sock' } });
    expect(settings.get().connection).toEqual({ endpoint: { kind: 'unix', path: '/chosen.sock' }, label: '/chosen.sock' });
    // A key that names nothing found is refused, and the saved choice stays.
    await expect(m.choose('0'.repeat(24))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(settings.get().connection?.endpoint).toEqual({ kind: 'unix', path: '/chosen.sock' });
    // null: back to automatic discovery.
    expect(await m.choose(null)).toMatchObject({ state: 'connected', candidate: { label: '/a.sock' } });
    expect(settings.get().connection).toBeNull();
    await m.close();
  });

  it('saves a connection main built from the user’s fields (add) and connects to it', async () => {
    const w = world();
    w.alive.add('/mine.sock');
    const settings = memorySettings();
    const m = manager(w, {
      settings,
      findCandidates: async (_p, saved) =>
        saved ? [{ ...saved, key: candidateKey(saved.endpoint), source: 'saved' as const }] : [],
    });
    const status = await m.add({ endpoint: { kind: 'unix', path: '/mine.sock' }, label: 'mine' });
    expect(status).toMatchObject({ state: 'connected', candidate: { source: 'saved', label: 'mine' } });
    expect(settings.get().connection).toEqual({ endpoint: { kind: 'unix', path: '/mine.sock' }, label: 'mine' });
    await m.close();
  });

  it('on Windows without Podman for Windows, Start runs Podman in the WSL distro, owns it and stops it on close', async () => {
    const w = world();
    const wsl = wslWorld(w);
    const startMachine = vi.fn(async () => undefined);
    const m = manager(w, {
      platform: 'win32',
      locatePodman: async () => null,
      findCandidates: async () => [wsl.pipe, wsl.relay],
      createDistroService: wsl.createDistroService,
      startMachine,
    });
    const silent = await m.connect();
    expect(silent).toMatchObject({
      state: 'not-running',
      startAction: 'wsl.exe -d Ubuntu --exec podman system service --time=10',
    });
    const seen: ConnectionStatus['state'][] = [];
    m.watch((s) => seen.push(s.state));
    const status = await m.start();
    expect(status).toMatchObject({
      state: 'connected',
      ownedService: true,
      candidate: {
        source: 'owned-service',
        endpoint: wsl.relay.endpoint,
        label: expect.stringMatching(/Ubuntu, started by PodDesk/),
      },
    });
    expect(seen).toContain('starting');
    expect(wsl.service.start).toHaveBeenCalledTimes(1);
    expect(startMachine).not.toHaveBeenCalled();
    await m.close();
    expect(wsl.service.stop).toHaveBeenCalled();
  });

  it('with Podman for Windows, Start is `podman machine start`, unless the saved choice is a distro', async () => {
    const w = world();
    const wsl = wslWorld(w);
    const startMachine = vi.fn(async () => undefined);
    const machineFirst = manager(w, {
      platform: 'win32',
      locatePodman: async () => 'C:\\Program Files\\RedHat\\Podman\\podman.exe',
      findCandidates: async () => [wsl.pipe, wsl.relay],
      createDistroService: wsl.createDistroService,
      startMachine,
    });
    expect(await machineFirst.connect()).toMatchObject({ state: 'not-running', startAction: 'podman machine start' });
    await machineFirst.start();
    expect(startMachine).toHaveBeenCalledTimes(1);
    expect(wsl.service.start).not.toHaveBeenCalled();
    await machineFirst.close();

    const savedDistro = manager(w, {
      platform: 'win32',
      locatePodman: async () => 'C:\\Program Files\\RedHat\\Podman\\podman.exe',
      settings: memorySettings({ connection: { endpoint: wsl.relay.endpoint, label: wsl.relay.label } }),
      findCandidates: async () => [{ ...wsl.relay, source: 'saved' }, wsl.pipe, wsl.relay],
      createDistroService: wsl.createDistroService,
      startMachine,
    });
    await savedDistro.connect();
    expect(await savedDistro.start()).toMatchObject({ state: 'connected', ownedService: true });
    expect(startMachine).toHaveBeenCalledTimes(1);
    await savedDistro.close();
  });

  it('starts Podman in the distro by itself when the setting says so', async () => {
    const w = world();
    const wsl = wslWorld(w);
    const m = manager(w, {
      platform: 'win32',
      locatePodman: async () => null,
      settings: memorySettings({ autoStartService: true }),
      findCandidates: async () => [wsl.relay],
      createDistroService: wsl.createDistroService,
    });
    expect(await m.connect()).toMatchObject({ state: 'connected', ownedService: true });
    await m.close();
  });

  it('after `wsl --shutdown`, says it is reconnecting, starts its service in the distro again and comes back', async () => {
    const w = world();
    const wsl = wslWorld(w);
    const reloads = vi.fn(async () => undefined);
    const m = manager(w, {
      platform: 'win32',
      locatePodman: async () => null,
      findCandidates: async () => [wsl.relay],
      createDistroService: wsl.createDistroService,
      backoff: { initialMs: 5, maxMs: 20, relayMaxMs: 40 },
    });
    m.onConnect(reloads);
    await m.connect();
    await m.start();
    expect(reloads).toHaveBeenCalledTimes(1);
    const seen: ConnectionStatus[] = [];
    m.watch((s) => seen.push(s));

    wsl.shutdown();
    await until(() => m.status().state === 'connected' && seen.some((s) => s.state === 'lost'));
    expect(seen.find((s) => s.state === 'lost')).toMatchObject({ candidate: { source: 'owned-service' }, attempt: 1 });
    expect(wsl.service.start).toHaveBeenCalledTimes(2);
    // Back with one reload of each cache (the event stream resumed), not one per try.
    expect(reloads).toHaveBeenCalledTimes(2);
    await m.close();
  });

  it('backs off further over a WSL relay than over a local socket, up to its own cap', async () => {
    const w = world();
    const wsl = wslWorld(w);
    w.alive.add(JSON.stringify(wsl.relay.endpoint));
    const m = manager(w, {
      platform: 'win32',
      locatePodman: async () => null,
      findCandidates: async () => [wsl.relay],
      backoff: { initialMs: 5, maxMs: 10, relayMaxMs: 40 },
    });
    await m.connect();
    const lost: number[] = [];
    m.watch((s) => {
      if (s.state === 'lost') lost.push(s.retryInMs);
    });
    w.alive.clear();
    w.streams.at(-1)!.end();
    await until(() => lost.length >= 6);
    expect(lost.slice(0, 6)).toEqual([5, 10, 20, 40, 40, 40]);
    await m.close();
  });

  it('stops at an ssh host key to look at when that connection is the user’s choice, rather than use another engine', async () => {
    const w = world();
    w.alive.add('/a.sock');
    w.hostKeyProblems.set('remote:2222', problem('unknown', 'remote'));
    const m = manager(w, { findCandidates: async () => [ssh('remote', 'saved'), sock('/a.sock')] });
    const status = await m.connect();
    expect(status).toMatchObject({
      state: 'host-key',
      candidate: { source: 'saved', label: 'ssh remote' },
      problem: { kind: 'unknown', fingerprint: `SHA256:${'B'.repeat(43)}` },
    });
    expect(status.state === 'host-key' && status.message).toMatch(/has not connected to remote/);
    expect(() => m.engine()).toThrow(/not connected/);
    // No idle probe either: nothing connects behind the question's back.
    await new Promise((r) => setTimeout(r, 60));
    expect(m.status().state).toBe('host-key');
    await m.close();
  });

  it('moves on past a host key problem of a connection the user did not choose, and reports it when nothing answers', async () => {
    const w = world();
    w.alive.add('/a.sock');
    w.hostKeyProblems.set('remote:2222', problem('changed', 'remote'));
    const found = async () => [ssh('remote'), sock('/a.sock')];
    const m = manager(w, { findCandidates: found });
    expect(await m.connect()).toMatchObject({ state: 'connected', candidate: { label: '/a.sock' } });
    await m.close();

    const silent = world();
    silent.hostKeyProblems.set('remote:2222', problem('changed', 'remote'));
    const m2 = manager(silent, { findCandidates: found, idleProbeMs: 60_000 });
    expect(await m2.connect()).toMatchObject({ state: 'host-key', problem: { kind: 'changed' } });
    await m2.close();
  });

  it('stops reconnecting when the host comes back with another key', async () => {
    const w = world();
    w.alive.add('remote:2222');
    const m = manager(w, { findCandidates: async () => [ssh('remote', 'saved')] });
    expect((await m.connect()).state).toBe('connected');
    w.hostKeyProblems.set('remote:2222', problem('changed', 'remote'));
    w.streams.at(-1)!.end();
    await until(() => m.status().state === 'host-key');
    const pings = w.pings();
    await new Promise((r) => setTimeout(r, 80));
    expect(w.pings()).toBe(pings);
    expect(m.status()).toMatchObject({ state: 'host-key', problem: { kind: 'changed' } });
    await m.close();
  });

  it('trusts a host key only for an ssh connection main knows, once the user allowed it, then connects', async () => {
    const w = world();
    w.hostKeyProblems.set('remote:2222', problem('unknown', 'remote'));
    w.alive.add('remote:2222');
    const m = manager(w, { findCandidates: async () => [ssh('remote', 'saved'), sock('/a.sock')] });
    const status = await m.connect();
    expect(status.state).toBe('host-key');
    const print = `SHA256:${'B'.repeat(43)}`;
    const trusted: [string, number, string][] = [];
    const hostKeys = {
      expectWaiting(_host: string, _port: number, fingerprint: string) {
        if (fingerprint !== print) throw new AppError('CONFLICT', 'another key');
      },
      async trust(host: string, port: number, fingerprint: string) {
        trusted.push([host, port, fingerprint]);
        w.hostKeyProblems.delete(`${host}:${port}`);
      },
    };
    const consent = fakeConsent();
    const deps = { connection: m, hostKeys, consent };
    await expect(trustHostKey({ key: '0'.repeat(24), fingerprint: print }, deps)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(trustHostKey({ key: sock('/a.sock').key, fingerprint: print }, deps)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    // Another fingerprint than the one waiting: refused before the user is bothered.
    await expect(trustHostKey({ key: ssh('remote').key, fingerprint: `SHA256:${'C'.repeat(43)}` }, deps)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(consent.asked).toEqual([]);
    // The user says no: nothing written, still not connected.
    expect(await trustHostKey({ key: ssh('remote').key, fingerprint: print }, deps)).toMatchObject({ state: 'refused' });
    expect(consent.asked[0]).toMatchObject({ subject: `host-key:remote:2222:${print}` });
    expect(consent.asked[0]!.lines).toContain(`Fingerprint: ${print}`);
    expect(trusted).toEqual([]);
    consent.next.push(ALLOW);
    const after = await trustHostKey({ key: ssh('remote').key, fingerprint: print }, deps);
    expect(trusted).toEqual([['remote', 2222, print]]);
    expect(after).toMatchObject({ state: 'trusted', status: { state: 'connected', candidate: { label: 'ssh remote' } } });
    await m.close();
  });
});
