import { describe, expect, it } from 'vitest';
import { planStack } from '../../../src/main/stacks/planner';
import { selectServices } from '../../../src/main/stacks/selection';
import { launched, nothing, project } from './fixtures';

/** docker compose's own profiles example (docs "Using profiles with Compose"). */
const PROFILES = `
name: demo
services:
  web: {image: web}
  mock-backend:
    image: backend
    profiles: [dev]
    depends_on: [db]
  db:
    image: mysql
    profiles: [dev]
  phpmyadmin:
    image: phpmyadmin
    profiles: [debug]
    depends_on: [db]
`;

describe('profiles', () => {
  const p = project(PROFILES);

  it('start only services without profiles, unless a profile is on', () => {
    expect(selectServices(p, []).names).toEqual(['web']);
    expect(selectServices(p, ['dev']).names).toEqual(['web', 'mock-backend', 'db']);
    expect(selectServices(p, ['*']).names).toEqual(['web', 'mock-backend', 'db', 'phpmyadmin']);
  });

  it('a service named explicitly runs, and its profiles count as on for what it needs', () => {
    expect(selectServices(p, [], ['mock-backend'])).toMatchObject({ names: ['mock-backend', 'db'], problems: [] });
    // phpmyadmin's own profile is debug: db (dev) is still off, as docker compose refuses it.
    expect(selectServices(p, [], ['phpmyadmin']).problems).toEqual([
      { service: 'phpmyadmin', dependency: 'db', profiles: ['dev'] },
    ]);
    expect(selectServices(p, ['dev'], ['phpmyadmin'])).toMatchObject({ names: ['db', 'phpmyadmin'], problems: [] });
  });

  it('the plan leaves the others out and says why; a needed service whose profile is off refuses the launch', () => {
    const plan = planStack(p, nothing());
    expect(plan.services.map((s) => s.name)).toEqual(['web']);
    expect(plan.order).toEqual(['web']);
    expect(plan.warnings.map((w) => w.message)).toEqual([
      '"mock-backend" is not started: it runs with the profile "dev", which is off',
      '"db" is not started: it runs with the profile "dev", which is off',
      '"phpmyadmin" is not started: it runs with the profile "debug", which is off',
    ]);
    const refused = planStack(p, nothing(), { services: ['phpmyadmin'] });
    expect(refused.problems.map((x) => x.message)).toEqual([
      'Service "phpmyadmin" needs "db", which runs only with the profile "dev": turn it on',
    ]);
  });

  it('a container of a service whose profile is off is no orphan: a launch leaves it alone', () => {
    const observed = launched(p);
    const plan = planStack(p, observed);
    expect(plan.orphans).toEqual([]);
    expect(plan.services.map((s) => [s.name, s.action])).toEqual([['web', 'keep']]);
  });

  it('a network only a left-out service uses is not created', () => {
    const q = project(
      'services:\n  a: {image: a}\n  dbg: {image: d, profiles: [debug], networks: [tools]}\nnetworks:\n  tools: {external: true}\n',
    );
    // The external network does not exist, and no started service needs it: no problem.
    expect(planStack(q, nothing()).problems).toEqual([]);
    expect(planStack(q, nothing(), { profiles: ['debug'] }).problems.map((x) => x.message)).toEqual([
      'The external network "tools" does not exist: create it first',
    ]);
  });

  it('two services in different profiles may publish one host port, but not both in one launch', () => {
    const q = project(
      'services:\n  a: {image: a, ports: ["8080:80"], profiles: [x]}\n  b: {image: b, ports: ["8080:80"], profiles: [y]}\n',
    );
    expect(planStack(q, nothing(), { profiles: ['x'] }).problems).toEqual([]);
    expect(planStack(q, nothing(), { profiles: ['x', 'y'] }).problems.map((x) => x.message)).toEqual([
      'Host port 8080/tcp is published by both "a" and "b": only one of them can run',
    ]);
  });
});

describe('replicas', () => {
  const p = project('name: demo\nservices:\n  worker: {image: w, deploy: {replicas: 3}}\n');

  it('plans the containers <project>-<service>-1…n', () => {
    const plan = planStack(p, nothing());
    expect(plan.services).toMatchObject([{ name: 'worker', container: 'demo-worker-1', action: 'create', replicas: 3 }]);
  });

  it('creates the missing ones when scaled up, and removes the extra ones when scaled down', () => {
    const running = (n: number) => {
      const observed = launched(p);
      const one = observed.containers[0]!;
      observed.containers = Array.from({ length: n }, (_, i) => ({ ...one, id: `id-${i + 1}`, name: `demo-worker-${i + 1}` }));
      return observed;
    };
    expect(planStack(p, running(1)).services[0]).toMatchObject({ action: 'create', reason: 'scaled to 3: 2 more containers' });
    expect(planStack(p, running(3)).services[0]).toMatchObject({ action: 'keep' });
    const down = planStack(p, running(5));
    expect(down.orphans).toEqual([
      { name: 'demo-worker-4', service: 'worker' },
      { name: 'demo-worker-5', service: 'worker' },
    ]);
    expect(down.warnings.map((w) => w.message)).toEqual([
      '"worker" is scaled to 3: the launch removes demo-worker-4, demo-worker-5',
    ]);
  });
});

describe('container names', () => {
  const file = 'name: demo\nservices:\n  worker: {image: w, deploy: {replicas: 3}}\n  db: {image: d, container_name: the-db}\n';
  const docker = project(file);
  const podmanCompose = { ...project(file), containerNames: 'podman-compose' as const };
  /** Every replica running, named as `naming` names them. */
  const running = (naming: typeof docker, n = 3) => {
    const observed = launched(naming);
    const [worker, db] = observed.containers as [(typeof observed.containers)[number], (typeof observed.containers)[number]];
    const sep = naming.containerNames === 'podman-compose' ? '_' : '-';
    observed.containers = [
      ...Array.from({ length: n }, (_, i) => ({ ...worker, id: `id-${i + 1}`, name: ['demo', 'worker', i + 1].join(sep) })),
      db,
    ];
    return observed;
  };

  it('plans <project>_<service>_<n> when the stack names them as podman-compose does; container_name stays', () => {
    expect(planStack(podmanCompose, nothing()).services.map((s) => s.container)).toEqual(['demo_worker_1', 'the-db']);
    expect(planStack(podmanCompose, running(podmanCompose)).upToDate).toBe(true);
  });

  it('recreates the containers named the other way, in either direction, and calls none of them scaled down', () => {
    for (const [was, now, reason] of [
      [docker, podmanCompose, 'its containers get podman-compose names'],
      [podmanCompose, docker, 'its containers get docker compose names'],
    ] as const) {
      const plan = planStack(now, running(was));
      expect(plan.services.map((s) => [s.name, s.action, s.reason])).toEqual([
        ['worker', 'recreate', reason],
        ['db', 'keep', 'up to date and running'],
      ]);
      expect(plan.orphans).toEqual([]);
      expect(plan.warnings).toEqual([]);
    }
    // Replicas beyond today's count, named the other way, go with the recreation too.
    expect(planStack(podmanCompose, running(docker, 5)).orphans).toEqual([]);
  });

  it('still removes the extra replicas of its own naming when scaled down', () => {
    expect(planStack(podmanCompose, running(podmanCompose, 4)).orphans).toEqual([{ name: 'demo_worker_4', service: 'worker' }]);
  });
});

describe('pull_policy', () => {
  it('always pulls, never refuses a missing image, build rebuilds', () => {
    const p = project(
      'services:\n  a: {image: a:1, pull_policy: always}\n  b: {image: b:1, pull_policy: never}\n  c: {build: ., pull_policy: build}\n',
    );
    const observed = nothing();
    observed.images = new Map([
      ['a:1', 'img-a'],
      ['demo-c', 'img-c'],
    ]);
    const plan = planStack(p, observed);
    expect(plan.images.map((i) => [i.ref, i.action])).toEqual([
      ['a:1', 'pull'],
      ['b:1', 'pull'],
      ['demo-c', 'build'],
    ]);
    expect(plan.problems.map((x) => x.message)).toEqual([
      'Service "b" has pull_policy: never and its image b:1 is not on this engine: build or pull it first',
    ]);
  });
});

describe('shared namespaces', () => {
  it('a service that joins another’s network is recreated with it', () => {
    const before = project('name: demo\nservices:\n  vpn: {image: vpn:1}\n  app: {image: app, network_mode: "service:vpn"}\n');
    const after = project('name: demo\nservices:\n  vpn: {image: vpn:2}\n  app: {image: app, network_mode: "service:vpn"}\n');
    const plan = planStack(after, launched(before));
    expect(plan.services.map((s) => [s.name, s.action, s.reason])).toEqual([
      ['vpn', 'recreate', 'its definition changed'],
      ['app', 'recreate', 'it shares "vpn", which is recreated'],
    ]);
    expect(plan.order).toEqual(['vpn', 'app']);
  });
});
