import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { probePort } from '../../src/main/podman/containers/port-probe';
import type { DoctorCheckInput, DoctorFix, DoctorReport, DoctorTrap } from '../../src/shared/contract';
import { fixCalls } from '../../src/shared/doctor-fixes';
import { memorySettings } from '../../src/main/store/settings';
import { connectedApp, uniqueName } from '../support/app';
import { buildBareImage } from '../support/bare-image';
import { helperImageInRegistry } from '../support/helper-image';
import { podman, waitFor } from '../support/podman';
import { callOk, runStream } from '../support/streams';

/**
 * The network doctor against a real Podman: each classic trap made for real, the diagnosis
 * checked, and where the doctor offers a fix, the fix applied through the app's own calls and the
 * check run again. Network names are unique per run: rootful Podman instances on one machine
 * share netavark's state.
 */

const info = inject('podman');
let app: App;
let bare: string;
const created: { containers: string[]; networks: string[] } = { containers: [], networks: [] };
/** Traps the doctor diagnosed here, for the count in the report. */
const diagnosed = new Set<DoctorTrap>();

const subnet = () => `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 250)}.0/24`;

async function network(prefix: string, ...flags: string[]): Promise<string> {
  const name = uniqueName(prefix);
  await podman(info, 'network', 'create', '--subnet', subnet(), ...flags, name);
  created.networks.push(name);
  return name;
}

async function run(prefix: string, args: string[], command: string[], start = true): Promise<string> {
  const name = uniqueName(prefix);
  await podman(info, start ? 'run' : 'create', ...(start ? ['-d'] : []), '--name', name, ...args, ...command);
  created.containers.push(name);
  return name;
}

const sleeper = (...args: string[]) => [...args, info.busybox, 'sleep', '3600'];
const httpd = (port: number | string, ...args: string[]) => [
  ...args,
  info.busybox,
  'httpd',
  '-f',
  '-p',
  String(port),
  '-h',
  '/www',
];

async function check(input: DoctorCheckInput, on: App = app): Promise<DoctorReport[]> {
  const reports = await runStream(on, 'doctor.check', input);
  const last = reports.at(-1)!;
  expect(last.done).toBe(true);
  for (const p of last.problems) diagnosed.add(p.trap);
  return reports;
}
const finalCheck = async (input: DoctorCheckInput, on: App = app) => (await check(input, on)).at(-1)!;

/** Applies a fix as the page does after the user confirmed it: the app's ordinary calls, in order. */
async function apply(fix: DoctorFix, on: App = app): Promise<void> {
  if (fix.kind === 'create-network') created.networks.push(fix.network);
  for (const c of fixCalls(fix)) await callOk(on, c.name, c.input);
}

const stepOf = (r: DoctorReport, id: string) => r.steps.find((s) => s.id === id);

let client: string;
let shop: string;
/** A container port nothing on this computer listens on: the "through this computer" checks need one. */
let port: number;

beforeAll(async () => {
  app = await connectedApp(info);
  bare = await buildBareImage(info);
  for (port = 20_000 + Math.floor(Math.random() * 20_000); (await probePort(port, 'tcp')) !== 'free'; port++);
  shop = await network('dr-shop');
  client = await run('dr-client', ['--network', shop], sleeper());
});

afterAll(async () => {
  await app?.close();
  if (created.containers.length) await podman(info, 'rm', '-f', '-t', '0', ...created.containers).catch(() => undefined);
  for (const n of created.networks) await podman(info, 'network', 'rm', '-f', n).catch(() => undefined);
  console.log(`network doctor: ${diagnosed.size} traps diagnosed with a real Podman: ${[...diagnosed].sort().join(', ')}`);
});

describe('the network doctor with a real Podman', () => {
  it('the happy path: every step passes, step by step, with an HTTP answer', async () => {
    const api = await run('dr-api', ['--network', shop, '--network-alias', 'api'], httpd(port));
    const reports = await check({ from: client, to: api, host: 'api', port });
    // The page sees each step as it completes: the first report has them pending.
    expect(reports.length).toBeGreaterThan(2);
    expect(reports[0]!.steps.some((s) => s.status === 'pending')).toBe(true);
    const r = reports.at(-1)!;
    expect(r.verdict).toBe('reachable');
    expect(r.via).toBe('exec');
    expect(r.problems).toEqual([]);
    expect(r.steps.map((s) => `${s.id}:${s.status}`)).toEqual([
      'running:pass',
      'networks:pass',
      'tools:pass',
      'resolve:pass',
      'listening:pass',
      'connect:pass',
      'http:pass',
    ]);
    expect(stepOf(r, 'http')!.detail).toContain('200 OK');
  });

  it('trap: separate user networks; Connect fixes it', async () => {
    const other = await network('dr-other');
    const far = await run('dr-far', ['--network', other], httpd(port));
    const r = await finalCheck({ from: client, to: far, host: far, port });
    expect(r.verdict).toBe('unreachable');
    expect(r.problems[0]!.trap).toBe('no-common-network');
    expect(stepOf(r, 'resolve')!.status).toBe('fail');
    const fix = r.problems[0]!.fixes[0]!;
    expect(fix).toMatchObject({ kind: 'connect', network: other, name: client });
    await apply(fix);
    const after = await finalCheck({ from: client, to: far, host: far, port });
    expect(after.verdict).toBe('reachable');
    expect(after.problems).toEqual([]);
  });

  it('trap: the default podman network has no DNS; reached by address, not by name; a user network fixes it', async () => {
    const a = await run('dr-dc', ['--network', 'podman'], sleeper());
    const b = await run('dr-ds', ['--network', 'podman'], httpd(port));
    const r = await finalCheck({ from: a, to: b, host: b, port });
    expect(r.verdict).toBe('unreachable');
    expect(r.problems.map((p) => p.trap)).toEqual(['no-dns']);
    expect(stepOf(r, 'resolve')!.status).toBe('fail');
    // The address answers: only the name is missing.
    expect(stepOf(r, 'by-ip')).toMatchObject({ status: 'pass' });
    expect(r.problems[0]!.explanation).toContain('only the name is missing');
    const fix = r.problems[0]!.fixes.find((f) => f.kind === 'create-network')!;
    expect(fix).toBeDefined();
    await apply(fix);
    const after = await finalCheck({ from: a, to: b, host: b, port });
    expect(after.verdict).toBe('reachable');
  });

  it('trap: the service listens on 127.0.0.1 inside B', async () => {
    const local = await run('dr-local', ['--network', shop], httpd(`127.0.0.1:${port}`));
    const r = await finalCheck({ from: client, to: local, host: local, port });
    expect(r.verdict).toBe('unreachable');
    expect(r.problems.map((p) => p.trap)).toEqual(['loopback-only']);
    expect(stepOf(r, 'listening')!.detail).toContain('127.0.0.1');
    expect(stepOf(r, 'connect')!.status).toBe('fail');
  });

  it('trap: the published (host) port used between containers, and the container port used through this computer', async () => {
    const web = await run('dr-web', ['--network', shop, '-p', `127.0.0.1::${port}`], httpd(port));
    const hostPort = Number((await podman(info, 'port', web, String(port))).split(':').at(-1));
    expect(hostPort).toBeGreaterThan(0);

    const inside = await finalCheck({ from: client, to: web, host: web, port: hostPort });
    expect(inside.problems.map((p) => p.trap)).toEqual(['host-port-inside']);
    expect(inside.problems[0]!.fixes).toEqual([{ kind: 'use-port', port }]);
    // The fix steers the next check: with the container's own port it works.
    expect((await finalCheck({ from: client, to: web, host: web, port })).verdict).toBe('reachable');

    const outside = await finalCheck({ from: client, to: web, host: 'host.containers.internal', port });
    expect(outside.verdict).toBe('unreachable');
    expect(outside.problems.map((p) => p.trap)).toEqual(['container-port-outside']);
    expect(outside.problems[0]!.fixes[0]).toEqual({ kind: 'use-port', port: hostPort });
    expect(stepOf(outside, 'resolve')!.detail).toContain('this computer');
  });

  it('trap: B not running; Start fixes it', async () => {
    const stopped = await run('dr-stopped', ['--network', shop], httpd(port), false);
    const r = await finalCheck({ from: client, to: stopped, host: stopped, port });
    expect(r.verdict).toBe('unreachable');
    expect(r.problems.map((p) => p.trap)).toEqual(['not-running']);
    await apply(r.problems[0]!.fixes[0]!);
    const after = await finalCheck({ from: client, to: stopped, host: stopped, port });
    expect(after.verdict).toBe('reachable');
  });

  it('trap: B not healthy', async () => {
    const sick = await run('dr-sick', ['--network', shop, '--health-cmd', 'false', '--health-retries', '1'], httpd(port));
    await podman(info, 'healthcheck', 'run', sick).catch(() => undefined);
    await waitFor(
      async () => (await podman(info, 'inspect', '-f', '{{.State.Health.Status}}', sick)) === 'unhealthy',
      'unhealthy',
    );
    const r = await finalCheck({ from: client, to: sick, host: sick, port });
    // It answers, but its own check fails: a warning with its logs.
    expect(r.verdict).toBe('reachable');
    expect(r.problems).toMatchObject([{ trap: 'unhealthy', severity: 'warning' }]);
  });

  it('trap: an internal network reached from outside; connecting A inside fixes it', async () => {
    const vault = await network('dr-vault', '--internal');
    const hidden = await run('dr-hidden', ['--network', vault], httpd(port));
    const r = await finalCheck({ from: client, to: hidden, host: hidden, port });
    expect(r.verdict).toBe('unreachable');
    expect(r.problems.map((p) => p.trap)).toEqual(['internal-network']);
    const fix = r.problems[0]!.fixes[0]!;
    expect(fix).toMatchObject({ kind: 'connect', network: vault, name: client });
    await apply(fix);
    expect((await finalCheck({ from: client, to: hidden, host: hidden, port })).verdict).toBe('reachable');
  });

  it('trap: localhost in A is A itself', async () => {
    const api = await run('dr-api2', ['--network', shop], httpd(port));
    const r = await finalCheck({ from: client, to: api, host: 'localhost', port });
    expect(r.problems.map((p) => p.trap)).toEqual(['localhost']);
    expect(stepOf(r, 'resolve')!.detail).toContain('127.0.0.1');
    expect(r.problems[0]!.fixes).toEqual([{ kind: 'use-host', host: api }]);
  });

  it('a name that is not B’s on the shared network', async () => {
    const api = await run('dr-api3', ['--network', shop, '--network-alias', 'backend'], httpd(port));
    const r = await finalCheck({ from: client, to: api, host: 'bakend', port });
    expect(r.problems.map((p) => p.trap)).toEqual(['wrong-name']);
    expect(r.problems[0]!.fixes).toContainEqual({ kind: 'use-host', host: 'backend' });
    expect(stepOf(r, 'by-ip')!.status).toBe('pass');
  });

  it('works with no tools in A: asks before pulling the helper image, then checks from the helper in A’s network', async () => {
    const helper = await helperImageInRegistry(info);
    const consenting = await connectedApp(info, {
      settings: memorySettings({
        connection: { endpoint: { kind: 'unix', path: info.socketPath }, label: 'test podman' },
        volumeHelperImage: helper.image,
      }),
    });
    try {
      const lone = await run('dr-bare', ['--network', shop], [bare]);
      const target = await run('dr-target', ['--network', shop], httpd(port));
      const r = await finalCheck({ from: lone, to: target, host: target, port }, consenting);
      expect(r.verdict).toBe('unknown');
      expect(r.problems.map((p) => p.trap)).toEqual(['needs-helper']);
      expect(r.problems[0]!.fixes).toEqual([{ kind: 'pull-helper', image: helper.image }]);
      // Nothing was pulled or created without the user.
      expect(
        await podman(info, 'image', 'exists', helper.image).then(
          () => true,
          () => false,
        ),
      ).toBe(false);

      await apply(r.problems[0]!.fixes[0]!, consenting);
      const after = await finalCheck({ from: lone, to: target, host: target, port }, consenting);
      expect(after.via).toBe('helper');
      expect(after.verdict).toBe('reachable');
      expect(stepOf(after, 'http')!.status).toBe('pass');
      // The helper went with the check.
      expect(await podman(info, 'ps', '-a', '--filter', 'label=io.poddesk.helper=network-doctor', '--format', '{{.Names}}')).toBe(
        '',
      );
    } finally {
      await consenting.close();
      await helper.stop();
    }
  });

  it('reads what a B without a shell listens on from a helper in B’s network', async () => {
    const withHelper = await connectedApp(info, {
      settings: memorySettings({
        connection: { endpoint: { kind: 'unix', path: info.socketPath }, label: 'test podman' },
        volumeHelperImage: info.busybox,
      }),
    });
    try {
      const shy = await run('dr-shy', ['--network', shop], [bare, '/bin/httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', '/www']);
      const r = await finalCheck({ from: client, to: shy, host: shy, port }, withHelper);
      expect(r.via).toBe('exec');
      expect(r.problems.map((p) => p.trap)).toEqual(['loopback-only']);
    } finally {
      await withHelper.close();
    }
  });

  it('stops when the page leaves: the helper container is removed', async () => {
    const withHelper = await connectedApp(info, {
      settings: memorySettings({
        connection: { endpoint: { kind: 'unix', path: info.socketPath }, label: 'test podman' },
        volumeHelperImage: info.busybox,
      }),
    });
    try {
      const lone = await run('dr-bare2', ['--network', shop], [bare]);
      const helpers = () =>
        podman(info, 'ps', '-a', '--filter', 'label=io.poddesk.helper=network-doctor', '--format', '{{.Names}}');
      let sawHelper = false;
      const session = withHelper.dispatcher.session((event) => {
        if (event.type !== 'batch') return;
        for (const item of event.items as DoctorReport[]) if (item.via === 'helper') sawHelper = true;
        if (sawHelper) session.closeAll();
      });
      session.open('doctor#cancel', 'doctor.check', { from: lone, to: client, host: 'nowhere-at-all', port });
      await waitFor(() => sawHelper, 'the check to run in the helper', 60_000);
      await waitFor(async () => (await helpers()) === '', 'the helper to go', 30_000);
    } finally {
      await withHelper.close();
    }
  });

  it('offers names and ports for B: its service, its aliases, what it listens on and publishes', async () => {
    const api = await run(
      'dr-api4',
      ['--network', shop, '--network-alias', 'api', '--label', 'com.docker.compose.service=api', '-p', `127.0.0.1::${port}`],
      httpd(port),
    );
    const t = await callOk<{ hosts: { host: string }[]; ports: { port: number; why: string }[]; listeners: unknown[] }>(
      app,
      'doctor.target',
      { id: api },
    );
    expect(t.hosts.map((h) => h.host).slice(0, 2)).toEqual(['api', api]);
    expect(t.hosts.map((h) => h.host)).toContain('host.containers.internal');
    expect(t.ports[0]).toEqual({ port, why: 'it listens' });
    expect(t.listeners).toContainEqual(expect.objectContaining({ port, scope: 'all' }));
  });
});
