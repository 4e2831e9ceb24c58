import { describe, expect, it } from 'vitest';
import type { LaunchEvent } from '../../../src/shared/contract';
import { AppError } from '../../../src/shared/errors';
import { launchStack, type LaunchDeps } from '../../../src/main/stacks/launcher';
import { planStack } from '../../../src/main/stacks/planner';
import { observeStack } from '../../../src/main/stacks/observe';
import type { ComposeProject } from '../../../src/main/stacks/compose/model';
import { fakeEngine } from './fake-engine';
import { INIT_JOB, THREE, project } from './fixtures';

function setup() {
  const engine = fakeEngine();
  const deps: LaunchDeps = {
    ops: engine.ops,
    images: engine.images,
    wait: { probe: async () => true, probeHost: '127.0.0.1', sleep: async () => undefined },
    linkHost: 'localhost',
  };
  const run = async (p: ComposeProject, signal = new AbortController().signal) => {
    const events: LaunchEvent[] = [];
    const observed = await observeStack(p, {
      ops: engine.ops,
      pathKind: async (path) => (path.endsWith('web') ? 'dir' : 'file'),
    });
    const plan = planStack(p, observed);
    const error = await launchStack(deps, { stackId: 'demo', project: p, plan }, (e) => events.push(e), signal).then(
      () => undefined,
      (e: unknown) => e as AppError,
    );
    return { events, error, plan };
  };
  return { engine, run };
}

const steps = (events: LaunchEvent[]) =>
  events.filter((e): e is Extract<LaunchEvent, { type: 'step' }> => e.type === 'step').map((e) => `${e.id} ${e.status}`);

describe('the launcher', () => {
  it('launches in order: images, then networks and volumes, then each service once its dependency is ready', async () => {
    const { engine, run } = setup();
    engine.knobs.startingChecks.set('db', 2);
    const { events, error } = await run(project(THREE));
    expect(error).toBeUndefined();
    expect(engine.calls).toEqual([
      'pull db:1',
      'pull api:1',
      'build demo-web',
      'network demo_default',
      'volume demo_data',
      'create db',
      'start db',
      // api waits for db to be healthy: the launcher runs the check itself (no systemd timers).
      'check db',
      'check db',
      'check db',
      'create api',
      'start api',
      'create web',
      'start web',
    ]);
    expect(events[0]!.type).toBe('plan');
    expect(events.some((e) => e.type === 'pull' && e.progress.bytesDone === 5)).toBe(true);
    expect(events.filter((e) => e.type === 'build-log').map((e) => (e as { line: string }).line)).toEqual([
      'STEP 1/2: FROM base',
      'STEP 2/2: COPY . /app',
    ]);
    expect(steps(events)).toContain('health:db done');
    expect(events.at(-1)).toEqual({
      type: 'done',
      nothingToDo: false,
      links: [
        { label: 'Port 8080', url: 'http://localhost:8080/', service: 'api' },
        { label: 'Port 3000', url: 'http://localhost:3000/', service: 'web' },
      ],
    });
  });

  it('does nothing for a second launch of a running stack', async () => {
    const { engine, run } = setup();
    await run(project(THREE));
    engine.calls.length = 0;
    const { events, error, plan } = await run(project(THREE));
    expect(error).toBeUndefined();
    expect(plan.upToDate).toBe(true);
    expect(engine.calls).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'done', nothingToDo: true });
  });

  it('refuses a plan with problems before creating anything', async () => {
    const { engine } = setup();
    const p = project(THREE);
    const plan = planStack(p, {
      containers: [],
      networks: new Set(),
      volumes: new Set(),
      images: new Map(),
      busyPorts: [{ hostIp: '', hostPort: 8080, protocol: 'tcp', holder: 'another program on this computer' }],
      buildProblems: new Map(),
    });
    const error = await launchStack(
      { ops: engine.ops, images: engine.images, wait: { probe: async () => true, probeHost: 'x' }, linkHost: 'x' },
      { stackId: 'demo', project: p, plan },
      () => undefined,
      new AbortController().signal,
    ).catch((e: AppError) => e);
    expect(error).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/^Nothing was created: Host port 8080/) });
    expect(engine.calls).toEqual([]);
  });

  it('stops before creating anything when an image cannot be had', async () => {
    const { engine, run } = setup();
    engine.images.fail = 'api:1';
    const { error, events } = await run(project(THREE));
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
    // Which image, for which services: the page offers Retry, a file, or another image.
    expect(error!.details).toMatchObject({ pullFailed: { image: 'api:1', services: ['api'] } });
    expect(engine.networks.size + engine.volumes.size + engine.containers.size).toBe(0);
    expect(steps(events)).toContain('image:api:1 failed');
  });

  it('leaves a clear state when a step fails midway, and a relaunch completes it', async () => {
    const { engine, run } = setup();
    engine.knobs.failCreate.add('web');
    const first = await run(project(THREE));
    expect(first.error).toMatchObject({ code: 'ENGINE_ERROR', message: 'cannot create web' });
    expect(steps(first.events)).toContain('container:web failed');
    expect([...engine.containers.values()].map((c) => c.state)).toEqual(['running', 'running']);

    engine.knobs.failCreate.clear();
    engine.calls.length = 0;
    const second = await run(project(THREE));
    expect(second.error).toBeUndefined();
    expect(second.plan.services.map((s) => s.action)).toEqual(['keep', 'keep', 'create']);
    expect(engine.calls.filter((c) => !c.startsWith('check'))).toEqual(['create web', 'start web']);
  });

  it('does not take a service that dies just after starting for ready (no healthcheck, no port)', async () => {
    const { engine, run } = setup();
    const p = project(
      `services:\n  worker:\n    image: w:1\n  after:\n    image: a:1\n    depends_on:\n      worker: {condition: service_healthy}\n`,
    );
    engine.knobs.exitAfterFirstLook.set('worker', 3);
    const { error, events } = await run(p);
    expect(error?.message).toMatch(/Service "worker" stopped \(exit code 3\)/);
    expect(steps(events)).toContain('health:worker failed');
    expect(engine.calls).not.toContain('create after');
  });

  it('reports a dependency that exits instead of becoming healthy, with its last lines', async () => {
    const { engine, run } = setup();
    engine.knobs.exitOnStart.set('db', 2);
    const { error } = await run(project(THREE));
    expect(error).toMatchObject({
      code: 'ENGINE_ERROR',
      message: 'Service "db" stopped (exit code 2). Its last lines:\nboom: the last line',
    });
    expect(engine.calls).not.toContain('create api');
  });

  it('marks a wait cut short by another service’s failure as skipped, not failed', async () => {
    const { engine, run } = setup();
    engine.knobs.startingChecks.set('db', 1_000_000);
    engine.knobs.exitAfterFirstLook.set('worker', 3);
    const p = project(`
services:
  db:
    image: d
    healthcheck: {test: [CMD, check], interval: 1s}
  worker:
    image: w
`);
    const { error, events } = await run(p);
    expect(error?.message).toMatch(/Service "worker" stopped \(exit code 3\)/);
    expect(steps(events)).toContain('health:worker failed');
    expect(steps(events)).toContain('health:db skipped');
    expect(steps(events)).not.toContain('health:db failed');
  });

  it('gives up on a healthcheck after the time Docker would allow', async () => {
    const { engine } = setup();
    engine.knobs.startingChecks.set('db', 1_000_000);
    let clock = 0;
    const deps = {
      ops: engine.ops,
      images: engine.images,
      wait: {
        probe: async () => true,
        probeHost: '127.0.0.1',
        now: () => clock,
        sleep: async (ms: number) => {
          clock += ms;
        },
      },
      linkHost: 'localhost',
    };
    const p = project(THREE);
    const plan = planStack(
      p,
      await observeStack(p, { ops: engine.ops, pathKind: async (path) => (path.endsWith('web') ? 'dir' : 'file') }),
    );
    const error = await launchStack(
      deps,
      { stackId: 'demo', project: p, plan },
      () => undefined,
      new AbortController().signal,
    ).catch((e: AppError) => e);
    // interval 1s, timeout 30s (default), 2 retries, no start period: (1 + 30) × 2 = 62 s.
    expect(error).toMatchObject({ code: 'TIMEOUT', message: 'Service "db" did not become healthy within 62 s: not yet' });
    expect(clock).toBe(62_000);
  });

  it('stops when the subscriber leaves, keeping what exists', async () => {
    const { engine, run } = setup();
    const controller = new AbortController();
    controller.abort();
    const { error } = await run(project(THREE), controller.signal);
    expect(error).toMatchObject({ code: 'CANCELLED' });
    expect(engine.containers.size).toBe(0);
  });

  it('waits for a one-shot job to finish successfully before starting what needs it', async () => {
    const { engine, run } = setup();
    engine.knobs.exitOnStart.set('migrate', 0);
    const p = project(INIT_JOB);
    const { error } = await run(p);
    expect(error).toBeUndefined();
    expect(engine.calls.filter((c) => /create|start/.test(c))).toEqual([
      'create migrate',
      'start migrate',
      'create app',
      'start app',
      'create tool',
      'start tool',
    ]);
    // Launched again, the finished job is not run a second time: nothing to do.
    engine.calls.length = 0;
    const again = await run(p);
    expect(again.plan.upToDate).toBe(true);
    expect(engine.calls).toEqual([]);
    expect(again.events.at(-1)).toMatchObject({ type: 'done', nothingToDo: true });
  });
});
