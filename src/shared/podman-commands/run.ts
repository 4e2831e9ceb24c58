import { command, opt, type Command } from './command';

/** One network a container joins, with the names other containers reach it by there. */
export interface RunNetwork {
  name: string;
  aliases?: string[];
  ipv4?: string;
}

/** A named volume, a folder of this computer (bind), or a tmpfs, and where it appears inside. */
export interface RunMount {
  type: 'volume' | 'bind' | 'tmpfs';
  /** The volume's name or the host path; empty for a tmpfs (and for an anonymous volume). */
  source: string;
  target: string;
  readOnly: boolean;
  /** More mount options as Podman writes them (z, Z, noexec, size=64m …). */
  options?: string[];
}

export interface RunHealthcheck {
  /** As Podman stores it: ["CMD-SHELL", "curl -f …"] or ["CMD", "curl", "-f", …]. */
  test: string[];
  /** Durations as Podman reads them: "30s", "1m30s". */
  interval?: string;
  timeout?: string;
  startPeriod?: string;
  retries?: number;
}

/** Everything a `podman run` line can say that PodDesk shows: the Run form's choices, or a container's inspect. */
export interface RunCommandSpec {
  image: string;
  name?: string;
  /** false: `podman create` (made, not started). */
  start?: boolean;
  command?: string[];
  entrypoint?: string[];
  ports?: { hostIp: string; hostPort: number; containerPort: number; protocol: string }[];
  env?: { key: string; value: string }[];
  mounts?: RunMount[];
  networks?: RunNetwork[];
  /** A network mode that is not a named network: host, none, slirp4netns, container:<id>, ns:<path> … */
  networkMode?: string;
  pod?: string;
  restartPolicy?: 'no' | 'on-failure' | 'always' | 'unless-stopped';
  restartRetries?: number;
  autoRemove?: boolean;
  stopTimeout?: number;
  stopSignal?: string;
  workdir?: string;
  user?: string;
  hostname?: string;
  /** Bytes. */
  memory?: number;
  /** Bytes of memory plus swap; -1 for unlimited. */
  memorySwap?: number;
  /** CPUs, e.g. 1.5. */
  cpus?: number;
  labels?: Record<string, string>;
  tty?: boolean;
  interactive?: boolean;
  privileged?: boolean;
  readOnly?: boolean;
  capAdd?: string[];
  capDrop?: string[];
  devices?: string[];
  addHosts?: string[];
  dns?: string[];
  init?: boolean;
  healthcheck?: RunHealthcheck;
}

const K = 1024;
/** Bytes as Podman reads them back, in the largest unit that divides them: 536870912 → 512m. */
export function formatBytesOption(bytes: number): string {
  for (const [unit, size] of [
    ['g', K ** 3],
    ['m', K ** 2],
    ['k', K],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

export function portArg(p: { hostIp: string; hostPort: number; containerPort: number; protocol: string }): string {
  const proto = p.protocol && p.protocol !== 'tcp' ? `/${p.protocol}` : '';
  const ip = p.hostIp.includes(':') ? `[${p.hostIp}]` : p.hostIp;
  if (p.hostPort === 0) return `${ip ? `${ip}::` : ''}${p.containerPort}${proto}`;
  return `${ip ? `${ip}:` : ''}${p.hostPort}:${p.containerPort}${proto}`;
}

function mountArgs(m: RunMount): string[] {
  const options = [...(m.readOnly ? ['ro'] : []), ...(m.options ?? [])];
  if (m.type === 'tmpfs') return opt('--tmpfs', options.length ? `${m.target}:${options.join(',')}` : m.target);
  // -v splits at colons: a source with one of its own (not a drive letter) goes in --mount instead.
  const colon = m.source.replace(/^[A-Za-z]:[\\/]/, '').includes(':') || m.target.includes(':');
  if (colon) {
    const fields = [`type=${m.type}`, `source=${m.source}`, `destination=${m.target}`, ...(m.readOnly ? ['ro'] : [])];
    return ['--mount', fields.join(',')];
  }
  const source = m.source ? `${m.source}:` : '';
  return opt('-v', `${source}${m.target}${options.length ? `:${options.join(',')}` : ''}`);
}

function networkArgs(spec: RunCommandSpec): string[][] {
  if (spec.pod) return [];
  if (spec.networkMode) return [opt('--network', spec.networkMode)];
  const networks = spec.networks ?? [];
  if (networks.length === 1 && !networks[0]!.ipv4) {
    const [n] = networks;
    return [opt('--network', n!.name), ...(n!.aliases ?? []).map((a) => opt('--network-alias', a))];
  }
  // Several networks (or a fixed address): each with its own aliases, as `name:alias=a,ip=…`.
  return networks.map((n) => {
    const options = [...(n.aliases ?? []).map((a) => `alias=${a}`), ...(n.ipv4 ? [`ip=${n.ipv4}`] : [])];
    return opt('--network', options.length ? `${n.name}:${options.join(',')}` : n.name);
  });
}

function healthArgs(h: RunHealthcheck | undefined): string[][] {
  if (!h || h.test.length === 0) return [];
  if (h.test[0] === 'NONE') return [['--no-healthcheck']];
  const [kind, ...rest] = h.test;
  // CMD-SHELL runs its one string with /bin/sh -c; CMD as JSON keeps the words apart.
  const test = kind === 'CMD-SHELL' ? rest.join(' ') : JSON.stringify(kind === 'CMD' ? rest : h.test);
  return [
    opt('--health-cmd', test),
    h.interval ? ['--health-interval', h.interval] : [],
    h.timeout ? ['--health-timeout', h.timeout] : [],
    h.startPeriod ? ['--health-start-period', h.startPeriod] : [],
    h.retries !== undefined ? ['--health-retries', String(h.retries)] : [],
  ];
}

/** A number without trailing zeros: 1.5, 0.25, 2. */
const decimal = (n: number) => String(Number(n.toFixed(3)));

/** `podman run -d …` (or `podman create …`) that makes this container. */
export function runCommand(spec: RunCommandSpec): Command {
  const entrypoint = spec.entrypoint ?? [];
  const restart =
    spec.restartPolicy && spec.restartPolicy !== 'no'
      ? spec.restartPolicy === 'on-failure' && spec.restartRetries
        ? `on-failure:${spec.restartRetries}`
        : spec.restartPolicy
      : undefined;
  return command([
    spec.start === false ? ['podman', 'create'] : ['podman', 'run', '-d'],
    spec.name && ['--name', spec.name],
    spec.autoRemove && ['--rm'],
    spec.interactive && spec.tty ? ['-it'] : spec.interactive ? ['-i'] : spec.tty ? ['-t'] : [],
    spec.pod ? ['--pod', spec.pod] : [],
    ...networkArgs(spec),
    spec.hostname ? opt('--hostname', spec.hostname) : [],
    ...(spec.pod ? [] : (spec.ports ?? []).map((p) => ['-p', portArg(p)])),
    ...(spec.env ?? []).map((e) => opt('-e', `${e.key}=${e.value}`)),
    ...(spec.mounts ?? []).map(mountArgs),
    restart && ['--restart', restart],
    spec.user ? opt('--user', spec.user) : [],
    spec.workdir ? opt('--workdir', spec.workdir) : [],
    spec.memory ? ['--memory', formatBytesOption(spec.memory)] : [],
    spec.memorySwap !== undefined ? ['--memory-swap', spec.memorySwap < 0 ? '-1' : formatBytesOption(spec.memorySwap)] : [],
    spec.cpus ? ['--cpus', decimal(spec.cpus)] : [],
    spec.privileged && ['--privileged'],
    spec.readOnly && ['--read-only'],
    spec.init && ['--init'],
    ...(spec.capAdd ?? []).map((c) => ['--cap-add', c]),
    ...(spec.capDrop ?? []).map((c) => ['--cap-drop', c]),
    ...(spec.devices ?? []).map((d) => opt('--device', d)),
    ...(spec.addHosts ?? []).map((h) => opt('--add-host', h)),
    ...(spec.dns ?? []).map((d) => ['--dns', d]),
    ...healthArgs(spec.healthcheck),
    spec.stopSignal ? ['--stop-signal', spec.stopSignal] : [],
    spec.stopTimeout !== undefined ? ['--stop-timeout', String(spec.stopTimeout)] : [],
    ...Object.entries(spec.labels ?? {}).map(([k, v]) => opt('--label', `${k}=${v}`)),
    // One word is the program itself; several are written as JSON, which Podman reads as a list.
    entrypoint.length > 0 &&
      opt(
        '--entrypoint',
        entrypoint.length === 1 && !entrypoint[0]!.startsWith('[') ? entrypoint[0]! : JSON.stringify(entrypoint),
      ),
    [spec.image, ...(spec.command ?? [])],
  ]);
}
