import { describe, expect, it } from 'vitest';
import { container, network, stack, volume, wiring } from './fixtures';
import { doctorReachedByName, outlivedBy, reachedNow, type Facts } from '../../../src/main/home/first-hour-rules';

const facts = (over: Partial<Facts>): Facts => ({
  connected: false,
  containers: [],
  wiring: [],
  networks: [network({})],
  volumes: [],
  stacks: [],
  outlived: [],
  ...over,
});
const port = { hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp' };

describe('the first hour, read from the state', () => {
  it('nothing is done on a fresh machine that is not connected', () => {
    expect([...reachedNow(facts({}))]).toEqual([]);
  });

  it('connect: connected to an engine', () => {
    expect(reachedNow(facts({ connected: true })).has('connect')).toBe(true);
  });

  it('a first container: one that publishes a port and runs, or ran', () => {
    expect(reachedNow(facts({ containers: [container({ ports: [port] })] })).has('container')).toBe(true);
    expect(
      reachedNow(facts({ containers: [container({ state: 'exited', startedAt: 1200, ports: [port] })] })).has('container'),
    ).toBe(true);
    // Never started, no published port, or a pod's infra container: not yet.
    expect(reachedNow(facts({ containers: [container({ state: 'created', ports: [port] })] })).has('container')).toBe(false);
    expect(reachedNow(facts({ containers: [container({})] })).has('container')).toBe(false);
    expect(reachedNow(facts({ containers: [container({ isInfra: true, ports: [port] })] })).has('container')).toBe(false);
    expect(reachedNow(facts({ containers: [container({ ports: [{ ...port, hostPort: 0 }] })] })).has('container')).toBe(false);
  });

  it('a volume: reused by a container made after it outlived another one', () => {
    const outlived = [{ name: 'data', at: 2000 }];
    const later = container({ id: 'c2', created: 2005 });
    expect(
      reachedNow(facts({ outlived, volumes: [volume('data')], containers: [later], wiring: [wiring('c2', ['data'])] })).has(
        'volume',
      ),
    ).toBe(true);
    // A container that mounted it all along is no reuse.
    const before = container({ id: 'c3', created: 1500 });
    expect(
      reachedNow(facts({ outlived, volumes: [volume('data')], containers: [before], wiring: [wiring('c3', ['data'])] })).has(
        'volume',
      ),
    ).toBe(false);
    // A new volume under the old name is not the one that survived.
    expect(
      reachedNow(facts({ outlived, volumes: [volume('data', 2003)], containers: [later], wiring: [wiring('c2', ['data'])] })).has(
        'volume',
      ),
    ).toBe(false);
    // Outlived but not used again: not yet.
    expect(reachedNow(facts({ outlived, volumes: [volume('data')] })).has('volume')).toBe(false);
  });

  it('outlived: each named volume a removed container mounted that still exists, once', () => {
    const gone = wiring('c1', ['data', 'cache', 'data', 'deleted']);
    const first = outlivedBy(gone, [volume('data'), volume('cache')], 2000, []);
    expect(first).toEqual([
      { name: 'data', at: 2000 },
      { name: 'cache', at: 2000 },
    ]);
    // Already known: the first moment stays.
    expect(outlivedBy(wiring('c9', ['data']), [volume('data')], 3000, first)).toEqual(first);
    // Bounded.
    const many = Array.from({ length: 50 }, (_, i) => ({ name: `v${i}`, at: 1 }));
    expect(outlivedBy(gone, [volume('data')], 5, many)).toHaveLength(50);
  });

  it('a network: two running containers on one user network with DNS', () => {
    const net = network({ name: 'shop', isDefault: false, dnsEnabled: true });
    const a = container({ id: 'a', networks: ['shop'] });
    const b = container({ id: 'b', networks: ['shop', 'podman'] });
    expect(reachedNow(facts({ networks: [net], containers: [a, b] })).has('network')).toBe(true);
    // One stopped, or a network without DNS, or the default network: no name to reach.
    expect(reachedNow(facts({ networks: [net], containers: [a, { ...b, state: 'exited' }] })).has('network')).toBe(false);
    expect(reachedNow(facts({ networks: [{ ...net, dnsEnabled: false }], containers: [a, b] })).has('network')).toBe(false);
    expect(reachedNow(facts({ containers: [container({ id: 'x' }), container({ id: 'y' })] })).has('network')).toBe(false);
  });

  it('Jupyter and the Flask app: the built-in stacks running', () => {
    const done = reachedNow(facts({ stacks: [stack('jupyter', 'running'), stack('ai-webapp', 'running')] }));
    expect(done.has('jupyter') && done.has('flask')).toBe(true);
    const notYet = reachedNow(facts({ stacks: [stack('jupyter', 'starting'), stack('ai-webapp', 'running', 'user')] }));
    expect(notYet.has('jupyter') || notYet.has('flask')).toBe(false);
  });
});

describe('the network doctor as a witness', () => {
  const report = (host: string, verdict = 'reachable', done = true) => ({ host, verdict, done });
  it('counts a container reached by its name, once the check is done', () => {
    expect(doctorReachedByName(report('db'))).toBe(true);
    expect(doctorReachedByName(report('shop-api-1'))).toBe(true);
  });
  it('not by address, not localhost or the host, not unreachable, not half-way', () => {
    for (const host of ['10.88.0.5', 'fd00::5', 'localhost', 'host.containers.internal', ''])
      expect(doctorReachedByName(report(host))).toBe(false);
    expect(doctorReachedByName(report('db', 'unreachable'))).toBe(false);
    expect(doctorReachedByName(report('db', 'reachable', false))).toBe(false);
  });
});
