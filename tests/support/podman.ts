import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';

/**
 * A real Podman for the tests, never the user's: its own storage (--root, --runroot), its own
 * state and events (--tmpdir), its own network definitions, its own socket, and a
 * CONTAINERS_CONF for these machines (runc, explicit ulimits, events in a file).
 */
export interface PodmanInfo {
  dir: string;
  socketPath: string;
  /** Global flags that point podman at the private storage. */
  args: string[];
  env: Record<string, string>;
  busybox: string;
  /** What the engine says (`podman info`): the tests that differ rootless ask this, not the uid. */
  rootless: boolean;
  /** The engine's cgroups version, 'v1' or 'v2': rootless on v1 has no per-container cgroup. */
  cgroups: string;
}

/**
 * Rootless Podman on cgroups v1 (these machines' kernels) gets no cgroup per container: no
 * stats, no pause, resource limits ignored. Tests of those name this reason when they skip.
 */
export const withoutCgroups = (info: Pick<PodmanInfo, 'rootless' | 'cgroups'>) => info.rootless && info.cgroups === 'v1';

export const TEST_IMAGE = 'localhost/poddesk-test/busybox:latest';

export async function preparePodman(baseDir?: string): Promise<Omit<PodmanInfo, 'socketPath'>> {
  // Unix socket paths are limited to ~107 bytes: keep the folder short.
  const dir = baseDir ?? (await mkdtemp('/tmp/pdt-'));
  for (const sub of ['root', 'run', 'tmp', 'net', 'home']) await mkdir(join(dir, sub), { recursive: true });
  // Each instance gets its own subnets, so two test runs on one machine never hand out the
  // same addresses on the shared default bridge.
  const a = 100 + Math.floor(Math.random() * 100);
  const b = Math.floor(Math.random() * 256);
  await writeFile(
    join(dir, 'containers.conf'),
    [
      '[containers]',
      'default_ulimits = ["nofile=1024:1024", "nproc=1000:1000"]',
      '[engine]',
      'runtime = "runc"',
      'events_logger = "file"',
      'cgroup_manager = "cgroupfs"',
      '[network]',
      `network_config_dir = "${join(dir, 'net')}"`,
      `default_subnet = "10.${a}.${b}.0/24"`,
      `default_subnet_pools = [{"base" = "10.${a + 1}.0.0/16", "size" = 24}]`,
      '',
    ].join('\n'),
  );
  // The default network, defined here rather than built in: Podman 4.3 would name its bridge
  // "podman0", which every other Podman on this machine also uses (with another subnet), and
  // published ports on it then go nowhere. A bridge name of its own keeps the instances apart.
  await writeFile(
    join(dir, 'net', 'podman.json'),
    JSON.stringify(
      {
        name: 'podman',
        id: '2f259bab93aaaaa2542ba43ef33eb990d0999ee1b9924b557b7be53c0b7a1bb9',
        driver: 'bridge',
        network_interface: `pdt${a}x${b}`,
        created: '2026-01-01T00:00:00Z',
        subnets: [{ subnet: `10.${a}.${b}.0/24`, gateway: `10.${a}.${b}.1` }],
        ipv6_enabled: false,
        internal: false,
        dns_enabled: false,
        ipam_options: { driver: 'host-local' },
      },
      null,
      2,
    ),
  );
  await writeFile(
    join(dir, 'registries.conf'),
    ['unqualified-search-registries = []', '', '[[registry]]', 'location = "127.0.0.1"', 'insecure = true', ''].join('\n'),
  );
  const env = {
    CONTAINERS_CONF: join(dir, 'containers.conf'),
    CONTAINERS_REGISTRIES_CONF: join(dir, 'registries.conf'),
  };
  const args = [
    '--root',
    join(dir, 'root'),
    '--runroot',
    join(dir, 'run'),
    '--tmpdir',
    join(dir, 'tmp'),
    '--network-config-dir',
    join(dir, 'net'),
  ];
  const [rootless, cgroups] = (
    await podman({ args, env }, 'info', '--format', '{{.Host.Security.Rootless}} {{.Host.CgroupsVersion}}')
  ).split(' ');
  return { dir, args, env, busybox: TEST_IMAGE, rootless: rootless === 'true', cgroups: cgroups ?? 'unknown' };
}

export function podmanEnv(info: Pick<PodmanInfo, 'env'>): NodeJS.ProcessEnv {
  return { ...process.env, ...info.env };
}

/** Runs the podman CLI against the private storage; rejects with podman's stderr. */
export function podman(info: Pick<PodmanInfo, 'args' | 'env'>, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'podman',
      [...info.args, ...args],
      { env: podmanEnv(info), maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`podman ${args.join(' ')}: ${stderr || error.message}`));
        else resolve(stdout.trim());
      },
    );
  });
}

export function ping(socketPath: string, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => (req.destroy(), resolve(false)));
    req.end();
  });
}

export async function waitFor(
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 20_000,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** `podman system service` on a socket of its own; `stop` kills it (SIGKILL when asked). */
export async function startService(
  info: Pick<PodmanInfo, 'args' | 'env'>,
  socketPath: string,
): Promise<{ process: ChildProcess; stop(signal?: NodeJS.Signals): Promise<void> }> {
  const child = spawn('podman', [...info.args, 'system', 'service', '--time=0', `unix://${socketPath}`], {
    env: podmanEnv(info),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  try {
    await waitFor(() => child.exitCode === null && ping(socketPath), `podman service on ${socketPath}`);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}: ${stderr}`);
  }
  return {
    process: child,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill(signal);
      await gone;
    },
  };
}

/**
 * The test image: busybox-static with its applets, imported from a folder (no registry is
 * reachable here). `sh`, `httpd`, `wget`, `nc` and friends are all there.
 */
export async function buildBusyboxImage(info: Pick<PodmanInfo, 'args' | 'env' | 'dir'>, name = TEST_IMAGE): Promise<void> {
  const rootfs = join(info.dir, 'rootfs');
  await mkdir(join(rootfs, 'bin'), { recursive: true });
  for (const sub of ['etc', 'tmp', 'root', 'data', 'www']) await mkdir(join(rootfs, sub), { recursive: true });
  await run('cp', ['/bin/busybox', join(rootfs, 'bin', 'busybox')]);
  await run('sh', ['-c', `cd ${rootfs}/bin && for a in $(./busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$a"; done`]);
  await writeFile(join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
  await writeFile(join(rootfs, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
  await writeFile(join(rootfs, 'www', 'index.html'), '<h1>hello from busybox</h1>\n');
  const tar = join(info.dir, 'rootfs.tar');
  await run('tar', ['-C', rootfs, '-cf', tar, '.']);
  await podman(info, 'import', '--change', 'CMD ["/bin/sh"]', '--change', 'ENV PATH=/bin', tar, name);
}

function run(file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(file, args, (error, _out, stderr) => (error ? reject(new Error(`${file}: ${stderr || error.message}`)) : resolve())),
  );
}
