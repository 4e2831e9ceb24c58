import { describe, expect, it } from 'vitest';
import {
  checkPort,
  folderHandles,
  machinePath,
  planRun,
  toSpecGenerator,
  validateRun,
  type RunDeps,
} from '../../src/main/podman/containers/run';
import { privilegedPortReason, unprivilegedPortStart, type PortProbe } from '../../src/main/podman/containers/port-probe';
import { createLiveCollection } from '../../src/main/podman/live-collection';
import type { ContainerSummary } from '../../src/shared/contract';
import { runSpec } from '../../src/shared/contract';

const container = (over: Partial<ContainerSummary>): ContainerSummary => ({
  id: 'a'.repeat(64),
  name: 'web',
  image: 'x',
  imageId: '',
  command: '',
  state: 'running',
  created: 0,
  ports: [],
  labels: {},
  isInfra: false,
  networks: [],
  ...over,
});

function deps(
  items: ContainerSummary[],
  free: boolean | PortProbe = true,
  local = true,
  probe?: RunDeps['probePort'],
  rootless = false,
): RunDeps {
  const containers = createLiveCollection<ContainerSummary>({
    key: (c) => c.id,
    listAll: async () => items,
    fetchOne: async () => null,
  });
  void containers.reload();
  return {
    engine: () => {
      throw new Error('no engine in unit tests');
    },
    containers,
    portsAreLocal: () => local,
    probePort: probe ?? (async () => (free === true ? 'free' : free === false ? 'in-use' : free)),
    engineRootless: () => rootless,
    unprivilegedPortStart: async () => 1024,
  };
}

describe('the run form’s checks', () => {
  it('finds who holds a port: a running container first, then another program', async () => {
    const d = deps([container({ ports: [{ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp' }] })], false);
    await new Promise((r) => setTimeout(r, 0));
    expect(await checkPort(d, { hostPort: 8080, protocol: 'tcp', hostIp: '' })).toEqual({
      free: false,
      usedBy: 'container web (8080→80/tcp)',
    });
    expect(await checkPort(d, { hostPort: 8080, protocol: 'udp', hostIp: '' })).toEqual({
      free: false,
      usedBy: 'another program on this computer',
    });
    // Over ssh the ports open on another machine: only containers can be asked.
    const remote = deps([], false, false);
    expect(await checkPort(remote, { hostPort: 9000, protocol: 'tcp', hostIp: '' })).toEqual({ free: true });
  });

  it('tells an address this computer does not have from a port in use', async () => {
    // 10.9.9.9 is a well-formed address, but listening on it fails with EADDRNOTAVAIL.
    const d = deps([], 'no-address');
    expect(await checkPort(d, { hostPort: 8080, protocol: 'tcp', hostIp: '10.9.9.9' })).toEqual({
      free: false,
      addressProblem: 'This computer has no address 10.9.9.9',
    });
    const spec = runSpec.parse({ image: 'nginx', ports: [{ hostIp: '10.9.9.9', hostPort: 8080, containerPort: 80 }] });
    expect(await validateRun(d, planRun(spec, []))).toEqual([
      { path: 'ports.0.hostIp', message: 'This computer has no address 10.9.9.9' },
    ]);
    // No right to bind it here (a low port, a rootful engine): the engine decides, not the probe.
    expect(await checkPort(deps([], 'unknown'), { hostPort: 80, protocol: 'tcp', hostIp: '' })).toEqual({ free: true });
  });

  it('says what is wrong with a host address that is not one', () => {
    const parsed = runSpec.safeParse({ image: 'nginx', ports: [{ hostIp: '18099', hostPort: 8080, containerPort: 80 }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['ports.0.hostIp', 'Not an IP address: give one of this computer’s (like 127.0.0.1), or leave it empty for all'],
    ]);
  });

  it('tells a privileged port from a busy one: refused for a rootless engine, left to a rootful one', async () => {
    const denied: RunDeps['probePort'] = async () => 'denied';
    const rootless = deps([], true, true, denied, true);
    const check = await checkPort(rootless, { hostPort: 80, protocol: 'tcp', hostIp: '' });
    expect(check).toEqual({ free: false, reason: expect.stringMatching(/^Port 80 is a privileged port: Podman runs rootless/) });
    expect(check.reason).toContain('from 1024 up');
    expect(check.usedBy).toBeUndefined();
    // A rootful engine binds it as root: this user's refusal says nothing about it.
    expect(await checkPort(deps([], true, true, denied, false), { hostPort: 80, protocol: 'tcp', hostIp: '' })).toEqual({
      free: true,
    });
    const spec = runSpec.parse({ image: 'nginx', ports: [{ hostPort: 80, containerPort: 80 }] });
    expect(await validateRun(rootless, planRun(spec, []))).toEqual([{ path: 'ports.0.hostPort', message: check.reason }]);
  });

  it('reads where unprivileged ports start, and says so', async () => {
    expect(await unprivilegedPortStart(async () => '1024\n')).toBe(1024);
    expect(await unprivilegedPortStart(async () => '0\n')).toBe(0);
    expect(await unprivilegedPortStart(() => Promise.reject(new Error('ENOENT')))).toBeNull();
    expect(privilegedPortReason(443, 500)).toContain('from 500 up. Choose 500 or higher (8080, say)');
    expect(privilegedPortReason(443, null)).toContain('from 1024 up');
  });

  it('reports every problem with the field it belongs to', async () => {
    const d = deps([container({ name: 'taken' })]);
    await new Promise((r) => setTimeout(r, 0));
    const spec = runSpec.parse({
      image: 'nginx',
      name: 'taken',
      ports: [
        { hostPort: 8080, containerPort: 80 },
        { hostPort: 8080, containerPort: 81 },
      ],
      env: [
        { key: 'A', value: '1' },
        { key: 'A', value: '2' },
      ],
      volumes: [
        { folder: `hp_${'a'.repeat(32)}`, target: '/x' },
        { source: 'data', target: '/y' },
      ],
      restartPolicy: 'always',
      autoRemove: true,
    });
    // A folder handle that resolved to something not absolute is refused too (it cannot come from a dialog).
    const issues = await validateRun(d, planRun(spec, ['relative']));
    expect(issues.map((i) => i.path)).toEqual(['name', 'ports.1.hostPort', 'volumes.0.source', 'env.1.key', 'restartPolicy']);
  });

  it('refuses malformed input in the schema itself', () => {
    expect(runSpec.safeParse({ image: 'nginx', ports: [{ hostPort: 0, containerPort: 0 }] }).success).toBe(false);
    expect(runSpec.safeParse({ image: 'nginx', env: [{ key: '1BAD', value: '' }] }).success).toBe(false);
    expect(runSpec.safeParse({ image: 'nginx', volumes: [{ source: 'v', target: 'relative' }] }).success).toBe(false);
    expect(runSpec.safeParse({ image: 'Bad Image' }).success).toBe(false);
    // A host folder is never a path from the page: only a handle main issued for one.
    for (const source of ['/etc', './x', '~/x', 'C:\\x', '\\\\server\\share', 'bad name!']) {
      expect(runSpec.safeParse({ image: 'nginx', volumes: [{ source, target: '/x' }] }).success, source).toBe(false);
    }
    expect(runSpec.safeParse({ image: 'nginx', volumes: [{ folder: '/etc', target: '/x' }] }).success).toBe(false);
    expect(runSpec.safeParse({ image: 'nginx', volumes: [{ target: '/x' }] }).success).toBe(false);
    expect(
      runSpec.safeParse({ image: 'nginx', volumes: [{ source: 'v', folder: `hp_${'a'.repeat(32)}`, target: '/x' }] }).success,
    ).toBe(false);
  });

  it('builds the libpod spec: named volumes and binds apart, ports, restart, network', () => {
    const spec = runSpec.parse({
      image: 'nginx:1',
      name: 'n',
      command: ['nginx', '-g', 'daemon off;'],
      ports: [{ hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
      env: [{ key: 'A', value: 'b=c' }],
      volumes: [
        { source: 'data', target: '/data' },
        { folder: `hp_${'b'.repeat(32)}`, target: '/usr/share/nginx/html', readOnly: true },
      ],
      network: 'front',
      restartPolicy: 'on-failure',
      restartRetries: 2,
    });
    expect(folderHandles(spec)).toEqual([`hp_${'b'.repeat(32)}`]);
    expect(toSpecGenerator(planRun(spec, ['C:\\site']), machinePath)).toEqual({
      image: 'nginx:1',
      name: 'n',
      command: ['nginx', '-g', 'daemon off;'],
      env: { A: 'b=c' },
      portmappings: [{ host_ip: '127.0.0.1', host_port: 8080, container_port: 80, protocol: 'tcp' }],
      mounts: [{ type: 'bind', source: '/mnt/c/site', destination: '/usr/share/nginx/html', options: ['ro'] }],
      volumes: [{ Name: 'data', Dest: '/data', Options: [] }],
      labels: {},
      remove: false,
      restart_policy: 'on-failure',
      restart_tries: 2,
      netns: { nsmode: 'bridge' },
      networks: { front: {} },
    });
  });

  it('mounts Windows folders where a Podman machine sees them', () => {
    expect(machinePath('C:\\Users\\me\\site')).toBe('/mnt/c/Users/me/site');
    expect(machinePath('/home/me')).toBe('/home/me');
  });
});
