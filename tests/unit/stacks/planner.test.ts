import { describe, expect, it } from 'vitest';
import { planStack } from '../../../src/main/stacks/planner';
import { INIT_JOB, THREE, launched, nothing, project } from './fixtures';

describe('planning a launch against what exists', () => {
  it('creates everything for a stack that does not exist yet, in dependency order', () => {
    const p = project(THREE);
    const plan = planStack(p, { ...nothing(), images: new Map([['db:1', 'img-db']]) });
    expect(plan.problems).toEqual([]);
    expect(plan.upToDate).toBe(false);
    expect(plan.order).toEqual(['db', 'api', 'web']);
    expect(plan.networks).toEqual([{ key: 'default', name: 'demo_default', action: 'create' }]);
    expect(plan.volumes).toEqual([{ key: 'data', name: 'demo_data', action: 'create' }]);
    expect(plan.images).toEqual([
      { ref: 'db:1', services: ['db'], action: 'present' },
      { ref: 'api:1', services: ['api'], action: 'pull' },
      { ref: 'demo-web', services: ['web'], action: 'build', context: '/stacks/demo/web' },
    ]);
    expect(plan.services.map((s) => [s.name, s.container, s.action])).toEqual([
      ['db', 'demo-db-1', 'create'],
      ['api', 'demo-api-1', 'create'],
      ['web', 'demo-web-1', 'create'],
    ]);
    expect(plan.services[1]!.ports).toEqual([{ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp' }]);
  });

  it('is up to date when everything runs as the file says: a second launch does nothing', () => {
    const p = project(THREE);
    const plan = planStack(p, launched(p));
    expect(plan.upToDate).toBe(true);
    expect(plan.services.every((s) => s.action === 'keep')).toBe(true);
    expect(plan.images).toEqual([]);
  });

  it('completes a stack a failed launch left halfway', () => {
    const p = project(THREE);
    const observed = launched(p);
    observed.containers = observed.containers.filter((c) => c.service === 'db');
    observed.containers.push({
      id: 'id-api',
      name: 'demo-api-1',
      service: 'api',
      state: 'created',
      imageId: 'img-api:1',
      ports: [],
    });
    observed.containers[1]!.configHash = launched(p).containers[1]!.configHash!;
    const plan = planStack(p, observed);
    expect(plan.services.map((s) => [s.name, s.action, s.reason])).toEqual([
      ['db', 'keep', 'up to date and running'],
      ['api', 'start', 'created, never started'],
      ['web', 'create', 'new'],
    ]);
    expect(plan.networks[0]!.action).toBe('exists');
  });

  it('recreates only the services whose definition changed', () => {
    const before = project(THREE);
    const after = project(THREE.replace('image: api:1', 'image: api:2'));
    const observed = launched(before);
    observed.images.set('api:2', 'img-api:2');
    const plan = planStack(after, observed);
    expect(plan.services.map((s) => [s.name, s.action])).toEqual([
      ['db', 'keep'],
      ['api', 'recreate'],
      ['web', 'keep'],
    ]);
    expect(plan.images).toEqual([{ ref: 'api:2', services: ['api'], action: 'present' }]);
  });

  it('recreates a service whose image changed under the same name, and one rebuilt on request', () => {
    const p = project(THREE);
    const observed = launched(p);
    observed.images.set('api:1', 'img-newer');
    expect(planStack(p, observed).services.find((s) => s.name === 'api')).toMatchObject({
      action: 'recreate',
      reason: 'its image changed',
    });
    const rebuilt = planStack(p, launched(p), { rebuild: true });
    expect(rebuilt.services.find((s) => s.name === 'web')).toMatchObject({ action: 'recreate', reason: 'its image is rebuilt' });
    expect(rebuilt.images).toEqual([{ ref: 'demo-web', services: ['web'], action: 'build', context: '/stacks/demo/web' }]);
  });

  it('starts stopped services, and removes containers of services the file no longer has', () => {
    const p = project(THREE);
    const observed = launched(p, { web: { state: 'exited' } });
    observed.containers.push({ id: 'id-old', name: 'demo-old-1', service: 'old', state: 'running', imageId: 'x', ports: [] });
    const plan = planStack(p, observed);
    expect(plan.services.find((s) => s.name === 'web')).toMatchObject({ action: 'start', reason: 'stopped' });
    expect(plan.orphans).toEqual([{ name: 'demo-old-1', service: 'old' }]);
    expect(plan.warnings[0]!.message).toMatch(/no longer has "old"/);
  });

  it('keeps a finished init job done; reruns it only when it failed', () => {
    const p = project(INIT_JOB);
    const done = planStack(p, launched(p, { migrate: { state: 'exited', exitCode: 0 } }));
    expect(done.services.find((s) => s.name === 'migrate')).toMatchObject({ action: 'keep', reason: 'finished its job' });
    expect(done.upToDate).toBe(true);
    const failed = planStack(p, launched(p, { migrate: { state: 'exited', exitCode: 1 } }));
    expect(failed.services.find((s) => s.name === 'migrate')).toMatchObject({ action: 'start', reason: 'stopped' });
    // A service nothing waits on is a stopped service, whatever its exit code.
    const tool = planStack(p, launched(p, { tool: { state: 'exited', exitCode: 0 } }));
    expect(tool.services.find((s) => s.name === 'tool')).toMatchObject({ action: 'start', reason: 'stopped' });
  });

  it('refuses a host port someone else holds, before anything is created', () => {
    const p = project(THREE);
    const plan = planStack(p, {
      ...nothing(),
      busyPorts: [
        { hostIp: '', hostPort: 8080, protocol: 'tcp', holder: 'container "other" (stack "x")' },
        { hostIp: '127.0.0.1', hostPort: 3000, protocol: 'tcp', holder: 'another program on this computer' },
        { hostIp: '', hostPort: 3000, protocol: 'udp', holder: 'udp only' },
      ],
    });
    expect(plan.problems.map((x) => x.message)).toEqual([
      'Host port 8080 (service "api") is already in use by container "other" (stack "x"). Stop that, or choose another port in the Variables.',
      'Host port 3000 (service "web") is already in use by another program on this computer. Stop that, or choose another port in the Variables.',
    ]);
  });

  it('does not call its own running, kept services a port conflict', () => {
    const p = project(THREE);
    const plan = planStack(p, { ...launched(p), busyPorts: [{ hostIp: '', hostPort: 8080, protocol: 'tcp', holder: 'itself' }] });
    expect(plan.problems).toEqual([]);
  });

  it('refuses a missing build context, and external networks or volumes that do not exist', () => {
    const p = project(
      `${THREE}
networks:
  shared: {external: true, name: corp-net}
`.replace('depends_on: [api]', 'depends_on: [api]\n    networks: [shared]'),
    );
    const observed = nothing();
    observed.buildProblems.set('/stacks/demo/web', 'its build context /stacks/demo/web is not a folder that exists');
    const plan = planStack(p, observed);
    expect(plan.problems.map((x) => x.message)).toEqual([
      'The external network "corp-net" does not exist: create it first',
      'Service "web" cannot be built: its build context /stacks/demo/web is not a folder that exists',
    ]);
    expect(plan.networks.find((n) => n.key === 'shared')!.action).toBe('external');
  });
});
