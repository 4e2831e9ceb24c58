import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import type { StackDetail, StackPlan, StackSummary } from '../../src/shared/contract';
import { readCdiDevices, localGpuFs } from '../../src/main/stacks/gpu';
import { connectedApp, uniqueName } from '../support/app';
import { fakeHostFiles, type FakeHostFiles } from '../support/host-files';
import { podman } from '../support/podman';
import { freePort } from '../support/registry';
import { confirmHostAccess, importStack, launch, ok } from '../support/stacks';

/**
 * The Compose keys that change what runs, applied by a real Podman 4.3 and read back with
 * `podman inspect` (or from inside the container where inspect does not show them): a target
 * stage, secrets and configs with their mode, privileges and limits, another service's network,
 * a fixed address in a subnet of the file's, profiles, an override file, extends, replicas, and a
 * GPU through a CDI specification this test writes for a harmless device.
 */
const info = inject('podman');
let app: App;
let files: FakeHostFiles;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pdt-keys-'));
  files = fakeHostFiles(dir);
  app = await connectedApp(info, { hostFiles: files });
});
afterAll(async () => {
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

const inspect = (container: string, format: string) => podman(info, 'inspect', '--format', format, container);
const exec = (container: string, ...command: string[]) => podman(info, 'exec', container, ...command);
const names = async (project: string) =>
  (await podman(info, 'ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Names}}'))
    .split('\n')
    .filter(Boolean)
    .sort();
const quick = 'stop_grace_period: 0s';

/** A folder with a compose.yaml and its files, imported as a user would open it. */
async function openFolder(project: string, content: Record<string, string>): Promise<StackDetail> {
  const folder = join(dir, project);
  for (const [name, text] of Object.entries(content)) {
    await mkdir(join(folder, name, '..'), { recursive: true });
    await writeFile(join(folder, name), text);
  }
  files.nextOpen.push([join(folder, 'compose.yaml')]);
  return ok<StackDetail>(app.dispatcher.call('stacks.importFromHost', { name: project }));
}

const remove = (id: string) => ok(app.dispatcher.call('stacks.remove', { id, deleteVolumes: true, confirmName: id }));

describe('builds, secrets and configs', () => {
  const project = uniqueName('keys-build');
  const c = `${project}-web-1`;

  it('builds the stage build.target names, and mounts secrets and configs read-only with their mode and owner', async () => {
    await openFolder(project, {
      'app/Containerfile': [
        `FROM ${info.busybox} AS base`,
        'RUN echo base > /stage',
        'FROM base AS dev',
        'RUN echo dev > /stage',
        'FROM base AS prod',
        'RUN echo prod > /stage',
        '',
      ].join('\n'),
      'secrets/db.txt': 'db-pass',
      'app.conf': 'mode = test',
      'compose.yaml': `services:
  web:
    build: {context: ./app, target: dev}
    image: localhost/poddesk-test/${project}-web:latest
    command: sleep 600
    ${quick}
    secrets:
      - db_password
      - {source: api_key, target: api.key, uid: "1000", gid: "1001", mode: 0440}
    configs:
      - {source: app_conf, target: /etc/app/app.conf}
      - {source: inline, target: /etc/app/inline.conf, mode: 0400}
secrets:
  db_password: {file: ./secrets/db.txt}
  api_key: {environment: API_KEY}
configs:
  app_conf: {file: ./app.conf}
  inline: {content: "level = 3"}
`,
    });
    const variables = { API_KEY: 'k-123' };
    const confirmed = await ok<StackPlan>(app.dispatcher.call('stacks.plan', { id: project, variables }));
    // The secret and config files are read from this computer: listed, read-only.
    expect(confirmed.hostAccess.items.map((i) => [i.kind, i.subject.replace(dir, ''), i.target, i.access])).toEqual([
      ['mount', `/${project}/app.conf`, '/etc/app/app.conf', 'read-only'],
      ['mount', `/${project}/secrets/db.txt`, '/run/secrets/db_password', 'read-only'],
    ]);
    expect((await confirmHostAccess(app, project, variables)).fingerprint).toBe(confirmed.hostAccess.fingerprint);
    const { error } = await launch(app, { id: project, variables });
    expect(error).toBeUndefined();

    // The dev stage, not the last one.
    expect(await exec(c, 'cat', '/stage')).toBe('dev');
    // A file secret: bind-mounted read-only, as docker compose does.
    expect(await exec(c, 'cat', '/run/secrets/db_password')).toBe('db-pass');
    await expect(exec(c, 'sh', '-c', 'echo x > /run/secrets/db_password')).rejects.toThrow(/Read-only file system/);
    expect(await inspect(c, '{{range .Mounts}}{{if eq .Destination "/run/secrets/db_password"}}{{.RW}}{{end}}{{end}}')).toBe(
      'false',
    );
    // An environment secret: written in with its mode and owner.
    expect(await exec(c, 'cat', '/run/secrets/api.key')).toBe('k-123');
    expect(await exec(c, 'stat', '-c', '%a %u %g', '/run/secrets/api.key')).toBe('440 1000 1001');
    // Configs at their targets.
    expect(await exec(c, 'cat', '/etc/app/app.conf')).toBe('mode = test');
    await expect(exec(c, 'sh', '-c', 'echo x > /etc/app/app.conf')).rejects.toThrow(/Read-only file system/);
    expect(await exec(c, 'cat', '/etc/app/inline.conf')).toBe('level = 3');
    expect(await exec(c, 'stat', '-c', '%a %u %g', '/etc/app/inline.conf')).toBe('400 0 0');
    await remove(project);
  });
});

describe('privileges, limits and names', () => {
  const project = uniqueName('keys-limits');
  const box = `${project}-box-1`;

  it('applies cap_add, read_only, tmpfs, sysctls, ulimits, shm_size, extra_hosts, dns, limits, init, and privileged', async () => {
    await importStack(
      app,
      `services:
  box:
    image: ${info.busybox}
    command: sleep 600
    ${quick}
    cap_add: [NET_ADMIN]
    cap_drop: [MKNOD]
    read_only: true
    tmpfs: ["/scratch:size=1m"]
    sysctls: {net.ipv4.ip_forward: "1"}
    # With nproc too: given nofile alone, Podman 4.3 sets nproc to 1048576, above this machine's hard limit.
    ulimits: {nofile: {soft: 1024, hard: 2048}, nproc: 4096}
    shm_size: 32m
    extra_hosts: ["db.internal:10.1.2.3"]
    dns: [10.0.0.53]
    dns_search: [corp.example]
    mem_limit: 64m
    cpus: 0.5
    pids_limit: 80
    init: true
    group_add: ["100"]
    security_opt: [no-new-privileges]
  root:
    image: ${info.busybox}
    command: sleep 600
    ${quick}
    privileged: true
`,
      project,
    );
    // Wider access is listed, and waits for a confirmation.
    const refused = await launch(app, { id: project });
    expect(refused.error).toMatchObject({ code: 'NEEDS_CONFIRMATION' });
    const confirmed = await confirmHostAccess(app, project);
    expect(confirmed.items.map((i) => [i.kind, i.subject, i.services])).toEqual([
      ['widens-access', 'cap_add: NET_ADMIN', ['box']],
      ['widens-access', 'privileged', ['root']],
    ]);
    expect((await launch(app, { id: project })).error).toBeUndefined();

    const hostConfig = JSON.parse(await inspect(box, '{{json .HostConfig}}')) as Record<string, unknown>;
    expect(hostConfig).toMatchObject({
      CapAdd: ['CAP_NET_ADMIN'],
      CapDrop: ['CAP_MKNOD'],
      ReadonlyRootfs: true,
      ShmSize: 32 * 1024 * 1024,
      ExtraHosts: ['db.internal:10.1.2.3'],
      Dns: ['10.0.0.53'],
      DnsSearch: ['corp.example'],
      Memory: 64 * 1024 * 1024,
      NanoCpus: 500_000_000,
      PidsLimit: 80,
      Init: true,
      GroupAdd: ['100'],
      SecurityOpt: ['no-new-privileges'],
    });
    expect(hostConfig.Ulimits).toContainEqual({ Name: 'RLIMIT_NOFILE', Soft: 1024, Hard: 2048 });
    expect((hostConfig.Tmpfs as Record<string, string>)['/scratch']).toMatch(/^size=1048576/);
    // Not in Podman 4.3's inspect: read from inside.
    expect(await exec(box, 'cat', '/proc/sys/net/ipv4/ip_forward')).toBe('1');
    // The container's own process (an exec session gets limits of its own).
    expect(await exec(box, 'sh', '-c', "grep -E 'open files|processes' /proc/1/limits | tr -s ' ' | sed 's/ *$//'")).toBe(
      'Max processes 4096 4096 processes\nMax open files 1024 2048 files',
    );
    expect(await exec(box, 'grep', 'db.internal', '/etc/hosts')).toMatch(/^10\.1\.2\.3\s+db\.internal$/);
    await expect(exec(box, 'touch', '/rootfile')).rejects.toThrow(/Read-only file system/);
    expect(await exec(box, 'sh', '-c', 'touch /scratch/ok && echo ok')).toBe('ok');
    expect(await inspect(`${project}-root-1`, '{{.HostConfig.Privileged}}')).toBe('true');
    await remove(project);
  });
});

describe('networks', () => {
  const project = uniqueName('keys-net');
  // A subnet of its own, away from the ranges the test Podman hands out (10.100–200.x).
  const a = 201 + Math.floor(Math.random() * 50);
  const b = Math.floor(Math.random() * 256);
  const subnet = `10.${a}.${b}.0/24`;

  it('gives a service a fixed address in the file’s subnet, and another service its network namespace', async () => {
    await importStack(
      app,
      `services:
  server:
    image: ${info.busybox}
    command: httpd -f -p 8080 -h /etc
    ${quick}
    networks:
      lan: {ipv4_address: 10.${a}.${b}.10}
  sidecar:
    image: ${info.busybox}
    command: sleep 600
    ${quick}
    network_mode: "service:server"
networks:
  lan:
    ipam:
      config: [{subnet: "${subnet}", gateway: 10.${a}.${b}.1, ip_range: 10.${a}.${b}.128/25}]
`,
      project,
    );
    const { error, events } = await launch(app, { id: project });
    expect(error).toBeUndefined();
    const order = events.filter((e) => e.type === 'step' && e.status === 'running').map((e) => (e as { id: string }).id);
    expect(order.indexOf('container:server')).toBeLessThan(order.indexOf('container:sidecar'));

    const network = JSON.parse(await podman(info, 'network', 'inspect', `${project}_lan`)) as {
      subnets: { subnet: string; gateway: string; lease_range?: { start_ip: string; end_ip: string } }[];
    }[];
    expect(network[0]!.subnets).toEqual([
      { subnet, gateway: `10.${a}.${b}.1`, lease_range: { start_ip: `10.${a}.${b}.128`, end_ip: `10.${a}.${b}.254` } },
    ]);
    expect(await inspect(`${project}-server-1`, `{{(index .NetworkSettings.Networks "${project}_lan").IPAddress}}`)).toBe(
      `10.${a}.${b}.10`,
    );
    const serverId = await inspect(`${project}-server-1`, '{{.Id}}');
    expect(await inspect(`${project}-sidecar-1`, '{{.HostConfig.NetworkMode}}')).toBe(`container:${serverId}`);
    // Same network namespace: the server answers on the sidecar's own loopback.
    expect(await exec(`${project}-sidecar-1`, 'wget', '-qO-', 'http://127.0.0.1:8080/hostname')).toBe(
      await exec(`${project}-server-1`, 'cat', '/etc/hostname'),
    );

    // The server changes: the sidecar, which holds on to its namespace, is recreated with it.
    const detail = await ok<StackDetail>(app.dispatcher.call('stacks.get', { id: project }));
    await ok(
      app.dispatcher.call('stacks.save', { id: project, yaml: detail.yaml!.replace('httpd -f -p 8080', 'httpd -f -p 8081') }),
    );
    const again = await launch(app, { id: project });
    expect(again.error).toBeUndefined();
    const newServer = await inspect(`${project}-server-1`, '{{.Id}}');
    expect(newServer).not.toBe(serverId);
    expect(await inspect(`${project}-sidecar-1`, '{{.HostConfig.NetworkMode}}')).toBe(`container:${newServer}`);
    await remove(project);
  });
});

describe('profiles, replicas, override files and extends', () => {
  it('leaves a service whose profile is off alone, starts it by name, and when its profile is on', async () => {
    const project = uniqueName('keys-prof');
    await importStack(
      app,
      `services:\n  app: {image: ${info.busybox}, command: sleep 600, ${quick}}\n  debug: {image: ${info.busybox}, command: sleep 600, ${quick}, profiles: [debug]}\n`,
      project,
    );
    const first = await launch(app, { id: project });
    expect(first.error).toBeUndefined();
    expect(await names(project)).toEqual([`${project}-app-1`]);
    const summary = async () =>
      (await ok<StackSummary[]>(app.dispatcher.call('stacks.list', undefined))).find((s) => s.id === project)!;
    // The stack counts as running: the service whose profile is off is not missing.
    expect((await summary()).status).toBe('running');
    expect((await summary()).services.find((s) => s.name === 'debug')).toMatchObject({ profiles: ['debug'], inactive: true });

    // Named, it starts regardless (docker compose up debug).
    expect((await launch(app, { id: project, services: ['debug'] })).error).toBeUndefined();
    expect(await names(project)).toEqual([`${project}-app-1`, `${project}-debug-1`]);
    // A plain relaunch keeps it: it is no orphan.
    const relaunch = await launch(app, { id: project });
    expect(relaunch.events.at(-1)).toMatchObject({ type: 'done', nothingToDo: true });
    expect(await names(project)).toEqual([`${project}-app-1`, `${project}-debug-1`]);

    // Turned on and kept with the stack.
    const detail = await ok<StackDetail>(app.dispatcher.call('stacks.setProfiles', { id: project, profiles: ['debug'] }));
    expect(detail.profiles).toEqual([{ name: 'debug', active: true }]);
    const plan = await ok<StackPlan>(app.dispatcher.call('stacks.plan', { id: project }));
    expect(plan.services.map((s) => [s.name, s.action])).toEqual([
      ['app', 'keep'],
      ['debug', 'keep'],
    ]);
    await remove(project);
  });

  it('runs deploy.replicas containers and scales them down', async () => {
    const project = uniqueName('keys-rep');
    await importStack(
      app,
      `services:\n  worker:\n    image: ${info.busybox}\n    command: sleep 600\n    ${quick}\n    deploy: {replicas: 3}\n`,
      project,
    );
    expect((await launch(app, { id: project })).error).toBeUndefined();
    expect(await names(project)).toEqual([1, 2, 3].map((n) => `${project}-worker-${n}`));
    expect(await inspect(`${project}-worker-3`, '{{index .Config.Labels "com.docker.compose.container-number"}}')).toBe('3');
    const detail = await ok<StackDetail>(app.dispatcher.call('stacks.get', { id: project }));
    await ok(app.dispatcher.call('stacks.save', { id: project, yaml: detail.yaml!.replace('replicas: 3', 'replicas: 1') }));
    expect((await launch(app, { id: project })).error).toBeUndefined();
    expect(await names(project)).toEqual([`${project}-worker-1`]);
    await remove(project);
  });

  it('merges a compose.override.yaml found beside the file, and builds a service on another file’s with extends', async () => {
    const project = uniqueName('keys-files');
    const detail = await openFolder(project, {
      'common/base.yaml': `services:\n  base:\n    image: ${info.busybox}\n    environment: {FROM_BASE: "1", SHARED: base}\n    labels: {tier: base}\n`,
      'compose.yaml': `services:\n  web:\n    extends: {file: common/base.yaml, service: base}\n    command: sleep 600\n    ${quick}\n`,
      'compose.override.yaml': 'services:\n  web:\n    environment: {FROM_OVERRIDE: "2", SHARED: override}\n',
    });
    expect(detail.overrideFiles).toEqual([{ path: join(dir, project, 'compose.override.yaml'), origin: 'auto' }]);
    expect(detail.issues).toEqual([]);
    expect((await launch(app, { id: project })).error).toBeUndefined();
    const env = await exec(`${project}-web-1`, 'env');
    expect(env).toMatch(/^FROM_BASE=1$/m);
    expect(env).toMatch(/^FROM_OVERRIDE=2$/m);
    expect(env).toMatch(/^SHARED=override$/m);
    expect(await inspect(`${project}-web-1`, '{{index .Config.Labels "tier"}}')).toBe('base');

    // An override file the user adds (through main's own file dialog) is merged after it.
    await writeFile(join(dir, project, 'more.yaml'), 'services:\n  web:\n    environment: {FROM_USER: "3"}\n');
    files.nextOpen.push([join(dir, project, 'more.yaml')]);
    const added = await ok<StackDetail>(app.dispatcher.call('stacks.addOverride', { id: project }));
    expect(added.overrideFiles!.map((f) => f.origin)).toEqual(['auto', 'user']);
    expect((await launch(app, { id: project })).error).toBeUndefined();
    expect(await exec(`${project}-web-1`, 'env')).toMatch(/^FROM_USER=3$/m);
    await remove(project);
  });
});

describe('GPUs through CDI', () => {
  // Podman 4.3 reads CDI specifications from /etc/cdi only (its containers.conf cannot move
  // them): the test writes one there for a harmless device (/dev/null and an environment
  // variable) under NVIDIA's kind, unless this machine has a real NVIDIA one, which is used as is.
  let written: string | undefined;
  let createdDir = false;
  const project = uniqueName('keys-gpu');

  beforeAll(async () => {
    const real = (await readCdiDevices(localGpuFs)).some((d) => d.startsWith('nvidia.com/gpu='));
    if (real) return;
    createdDir = !(await readdir('/etc/cdi').then(
      () => true,
      () => false,
    ));
    await mkdir('/etc/cdi', { recursive: true });
    written = `/etc/cdi/poddesk-test-${process.pid}.json`;
    await writeFile(
      written,
      JSON.stringify({
        cdiVersion: '0.5.0',
        kind: 'nvidia.com/gpu',
        devices: [{ name: 'all', containerEdits: { env: ['PODDESK_TEST_GPU=all'], deviceNodes: [{ path: '/dev/null' }] } }],
      }),
    );
  });
  afterAll(async () => {
    if (written) await rm(written, { force: true });
    if (createdDir) await rm('/etc/cdi', { recursive: true, force: true });
  });

  it('hands the GPUs deploy.resources.reservations asks for to the container as nvidia.com/gpu=all', async () => {
    await importStack(
      app,
      `services:\n  llm:\n    image: ${info.busybox}\n    command: sleep 600\n    ${quick}\n    deploy:\n      resources:\n        reservations:\n          devices: [{driver: nvidia, count: all, capabilities: [gpu]}]\n`,
      project,
    );
    const access = await confirmHostAccess(app, project);
    expect(access.items.map((i) => [i.kind, i.subject])).toEqual([['device', 'nvidia.com/gpu=all']]);
    expect((await launch(app, { id: project })).error).toBeUndefined();
    expect(await inspect(`${project}-llm-1`, '{{json .HostConfig.Devices}}')).toContain('/dev/null');
    // The specification's edits reach the container's own process (exec sessions do not get CDI's environment).
    if (written)
      expect(await exec(`${project}-llm-1`, 'sh', '-c', "tr '\\0' '\\n' < /proc/1/environ | grep PODDESK_TEST_GPU")).toBe(
        'PODDESK_TEST_GPU=all',
      );
    await remove(project);
  });

  it('offers the Ollama stack’s "Use the GPU" and plans Ollama with the GPU once chosen', async () => {
    const before = await ok<StackDetail>(app.dispatcher.call('stacks.get', { id: 'ollama' }));
    expect(before.gpu).toEqual({
      offers: ['nvidia', 'amd'],
      machine: expect.objectContaining({ nvidia: { present: true, cdi: true } }),
    });
    const chosen = await ok<StackDetail>(app.dispatcher.call('stacks.setGpu', { id: 'ollama', gpu: 'nvidia' }));
    expect(chosen.gpu?.chosen).toBe('nvidia');
    // On a free port: the plan checks the host port too.
    const variables = { OLLAMA_PORT: String(await freePort()) };
    const plan = await ok<StackPlan>(app.dispatcher.call('stacks.plan', { id: 'ollama', variables }));
    expect(plan.problems).toEqual([]);
    expect(plan.hostAccess.items.map((i) => [i.kind, i.subject])).toContainEqual(['device', 'nvidia.com/gpu=all']);
    await ok(app.dispatcher.call('stacks.setGpu', { id: 'ollama', gpu: null }));
  });
});
