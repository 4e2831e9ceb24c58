import { describe, expect, it, vi } from 'vitest';
import { applyContainerEvent, inspectToSummary, toContainerSummary } from '../../../src/main/podman/containers';
import { engineError } from '../../../src/main/podman/errors';
import { parseEvent } from '../../../src/main/podman/events';
import type { LiveCollection } from '../../../src/main/podman/live-collection';
import type { ContainerSummary } from '../../../src/shared/contract';

describe('libpod containers → summaries', () => {
  it('reads what the list endpoint returns (as measured on Podman 4.3)', () => {
    const summary = toContainerSummary({
      Id: '8afe9d39c774',
      Names: ['web'],
      Image: 'localhost/test/busybox:latest',
      ImageID: 'sha256:96d1',
      Command: ['httpd', '-f', '-p', '80'],
      Created: '2026-11-29T02:06:29.621867827Z',
      StartedAt: 1795917989,
      State: 'running',
      Status: 'healthy',
      Labels: { 'com.docker.compose.project': 'demo', 'com.docker.compose.service': 'web' },
      Ports: [{ host_ip: '', container_port: 80, host_port: 18080, range: 2, protocol: 'tcp' }],
      Pod: 'p1d',
      PodName: 'mypod',
      IsInfra: false,
      Networks: ['podman'],
    });
    expect(summary).toEqual({
      id: '8afe9d39c774',
      name: 'web',
      image: 'localhost/test/busybox:latest',
      imageId: '96d1',
      command: 'httpd -f -p 80',
      state: 'running',
      health: 'healthy',
      created: Math.floor(Date.parse('2026-11-29T02:06:29.621Z') / 1000),
      startedAt: 1795917989,
      ports: [
        { hostIp: '', hostPort: 18080, containerPort: 80, protocol: 'tcp' },
        { hostIp: '', hostPort: 18081, containerPort: 81, protocol: 'tcp' },
      ],
      labels: { 'com.docker.compose.project': 'demo', 'com.docker.compose.service': 'web' },
      project: 'demo',
      service: 'web',
      pod: { id: 'p1d', name: 'mypod' },
      isInfra: false,
      networks: ['podman'],
    });
  });

  it('maps Podman’s states to the app’s and keeps the exit code of stopped ones', () => {
    expect(toContainerSummary({ Id: 'x', State: 'stopped', ExitCode: 137 })).toMatchObject({ state: 'exited', exitCode: 137 });
    expect(toContainerSummary({ Id: 'x', State: 'configured' }).state).toBe('created');
    expect(toContainerSummary({ Id: 'x', State: 'weird' }).state).toBe('unknown');
    expect(toContainerSummary({ Id: 'x', State: 'running', Status: '' }).health).toBeUndefined();
    expect(toContainerSummary({ Id: 'x', Labels: { 'io.podman.compose.project': 'pc' } }).project).toBe('pc');
  });
});

describe('libpod inspect → summaries', () => {
  it('gives what the list gives for the same container', () => {
    const fromInspect = inspectToSummary(
      {
        Id: 'cb64',
        Name: 'inpod',
        Created: '2026-11-29T02:28:56.751797929Z',
        Image: '96d1',
        ImageName: 'localhost/test/busybox:latest',
        Pod: '093c',
        IsInfra: false,
        State: { Status: 'running', ExitCode: 0, StartedAt: '2026-11-29T02:28:58.218328891Z', Health: { Status: 'starting' } },
        Config: { Labels: { a: 'b' }, Cmd: ['httpd', '-f', '-p', '80'] },
        NetworkSettings: { Ports: { '80/tcp': [{ HostIp: '', HostPort: '18090' }], '443/tcp': null }, Networks: { podman: {} } },
        HostConfig: { NetworkMode: 'container:171f' },
      },
      'pp',
    );
    const fromList = toContainerSummary({
      Id: 'cb64',
      Names: ['inpod'],
      Image: 'localhost/test/busybox:latest',
      ImageID: '96d1',
      Command: ['httpd', '-f', '-p', '80'],
      Created: '2026-11-29T02:28:56.751797929Z',
      StartedAt: Math.floor(Date.parse('2026-11-29T02:28:58.218Z') / 1000),
      State: 'running',
      Status: 'starting',
      Labels: { a: 'b' },
      Ports: [{ host_ip: '', container_port: 80, host_port: 18090, range: 1, protocol: 'tcp' }],
      Pod: '093c',
      PodName: 'pp',
      IsInfra: false,
      Networks: [],
    });
    expect(fromInspect).toEqual(fromList);
  });

  it('leaves out the start time of a container never started', () => {
    const s = inspectToSummary({ Id: 'x', State: { Status: 'created', StartedAt: '0001-01-01T00:00:00Z' } });
    expect(s.startedAt).toBeUndefined();
  });
});

describe('engine events → cache work', () => {
  const cache = () =>
    ({ refresh: vi.fn(), drop: vi.fn() }) as unknown as LiveCollection<ContainerSummary> & {
      refresh: ReturnType<typeof vi.fn>;
      drop: ReturnType<typeof vi.fn>;
    };
  const event = (Type: string, Action: string, extra: Record<string, string> = {}) =>
    parseEvent({ Type, Action, Actor: { ID: 'c1', Attributes: extra }, timeNano: 1 })!;

  it('refreshes on state changes, drops on remove, ignores exec noise', () => {
    const c = cache();
    for (const action of ['create', 'start', 'die', 'stop', 'pause', 'rename', 'health_status'])
      applyContainerEvent(event('container', action), c);
    applyContainerEvent(event('container', 'remove'), c);
    for (const action of ['exec_create', 'exec_start', 'exec_die', 'attach', 'resize', 'archive-path'])
      applyContainerEvent(event('container', action), c);
    applyContainerEvent(event('image', 'pull'), c);
    expect(c.refresh).toHaveBeenCalledTimes(7);
    expect(c.drop).toHaveBeenCalledWith('c1');
  });

  it('refreshes the container a network was connected to (Docker’s attribute, or Podman’s id)', () => {
    const c = cache();
    applyContainerEvent(event('network', 'connect', { container: 'abc' }), c);
    expect(c.refresh).toHaveBeenCalledWith('abc');
    applyContainerEvent(event('network', 'disconnect'), c);
    expect(c.refresh).toHaveBeenCalledWith('c1');
  });

  it('reads compat events as Podman sends them', () => {
    expect(
      parseEvent({ status: 'start', id: 'x', Type: 'container', Actor: { ID: 'x', Attributes: { name: 'n' } }, time: 2 }),
    ).toEqual({
      type: 'container',
      action: 'start',
      id: 'x',
      attributes: { name: 'n' },
      timeNano: 2e9,
    });
    expect(parseEvent({})).toBeNull();
  });
});

describe('engine errors', () => {
  it('keeps Podman’s words and picks a code the UI can act on', () => {
    const missing = engineError({
      statusCode: 404,
      json: { message: 'no container with name or ID "x" found: no such container' },
    });
    expect(missing.toJSON()).toMatchObject({
      code: 'NOT_FOUND',
      message: 'no container with name or ID "x" found: no such container',
    });
    const running = engineError({
      statusCode: 500,
      json: { cause: 'container state improper', message: 'cannot remove container abc as it is running' },
    });
    expect(running.code).toBe('CONFLICT');
    expect(engineError({ statusCode: 500, json: { cause: 'something else', message: 'disk full' } }).code).toBe('ENGINE_ERROR');
    expect(engineError({ statusCode: 304, reason: 'container already started' }).message).toBe('container already started');
    expect(engineError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).code).toBe(
      'ENGINE_UNAVAILABLE',
    );
    expect(engineError(Object.assign(new Error('aborted'), { name: 'AbortError' })).code).toBe('CANCELLED');
  });
});
