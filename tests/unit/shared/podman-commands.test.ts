import { describe, expect, it } from 'vitest';
import {
  argvOf,
  buildCommand,
  commitCommand,
  composeDownCommand,
  composeUpCommand,
  formatBytesOption,
  formatCommand,
  formatDuration,
  killCommand,
  networkConnectCommand,
  networkCreateCommand,
  networkDisconnectCommand,
  podCreateCommands,
  portArg,
  pruneImagesCommand,
  removeCommand,
  removeImageCommand,
  runChoicesToSpec,
  runCommand,
  runSpecFromInspect,
  stopCommand,
  volumeCreateCommand,
  volumePruneCommand,
} from '../../../src/shared/podman-commands';

const line = (cmd: Parameters<typeof argvOf>[0]) => argvOf(cmd).join(' ');

describe('the commands behind the actions', () => {
  it('container lifecycle', () => {
    expect(line(stopCommand('web'))).toBe('podman stop web');
    expect(line(stopCommand(['a', 'b'], 0))).toBe('podman stop -t 0 a b');
    expect(line(killCommand('web'))).toBe('podman kill web');
    expect(line(killCommand('web', 'SIGHUP'))).toBe('podman kill --signal SIGHUP web');
    expect(line(removeCommand(['a', 'b'], { force: true, volumes: true }))).toBe('podman rm -f -v a b');
    expect(line(commitCommand('web', 'localhost/x:1', { message: 'hi', pause: true }))).toBe(
      'podman commit --format docker --message hi --pause web localhost/x:1',
    );
  });

  it('images, volumes, networks, pods, stacks', () => {
    expect(line(buildCommand({ tag: 'localhost/app:1', context: '/src/app', buildArgs: { A: 'b c' } }))).toBe(
      'podman build -t localhost/app:1 --build-arg A=b c /src/app',
    );
    expect(line(removeImageCommand('nginx:1', true))).toBe('podman rmi -f nginx:1');
    expect(line(pruneImagesCommand('unused'))).toBe('podman image prune -a -f');
    expect(line(volumeCreateCommand({ name: 'data', driver: 'local', labels: { a: 'b' }, options: { type: 'tmpfs' } }))).toBe(
      'podman volume create --label a=b --opt type=tmpfs data',
    );
    expect(volumePruneCommand(['a', 'b']).comment).toMatch(/unused/);
    expect(
      line(
        networkCreateCommand({
          name: 'lan',
          driver: 'macvlan',
          parent: 'eth0',
          subnets: [{ subnet: '10.5.0.0/24', gateway: '10.5.0.1' }],
          internal: true,
          dnsEnabled: false,
        }),
      ),
    ).toBe(
      'podman network create --driver macvlan -o parent=eth0 --subnet 10.5.0.0/24 --gateway 10.5.0.1 --internal --disable-dns lan',
    );
    // The CLI pairs gateways with subnets by position: an earlier subnet gets Podman's default written out.
    expect(
      line(
        networkCreateCommand({ name: 'two', subnets: [{ subnet: '10.5.0.0/24' }, { subnet: 'fd05::/64', gateway: 'fd05::9' }] }),
      ),
    ).toBe('podman network create --subnet 10.5.0.0/24 --gateway 10.5.0.1 --subnet fd05::/64 --gateway fd05::9 two');
    expect(
      networkCreateCommand({
        name: 'r',
        subnets: [{ subnet: '10.5.0.0/24' }, { subnet: '10.6.0.0/24', range: '10.6.0.10-10.6.0.20' }],
      }).comment,
    ).toMatch(/without a range.*first-last/);
    // volume create's --label is a comma-separated list: a comma or a quote is written as a CSV field.
    expect(argvOf(volumeCreateCommand({ name: 'v', labels: { list: 'a,b', q: 'say "hi"' } }))).toEqual([
      'podman',
      'volume',
      'create',
      '--label',
      '"list=a,b"',
      '--label',
      '"q=say ""hi"""',
      'v',
    ]);
    expect(line(networkConnectCommand({ network: 'n', container: 'c', aliases: ['db'], ipv4: '10.0.0.5' }))).toBe(
      'podman network connect --alias db --ip 10.0.0.5 n c',
    );
    expect(line(networkDisconnectCommand({ network: 'n', container: 'c', force: true }))).toBe(
      'podman network disconnect -f n c',
    );
    expect(
      podCreateCommands({
        name: 'p',
        ports: [{ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
        containers: ['a'],
      }).map(line),
    ).toEqual(['podman pod create --name p -p 8080:80', 'podman stop a', 'podman pod start p']);
    const target = { file: '/stacks/ai lab/compose.yaml', project: 'ai-lab', env: { BIND_ADDRESS: '0.0.0.0' } };
    expect(formatCommand(composeUpCommand(target), 'bash', 200)).toBe(
      "BIND_ADDRESS=0.0.0.0 podman-compose -f '/stacks/ai lab/compose.yaml' -p ai-lab up -d",
    );
    expect(line(composeDownCommand(target, true))).toBe('podman-compose -f /stacks/ai lab/compose.yaml -p ai-lab down -v');
  });

  it('ports, sizes and durations as Podman reads them', () => {
    expect(portArg({ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp' })).toBe('8080:80');
    expect(portArg({ hostIp: '127.0.0.1', hostPort: 53, containerPort: 53, protocol: 'udp' })).toBe('127.0.0.1:53:53/udp');
    expect(portArg({ hostIp: '::1', hostPort: 0, containerPort: 80, protocol: 'tcp' })).toBe('[::1]::80');
    expect(formatBytesOption(512 * 1024 * 1024)).toBe('512m');
    expect(formatBytesOption(2 * 1024 ** 3)).toBe('2g');
    expect(formatBytesOption(1000)).toBe('1000');
    expect(formatDuration(90e9)).toBe('1m30s');
    expect(formatDuration(1.5e9)).toBe('1s500ms');
  });
});

describe('the Run form’s command', () => {
  it('says every choice, in the order a person would write it', () => {
    const cmd = runCommand(
      runChoicesToSpec({
        image: 'docker.io/library/nginx:1.27',
        name: 'web',
        ports: [{ hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80 }],
        env: [{ key: 'A', value: 'b c' }],
        volumes: [
          { source: 'data', target: '/data', bind: false },
          { source: 'C:\\Users\\me\\site', target: '/usr/share/nginx/html', readOnly: true, bind: true },
        ],
        network: 'lan',
        networkAliases: ['www'],
        restartPolicy: 'on-failure',
        restartRetries: 3,
        memory: 256 * 1024 * 1024,
        cpus: 1.5,
        entrypoint: ['/bin/sh', '-c'],
        command: ['echo hi'],
        labels: { team: 'blue' },
      }),
    );
    expect(argvOf(cmd)).toEqual([
      'podman',
      'run',
      '-d',
      '--name',
      'web',
      '--network',
      'lan',
      '--network-alias',
      'www',
      '-p',
      '127.0.0.1:8080:80',
      '-e',
      'A=b c',
      '-v',
      'data:/data',
      '-v',
      'C:\\Users\\me\\site:/usr/share/nginx/html:ro',
      '--restart',
      'on-failure:3',
      '--memory',
      '256m',
      '--cpus',
      '1.5',
      '--label',
      'team=blue',
      '--entrypoint',
      '["/bin/sh","-c"]',
      'docker.io/library/nginx:1.27',
      'echo hi',
    ]);
    expect(formatCommand(cmd, 'bash').split('\n')[0]).toBe('podman run -d \\');
  });

  it('is `podman create` when the container is not to start, and uses --mount for a path with a colon', () => {
    const cmd = runCommand(
      runChoicesToSpec({ image: 'busybox', start: false, volumes: [{ source: '/srv/a:b', target: '/x', bind: true }] }),
    );
    expect(argvOf(cmd)).toEqual(['podman', 'create', '--mount', 'type=bind,source=/srv/a:b,destination=/x', 'busybox']);
  });
});

describe('Show as podman run, from an inspect', () => {
  const image = {
    Env: ['PATH=/usr/bin:/bin', 'NGINX_VERSION=1.27'],
    Cmd: ['nginx', '-g', 'daemon off;'],
    Entrypoint: ['/docker-entrypoint.sh'],
    WorkingDir: '',
    Labels: { maintainer: 'NGINX' },
    StopSignal: 'SIGQUIT',
    Volumes: { '/var/cache/nginx': {} },
  };
  const base = {
    Id: 'abcdef0123456789'.repeat(4),
    Name: 'web',
    ImageName: 'docker.io/library/nginx:1.27',
    Path: '/docker-entrypoint.sh',
    Args: ['nginx', '-g', 'daemon off;'],
    State: { Status: 'running' },
    Config: {
      Hostname: 'abcdef012345',
      Env: [
        'PATH=/usr/bin:/bin',
        'NGINX_VERSION=1.27',
        'container=podman',
        'TERM=xterm',
        'HOSTNAME=abcdef012345',
        'HOME=/root',
        'MINE=1',
      ],
      Cmd: ['nginx', '-g', 'daemon off;'],
      Entrypoint: '/docker-entrypoint.sh',
      WorkingDir: '/',
      Labels: { maintainer: 'NGINX', team: 'blue' },
      StopSignal: 3,
      StopTimeout: 10,
    },
    HostConfig: {
      NetworkMode: 'bridge',
      PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] },
      RestartPolicy: { Name: '' },
    },
    Mounts: [
      { Type: 'volume', Name: 'f'.repeat(64), Destination: '/var/cache/nginx', RW: true, Options: ['nosuid', 'nodev', 'rbind'] },
      { Type: 'volume', Name: 'site', Destination: '/usr/share/nginx/html', RW: false, Options: ['nosuid', 'nodev', 'rbind'] },
    ],
    NetworkSettings: { Networks: { podman: { Aliases: ['abcdef012345'] } } },
  };

  it('leaves out what the image and Podman fill in by themselves', () => {
    const { spec, notes } = runSpecFromInspect(base, image);
    expect(argvOf(runCommand(spec))).toEqual([
      'podman',
      'run',
      '-d',
      '--name',
      'web',
      '-p',
      '8080:80',
      '-e',
      'MINE=1',
      '-v',
      'site:/usr/share/nginx/html:ro',
      '--label',
      'team=blue',
      'docker.io/library/nginx:1.27',
    ]);
    expect(notes).toEqual([]);
  });

  it('says the command again when the entrypoint is the user’s, and an emptied entrypoint as ""', () => {
    const own = runSpecFromInspect(
      {
        ...base,
        Path: '/bin/sh',
        Args: ['-c', 'nginx', '-g', 'daemon off;'],
        Config: { ...base.Config, Entrypoint: '/bin/sh -c' },
      },
      image,
    ).spec;
    expect(own.entrypoint).toEqual(['/bin/sh', '-c']);
    expect(own.command).toEqual(['nginx', '-g', 'daemon off;']);
    const cleared = runSpecFromInspect(
      { ...base, Path: 'nginx', Args: ['nginx', '-g', 'daemon off;'], Config: { ...base.Config, Entrypoint: '' } },
      image,
    ).spec;
    expect(cleared.entrypoint).toEqual(['']);
  });

  it('keeps a named network with its aliases, drops the short-id alias, and notes an anonymous volume', () => {
    const { spec, notes } = runSpecFromInspect(
      {
        ...base,
        Mounts: [{ Type: 'volume', Name: 'e'.repeat(64), Destination: '/scratch', RW: true, Options: [] }],
        NetworkSettings: { Networks: { lan: { Aliases: ['www', 'abcdef012345'] } } },
      },
      image,
    );
    expect(spec.networks).toEqual([{ name: 'lan', aliases: ['www'] }]);
    expect(spec.mounts).toEqual([{ type: 'volume', source: '', target: '/scratch', readOnly: false }]);
    expect(notes).toEqual(['/scratch is an anonymous volume: the command makes a new, empty one.']);
  });
});
