import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import type { NetworkCreateInput, RunSpec } from '../../src/shared/contract';
import {
  commitCommand,
  formatCommand,
  formatCommands,
  networkCreateCommand,
  podCreateCommands,
  runChoicesToSpec,
  runCommand,
  volumeCreateCommand,
  type RebuiltRun,
  type Shell,
} from '../../src/shared/podman-commands';
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

describe('the commands of the other dialogs make the same thing as PodDesk', () => {
  /** What differs between any two of them made alike: ids, times, and what Podman numbers itself. */
  const without = (raw: Record<string, unknown>, keys: string[]) =>
    Object.fromEntries(Object.entries(raw).filter(([k]) => !keys.includes(k)));

  it('volume create, with labels and options', async () => {
    const name = uniqueName('vol-diff');
    const input = {
      name,
      driver: 'local',
      labels: { team: 'blue', 'note with space': `it's "x" $HOME`, list: 'a,b' },
      options: { type: 'tmpfs', device: 'tmpfs', o: 'nodev,noexec' },
    };
    const made = await app.dispatcher.call('volumes.create', input);
    expect(made, JSON.stringify(made)).toMatchObject({ ok: true });
    const inspectVolume = async () => JSON.parse(await podman(info, 'volume', 'inspect', name))[0] as Record<string, unknown>;
    const before = await inspectVolume();
    await podman(info, 'volume', 'rm', name);
    await shell.run(formatCommand(volumeCreateCommand(input), bash));
    const after = await inspectVolume();
    const keep = (v: Record<string, unknown>) => without(v, ['CreatedAt', 'LockNumber']);
    expect(keep(after)).toEqual(keep(before));
    expect(before.Options).toMatchObject({ o: 'nodev,noexec' });
    await podman(info, 'volume', 'rm', name);
  });

  const inspectNetwork = async (name: string) =>
    JSON.parse(await podman(info, 'network', 'inspect', name))[0] as Record<string, unknown>;
  /** Podman numbers its bridges (podman3) in creation order: which one a network gets says nothing. */
  const keepNetwork = (n: Record<string, unknown>) => without(n, ['id', 'created', 'network_interface']);

  async function networkMatches(input: NetworkCreateInput) {
    expect(await app.dispatcher.call('networks.create', input)).toMatchObject({ ok: true });
    const before = await inspectNetwork(input.name);
    await podman(info, 'network', 'rm', input.name);
    await shell.run(formatCommand(networkCreateCommand(input), bash));
    const after = await inspectNetwork(input.name);
    expect(keepNetwork(after)).toEqual(keepNetwork(before));
    await podman(info, 'network', 'rm', input.name);
    return before;
  }

  it('network create, with a subnet, gateway, range, no DNS, internal and labels', async () => {
    const before = await networkMatches({
      name: uniqueName('net-diff'),
      subnets: [{ subnet: '10.77.3.0/24', gateway: '10.77.3.254', range: '10.77.3.128/25' }],
      internal: true,
      dnsEnabled: false,
      labels: { team: 'blue', 'note with space': `it's "x"` },
    });
    expect(before).toMatchObject({ internal: true, dns_enabled: false });
  });

  it('network create, with IPv6 and two subnets', async () => {
    const before = await networkMatches({
      name: uniqueName('net-diff6'),
      subnets: [{ subnet: '10.77.4.0/24' }, { subnet: 'fd77:4::/64', gateway: 'fd77:4::1' }],
      ipv6: true,
    });
    expect(before).toMatchObject({ ipv6_enabled: true });
  });

  it('save as image (commit), with a message', async () => {
    const name = uniqueName('commit-src');
    await podman(info, 'run', '-d', '--name', name, info.busybox, 'sh', '-c', 'echo hi > /made-here && sleep 600');
    await waitFor(async () => (await podman(info, 'exec', name, 'cat', '/made-here').catch(() => '')) === 'hi', 'the file');
    await waitFor(() => app.containers.items().some((c) => c.name === name), 'the cache');
    const reference = `localhost/${uniqueName('committed')}:1`;
    const input = { reference, message: `it's "saved" $HOME`, pause: true };
    expect(await app.dispatcher.call('containers.commit', { id: name, ...input })).toMatchObject({ ok: true });
    const inspectImage = async () => JSON.parse(await podman(info, 'image', 'inspect', reference))[0] as Record<string, unknown>;
    // What differs between two commits of the same container: ids, times, the layer's digest.
    const keepImage = (i: Record<string, unknown>) => {
      const { Comment, Author, Config, Architecture, Os, RepoTags } = i as Record<string, unknown>;
      return { Comment, Author, Config, Architecture, Os, RepoTags };
    };
    const before = await inspectImage();
    await podman(info, 'rmi', reference);
    await shell.run(formatCommand(commitCommand(name, reference, input), bash));
    const after = await inspectImage();
    expect(keepImage(after)).toEqual(keepImage(before));
    expect(before.Comment).toBe(`it's "saved" $HOME`);
    await podman(info, 'rmi', reference);
    await podman(info, 'rm', '-f', '-t', '0', name);
  });

  it('pod create, with its ports, started', async () => {
    const name = uniqueName('pod-diff');
    const [a, b] = [await freePort(), await freePort()];
    const input = {
      name,
      ports: [
        { hostIp: '127.0.0.1', hostPort: a, containerPort: 80, protocol: 'tcp' as const },
        { hostIp: '', hostPort: b, containerPort: 53, protocol: 'udp' as const },
      ],
    };
    expect(await app.dispatcher.call('pods.create', input)).toMatchObject({ ok: true });
    const inspectPod = async () => {
      const raw = JSON.parse(await podman(info, 'pod', 'inspect', name)) as Record<string, unknown> | Record<string, unknown>[];
      return Array.isArray(raw) ? raw[0]! : raw;
    };
    const before = await inspectPod();
    await podman(info, 'pod', 'rm', '-f', name);
    await shell.run(formatCommands(podCreateCommands(input), bash));
    const after = await inspectPod();
    const keepPod = (p: Record<string, unknown>) => {
      const id = String(p.Id);
      const infra = String(p.InfraContainerID ?? '');
      // Ids, times, and every field that names them (the cgroup path holds the pod's id).
      const text = JSON.stringify(without(p, ['Id', 'Created', 'InfraContainerID', 'CreateCommand']))
        .replaceAll(id, '<pod>')
        .replaceAll(id.slice(0, 12), '<pod>')
        .replaceAll(infra, '<infra>')
        .replaceAll(infra.slice(0, 12), '<infra>');
      const out = JSON.parse(text) as Record<string, unknown>;
      // Each container's id is random; their names and states are what counts.
      out.Containers = ((out.Containers as { Name: string; State: string }[]) ?? []).map(({ Name, State }) => ({
        Name: Name.replace(/^[0-9a-f]{12}-infra$/, '<infra>'),
        State,
      }));
      // A set, which Podman lists in no fixed order.
      out.SharedNamespaces = [...((out.SharedNamespaces as string[]) ?? [])].sort();
      return out;
    };
    expect(keepPod(after)).toEqual(keepPod(before));
    expect(before.State).toBe('Running');
    await podman(info, 'pod', 'rm', '-f', name);
  });
});
