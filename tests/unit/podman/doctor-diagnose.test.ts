import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/main/podman/doctor/diagnose';
import type { ContainerFacts, DoctorFacts, NetworkFacts, ProbeFacts } from '../../../src/main/podman/doctor/facts';
import type { DoctorReport, DoctorStepId } from '../../../src/shared/contract';

/**
 * The diagnosis on fact sets, one per trap: what a learner meets in their first weeks, and what
 * the doctor must say about it. The same traps are reproduced with a real Podman in
 * tests/integration/network-doctor.test.ts.
 */

const net = (name: string, extra: Partial<NetworkFacts> = {}): NetworkFacts => ({
  name,
  driver: 'bridge',
  dnsEnabled: name !== 'podman',
  internal: false,
  isDefault: name === 'podman',
  ...extra,
});

const NETWORKS = [
  net('podman'),
  net('shop'),
  net('other'),
  net('vault', { internal: true }),
  net('plain', { dnsEnabled: false }),
];

function container(name: string, id: string, extra: Partial<ContainerFacts> = {}): ContainerFacts {
  return {
    id,
    name,
    state: 'running',
    netns: id,
    mode: 'bridge',
    endpoints: [],
    published: [],
    exposed: [],
    ...extra,
  };
}

const web = (extra: Partial<ContainerFacts> = {}) =>
  container('web', 'a'.repeat(64), {
    endpoints: [{ network: 'shop', ipv4: '10.89.0.2', gateway: '10.89.0.1', aliases: ['frontend'] }],
    service: 'frontend',
    ...extra,
  });
const api = (extra: Partial<ContainerFacts> = {}) =>
  container('shop-api-1', 'b'.repeat(64), {
    endpoints: [{ network: 'shop', ipv4: '10.89.0.3', gateway: '10.89.0.1', aliases: ['api'] }],
    service: 'api',
    published: [{ hostIp: '', hostPort: 8080, containerPort: 5000, protocol: 'tcp' }],
    ...extra,
  });

const listening = (port: number, address = '0.0.0.0') => ({
  address,
  port,
  scope:
    address === '0.0.0.0' || address === '::'
      ? ('all' as const)
      : address.startsWith('127.')
        ? ('loopback' as const)
        : ('address' as const),
});

const open = { outcome: 'open' as const, output: '' };
const refused = { outcome: 'refused' as const, output: 'nc: can’t connect to remote host (10.89.0.3): Connection refused' };
const resolved = (...addresses: string[]) => ({ ok: true as const, addresses, output: '' });
const notFound = { ok: false as const, reason: 'not-found' as const, output: '** server can’t find api: NXDOMAIN' };

function facts(over: Partial<DoctorFacts> & { probes?: ProbeFacts } = {}): DoctorFacts {
  return {
    from: web(),
    to: api(),
    networks: NETWORKS,
    host: 'api',
    port: 5000,
    http: true,
    probes: {},
    done: true,
    ...over,
  };
}

const step = (r: DoctorReport, id: DoctorStepId) => r.steps.find((s) => s.id === id)!;
const traps = (r: DoctorReport) => r.problems.map((p) => p.trap);

describe('the network doctor’s diagnosis', () => {
  it('passes every step on the happy path, with HTTP', () => {
    const r = diagnose(
      facts({
        probes: {
          runner: { kind: 'exec' },
          resolve: resolved('10.89.0.3'),
          listeners: [listening(5000)],
          connect: open,
          http: { outcome: 'http', status: 200, statusLine: 'HTTP/1.1 200 OK', output: '' },
        },
      }),
    );
    expect(r.verdict).toBe('reachable');
    expect(r.problems).toEqual([]);
    expect(r.steps.map((s) => [s.id, s.status])).toEqual([
      ['running', 'pass'],
      ['networks', 'pass'],
      ['tools', 'pass'],
      ['resolve', 'pass'],
      ['listening', 'pass'],
      ['connect', 'pass'],
      ['http', 'pass'],
    ]);
    expect(r.summary).toBe('web can reach shop-api-1 at api:5000. It answers HTTP (HTTP/1.1 200 OK).');
    expect(r.via).toBe('exec');
  });

  it('shows the steps still running as pending, and says it is checking', () => {
    const r = diagnose(facts({ done: false, probes: { runner: { kind: 'exec' } } }));
    expect(r.verdict).toBe('checking');
    expect(step(r, 'resolve').status).toBe('pending');
    expect(step(r, 'connect').status).toBe('pending');
    expect(r.done).toBe(false);
  });

  it('trap: no network in common, with Connect to the other’s network offered', () => {
    const r = diagnose(
      facts({
        from: web({ endpoints: [{ network: 'other', ipv4: '10.90.0.2', aliases: [] }] }),
        probes: {
          runner: { kind: 'exec' },
          resolve: notFound,
          connect: { outcome: 'unresolved', output: "nc: bad address 'api'" },
        },
      }),
    );
    expect(r.verdict).toBe('unreachable');
    expect(step(r, 'networks').status).toBe('fail');
    expect(traps(r)[0]).toBe('no-common-network');
    const fixes = r.problems[0]!.fixes;
    // A joins B's network (with its service name kept as an alias), or B joins A's.
    expect(fixes[0]).toEqual({ kind: 'connect', network: 'shop', container: 'a'.repeat(64), name: 'web', aliases: ['frontend'] });
    expect(fixes[1]).toMatchObject({ kind: 'connect', network: 'other', container: 'b'.repeat(64), aliases: ['api'] });
  });

  it('says so from the facts alone, before any probe has run', () => {
    const r = diagnose(facts({ from: web({ endpoints: [{ network: 'other', aliases: [] }] }), done: false }));
    expect(traps(r)).toEqual(['no-common-network']);
    expect(r.verdict).toBe('checking');
    expect(diagnose({ ...facts({ from: web({ endpoints: [{ network: 'other', aliases: [] }] }) }) }).verdict).toBe('unreachable');
  });

  it('trap: Podman’s default network has no DNS; B answers by address, only the name is missing', () => {
    const onDefault = { endpoints: [{ network: 'podman', ipv4: '10.88.0.3', aliases: [] }], service: undefined };
    const r = diagnose(
      facts({
        from: web({ endpoints: [{ network: 'podman', ipv4: '10.88.0.2', aliases: [] }], service: undefined }),
        to: api(onDefault),
        host: 'shop-api-1',
        probes: {
          runner: { kind: 'exec' },
          resolve: notFound,
          connect: { outcome: 'unresolved', output: '' },
          byIp: { address: '10.88.0.3', result: open },
          listeners: [listening(5000)],
        },
      }),
    );
    expect(traps(r)).toEqual(['no-dns']);
    expect(r.problems[0]!.explanation).toContain('default network never has');
    expect(r.problems[0]!.explanation).toContain('answer at its address 10.88.0.3');
    expect(step(r, 'by-ip').status).toBe('pass');
    expect(r.problems[0]!.fixes).toEqual([
      {
        kind: 'create-network',
        network: 'web-shop-api-1-net',
        members: [
          { container: 'a'.repeat(64), name: 'web', aliases: [] },
          { container: 'b'.repeat(64), name: 'shop-api-1', aliases: [] },
        ],
      },
    ]);
  });

  it('offers to join a DNS network one of them is already on before making a new one', () => {
    const r = diagnose(
      facts({
        from: web({ endpoints: [{ network: 'podman', aliases: [] }] }),
        to: api({
          endpoints: [
            { network: 'podman', ipv4: '10.88.0.3', aliases: [] },
            { network: 'shop', ipv4: '10.89.0.3', aliases: ['api'] },
          ],
        }),
        probes: { runner: { kind: 'exec' }, resolve: notFound, connect: { outcome: 'unresolved', output: '' } },
      }),
    );
    expect(traps(r)).toEqual(['no-dns']);
    expect(r.problems[0]!.fixes.map((f) => f.kind)).toEqual(['connect', 'create-network']);
    expect(r.problems[0]!.fixes[0]).toMatchObject({ network: 'shop', name: 'web' });
  });

  it('picks a free name for the new network', () => {
    const r = diagnose(
      facts({
        networks: [...NETWORKS, net('web-shop-api-1-net')],
        from: web({ endpoints: [{ network: 'plain', aliases: [] }], service: undefined }),
        to: api({ endpoints: [{ network: 'plain', ipv4: '10.91.0.3', aliases: [] }], service: undefined }),
        host: 'shop-api-1',
      }),
    );
    expect(r.problems[0]!.trap).toBe('no-dns');
    expect(r.problems[0]!.fixes.at(-1)).toMatchObject({ kind: 'create-network', network: 'web-shop-api-1-net-2' });
  });

  it('trap: the service listens on 127.0.0.1 inside B (Flask’s app.run())', () => {
    const r = diagnose(
      facts({
        probes: {
          runner: { kind: 'exec' },
          resolve: resolved('10.89.0.3'),
          listeners: [listening(5000, '127.0.0.1')],
          connect: refused,
        },
      }),
    );
    expect(traps(r)).toEqual(['loopback-only']);
    expect(step(r, 'listening').status).toBe('fail');
    expect(r.problems[0]!.remedy).toContain('app.run(host="0.0.0.0")');
  });

  it('counts ::ffff:127.0.0.1 and ::1 as loopback, :: as every address', () => {
    const r = diagnose(
      facts({
        probes: { runner: { kind: 'exec' }, listeners: [{ address: '::1', port: 5000, scope: 'loopback' }], connect: refused },
      }),
    );
    expect(traps(r)).toContain('loopback-only');
    const ok = diagnose(facts({ probes: { listeners: [{ address: '::', port: 5000, scope: 'all' }], connect: open } }));
    expect(step(ok, 'listening').status).toBe('pass');
  });

  it('trap: the published (host) port used between containers', () => {
    const r = diagnose(
      facts({
        port: 8080,
        probes: { runner: { kind: 'exec' }, resolve: resolved('10.89.0.3'), listeners: [listening(5000)], connect: refused },
      }),
    );
    expect(traps(r)).toEqual(['host-port-inside']);
    expect(r.problems[0]!.fixes).toEqual([{ kind: 'use-port', port: 5000 }]);
    expect(r.summary).toContain('8080 is the port on this computer');
  });

  it('tells the host-port trap without B’s sockets, from a refused connection', () => {
    const r = diagnose(facts({ port: 8080, probes: { runner: { kind: 'exec' }, listeners: null, connect: refused } }));
    expect(traps(r)).toEqual(['host-port-inside']);
  });

  it('trap: the container port used through this computer (the reverse)', () => {
    const r = diagnose(
      facts({
        host: 'host.containers.internal',
        port: 5000,
        probes: { runner: { kind: 'exec' }, resolve: resolved('10.89.0.1'), listeners: [listening(5000)], connect: refused },
      }),
    );
    expect(traps(r)).toEqual(['container-port-outside']);
    expect(r.problems[0]!.fixes).toEqual([
      { kind: 'use-port', port: 8080 },
      { kind: 'use-host', host: 'api' },
    ]);
    expect(step(r, 'resolve').detail).toContain('this computer');
  });

  it('knows A’s gateway address as this computer too', () => {
    const r = diagnose(facts({ host: '10.89.0.1', port: 5000, probes: { connect: refused } }));
    expect(traps(r)).toEqual(['container-port-outside']);
  });

  it('a port this computer does not publish for B', () => {
    const r = diagnose(facts({ host: 'host.containers.internal', port: 9999, probes: { connect: refused } }));
    expect(traps(r)).toEqual(['not-published']);
    expect(r.problems[0]!.fixes).toEqual([{ kind: 'use-host', host: 'api' }]);
  });

  it('trap: B is stopped, with Start offered (and Resume for a paused one)', () => {
    const r = diagnose(facts({ to: api({ state: 'exited' }) }));
    expect(r.verdict).toBe('unreachable');
    expect(traps(r)).toEqual(['not-running']);
    expect(r.problems[0]!.fixes[0]).toEqual({ kind: 'start', container: 'b'.repeat(64), name: 'shop-api-1' });
    expect(step(r, 'connect').status).toBe('skip');
    const paused = diagnose(facts({ to: api({ state: 'paused' }) }));
    expect(paused.problems[0]!.fixes[0]).toMatchObject({ kind: 'unpause' });
  });

  it('trap: A is stopped: the checks run from inside it', () => {
    const r = diagnose(facts({ from: web({ state: 'created' }) }));
    expect(traps(r)).toEqual(['source-not-running']);
    expect(step(r, 'tools').status).toBe('skip');
  });

  it('trap: B is unhealthy: a warning beside the result, with its logs', () => {
    const r = diagnose(facts({ to: api({ health: 'unhealthy' }), probes: { runner: { kind: 'exec' }, connect: open } }));
    expect(r.verdict).toBe('reachable');
    expect(r.problems).toMatchObject([{ trap: 'unhealthy', severity: 'warning', fixes: [{ kind: 'logs' }] }]);
    expect(step(r, 'running').status).toBe('warn');
  });

  it('trap: B only on an internal network, A outside it', () => {
    const r = diagnose(
      facts({
        to: api({ endpoints: [{ network: 'vault', ipv4: '10.92.0.3', aliases: [] }] }),
        probes: {
          runner: { kind: 'exec' },
          resolve: notFound,
          connect: { outcome: 'unresolved', output: '' },
          byIp: { address: '10.92.0.3', result: { outcome: 'timeout', output: 'nc: timed out' } },
        },
      }),
    );
    expect(traps(r)).toEqual(['internal-network']);
    expect(r.problems[0]!.fixes).toEqual([
      { kind: 'connect', network: 'vault', container: 'a'.repeat(64), name: 'web', aliases: ['frontend'] },
    ]);
    expect(step(r, 'by-ip').status).toBe('fail');
  });

  it('trap: an internal network reached through a published port', () => {
    const r = diagnose(
      facts({
        host: 'host.containers.internal',
        port: 8080,
        to: api({ endpoints: [{ network: 'vault', ipv4: '10.92.0.3', aliases: [] }] }),
        probes: { connect: { outcome: 'timeout', output: '' } },
      }),
    );
    expect(traps(r)).toEqual(['internal-network']);
    expect(r.problems[0]!.explanation).toContain('forwards no published port');
  });

  it('trap: A only on an internal network', () => {
    const r = diagnose(facts({ from: web({ endpoints: [{ network: 'vault', aliases: [] }] }) }));
    expect(traps(r)).toEqual(['internal-network']);
    expect(r.problems[0]!.fixes[0]).toMatchObject({ kind: 'connect', network: 'vault', name: 'shop-api-1' });
  });

  it('trap: localhost in A is A itself', () => {
    const r = diagnose(
      facts({ host: 'localhost', probes: { runner: { kind: 'exec' }, resolve: resolved('127.0.0.1'), connect: refused } }),
    );
    expect(traps(r)).toEqual(['localhost']);
    expect(r.problems[0]!.fixes).toEqual([{ kind: 'use-host', host: 'api' }]);
    expect(step(r, 'resolve').status).toBe('warn');
    expect(diagnose(facts({ host: '127.0.0.1' })).problems[0]!.trap).toBe('localhost');
  });

  it('…unless they share a pod: then localhost is right', () => {
    const r = diagnose(
      facts({
        host: 'localhost',
        from: web({ netns: 'infra', pod: 'p1' }),
        to: api({ netns: 'infra', pod: 'p1' }),
        probes: { runner: { kind: 'exec' }, listeners: [listening(5000, '127.0.0.1')], connect: open },
      }),
    );
    expect(r.problems).toEqual([]);
    expect(step(r, 'networks').detail).toContain('same pod');
  });

  it('a name that is not B’s on the shared network, and an alias that belongs to another network', () => {
    const r = diagnose(
      facts({
        host: 'backend',
        probes: { runner: { kind: 'exec' }, resolve: notFound, byIp: { address: '10.89.0.3', result: open } },
      }),
    );
    expect(traps(r)).toEqual(['wrong-name']);
    expect(r.problems[0]!.fixes).toEqual([
      { kind: 'use-host', host: 'shop-api-1' },
      { kind: 'use-host', host: 'api' },
    ]);
    const elsewhere = diagnose(
      facts({
        host: 'db',
        to: api({
          endpoints: [
            { network: 'shop', ipv4: '10.89.0.3', aliases: ['api'] },
            { network: 'other', ipv4: '10.90.0.3', aliases: ['db'] },
          ],
        }),
        probes: { resolve: notFound },
      }),
    );
    expect(elsewhere.problems[0]!.explanation).toContain('alias on other only');
    expect(elsewhere.problems[0]!.fixes.at(-1)).toMatchObject({ kind: 'connect', network: 'other', name: 'web' });
  });

  it('a name that leads to another container', () => {
    const r = diagnose(facts({ probes: { runner: { kind: 'exec' }, resolve: resolved('10.89.0.9'), connect: open } }));
    expect(traps(r)).toEqual(['wrong-target']);
    expect(r.problems[0]!.severity).toBe('warning');
    expect(step(r, 'resolve').status).toBe('warn');
  });

  it('nothing listens on the port: the ports B does listen on are offered', () => {
    const r = diagnose(
      facts({
        port: 5001,
        probes: { runner: { kind: 'exec' }, listeners: [listening(5000), listening(9000)], connect: refused },
      }),
    );
    expect(traps(r)).toEqual(['not-listening']);
    expect(r.problems[0]!.fixes).toEqual([
      { kind: 'use-port', port: 5000 },
      { kind: 'use-port', port: 9000 },
    ]);
    const none = diagnose(facts({ port: 5001, probes: { listeners: [], connect: refused } }));
    expect(none.problems[0]!.fixes).toEqual([{ kind: 'logs', container: 'b'.repeat(64), name: 'shop-api-1' }]);
  });

  it('asks for the helper image when A has no tools', () => {
    const r = diagnose(
      facts({
        probes: {
          runner: { kind: 'needs-helper', image: 'docker.io/library/busybox:latest', missing: ['an HTTP client (wget or curl)'] },
        },
      }),
    );
    expect(traps(r)).toEqual(['needs-helper']);
    expect(r.problems[0]!.fixes).toEqual([{ kind: 'pull-helper', image: 'docker.io/library/busybox:latest' }]);
    expect(r.verdict).toBe('unknown');
    expect(step(r, 'connect').status).toBe('skip');
  });

  it('says when the checks ran in the helper', () => {
    const r = diagnose(facts({ probes: { runner: { kind: 'helper', image: 'busybox' }, connect: open } }));
    expect(r.via).toBe('helper');
    expect(step(r, 'tools').status).toBe('info');
  });

  it('a port that is open but speaks no HTTP is fine (a database)', () => {
    const r = diagnose(facts({ probes: { runner: { kind: 'exec' }, connect: open, http: { outcome: 'not-http', output: '' } } }));
    expect(step(r, 'http').status).toBe('info');
    expect(r.verdict).toBe('reachable');
  });

  it('a server error is a warning on the HTTP step', () => {
    const r = diagnose(
      facts({
        probes: { connect: open, http: { outcome: 'http', status: 502, statusLine: 'HTTP/1.1 502 Bad Gateway', output: '' } },
      }),
    );
    expect(step(r, 'http').status).toBe('warn');
  });

  it('a failure none of the traps explains still says what the tool said', () => {
    const r = diagnose(
      facts({
        probes: {
          runner: { kind: 'exec' },
          resolve: resolved('10.89.0.3'),
          listeners: [listening(5000)],
          connect: { outcome: 'timeout', output: 'nc: timed out' },
        },
      }),
    );
    expect(traps(r)).toEqual(['unexplained']);
    expect(r.problems[0]!.explanation).toContain('nc: timed out');
  });

  it('an IP of another network that answers through the host’s routing: a warning', () => {
    const r = diagnose(
      facts({
        from: web({ endpoints: [{ network: 'other', aliases: [] }] }),
        host: '10.89.0.3',
        probes: { runner: { kind: 'exec' }, connect: open },
      }),
    );
    expect(r.verdict).toBe('reachable');
    expect(r.problems).toMatchObject([{ trap: 'no-common-network', severity: 'warning' }]);
    expect(step(r, 'resolve').status).toBe('skip');
  });
});
