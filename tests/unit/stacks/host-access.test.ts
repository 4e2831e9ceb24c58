import { mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HostAccessItem, LaunchEvent } from '../../../src/shared/contract';
import type { AppError } from '../../../src/shared/errors';
import { parseCompose } from '../../../src/main/stacks/compose/parse';
import type { StackDefinition } from '../../../src/main/stacks/definitions';
import { analyzeHostAccess, hostAccessFingerprint, hostAccessOf } from '../../../src/main/stacks/host-access';
import type { StackEngineOps } from '../../../src/main/stacks/engine-ops';
import { waitReady } from '../../../src/main/stacks/health';
import { launchStack } from '../../../src/main/stacks/launcher';
import { reachableHost, serviceLinks } from '../../../src/main/stacks/links';
import { planStack } from '../../../src/main/stacks/planner';
import { resolveStack } from '../../../src/main/stacks/resolve';
import { fakeEngine } from './fake-engine';
import { nothing } from './fixtures';

const HOME = '/home/ada';
const FOLDER = '/home/ada/projects/shop';

function parsed(text: string, vars: Record<string, string> = {}) {
  const result = parseCompose(text, { lookup: (n) => vars[n], workingDir: FOLDER, homeDir: HOME, defaultName: 'shop' });
  if (!result.project) throw new Error(`fixture does not parse: ${JSON.stringify(result.issues)}`);
  return result.project;
}

/** A file system with no links: every path leads to itself. */
const noLinks = async (path: string) => path;

async function analyze(text: string, options: { env?: string[]; links?: Record<string, string> } = {}) {
  return analyzeHostAccess(parsed(text), {
    ownFolders: [FOLDER],
    homeDir: HOME,
    fromEnvironment: options.env ?? [],
    realpath: async (path) => options.links?.[path] ?? (await noLinks(path)),
  });
}

const brief = (items: HostAccessItem[]) =>
  items.map((i) => [i.kind, i.subject, i.target ?? null, i.access ?? null, i.services.join(',')]);

describe('what a stack touches on this computer', () => {
  it('lists host folders and files mounted, read-write or read-only, with what makes them matter', async () => {
    const items = await analyze(`
services:
  web:
    image: x
    volumes:
      - /:/host
      - ~/:/me:ro
      - ./site:/site:ro
      - /run/podman/podman.sock:/var/run/docker.sock
      - data:/data
      - /cache
      - {type: tmpfs, target: /tmp}
volumes:
  data: {}
`);
    expect(brief(items)).toEqual([
      ['mount', '/', '/host', 'read-write', 'web'],
      ['mount', HOME, '/me', 'read-only', 'web'],
      ['mount', `${FOLDER}/site`, '/site', 'read-only', 'web'],
      ['mount', '/run/podman/podman.sock', '/var/run/docker.sock', 'read-write', 'web'],
    ]);
    expect(items[0]!.note).toMatch(/the root of the file system: the container can read and change everything in it/);
    expect(items[1]!.note).toMatch(/your home folder: the container can read everything in it/);
    expect(items[3]!.note).toMatch(/control socket/);
  });

  it('lists relabels (allowed below the home folder) and devices, by path or CDI name', async () => {
    const items = await analyze(`
services:
  gpu:
    image: x
    volumes: ["~/.ssh:/keys:Z", {type: bind, source: ./shared, target: /s, bind: {selinux: z}}]
    devices: [/dev/sda, "/dev/dri:/dev/dri:rwm", nvidia.com/gpu=all]
`);
    expect(brief(items)).toEqual([
      ['mount', `${HOME}/.ssh`, '/keys', 'read-write', 'gpu'],
      ['mount', `${FOLDER}/shared`, '/s', 'read-write', 'gpu'],
      ['relabel', `${HOME}/.ssh`, null, null, 'gpu'],
      ['relabel', `${FOLDER}/shared`, null, null, 'gpu'],
      ['device', '/dev/dri', '/dev/dri', null, 'gpu'],
      ['device', '/dev/sda', '/dev/sda', null, 'gpu'],
      ['device', 'nvidia.com/gpu=all', null, null, 'gpu'],
    ]);
    expect(items.find((i) => i.kind === 'relabel' && i.subject.endsWith('.ssh'))!.note).toMatch(/":Z".*this container only/);
  });

  it('lists env files and build contexts outside the stack’s folder, and follows links out of it', async () => {
    const items = await analyze(
      `
services:
  app:
    build: ../../other-app
    image: app
    env_file: [app.env, ../../.aws/credentials, {path: ./linked.env, required: false}]
  tool:
    build: ./tool
`,
      { links: { [`${FOLDER}/linked.env`]: `${HOME}/.netrc` } },
    );
    expect(brief(items)).toEqual([
      ['env-file', `${HOME}/.aws/credentials`, null, 'read-only', 'app'],
      ['env-file', `${FOLDER}/linked.env`, null, 'read-only', 'app'],
      ['build-context', `${HOME}/other-app`, null, 'read-only', 'app'],
    ]);
    expect(items[1]!.realPath).toBe(`${HOME}/.netrc`);
  });

  it('treats nothing as the stack’s own when its folder is the home folder', async () => {
    const items = await analyzeHostAccess(parsed('services:\n  a:\n    image: x\n    env_file: [.ssh/id_rsa]\n'), {
      ownFolders: [HOME],
      homeDir: HOME,
      fromEnvironment: [],
      realpath: noLinks,
    });
    expect(brief(items)).toEqual([['env-file', `${FOLDER}/.ssh/id_rsa`, null, 'read-only', 'a']]);
  });

  it('names the variables taken from the environment, and host folders behind a volume', async () => {
    const items = await analyze(
      `
services:
  a: {image: x, volumes: ["data:/data:ro"]}
  b: {image: x, volumes: ["data:/data"]}
volumes:
  data:
    driver_opts: {type: none, o: bind, device: /srv/exports}
`,
      { env: ['GITHUB_TOKEN', 'HOME'] },
    );
    expect(brief(items)).toEqual([
      ['mount', '/srv/exports', '/data', 'read-only', 'a'],
      ['mount', '/srv/exports', '/data', 'read-write', 'b'],
      ['environment', 'GITHUB_TOKEN', null, null, ''],
      ['environment', 'HOME', null, null, ''],
    ]);
    expect(items[0]!.note).toMatch(/Through the volume "shop_data"/);
  });

  it('names a disk behind a volume, and a bind written in capitals; not memory or a network share', async () => {
    const items = await analyze(`
services:
  a: {image: x, volumes: ["disk:/disk", "caps:/caps:ro", "mem:/mem", "nfs:/nfs"]}
volumes:
  disk: {driver_opts: {type: ext4, device: /dev/sdb1}}
  caps: {driver_opts: {type: none, O: "rbind", Device: /srv/caps}}
  mem: {driver_opts: {type: tmpfs, device: tmpfs}}
  nfs: {driver_opts: {type: nfs, o: "addr=10.0.0.2", device: ":/exports"}}
`);
    expect(brief(items)).toEqual([
      ['mount', '/dev/sdb1', '/disk', 'read-write', 'a'],
      ['mount', '/srv/caps', '/caps', 'read-only', 'a'],
    ]);
  });

  it('merges one mount shared by two services into one row', async () => {
    const items = await analyze('services:\n  b: {image: x, volumes: ["./d:/d"]}\n  a: {image: x, volumes: ["./d:/d"]}\n');
    expect(brief(items)).toEqual([['mount', `${FOLDER}/d`, '/d', 'read-write', 'a,b']]);
  });

  it('fingerprints the list (not its wording), and asks for a confirmation until that list is confirmed', async () => {
    const items = await analyze('services:\n  a: {image: x, volumes: ["./d:/d"]}\n');
    const fingerprint = hostAccessFingerprint(items);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(hostAccessFingerprint(items.map((i) => ({ ...i, note: 'other words' })))).toBe(fingerprint);
    const readOnly = await analyze('services:\n  a: {image: x, volumes: ["./d:/d:ro"]}\n');
    expect(hostAccessFingerprint(readOnly)).not.toBe(fingerprint);

    expect(hostAccessOf(items, undefined).needsConfirmation).toBe(true);
    expect(hostAccessOf(items, fingerprint).needsConfirmation).toBe(false);
    expect(hostAccessOf(readOnly, fingerprint).needsConfirmation).toBe(true);
    expect(hostAccessOf([], undefined).needsConfirmation).toBe(false);
  });
});

describe('SELinux relabels of broad folders', () => {
  const issues = (volume: string) =>
    parseCompose(`services:\n  a:\n    image: x\n    volumes:\n      - ${volume}\n`, {
      lookup: () => undefined,
      workingDir: FOLDER,
      homeDir: HOME,
      defaultName: 'shop',
    }).issues.filter((i) => i.severity === 'error');

  it('refuses :z and :Z on the root, top-level folders, the home folder and system files, saying why and where', () => {
    for (const volume of ['/:/host:z', '/usr:/usr:Z', '/etc:/etc:z', '/home:/h:z', '/var:/v:Z', '~:/me:Z', '/etc/ssh:/s:z']) {
      const found = issues(volume);
      expect(found, volume).toHaveLength(1);
      expect(found[0]).toMatchObject({ line: 5, path: 'services.a.volumes.0' });
      expect(found[0]!.message).toMatch(/relabelling .* for SELinux \(":[zZ]"\) is refused/);
      expect(found[0]!.message).toMatch(/breaks the programs of this computer that use those files/);
    }
    expect(issues('~:/me:Z')[0]!.message).toMatch(/it is your home folder/);
    expect(issues('/usr:/usr:Z')[0]!.message).toMatch(/it is a top-level folder of the system/);
    const long = parseCompose(
      'services:\n  a:\n    image: x\n    volumes:\n      - {type: bind, source: /, target: /h, bind: {selinux: Z}}\n',
      {
        lookup: () => undefined,
        workingDir: FOLDER,
        defaultName: 'shop',
      },
    );
    expect(long.issues.filter((i) => i.severity === 'error')[0]!.message).toMatch(/root of the file system/);
  });

  it('allows them below the home folder, on a project folder, and without a relabel', () => {
    expect(issues('~/.ssh:/keys:Z')).toEqual([]);
    expect(issues('./data:/data:z')).toEqual([]);
    expect(issues('/srv/data:/data:Z')).toEqual([]);
    expect(issues('/:/host:ro')).toEqual([]);
  });
});

describe('resolving a stack: values from the environment', () => {
  async function userStack(yaml: string, files: Record<string, string> = {}) {
    const folder = await mkdtemp(join(tmpdir(), 'pdt-hostaccess-'));
    for (const [name, text] of Object.entries(files)) await writeFile(join(folder, name), text);
    const def: StackDefinition = {
      id: 'shop',
      source: 'user',
      yaml,
      workingDir: folder,
      modified: false,
      state: { variables: {}, generated: {} },
    };
    return { def, folder };
  }

  it('passes an environment value on without returning it, and names the variable in "this computer"', async () => {
    const { def } = await userStack(
      'services:\n  a:\n    image: x\n    environment:\n      TOKEN: ${GITHUB_TOKEN}\n      PLAIN: ${PLAIN:-p}\n      HOME_DIR:\n',
    );
    const env = { GITHUB_TOKEN: 'ghp_secret', HOME_DIR: '/home/ada', UNUSED: 'x' };
    const resolved = await resolveStack(def, { env });
    expect(resolved.project!.services[0]!.environment).toEqual({ TOKEN: 'ghp_secret', PLAIN: 'p', HOME_DIR: '/home/ada' });
    const token = resolved.variables.find((v) => v.name === 'GITHUB_TOKEN')!;
    expect(token).toEqual({ name: 'GITHUB_TOKEN', required: false, source: 'environment', secret: false });
    expect(JSON.stringify(resolved.variables)).not.toContain('ghp_secret');
    expect(resolved.hostAccess.items.map((i) => [i.kind, i.subject])).toEqual([
      ['environment', 'GITHUB_TOKEN'],
      ['environment', 'HOME_DIR'],
    ]);
    expect(JSON.stringify(resolved.hostAccess)).not.toContain('ghp_secret');
    expect(resolved.hostAccess.needsConfirmation).toBe(true);
  });

  it('hides a .env value built from the environment too', async () => {
    const { def } = await userStack('services:\n  a:\n    image: x\n    environment: {T: "${T}", TAG: "${TAG}"}\n', {
      '.env': 'T=${GITHUB_TOKEN}\nTAG=1.2\n',
    });
    const resolved = await resolveStack(def, { env: { GITHUB_TOKEN: 'ghp_secret' } });
    expect(resolved.variables.find((v) => v.name === 'T')).toEqual({
      name: 'T',
      required: false,
      source: 'env-file',
      secret: false,
    });
    expect(resolved.variables.find((v) => v.name === 'TAG')).toMatchObject({ source: 'env-file', value: '1.2' });
    expect(JSON.stringify(resolved.variables)).not.toContain('ghp_secret');
    expect(resolved.hostAccess.items.map((i) => i.subject)).toEqual(['GITHUB_TOKEN']);
  });

  it('reports an env file’s mistake by its line, without its text', async () => {
    const { def } = await userStack('services:\n  a:\n    image: x\n    env_file: [app.env]\n', {
      'app.env': 'USER=ada\nhunter2 is the password\n',
    });
    const resolved = await resolveStack(def, { env: {} });
    const message = resolved.issues.find((i) => i.severity === 'error')!.message;
    expect(message).toMatch(/app\.env, line 2: expected KEY=VALUE$/);
    expect(message).not.toContain('hunter2');
  });

  it('refuses a relabel of a link that leads to the home folder', async () => {
    const home = await mkdtemp(join(tmpdir(), 'pdt-home-'));
    const { def, folder } = await userStack('services:\n  a:\n    image: x\n    volumes: ["./me:/me:Z"]\n');
    await symlink(home, join(folder, 'me'));
    const resolved = await resolveStack(def, { env: {}, homeDir: home });
    expect(resolved.project).toBeUndefined();
    expect(resolved.issues.map((i) => i.message)).toEqual([
      expect.stringMatching(/me is a link to .*: relabelling .* is refused: it is your home folder/),
    ]);
  });

  it('finds nothing on this computer in the built-in stacks as shipped', async () => {
    const dir = join(import.meta.dirname, '../../../resources/stacks');
    for (const file of (await readdir(dir)).filter((f) => f.endsWith('.yaml'))) {
      const def: StackDefinition = {
        id: file.slice(0, -5),
        source: 'builtin',
        yaml: await readFile(join(dir, file), 'utf8'),
        workingDir: dir,
        modified: false,
        state: { variables: {}, generated: { JUPYTER_TOKEN: 't' } },
      };
      const resolved = await resolveStack(def, { env: { PATH: '/usr/bin', HOME: '/home/ada' }, homeDir: '/home/ada' });
      expect(
        resolved.issues.filter((i) => i.severity === 'error'),
        file,
      ).toEqual([]);
      expect(resolved.hostAccess, file).toMatchObject({ items: [], needsConfirmation: false });
      // Published on loopback unless the user chooses otherwise.
      expect(resolved.reachableFromOtherComputers, file).toBe(false);
      for (const s of resolved.project!.services)
        for (const p of s.ports) expect(p.hostIp, `${file} ${s.name}`).toBe('127.0.0.1');
      const open = await resolveStack(
        { ...def, state: { ...def.state, variables: { BIND_ADDRESS: '0.0.0.0' } } },
        { env: {}, homeDir: '/home/ada' },
      );
      expect(open.reachableFromOtherComputers, file).toBe(true);
      for (const s of open.project!.services) for (const p of s.ports) expect(p.hostIp).toBe('0.0.0.0');
    }
  });

  it('lists a built-in’s build context once a variable points it outside the app', async () => {
    const dir = join(import.meta.dirname, '../../../resources/stacks');
    const elsewhere = await mkdtemp(join(tmpdir(), 'pdt-ctx-'));
    await mkdir(join(elsewhere, 'app'));
    const def: StackDefinition = {
      id: 'ai-webapp',
      source: 'builtin',
      yaml: await readFile(join(dir, 'ai-webapp.yaml'), 'utf8'),
      workingDir: dir,
      modified: false,
      state: { variables: { WEBAPP_CONTEXT: join(elsewhere, 'app') }, generated: {} },
    };
    const resolved = await resolveStack(def, { env: {} });
    expect(resolved.hostAccess.items.map((i) => [i.kind, i.services])).toEqual([['build-context', ['web']]]);
    expect(resolved.hostAccess.needsConfirmation).toBe(true);
  });
});

describe('the launch', () => {
  it('is refused, before anything is created, until the list is confirmed', async () => {
    const project = parsed('services:\n  a:\n    image: x\n    volumes: ["./d:/d"]\n');
    const items = await analyze('services:\n  a:\n    image: x\n    volumes: ["./d:/d"]\n');
    const engine = fakeEngine();
    const deps = {
      ops: engine.ops,
      images: engine.images,
      wait: { probe: async () => true, probeHost: '127.0.0.1', sleep: async () => undefined },
      linkHost: 'localhost',
    };
    const launch = async (confirmed?: string) => {
      const events: LaunchEvent[] = [];
      const plan = planStack(project, nothing(), { hostAccess: hostAccessOf(items, confirmed) });
      const error = await launchStack(
        deps,
        { stackId: 'shop', project, plan },
        (e) => events.push(e),
        new AbortController().signal,
      ).then(
        () => undefined,
        (e: unknown) => e as AppError,
      );
      return { events, error };
    };
    const refused = await launch(undefined);
    expect(refused.error).toMatchObject({ code: 'NEEDS_CONFIRMATION' });
    expect(refused.error!.message).toMatch(/^Nothing was created: this stack uses one thing on this computer/);
    expect((refused.error!.details as { hostAccess: { items: unknown[] } }).hostAccess.items).toHaveLength(1);
    expect(refused.events.map((e) => e.type)).toEqual(['plan']);
    expect(engine.calls).toEqual([]);

    const accepted = await launch(hostAccessFingerprint(items));
    expect(accepted.error).toBeUndefined();
    expect(engine.calls).toContain('create a');
  });
});

describe('where this computer reaches a published port', () => {
  it('follows the published address and where the engine is', () => {
    expect(reachableHost('', 'localhost')).toBe('localhost');
    expect(reachableHost('0.0.0.0', 'devbox')).toBe('devbox');
    expect(reachableHost('127.0.0.1', '127.0.0.1')).toBe('127.0.0.1');
    expect(reachableHost('127.0.0.1', 'localhost')).toBe('127.0.0.1');
    // A remote engine's loopback is its own: not reachable from here.
    expect(reachableHost('127.0.0.1', 'devbox')).toBeUndefined();
    expect(reachableHost('::1', 'devbox')).toBeUndefined();
    expect(reachableHost('192.168.1.5', 'devbox')).toBe('192.168.1.5');
  });

  it('does not wait on a port this computer cannot reach (a remote engine’s loopback)', async () => {
    const service = parsed('services:\n  web:\n    image: x\n    ports: ["127.0.0.1:8080:80"]\n').services[0]!;
    const probed: string[] = [];
    const ops = {
      inspect: async () => ({
        id: 'c1',
        name: 'web',
        state: 'running',
        running: true,
        exitCode: 0,
        hasHealthcheck: false,
        ports: [{ hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
      }),
    } as unknown as StackEngineOps;
    const wait = (probeHost: string) =>
      waitReady(
        { ops, probeHost, probe: async (host, port) => (probed.push(`${host}:${port}`), true), sleep: async () => undefined },
        service,
        'c1',
        'healthy',
        new AbortController().signal,
      );
    expect(await wait('127.0.0.1')).toBe('answering');
    expect(probed).toEqual(['127.0.0.1:8080']);
    expect(await wait('devbox')).toBe('running');
    expect(probed).toEqual(['127.0.0.1:8080']);
  });

  it('opens loopback ports as localhost, and makes no link a remote engine’s loopback would break', () => {
    const ports = [{ hostIp: '127.0.0.1', hostPort: 11434, containerPort: 11434, protocol: 'tcp' }];
    expect(serviceLinks(ports, undefined, 'localhost')).toEqual([{ label: 'Port 11434', url: 'http://localhost:11434/' }]);
    expect(serviceLinks(ports, undefined, 'devbox')).toEqual([]);
  });
});
