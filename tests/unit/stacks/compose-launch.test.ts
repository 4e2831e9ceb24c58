import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LaunchEvent } from '../../../src/shared/contract';
import type { AppError } from '../../../src/shared/errors';
import type { ComposeProject } from '../../../src/main/stacks/compose/model';
import type { StackDefinition } from '../../../src/main/stacks/definitions';
import { cdiAdvice, detectGpus, readCdiDevices, type GpuFs } from '../../../src/main/stacks/gpu';
import { analyzeHostAccess } from '../../../src/main/stacks/host-access';
import { launchStack, type LaunchDeps } from '../../../src/main/stacks/launcher';
import { cidrBounds, leaseRange, networkCreateBody } from '../../../src/main/stacks/network-spec';
import { observeStack } from '../../../src/main/stacks/observe';
import { planStack } from '../../../src/main/stacks/planner';
import { resolveStack } from '../../../src/main/stacks/resolve';
import { fakeEngine } from './fake-engine';
import { nothing, project } from './fixtures';

/**
 * The new keys through the launcher (replicas, secrets and configs written in, builds with every
 * option, namespaces shared), the GPU facts, the network body, what "This computer" lists, and
 * resolving a stack's override files, profiles and GPU choice.
 */
function setup(files: Record<string, string> = {}) {
  const engine = fakeEngine();
  const deps: LaunchDeps = {
    ops: engine.ops,
    images: engine.images,
    wait: { probe: async () => true, probeHost: '127.0.0.1', sleep: async () => undefined },
    linkHost: 'localhost',
    readFile: async (path) => {
      if (!(path in files)) throw new Error(`ENOENT ${path}`);
      return Buffer.from(files[path]!);
    },
  };
  const run = async (p: ComposeProject, options: { remoteEngine?: boolean; services?: string[] } = {}) => {
    const events: LaunchEvent[] = [];
    const observed = await observeStack(p, {
      ops: engine.ops,
      pathKind: async (path) => (path.endsWith('file') ? 'file' : 'dir'),
    });
    const plan = planStack(p, observed, options.services ? { services: options.services } : {});
    const error = await launchStack(
      deps,
      { stackId: 'demo', project: p, plan, ...(options.remoteEngine ? { remoteEngine: true } : {}) },
      (e) => events.push(e),
      new AbortController().signal,
    ).then(
      () => undefined,
      (e: unknown) => e as AppError,
    );
    return { events, error, plan };
  };
  return { engine, run };
}

describe('launching the new keys', () => {
  it('creates every replica, <project>-<service>-<n>, and scales down by removing the extra ones', async () => {
    const { engine, run } = setup();
    const three = project('name: demo\nservices:\n  worker: {image: w, deploy: {replicas: 3}}\n');
    expect((await run(three)).error).toBeUndefined();
    const names = () => [...engine.containers.values()].map((c) => c.spec.name).sort();
    expect(names()).toEqual(['demo-worker-1', 'demo-worker-2', 'demo-worker-3']);
    const one = project('name: demo\nservices:\n  worker: {image: w, deploy: {replicas: 1}}\n');
    const { error, plan } = await run(one);
    expect(error).toBeUndefined();
    expect(plan.orphans.map((o) => o.name)).toEqual(['demo-worker-2', 'demo-worker-3']);
    expect(names()).toEqual(['demo-worker-1']);
  });

  it('writes environment and content secrets in before the container starts; file ones are bind mounts', async () => {
    const { engine, run } = setup();
    const p = project(
      'name: demo\nservices:\n  app:\n    image: a\n    secrets: [{source: key, mode: 0400, uid: "1000"}, pw]\n    configs: [{source: conf, target: /etc/app.ini}]\nsecrets:\n  key: {environment: KEY}\n  pw: {file: ./pw.txt}\nconfigs:\n  conf: {content: "x = 1"}\n',
      { KEY: 's3cret' },
    );
    const { error } = await run(p);
    expect(error).toBeUndefined();
    expect(engine.calls.filter((c) => /^(create|copy|start) app/.test(c))).toEqual([
      'create app',
      'copy app /run/secrets/key,/etc/app.ini',
      'start app',
    ]);
    const c = [...engine.containers.values()][0]!;
    expect(c.files).toEqual([
      { path: '/run/secrets/key', content: 's3cret', mode: 0o400, uid: 1000, gid: 0 },
      { path: '/etc/app.ini', content: 'x = 1', mode: 0o444, uid: 0, gid: 0 },
    ]);
    expect(c.spec.mounts).toEqual([
      { destination: '/run/secrets/pw', type: 'bind', source: '/stacks/demo/pw.txt', options: ['rbind', 'ro'] },
    ]);
  });

  it('for a remote engine reads the file secrets here and writes them in', async () => {
    const { engine, run } = setup({ '/stacks/demo/pw.txt': 'hunter2' });
    const p = project('name: demo\nservices:\n  app: {image: a, secrets: [pw]}\nsecrets:\n  pw: {file: ./pw.txt}\n');
    expect((await run(p, { remoteEngine: true })).error).toBeUndefined();
    const c = [...engine.containers.values()][0]!;
    expect(c.spec.mounts).toEqual([]);
    expect(c.files).toEqual([{ path: '/run/secrets/pw', content: 'hunter2', mode: 0o444, uid: 0, gid: 0 }]);
  });

  it('refuses to write secrets into a read-only service, as docker compose does', async () => {
    const { run } = setup();
    const p = project('name: demo\nservices:\n  app: {image: a, read_only: true, secrets: [k]}\nsecrets:\n  k: {content: x}\n');
    expect((await run(p)).error?.message).toMatch(
      /Service "app" is read_only, so its secrets and configs from environment or content/,
    );
  });

  it('builds with the target, platform, labels, network, hosts, tags and the build secrets’ content', async () => {
    const { engine, run } = setup({ '/stacks/demo/npmrc': '//registry/:_authToken=abc' });
    const p = project(
      'name: demo\nservices:\n  web:\n    build:\n      context: ./app\n      target: dev\n      labels: {a: b}\n      network: none\n      extra_hosts: ["mirror:10.0.0.9"]\n      secrets: [npmrc]\n      tags: [web:dev]\n      no_cache: true\n    platform: linux/arm64\nsecrets:\n  npmrc: {file: ./npmrc}\n',
    );
    expect((await run(p)).error).toBeUndefined();
    expect(engine.builds).toEqual([
      {
        context: '/stacks/demo/app',
        tag: 'demo-web',
        buildArgs: {},
        target: 'dev',
        platform: 'linux/arm64',
        labels: { a: 'b' },
        extraHosts: ['mirror:10.0.0.9'],
        network: 'none',
        secrets: [{ id: 'npmrc', content: Buffer.from('//registry/:_authToken=abc') }],
        noCache: true,
        extraTags: ['web:dev'],
      },
    ]);
  });

  it('pulls for the service’s platform', async () => {
    const { engine, run } = setup();
    await run(project('services:\n  a: {image: "a:1", platform: linux/arm64}\n'));
    expect(engine.pulls).toEqual([{ ref: 'a:1', platform: 'linux/arm64' }]);
  });

  it('starts a service whose profile is off when named, with what it needs', async () => {
    const { engine, run } = setup();
    const p = project(
      'name: demo\nservices:\n  web: {image: w}\n  db: {image: d, profiles: [debug]}\n  tool: {image: t, profiles: [debug], depends_on: [db]}\n',
    );
    await run(p);
    expect([...engine.containers.values()].map((c) => c.spec.name)).toEqual(['demo-web-1']);
    await run(p, { services: ['tool'] });
    expect([...engine.containers.values()].map((c) => c.spec.name).sort()).toEqual(['demo-db-1', 'demo-tool-1', 'demo-web-1']);
  });

  it('removes a container that shares a recreated one’s network first (Podman refuses the other order)', async () => {
    const { engine, run } = setup();
    await run(project('name: demo\nservices:\n  vpn: {image: vpn:1}\n  app: {image: a, network_mode: "service:vpn"}\n'));
    engine.calls.length = 0;
    await run(project('name: demo\nservices:\n  vpn: {image: vpn:2}\n  app: {image: a, network_mode: "service:vpn"}\n'));
    expect(engine.calls.filter((c) => /^(remove|create)/.test(c))).toEqual([
      'remove app',
      'remove vpn',
      'create vpn',
      'create app',
    ]);
  });

  it('keeps a recreated service’s anonymous volumes (the image’s VOLUME, a `- /cache`), as docker compose does', async () => {
    const { engine, run } = setup();
    engine.knobs.imageVolumes.set('db', ['/var/lib/db']);
    await run(project('name: demo\nservices:\n  db: {image: db, environment: {A: "1"}, volumes: [/cache]}\n'));
    const first = [...engine.containers.values()][0]!;
    const before = [...first.anonymous];
    expect(before.map(([dest]) => dest).sort()).toEqual(['/cache', '/var/lib/db']);

    // An edit of the environment recreates the container: the new one mounts the same volumes.
    await run(project('name: demo\nservices:\n  db: {image: db, environment: {A: "2"}, volumes: [/cache]}\n'));
    const second = [...engine.containers.values()][0]!;
    expect(second.id).not.toBe(first.id);
    expect([...second.anonymous].sort()).toEqual(before.sort());

    // A file that now puts a named volume there uses it instead; the other stays.
    await run(
      project(
        'name: demo\nservices:\n  db: {image: db, environment: {A: "3"}, volumes: [/cache, "data:/var/lib/db"]}\nvolumes: {data: {}}\n',
      ),
    );
    const third = [...engine.containers.values()][0]!;
    expect(third.spec.volumes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Name: 'demo_data', Dest: '/var/lib/db' }),
        expect.objectContaining({ Name: before.find(([d]) => d === '/cache')![1], Dest: '/cache' }),
      ]),
    );
  });

  it('creates a network with its IPAM settings', async () => {
    const { engine, run } = setup();
    const calls: unknown[] = [];
    const create = engine.ops.createNetwork;
    engine.ops.createNetwork = async (o) => {
      calls.push(o);
      return create(o);
    };
    await run(
      project(
        'name: demo\nservices:\n  a: {image: a, networks: [n]}\nnetworks:\n  n: {enable_ipv6: true, ipam: {config: [{subnet: 10.9.0.0/24, gateway: 10.9.0.1}]}}\n',
      ),
    );
    expect(calls).toMatchObject([
      { name: 'demo_n', enableIpv6: true, ipam: { config: [{ subnet: '10.9.0.0/24', gateway: '10.9.0.1' }] } },
    ]);
  });
});

describe('the network create body', () => {
  it('subnets with gateways and lease ranges, IPv6, the IPAM driver', () => {
    const p = project(
      'services: {a: {image: a, networks: [n]}}\nnetworks:\n  n:\n    internal: true\n    ipam:\n      driver: dhcp\n      config: [{subnet: 172.30.0.0/16, gateway: 172.30.0.254, ip_range: 172.30.5.0/24}, {subnet: "fd00::/64"}]\n',
    );
    expect(networkCreateBody(p.networks[0]!, 'demo_n', { x: 'y' })).toEqual({
      name: 'demo_n',
      driver: 'bridge',
      dns_enabled: true,
      internal: true,
      labels: { x: 'y' },
      options: {},
      subnets: [
        { subnet: '172.30.0.0/16', gateway: '172.30.0.254', lease_range: { start_ip: '172.30.5.0', end_ip: '172.30.5.255' } },
        { subnet: 'fd00::/64' },
      ],
      ipv6_enabled: true,
      ipam_options: { driver: 'dhcp' },
    });
  });

  it('a lease range leaves out the subnet’s own network and broadcast addresses', () => {
    expect(leaseRange('10.0.0.0/24', '10.0.0.0/24')).toEqual({ start_ip: '10.0.0.1', end_ip: '10.0.0.254' });
    expect(cidrBounds('192.168.1.77/30')).toEqual({ first: 0xc0a8014c, last: 0xc0a8014f });
    expect(() => leaseRange('10.0.0.0/24', '10.1.0.0/24')).toThrow(/not inside the subnet/);
  });
});

describe('GPUs', () => {
  const fs = (files: Record<string, string>): GpuFs => ({
    readDir: async (dir) =>
      Object.keys(files)
        .filter((f) => f.startsWith(`${dir}/`))
        .map((f) => f.slice(dir.length + 1)),
    readText: async (path) => files[path] ?? Promise.reject(new Error('ENOENT')),
    exists: async (path) => path in files || Object.keys(files).some((f) => f.startsWith(`${path}/`)),
  });
  const NVIDIA_SPEC = 'cdiVersion: 0.5.0\nkind: nvidia.com/gpu\ndevices:\n  - name: "0"\n  - name: all\n';

  it('reads the CDI specifications Podman reads (yaml and json), skipping broken ones', async () => {
    const devices = await readCdiDevices(
      fs({
        '/etc/cdi/nvidia.yaml': NVIDIA_SPEC,
        '/var/run/cdi/other.json': JSON.stringify({ cdiVersion: '0.5.0', kind: 'vendor.com/fpga', devices: [{ name: 'a' }] }),
        '/etc/cdi/broken.yaml': ': : :',
        '/etc/cdi/readme.txt': 'kind: x/y',
      }),
    );
    expect(devices).toEqual(['nvidia.com/gpu=0', 'nvidia.com/gpu=all', 'vendor.com/fpga=a']);
  });

  it('knows an NVIDIA GPU without its CDI specification, and an AMD GPU by /dev/kfd', async () => {
    expect(await detectGpus(fs({ '/proc/driver/nvidia/version': 'NVRM 550' }))).toEqual({
      nvidia: { present: true, cdi: false },
      amd: { present: false },
    });
    expect(await detectGpus(fs({ '/etc/cdi/nvidia.yaml': NVIDIA_SPEC, '/dev/kfd': '', '/dev/dri/renderD128': '' }))).toEqual({
      nvidia: { present: true, cdi: true },
      amd: { present: true },
    });
    expect(await detectGpus(fs({}))).toEqual({ nvidia: { present: false, cdi: false }, amd: { present: false } });
  });

  it('the plan refuses GPUs the CDI specification does not define, saying how to install it', () => {
    const p = project('services:\n  ollama: {image: o, gpus: all}\n');
    const without = planStack(p, { ...nothing(), cdiDevices: [] });
    expect(without.problems.map((x) => x.message)).toEqual([cdiAdvice('ollama', ['nvidia.com/gpu=all'], [])]);
    expect(without.problems[0]!.message).toMatch(
      /no NVIDIA CDI specification\. Install the NVIDIA Container Toolkit.*nvidia-ctk cdi generate/,
    );
    expect(planStack(p, { ...nothing(), cdiDevices: ['nvidia.com/gpu=all'] }).problems).toEqual([]);
    // When PodDesk cannot look (a remote engine), Podman says it at create.
    expect(planStack(p, nothing()).problems).toEqual([]);
  });
});

describe('"This computer" for the new keys', () => {
  it('lists privileges, capabilities, host namespaces, unconfined security, GPUs and the files secrets and configs read', async () => {
    const p = project(
      `
services:
  app:
    image: a
    privileged: true
    cap_add: [SYS_ADMIN, NET_ADMIN]
    network_mode: host
    pid: host
    ipc: host
    security_opt: [seccomp=unconfined, label=disable]
    gpus: all
    devices: [/dev/kfd]
    secrets: [pw]
    configs: [{source: conf, target: /etc/x.conf}]
    build: {context: ., secrets: [npm]}
secrets:
  pw: {file: ./secrets/pw.txt}
  npm: {file: /home/ada/.npmrc}
configs:
  conf: {file: ./x.conf}
`,
    );
    const items = await analyzeHostAccess(p, { ownFolders: ['/stacks/demo'], fromEnvironment: [], realpath: async (x) => x });
    expect(items.map((i) => [i.kind, i.subject, i.target ?? '', i.access ?? ''])).toEqual([
      ['mount', '/stacks/demo/secrets/pw.txt', '/run/secrets/pw', 'read-only'],
      ['mount', '/stacks/demo/x.conf', '/etc/x.conf', 'read-only'],
      ['device', '/dev/kfd', '/dev/kfd', ''],
      ['device', 'nvidia.com/gpu=all', '', ''],
      ['build-context', '/home/ada/.npmrc', '', 'read-only'],
      ['widens-access', 'cap_add: NET_ADMIN', '', ''],
      ['widens-access', 'cap_add: SYS_ADMIN', '', ''],
      ['widens-access', 'ipc: host', '', ''],
      ['widens-access', 'network_mode: host', '', ''],
      ['widens-access', 'pid: host', '', ''],
      ['widens-access', 'privileged', '', ''],
      ['widens-access', 'security_opt: label=disable', '', ''],
      ['widens-access', 'security_opt: seccomp=unconfined', '', ''],
    ]);
    expect(items.find((i) => i.subject === 'cap_add: SYS_ADMIN')!.note).toMatch(/close to full root power/);
  });
});

describe('resolving a stack: override files, profiles, the GPU choice, label files', () => {
  async function stack(
    yaml: string,
    files: Record<string, string>,
    state: Partial<StackDefinition['state']> = {},
    source: 'user' | 'builtin' = 'user',
  ) {
    const folder = await mkdtemp(join(tmpdir(), 'pdt-resolve-'));
    for (const [name, text] of Object.entries(files)) {
      await mkdir(join(folder, name, '..'), { recursive: true });
      await writeFile(join(folder, name), text);
    }
    const def: StackDefinition = {
      id: 'shop',
      source,
      yaml,
      workingDir: folder,
      modified: false,
      state: {
        variables: {},
        generated: {},
        ...(source === 'user' ? { importedFrom: join(folder, 'compose.yaml') } : {}),
        ...state,
      },
    };
    return { def, folder };
  }

  it('merges a compose.override.yaml beside the imported file, then the user’s own override files', async () => {
    const { def, folder } = await stack('services:\n  web: {image: "web:1", labels: [a=1]}\n', {
      'compose.override.yaml': 'services:\n  web: {labels: [b=2]}\n',
      'extra/more.yaml': 'services:\n  web: {image: "web:2"}\n',
    });
    def.state.overrides = [join(folder, 'extra/more.yaml')];
    const resolved = await resolveStack(def, { env: {} });
    expect(resolved.issues).toEqual([]);
    expect(resolved.overrideFiles).toEqual([
      { path: join(folder, 'compose.override.yaml'), origin: 'auto' },
      { path: join(folder, 'extra/more.yaml'), origin: 'user' },
    ]);
    expect(resolved.project!.services[0]).toMatchObject({ image: 'web:2', labels: { a: '1', b: '2' } });
  });

  it('reads the files include and extends name', async () => {
    const { def } = await stack('include: [db.yaml]\nservices:\n  web: {extends: {file: base.yaml, service: base}}\n', {
      'db.yaml': 'services:\n  db: {image: db}\n',
      'base.yaml': 'services:\n  base: {image: "base:3"}\n',
    });
    const resolved = await resolveStack(def, { env: {} });
    expect(resolved.issues).toEqual([]);
    expect(resolved.project!.services.map((s) => [s.name, s.image])).toEqual([
      ['web', 'base:3'],
      ['db', 'db'],
    ]);
  });

  it('turns on the stack’s profiles and COMPOSE_PROFILES', async () => {
    const { def } = await stack(
      'services:\n  a: {image: a, profiles: [x]}\n  b: {image: b, profiles: [y]}\n  c: {image: c, profiles: [z]}\n',
      {
        '.env': 'COMPOSE_PROFILES=y, z\n',
      },
    );
    def.state.profiles = ['x'];
    const resolved = await resolveStack(def, { env: {} });
    expect(resolved.profiles).toEqual({ all: ['x', 'y', 'z'], active: ['x', 'y', 'z'] });
  });

  it('merges the GPU override the user chose, from the built-in folder', async () => {
    const { def } = await stack(
      'x-poddesk:\n  gpu: {nvidia: gpu/nv.yaml, amd: gpu/amd.yaml}\nservices:\n  ollama: {image: o}\n',
      {
        'gpu/nv.yaml':
          'services:\n  ollama:\n    deploy: {resources: {reservations: {devices: [{driver: nvidia, count: all, capabilities: [gpu]}]}}}\n',
        'gpu/amd.yaml': 'services:\n  ollama: {image: "o:rocm", devices: [/dev/kfd, /dev/dri]}\n',
      },
      { gpu: 'amd' },
      'builtin',
    );
    const resolved = await resolveStack(def, { env: {} });
    expect(resolved.gpuOffers).toEqual(['nvidia', 'amd']);
    expect(resolved.project!.services[0]).toMatchObject({ image: 'o:rocm', devices: ['/dev/kfd', '/dev/dri'] });
    def.state.gpu = 'nvidia';
    expect((await resolveStack(def, { env: {} })).project!.services[0]!.gpus).toEqual([
      { driver: 'nvidia', count: 'all', deviceIds: [] },
    ]);
  });

  it('reads label files under the labels, and says so when an override file cannot be read', async () => {
    const { def, folder } = await stack('services:\n  a: {image: a, label_file: meta.labels, labels: {team: web}}\n', {
      'meta.labels': 'team=ops\nversion=3\n',
    });
    expect((await resolveStack(def, { env: {} })).project!.services[0]!.labels).toEqual({ team: 'web', version: '3' });
    def.state.overrides = [join(folder, 'gone.yaml')];
    expect((await resolveStack(def, { env: {} })).issues.map((i) => i.message)).toEqual([
      `The override file ${join(folder, 'gone.yaml')} cannot be read`,
    ]);
  });
});
