import type { Candidate, Endpoint, Platform } from '../../../shared/contract';
import type { Env, FileSystem, Runner } from '../../system/types';
import { candidateKey, endpointKey, parseEndpointUri } from './endpoint-uri';

/** What a finder reports; the key is added once the list is complete. */
export type Found = Omit<Candidate, 'key'>;

/**
 * Where Podman may be listening, in the order docs/architecture.md §3 gives. Every finder takes what it
 * reads (environment, files, a process runner) as arguments: each platform is tested on Linux.
 */
export interface FinderDeps {
  platform: Platform;
  env: Env;
  fs: FileSystem;
  run: Runner;
  /** null when podman is not installed: the CLI-based finders are skipped. */
  podmanPath: string | null;
  uid?: number;
  homedir: string;
  /** More finders of the program that embeds the back end (the tests' socat command transport). */
  more?: () => Promise<Found[]>;
  /** The WSL distros, when many look-ups should share one `wsl.exe --list` (sharedLookup). */
  wslDistros?: () => Promise<Found[]>;
  /** Only the finders that read files: no process is spawned (the checks made while Podman is silent). */
  filesOnly?: boolean;
  log?: (message: string) => void;
}

export function fromSaved(saved: Pick<Candidate, 'endpoint' | 'label'> | null): Found[] {
  return saved ? [{ endpoint: saved.endpoint, label: saved.label, source: 'saved' }] : [];
}

export function fromEnvironment(env: Env): Found[] {
  const found: Found[] = [];
  for (const name of ['CONTAINER_HOST', 'DOCKER_HOST'] as const) {
    const value = env[name];
    const endpoint = value ? parseEndpointUri(value, name === 'CONTAINER_HOST' ? env.CONTAINER_SSHKEY : undefined) : null;
    if (endpoint) found.push({ endpoint, source: 'environment', label: `${name}=${value}` });
  }
  return found;
}

interface ConnectionEntry {
  Name?: string;
  URI?: string;
  Identity?: string;
  Default?: boolean;
}

/** `podman system connection list --format json`, the default connection first. */
export async function fromPodmanConnections(run: Runner, podmanPath: string | null): Promise<Found[]> {
  if (!podmanPath) return [];
  const result = await run(podmanPath, ['system', 'connection', 'list', '--format', 'json']);
  const entries = parseJsonArray<ConnectionEntry>(result.code === 0 ? result.stdout : '');
  const sorted = [...entries].sort((a, b) => Number(Boolean(b.Default)) - Number(Boolean(a.Default)));
  const found: Found[] = [];
  for (const entry of sorted) {
    const endpoint = entry.URI ? parseEndpointUri(entry.URI, entry.Identity || undefined) : null;
    if (!endpoint) continue;
    const name = entry.Name ?? entry.URI ?? 'connection';
    found.push({ endpoint, source: 'podman-connection', label: entry.Default ? `${name} (default connection)` : name });
  }
  return found;
}

/** Linux: the rootless socket of this user, then the rootful one. Only sockets that exist. */
export async function linuxSockets(env: Env, fs: FileSystem, uid?: number): Promise<Found[]> {
  const runtimeDir = env.XDG_RUNTIME_DIR || (uid !== undefined ? `/run/user/${uid}` : undefined);
  const options: Found[] = [];
  if (runtimeDir) {
    options.push({
      endpoint: { kind: 'unix', path: `${runtimeDir}/podman/podman.sock` },
      source: 'rootless-socket',
      label: 'Podman (rootless)',
    });
  }
  options.push({
    endpoint: { kind: 'unix', path: '/run/podman/podman.sock' },
    source: 'rootful-socket',
    label: 'Podman (rootful)',
  });
  const present: Found[] = [];
  for (const candidate of options) {
    if (candidate.endpoint.kind === 'unix' && (await fs.exists(candidate.endpoint.path))) present.push(candidate);
  }
  return present;
}

interface MachineInspect {
  Name?: string;
  State?: string;
  ConnectionInfo?: { PodmanPipe?: { Path?: string } | null; PodmanSocket?: { Path?: string } | null };
}

interface MachineListEntry {
  Name?: string;
  Default?: boolean;
}

/** Podman's pipe name for a machine: podman-machine-default stays, "dev" becomes podman-dev. */
export function machinePipeName(machine: string): string {
  const name = machine.replace(/\*$/, '');
  return name.startsWith('podman') ? name : `podman-${name}`;
}

/** Windows: each machine's named pipe, from `podman machine inspect`, else the usual name. */
export async function windowsMachines(run: Runner, podmanPath: string | null): Promise<Found[]> {
  const found: Found[] = [];
  if (podmanPath) {
    const names = await machineNames(run, podmanPath);
    const inspected = await inspectMachines(run, podmanPath, names);
    for (const machine of inspected) {
      const path = machine.ConnectionInfo?.PodmanPipe?.Path;
      const name = machine.Name ?? 'machine';
      const pipe = path ? toPipePath(path) : `//./pipe/${machinePipeName(name)}`;
      found.push({ endpoint: { kind: 'npipe', path: pipe }, source: 'machine', label: `Podman machine ${name}` });
    }
  }
  found.push({
    endpoint: { kind: 'npipe', path: '//./pipe/podman-machine-default' },
    source: 'machine',
    label: 'Podman machine podman-machine-default',
  });
  return found;
}

/** macOS: each machine's API socket from `podman machine inspect`, then the usual places. */
export async function macMachines(
  run: Runner,
  podmanPath: string | null,
  env: Env,
  fs: FileSystem,
  homedir: string,
): Promise<Found[]> {
  const found: Found[] = [];
  if (podmanPath) {
    const names = await machineNames(run, podmanPath);
    for (const machine of await inspectMachines(run, podmanPath, names)) {
      const path = machine.ConnectionInfo?.PodmanSocket?.Path;
      if (path)
        found.push({ endpoint: { kind: 'unix', path }, source: 'machine', label: `Podman machine ${machine.Name ?? ''}`.trim() });
    }
  }
  const tmp = (env.TMPDIR ?? '/tmp').replace(/\/$/, '');
  const usual = [
    `${tmp}/podman/podman-machine-default-api.sock`,
    `${homedir}/.local/share/containers/podman/machine/podman.sock`,
    `${homedir}/.local/share/containers/podman/machine/qemu/podman.sock`,
  ];
  for (const path of usual) {
    if (await fs.exists(path))
      found.push({ endpoint: { kind: 'unix', path }, source: 'machine', label: 'Podman machine podman-machine-default' });
  }
  return found;
}

/** Inside WSL: the sockets Podman machines share with every distro under /mnt/wsl. */
export async function wslSharedSockets(fs: FileSystem): Promise<Found[]> {
  const root = '/mnt/wsl/podman-sockets';
  const machines = await fs.readdir(root).catch(() => [] as string[]);
  const found: Found[] = [];
  for (const machine of machines.sort()) {
    for (const [file, mode] of [
      ['podman-user.sock', 'rootless'],
      ['podman-root.sock', 'rootful'],
    ] as const) {
      const path = `${root}/${machine}/${file}`;
      if (await fs.exists(path))
        found.push({
          endpoint: { kind: 'unix', path },
          source: 'wsl',
          label: `Podman machine ${machine} (${mode}, shared with WSL)`,
        });
    }
  }
  return found;
}

/**
 * How PodDesk reaches Podman in a WSL distro: each connection is `podman system dial-stdio` run
 * there. `--exec` runs it without a shell: no profile is read and nothing ($HOME, quotes) is
 * expanded on the way, which also saves a shell's start-up on every connection.
 */
export function wslRelayArgv(distro: string): string[] {
  return ['wsl.exe', '-d', distro, '--exec', 'podman', 'system', 'dial-stdio'];
}

/**
 * The distro a command endpoint reaches, when it is the relay the WSL finder makes (or made:
 * earlier versions ran it through the distro's shell, `-- podman system dial-stdio`).
 */
export function wslDistroOf(endpoint: Endpoint): string | null {
  if (endpoint.kind !== 'command') return null;
  const [file, flag, distro, separator, ...rest] = endpoint.argv;
  const program = file?.split(/[\\/]/).pop()?.toLowerCase();
  if (program !== 'wsl.exe' || flag !== '-d' || !distro) return null;
  if (separator !== '--exec' && separator !== '--') return null;
  return rest.join(' ') === 'podman system dial-stdio' ? distro : null;
}

/** Windows: Podman installed inside the user's own WSL distros, each reached through its relay. */
export async function wslDistros(run: Runner): Promise<Found[]> {
  const result = await run('wsl.exe', ['--list', '--quiet'], { timeoutMs: 5_000 });
  if (result.code !== 0) return [];
  return result.stdout
    .replace(/\0/g, '') // wsl.exe writes UTF-16: every other byte is NUL once read as UTF-8
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((name) => name && !/^podman-machine|^docker-desktop/.test(name))
    .map((distro) => ({
      endpoint: { kind: 'command' as const, argv: wslRelayArgv(distro) },
      source: 'wsl' as const,
      label: `Podman in WSL distro ${distro}`,
    }));
}

/**
 * One look-up at a time: callers that ask while one is on its way share its answer. Listing WSL
 * distros starts wsl.exe, which takes a second when WSL is busy; the app asks on connect, and the
 * settings page asks at the same moment.
 */
export function sharedLookup<T>(lookup: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () =>
    (pending ??= lookup().finally(() => {
      pending = null;
    }));
}

export async function findCandidates(
  deps: FinderDeps,
  saved: Pick<Candidate, 'endpoint' | 'label'> | null,
): Promise<Candidate[]> {
  const { platform, env, fs, run, podmanPath } = deps;
  const connections = await fromPodmanConnections(run, podmanPath);
  // On Windows and macOS the connection list names each machine by an ssh URI to localhost;
  // the machine's own pipe or socket reaches the same engine without ssh, so it goes first.
  const viaSshToMachine = (c: Found) => c.endpoint.kind === 'ssh' && /^(127\.0\.0\.1|localhost|::1)$/.test(c.endpoint.host);
  const machineFirst = platform === 'win32' || platform === 'darwin';
  const lists: Found[][] = [fromEnvironment(env), machineFirst ? connections.filter((c) => !viaSshToMachine(c)) : connections];
  if (platform === 'linux' || platform === 'wsl' || platform === 'other') lists.push(await linuxSockets(env, fs, deps.uid));
  if (platform === 'win32') lists.push(await windowsMachines(run, podmanPath));
  if (platform === 'darwin') lists.push(await macMachines(run, podmanPath, env, fs, deps.homedir));
  if (platform === 'wsl') lists.push(await wslSharedSockets(fs));
  if (machineFirst) lists.push(connections.filter(viaSshToMachine));
  if (platform === 'win32' && !deps.filesOnly) lists.push(await (deps.wslDistros ?? (() => wslDistros(run)))());
  if (deps.more && !deps.filesOnly) lists.push(await deps.more());
  const found = lists.flat();
  return dedupe([...trustedSaved(saved, found, deps.filesOnly ? undefined : deps.log), ...found]);
}

/**
 * The saved choice goes first — unless it is a command nobody here would run. A command endpoint
 * is spawned on every start, so it is trusted only when main's own finders made the same one (a
 * WSL distro): a settings file written by an older PodDesk, whose page could save any argv, must
 * not run what it holds.
 */
function trustedSaved(
  saved: Pick<Candidate, 'endpoint' | 'label'> | null,
  found: Found[],
  log?: (message: string) => void,
): Found[] {
  if (saved?.endpoint.kind !== 'command') return fromSaved(saved);
  // A distro chosen before the relay ran without a shell: the same choice, in today's form.
  const distro = wslDistroOf(saved.endpoint);
  const endpoint: Endpoint = distro
    ? { kind: 'command', argv: [saved.endpoint.argv[0]!, ...wslRelayArgv(distro).slice(1)] }
    : saved.endpoint;
  const key = endpointKey(endpoint);
  if (found.some((c) => endpointKey(c.endpoint) === key)) return fromSaved({ endpoint, label: saved.label });
  log?.(`ignoring the saved connection “${saved.label}”: PodDesk runs only the commands it finds itself (${key})`);
  return [];
}

function dedupe(candidates: Found[]): Candidate[] {
  const seen = new Set<string>();
  const unique: Candidate[] = [];
  for (const c of candidates) {
    const key = candidateKey(c.endpoint);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push({ key, ...c });
  }
  return unique;
}

async function machineNames(run: Runner, podmanPath: string): Promise<string[]> {
  const result = await run(podmanPath, ['machine', 'list', '--format', 'json']);
  const entries = parseJsonArray<MachineListEntry>(result.code === 0 ? result.stdout : '');
  return entries
    .sort((a, b) => Number(Boolean(b.Default)) - Number(Boolean(a.Default)))
    .map((e) => (e.Name ?? '').replace(/\*$/, ''))
    .filter(Boolean);
}

async function inspectMachines(run: Runner, podmanPath: string, names: string[]): Promise<MachineInspect[]> {
  const result = await run(podmanPath, ['machine', 'inspect', ...names]);
  return parseJsonArray<MachineInspect>(result.code === 0 ? result.stdout : '');
}

function toPipePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\/*/, '//');
}

function parseJsonArray<T>(text: string): T[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}
