import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import type { StackDetail, StackPlan, StackSummary } from '../../src/shared/contract';
import { connectedApp, uniqueName } from '../support/app';
import { fakeHostFiles, type FakeHostFiles } from '../support/host-files';
import { normalInspect } from '../support/inspect-normal';
import { podman, waitFor } from '../support/podman';
import { podmanCompose } from '../support/podman-compose';
import { confirmHostAccess, launch, ok } from '../support/stacks';

/**
 * The same Compose file launched by podman-compose (Debian's 1.0.3) into one project and by
 * PodDesk into another, on the test Podman; each container's `podman inspect`, normalised, must
 * match. Where podman-compose itself departs from the Compose specification (it is an older
 * tool), the test says so and checks PodDesk against what docker compose does instead.
 */
const info = inject('podman');
let app: App;
let files: FakeHostFiles;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pdt-diff-'));
  files = fakeHostFiles(dir);
  app = await connectedApp(info, { hostFiles: files });
});
afterAll(async () => {
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

type Normal = ReturnType<typeof normalInspect>;

async function writeFolder(folder: string, content: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(content)) {
    await mkdir(join(folder, name, '..'), { recursive: true });
    await writeFile(join(folder, name), text);
  }
}

const inspectNormal = async (container: string, project: string, folder: string): Promise<Normal> =>
  normalInspect((JSON.parse(await podman(info, 'inspect', container)) as Normal[])[0]!, { project, folder });

/**
 * Both tools on one file: podman-compose in `<folder>/pc` as project pc-…, PodDesk in
 * `<folder>/pd` (opened as the user opens a file) as project pd-…. Variables differ per tool where
 * two projects cannot share a value (a fixed host port, a subnet).
 */
async function both(
  name: string,
  content: Record<string, string>,
  services: string[],
  variables: (tool: 'pc' | 'pd') => Record<string, string> = () => ({}),
): Promise<{ pc: Record<string, Normal>; pd: Record<string, Normal>; pcProject: string; pdProject: string }> {
  const pcProject = uniqueName(`pc-${name}`);
  const pdProject = uniqueName(`pd-${name}`);
  const pcFolder = join(dir, pcProject);
  const pdFolder = join(dir, pdProject);
  await writeFolder(pcFolder, content);
  await writeFolder(pdFolder, content);

  // Side by side: podman-compose waits a second after each podman command it runs.
  const launchPd = async () => {
    files.nextOpen.push([join(pdFolder, 'compose.yaml')]);
    await ok<StackDetail>(app.dispatcher.call('stacks.importFromHost', { name: pdProject }));
    await confirmHostAccess(app, pdProject, variables('pd'));
    return launch(app, { id: pdProject, variables: variables('pd') });
  };
  // docker compose, given -f, reads only the files named; PodDesk merges an override beside the file.
  const overrides = Object.keys(content).filter((f) => f === 'compose.override.yaml');
  const [, { error }] = await Promise.all([
    podmanCompose(info, pcFolder, pcProject, ['up', '-d'], variables('pc'), overrides),
    launchPd(),
  ]);
  expect(error).toBeUndefined();

  const pc: Record<string, Normal> = {};
  const pd: Record<string, Normal> = {};
  for (const service of services) {
    pc[service] = await inspectNormal(`${pcProject}_${service}_1`, pcProject, pcFolder);
    pd[service] = await inspectNormal(`${pdProject}-${service}-1`, pdProject, pdFolder);
  }
  return { pc, pd, pcProject, pdProject };
}

async function removeBoth(pcProject: string, pdProject: string): Promise<void> {
  await Promise.all([
    podman(info, 'rm', '--force', '--time', '0', '--volumes', ...(await containersOf(pcProject))),
    ok(app.dispatcher.call('stacks.remove', { id: pdProject, deleteVolumes: true, confirmName: pdProject })),
  ]);
}

const containersOf = async (project: string) =>
  (await podman(info, 'ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Names}}'))
    .split('\n')
    .filter(Boolean);

/** Where podman-compose 1.0.3 departs from docker compose: what docker compose gives instead. */
const asDockerCompose = (pc: Record<string, Normal>, fixes: Record<string, Partial<Normal>>) =>
  Object.fromEntries(Object.entries(pc).map(([service, n]) => [service, { ...n, ...fixes[service] }]));

/** Which files matched podman-compose with no correction (for the note). */
const exact: Record<string, boolean> = {};
afterAll(() => console.info(`differential files matching podman-compose exactly: ${JSON.stringify(exact)}`));

describe('the same file, launched by podman-compose and by PodDesk', () => {
  it('process and privileges: command, entrypoint, env, user, caps, read-only, tmpfs, limits, hosts', async () => {
    const { pc, pd, pcProject, pdProject } = await both(
      'proc',
      {
        'app.env': 'FROM_FILE=yes\nSHARED=file\n',
        'compose.yaml': `services:
  app:
    image: ${info.busybox}
    entrypoint: ["/bin/sh", "-c"]
    command: ["sleep 600"]
    stop_grace_period: 0s
    environment: {MODE: test, SHARED: inline}
    env_file: [app.env]
    user: "65534:65534"
    working_dir: /tmp
    labels: {tier: backend}
    cap_add: [NET_ADMIN]
    cap_drop: [MKNOD]
    read_only: true
    tmpfs: [/run]
    sysctls: [net.ipv4.ip_unprivileged_port_start=80]
    ulimits: {nofile: {soft: 1024, hard: 2048}, nproc: 4096}
    shm_size: 32m
    extra_hosts: ["db.local:10.0.0.5"]
    init: true
    security_opt: [no-new-privileges]
    group_add: ["100"]
    dns: [10.0.0.53]
`,
      },
      ['app'],
    );
    exact.proc = equal(pd, pc);
    expect(pd).toEqual(
      asDockerCompose(pc, {
        app: {
          // podman-compose 1.0.3 drops dns and group_add; docker compose passes both on.
          dns: ['10.0.0.53'],
          groupAdd: ['100'],
          // podman-compose runs `podman run --read-only`, whose --read-only-tmpfs (on by default)
          // adds tmpfs on /tmp and /var/tmp too; docker compose's read_only mounts only the
          // tmpfs the file names.
          tmpfs: { '/run': pc.app!.tmpfs['/run'] },
        },
      }),
    );
    await removeBoth(pcProject, pdProject);
  });

  it('resources, ports, mounts, secrets and devices', async () => {
    const { pc, pd, pcProject, pdProject } = await both(
      'res',
      {
        'site/index.html': 'hello',
        'token.txt': 's3cret',
        'compose.yaml': `services:
  web:
    image: ${info.busybox}
    command: httpd -f -p 80 -h /www
    stop_grace_period: 0s
    ports: ["127.0.0.1::80", "\${WEB_PORT}:81/udp"]
    mem_limit: 64m
    memswap_limit: 128m
    cpu_shares: 512
    pids_limit: 100
    volumes:
      - data:/data
      - ./site:/www:ro
      - /scratch
    secrets: [token]
    devices: ["/dev/null:/dev/nothing"]
  worker:
    image: ${info.busybox}
    command: sleep 600
    stop_grace_period: 0s
    deploy:
      resources:
        limits: {cpus: "0.5", memory: 32m}
        reservations: {memory: 16m}
volumes:
  data: {}
secrets:
  token: {file: ./token.txt}
`,
      },
      ['web', 'worker'],
      (tool) => ({ WEB_PORT: String(tool === 'pc' ? 20000 + (process.pid % 5000) : 25000 + (process.pid % 5000)) }),
    );
    // Both tools set the limits (the comparison is not of two blanks).
    expect(pd.worker!.resources).toMatchObject({ memory: 32 * 1024 * 1024, memoryReservation: 16 * 1024 * 1024 });
    exact.res = equal(pd, pc);
    expect(pd).toEqual(
      asDockerCompose(pc, {
        web: {
          // podman-compose 1.0.3 makes `- /scratch` a named volume (<project>_web_<hash>);
          // docker compose makes it an anonymous volume, as PodDesk does.
          mounts: pc.web!.mounts.map((m: Record<string, unknown>) =>
            m.destination === '/scratch' ? { ...m, source: '<anonymous>' } : m,
          ),
          // podman-compose 1.0.3 drops pids_limit; docker compose applies it.
          resources: { ...pc.web!.resources, pidsLimit: 100 },
        },
      }),
    );
    await removeBoth(pcProject, pdProject);
  });

  it('networks: several per service, internal, an IPAM subnet, host PID namespace', async () => {
    // podman-compose 1.0.3 cannot read a service's networks in the long syntax (aliases,
    // ipv4_address: "missing networks: …"), network_mode service:… nor none (it adds its own
    // --net to the one asked and the run fails), so this file keeps to
    // what it reads; stacks-compose-keys checks those against docker compose's behaviour.
    const a = 201 + Math.floor(Math.random() * 50);
    const b = Math.floor(Math.random() * 255);
    const { pc, pd, pcProject, pdProject } = await both(
      'net',
      {
        'compose.yaml': `services:
  api:
    image: ${info.busybox}
    command: sleep 600
    stop_grace_period: 0s
    networks: [front, back]
  tools:
    image: ${info.busybox}
    command: sleep 600
    stop_grace_period: 0s
    networks: [front]
    pid: host
networks:
  front: {}
  back:
    internal: true
    ipam: {config: [{subnet: "\${NET}.0/24"}]}
`,
      },
      ['api', 'tools'],
      // A subnet per tool, away from the ranges the test Podman hands out (10.100–200.x).
      (tool) => ({ NET: `10.${a}.${tool === 'pc' ? b : b + 1}` }),
    );
    exact.net = equal(pd, pc);
    // podman-compose 1.0.3 drops pid; docker compose shares the host's PID namespace.
    expect(pd).toEqual(asDockerCompose(pc, { tools: { pidMode: 'host' } }));
    const subnet = (project: string) =>
      podman(info, 'network', 'inspect', '--format', '{{range .Subnets}}{{.Subnet}}{{end}}', `${project}_back`);
    // podman-compose 1.0.3 drops ipam too (any free subnet); docker compose uses the file's.
    expect(await subnet(pdProject)).toBe(`10.${a}.${b + 1}.0/24`);
    await removeBoth(pcProject, pdProject);
  });

  it('lifecycle and an override file: hostname, tty, restart, stop signal, logging, healthcheck, profiles', async () => {
    const { pc, pd, pcProject, pdProject } = await both(
      'life',
      {
        'compose.yaml': `services:
  svc:
    image: ${info.busybox}
    command: sleep 600
    stop_grace_period: 0s
    hostname: box
    tty: true
    stdin_open: true
    restart: on-failure:3
    stop_signal: SIGUSR1
    logging: {driver: k8s-file}
    healthcheck: {test: ["CMD-SHELL", "true"], interval: 30s, timeout: 5s, retries: 2}
    environment: {LEVEL: base}
  debug:
    image: ${info.busybox}
    command: sleep 600
    stop_grace_period: 0s
    profiles: [debug]
`,
        'compose.override.yaml': `services:
  svc:
    environment: {LEVEL: override, EXTRA: "1"}
    restart: unless-stopped
`,
      },
      ['svc'],
    );
    exact.life = equal(pd, pc);
    expect(pd).toEqual(
      asDockerCompose(pc, {
        svc: {
          // podman-compose 1.0.3 wraps the test in a shell of its own (CMD-SHELL "/bin/sh -c
          // true", a shell in a shell); docker compose passes ["CMD-SHELL", "true"] as written.
          healthcheck: { ...pc.svc!.healthcheck, Test: ['CMD-SHELL', 'true'] },
        },
      }),
    );
    expect(pd.svc!.env).toContain('LEVEL=override');
    // podman-compose 1.0.3 knows no profiles and starts the debug service; docker compose starts
    // it only with --profile debug, as PodDesk does.
    expect(await containersOf(pcProject)).toContain(`${pcProject}_debug_1`);
    expect(await containersOf(pdProject)).not.toContain(`${pdProject}-debug-1`);
    await removeBoth(pcProject, pdProject);
  });
});

function equal(a: unknown, b: unknown): boolean {
  try {
    expect(a).toEqual(b);
    return true;
  } catch {
    return false;
  }
}

describe('podman-compose and PodDesk on each other’s projects', () => {
  const summary = async (id: string) =>
    (await ok<StackSummary[]>(app.dispatcher.call('stacks.list', undefined))).find((s) => s.id === id);
  const twoServices = `services:
  db:
    image: ${info.busybox}
    command: sleep 600
    stop_grace_period: 0s
  web:
    image: ${info.busybox}
    command: sleep 600
    stop_grace_period: 0s
    depends_on: [db]
`;

  it('shows a project podman-compose started under "Started by other tools", with its services', async () => {
    const project = uniqueName('pc-up');
    const folder = join(dir, project);
    await writeFolder(folder, { 'compose.yaml': twoServices });
    await podmanCompose(info, folder, project, ['up', '-d']);
    await waitFor(async () => (await summary(`project:${project}`))?.services.length === 2, 'the podman-compose project');
    const s = (await summary(`project:${project}`))!;
    expect(s).toMatchObject({ source: 'external', status: 'running', project });
    expect(s.services.map((x) => x.name)).toEqual(['db', 'web']);
    await podmanCompose(info, folder, project, ['down', '-t', '0']);
    await waitFor(async () => (await summary(`project:${project}`)) === undefined, 'the project to go');
  });

  const volumesOf = async (project: string) =>
    (await podman(info, 'volume', 'ls', '--filter', `label=io.podman.compose.project=${project}`, '--format', '{{.Name}}'))
      .split('\n')
      .filter(Boolean)
      .sort();
  const withData = twoServices
    .replace('depends_on: [db]', 'depends_on: [db]\n    deploy: {replicas: 2}')
    .replace(
      '    command: sleep 600\n    stop_grace_period: 0s\n  web:',
      '    command: sleep 600\n    stop_grace_period: 0s\n    volumes: [data:/data, /scratch]\n  web:',
    )
    .concat('volumes:\n  data: {}\n');
  const importFolder = async (project: string) => {
    const folder = join(dir, project);
    await writeFolder(folder, { 'compose.yaml': withData });
    files.nextOpen.push([join(folder, 'compose.yaml')]);
    await ok<StackDetail>(app.dispatcher.call('stacks.importFromHost', { name: project }));
    return folder;
  };

  it('docker compose naming (the default): podman-compose 1.0.3 ps lists the containers, its down finds none and removes nothing', async () => {
    const project = uniqueName('pd-ps');
    const folder = await importFolder(project);
    expect((await launch(app, { id: project })).error).toBeUndefined();
    const launched = (await containersOf(project)).sort();
    expect(launched).toEqual([`${project}-db-1`, `${project}-web-1`, `${project}-web-2`]);
    expect(await volumesOf(project)).toEqual([`${project}_data`]);

    // ps finds containers by the io.podman.compose.project label, which PodDesk sets.
    const ps = await podmanCompose(info, folder, project, ['ps']);
    for (const name of launched) expect(ps).toContain(name);

    // podman-compose 1.0.3's down stops and removes the names it would have given
    // (<project>_<service>_<n>, docker-compose v1's scheme; podman-compose keeps it as the default
    // through 1.x). These containers are named as docker compose v2 names them, which docker
    // compose's down finds by their labels; 1.0.3's finds none, and its -v cannot remove a volume
    // a container still uses. So it fails safely: nothing of the stack is lost or half-removed.
    const down = await podmanCompose(info, folder, project, ['down', '-v', '-t', '0']);
    expect(down).toContain(`no container with name or ID "${project}_web_2" found`);
    expect((await containersOf(project)).sort()).toEqual(launched);
    expect(await volumesOf(project)).toEqual([`${project}_data`]);
    const s = (await summary(project))!;
    expect(s).toMatchObject({ source: 'user', status: 'running' });
    // Its services still show their containers (the last replica of each), running.
    expect(s.services.map((x) => [x.name, launched.includes(x.container?.name ?? ''), x.container?.state])).toEqual([
      ['db', true, 'running'],
      ['web', true, 'running'],
    ]);
    // PodDesk's own remove finds them by their labels, as docker compose down does.
    await ok(app.dispatcher.call('stacks.remove', { id: project, deleteVolumes: true, confirmName: project }));
    expect(await containersOf(project)).toEqual([]);
    expect(await volumesOf(project)).toEqual([]);
  });

  it('podman-compose naming: podman-compose 1.0.3 down -v removes every container and volume of a stack PodDesk launched', async () => {
    const project = uniqueName('pd-down');
    const folder = await importFolder(project);
    const chosen = await ok<StackDetail>(
      app.dispatcher.call('stacks.setContainerNames', { id: project, naming: 'podman-compose' }),
    );
    expect(chosen.containerNames).toBe('podman-compose');
    expect((await launch(app, { id: project })).error).toBeUndefined();
    const launched = (await containersOf(project)).sort();
    expect(launched).toEqual([`${project}_db_1`, `${project}_web_1`, `${project}_web_2`]);
    const ps = await podmanCompose(info, folder, project, ['ps']);
    for (const name of launched) expect(ps).toContain(name);

    // Its stop and start act on these names too, and the Stacks page follows.
    await podmanCompose(info, folder, project, ['stop', '-t', '0']);
    await waitFor(async () => (await summary(project))?.status === 'stopped', 'the stack to show as stopped');
    await podmanCompose(info, folder, project, ['start']);
    await waitFor(async () => (await summary(project))?.status === 'running', 'the stack to show as running');

    const down = await podmanCompose(info, folder, project, ['down', '-v', '-t', '0']);
    expect(down).not.toContain('no container with name or ID');
    expect(await containersOf(project)).toEqual([]);
    expect(await volumesOf(project)).toEqual([]);
    // The Stacks page: the stack is there, not created, and launches again without an error.
    await waitFor(async () => (await summary(project))?.status === 'not-created', 'the stack to show as not created');
    const s = (await summary(project))!;
    expect(s.services.every((x) => x.container === undefined)).toBe(true);
    expect(await summary(`project:${project}`)).toBeUndefined();
    // podman-compose 1.0.3's down leaves networks (it never removes one); PodDesk's launch reuses it.
    const networks = await podman(
      info,
      'network',
      'ls',
      '--filter',
      `label=com.docker.compose.project=${project}`,
      '--format',
      '{{.Name}}',
    );
    expect(networks.trim()).toBe(`${project}_default`);
    expect((await launch(app, { id: project })).error).toBeUndefined();
    expect((await containersOf(project)).sort()).toEqual(launched);
    await ok(app.dispatcher.call('stacks.remove', { id: project, deleteVolumes: true, confirmName: project }));
    expect(await containersOf(project)).toEqual([]);
  });

  it('a change of naming recreates a running stack’s containers under the new names, its volume’s data kept', async () => {
    const project = uniqueName('pd-rename');
    const folder = await importFolder(project);
    expect((await launch(app, { id: project })).error).toBeUndefined();
    await podman(info, 'exec', `${project}-db-1`, 'sh', '-c', 'echo kept > /data/mark; echo carried > /scratch/mark');
    await ok(app.dispatcher.call('stacks.setContainerNames', { id: project, naming: 'podman-compose' }));
    const plan = await ok<StackPlan>(app.dispatcher.call('stacks.plan', { id: project }));
    expect(plan.services.map((x) => [x.name, x.action, x.container])).toEqual([
      ['db', 'recreate', `${project}_db_1`],
      ['web', 'recreate', `${project}_web_1`],
    ]);
    expect(plan.orphans).toEqual([]);
    expect((await launch(app, { id: project })).error).toBeUndefined();
    expect((await containersOf(project)).sort()).toEqual([`${project}_db_1`, `${project}_web_1`, `${project}_web_2`]);
    expect((await podman(info, 'exec', `${project}_db_1`, 'cat', '/data/mark')).trim()).toBe('kept');
    expect((await podman(info, 'exec', `${project}_db_1`, 'cat', '/scratch/mark')).trim()).toBe('carried');
    // And podman-compose's down now finds every one of them.
    await podmanCompose(info, folder, project, ['down', '-t', '0']);
    expect(await containersOf(project)).toEqual([]);
    await ok(app.dispatcher.call('stacks.remove', { id: project, deleteVolumes: true, confirmName: project }));
  });
});
