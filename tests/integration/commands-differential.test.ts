import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import type { RunSpec } from '../../src/shared/contract';
import { formatCommand, runChoicesToSpec, runCommand, type RebuiltRun, type Shell } from '../../src/shared/podman-commands';
import { connectedApp, uniqueName } from '../support/app';
import { podmanShell } from '../support/cli-shell';
import { normaliseInspect } from '../support/inspect-normalise';
import { podman, waitFor } from '../support/podman';
import { freePort } from '../support/registry';

/**
 * The commands PodDesk shows are checked against the real podman CLI: a container made through
 * PodDesk is inspected and removed, the command PodDesk shows for it is pasted into bash (the
 * CLI, pointed at the same private storage), and the new container must inspect the same (see
 * tests/support/inspect-normalise.ts for what is set aside and why). The other way round: a
 * container made with the CLI, its "Show as podman run", pasted, compared.
 */
const info = inject('podman');
let app: App;
let shell: Awaited<ReturnType<typeof podmanShell>>;
let hostDir: string;
const bash: Shell = 'bash';

beforeAll(async () => {
  app = await connectedApp(info);
  shell = await podmanShell(info);
  hostDir = await mkdtemp(join(tmpdir(), 'pdt-cmd-'));
  await writeFile(join(hostDir, 'hello.txt'), 'from the host\n');
});
afterAll(async () => {
  await app.close();
  await rm(hostDir, { recursive: true, force: true });
  await rm(shell.bin, { recursive: true, force: true });
});

const inspect = async (name: string) =>
  JSON.parse(await podman(info, 'container', 'inspect', name))[0] as Record<string, unknown>;

/** Inspect, remove, paste the command, inspect again: the two must match. */
async function replaces(name: string, commandLine: string) {
  const before = await inspect(name);
  await podman(info, 'rm', '-f', '-t', '0', name);
  await shell.run(commandLine);
  const after = await inspect(name);
  expect((after.Name as string).replace(/^\//, '')).toBe(name);
  expect(normaliseInspect(after)).toEqual(normaliseInspect(before));
  return after;
}

/** The Run form's spec as main carries it out (the folder's handle resolved to its path). */
function shown(spec: RunSpec, folders: Record<string, string> = {}): string {
  const volumes = (spec.volumes ?? []).map((v) =>
    v.folder
      ? { source: folders[v.folder]!, target: v.target, readOnly: v.readOnly, bind: true }
      : { source: v.source!, target: v.target, readOnly: v.readOnly, bind: false },
  );
  return formatCommand(runCommand(runChoicesToSpec({ ...spec, volumes })), bash);
}

describe('the Run form’s command makes the same container as PodDesk', () => {
  it('with every option the form has', async () => {
    const name = uniqueName('diff-all');
    const network = uniqueName('net');
    const volume = uniqueName('vol');
    await podman(info, 'network', 'create', network);
    const [tcp, udp] = [await freePort(), await freePort()];
    const folder = app.hostPaths.issue(hostDir, 'bind-mount').handle;
    const spec: RunSpec = {
      image: info.busybox,
      name,
      entrypoint: ['/bin/sh', '-c'],
      command: ['echo "$GREETING" && exec httpd -f -p 8080 -h /www', 'arg $0'],
      ports: [
        { hostIp: '127.0.0.1', hostPort: tcp, containerPort: 8080, protocol: 'tcp' },
        { hostIp: '', hostPort: udp, containerPort: 5353, protocol: 'udp' },
      ],
      env: [
        { key: 'GREETING', value: `it's a "quoted" $HOME and \`date\`` },
        { key: 'SPACES', value: '  two  spaces  ' },
        { key: 'MULTILINE', value: 'one\ntwo' },
        { key: 'UNICODE', value: 'café ☕ ‘curly’' },
        { key: 'EMPTY', value: '' },
        { key: 'DASH', value: '-n' },
      ],
      volumes: [
        { source: volume, target: '/data' },
        { folder, target: '/host files', readOnly: true },
      ],
      network,
      networkAliases: ['web', 'www.local'],
      restartPolicy: 'on-failure',
      restartRetries: 3,
      stopTimeout: 4,
      workdir: '/data',
      user: '65534:65534',
      hostname: 'learner-box',
      memory: 48 * 1024 * 1024,
      cpus: 0.5,
      labels: { team: 'blue', 'note with space': `it's "x"` },
    };
    const result = await app.dispatcher.call('containers.run', spec);
    expect(result).toMatchObject({ ok: true });
    const after = await replaces(name, shown(spec, { [folder]: hostDir }));
    // And the replacement serves, as the original did.
    expect((after as { HostConfig: { Memory: number } }).HostConfig.Memory).toBe(48 * 1024 * 1024);
    await waitFor(async () => (await fetch(`http://127.0.0.1:${tcp}/`).catch(() => null))?.ok === true, 'httpd');
    await podman(info, 'rm', '-f', '-t', '0', name);
    await podman(info, 'volume', 'rm', volume);
    await podman(info, 'network', 'rm', network);
  });

  it('with nothing but an image (the image’s command, the default network)', async () => {
    const name = uniqueName('diff-plain');
    expect(await app.dispatcher.call('containers.run', { image: info.busybox, name, command: ['sleep', '600'] })).toMatchObject({
      ok: true,
    });
    await replaces(name, shown({ image: info.busybox, name, command: ['sleep', '600'] }));
    await podman(info, 'rm', '-f', '-t', '0', name);
  });

  it('created only, removing itself, with a restart policy of always elsewhere', async () => {
    const name = uniqueName('diff-created');
    const spec: RunSpec = { image: info.busybox, name, command: ['true'], autoRemove: true, start: false };
    expect(await app.dispatcher.call('containers.run', spec)).toMatchObject({ ok: true });
    const line = shown(spec);
    expect(line.startsWith('podman create')).toBe(true);
    await replaces(name, line);
    await podman(info, 'rm', '-f', name);

    const always = uniqueName('diff-always');
    const spec2: RunSpec = { image: info.busybox, name: always, command: ['sleep', '600'], restartPolicy: 'always' };
    expect(await app.dispatcher.call('containers.run', spec2)).toMatchObject({ ok: true });
    await replaces(always, shown(spec2));
    await podman(info, 'rm', '-f', '-t', '0', always);
  });

  it('in a pod', async () => {
    const pod = uniqueName('pod');
    await podman(info, 'pod', 'create', '--name', pod);
    const name = uniqueName('diff-pod');
    const spec: RunSpec = { image: info.busybox, name, command: ['sleep', '600'], pod, env: [{ key: 'IN_POD', value: 'yes' }] };
    expect(await app.dispatcher.call('containers.run', spec)).toMatchObject({ ok: true });
    await replaces(name, shown(spec));
    await podman(info, 'pod', 'rm', '-f', pod);
  });
});

describe('Show as podman run rebuilds a container made with the CLI', () => {
  /** Makes a container with the CLI (through bash), rebuilds its command in PodDesk, pastes it, compares. */
  async function rebuilds(name: string, cliLine: string, expectNotes: string[] = []) {
    await shell.run(cliLine);
    await waitFor(() => app.containers.items().some((c) => c.name === name), 'the cache');
    const answer = await app.dispatcher.call('containers.runCommand', { id: name });
    if (!answer.ok) throw new Error(JSON.stringify(answer.error));
    const rebuilt = answer.data as RebuiltRun;
    expect(rebuilt.notes).toEqual(expectNotes);
    const line = formatCommand(runCommand(rebuilt.spec), bash);
    await replaces(name, line);
    return line;
  }

  it('with many options at once', async () => {
    const name = uniqueName('cli-all');
    const network = uniqueName('net');
    const volume = uniqueName('vol');
    await podman(info, 'network', 'create', network);
    const port = await freePort();
    const line = await rebuilds(
      name,
      [
        `podman run -d -it --name ${name}`,
        `-e 'A=b c' -e EMPTY= -e 'Q=it'"'"'s "x" $y'`,
        `-p 127.0.0.1:${port}:80 -p ${await freePort()}:53/udp`,
        `-v ${volume}:/data -v '${hostDir}:/host:ro' --tmpfs /scratch:size=16m,noexec`,
        `--network ${network} --network-alias db --network-alias cache.local --hostname h1`,
        `--restart always --user 65534:65534 --workdir /data`,
        `--memory 32m --cpus 0.25 --label a=b --label 'c=d e'`,
        `--stop-signal SIGINT --stop-timeout 3 --cap-add NET_ADMIN --cap-drop CHOWN --read-only`,
        `--add-host foo.local:10.1.2.3 --dns 10.9.9.9`,
        `--health-cmd 'wget -q -O- http://localhost/ || exit 1' --health-interval 30s --health-retries 2`,
        `--entrypoint '["/bin/sh","-c"]' ${info.busybox} 'sleep 600'`,
      ].join(' '),
    );
    expect(line).toContain('--network-alias db');
    await podman(info, 'rm', '-f', '-t', '0', name);
    await podman(info, 'volume', 'rm', volume);
    await podman(info, 'network', 'rm', network);
  });

  it('with only an image: nothing Podman fills in by itself is written out', async () => {
    const name = uniqueName('cli-plain');
    const line = await rebuilds(name, `podman run -d --name ${name} ${info.busybox}`);
    expect(line.replace(/ \\\n\s+/g, ' ')).toBe(`podman run -d --name ${name} ${info.busybox}`);
    await podman(info, 'rm', '-f', '-t', '0', name);
  });

  it('on two networks with their own aliases, memory with its own swap, privileged, created only', async () => {
    const name = uniqueName('cli-nets');
    const [a, b] = [uniqueName('neta'), uniqueName('netb')];
    await podman(info, 'network', 'create', a);
    await podman(info, 'network', 'create', b);
    await rebuilds(
      name,
      `podman create --name ${name} --network ${a}:alias=one --network ${b}:alias=two --memory 64m --memory-swap 128m --privileged --entrypoint '' ${info.busybox} sleep 600`,
    );
    await podman(info, 'rm', '-f', name);
    await podman(info, 'network', 'rm', a, b);
  });

  it('in a pod, with an anonymous volume (said in a note)', async () => {
    const pod = uniqueName('pod');
    await podman(info, 'pod', 'create', '--name', pod);
    const name = uniqueName('cli-pod');
    await rebuilds(name, `podman run -d --name ${name} --pod ${pod} -v /cache ${info.busybox} sleep 600`, [
      '/cache is an anonymous volume: the command makes a new, empty one.',
    ]);
    await podman(info, 'pod', 'rm', '-f', pod);
  });
});
