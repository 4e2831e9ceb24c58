import type { ContainerSummary, PortCheck, runSpec } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { z } from 'zod';
import { LIBPOD, type Engine } from '../engine';
import type { LiveCollection } from '../live-collection';
import { privilegedPortReason, type PortProbe } from './port-probe';
import { removeContainer } from './remove';

export type RunArgs = z.output<typeof runSpec>;

/** A volume of a run once main resolved it: a named volume, or a folder of this computer (bind). */
export interface RunVolume {
  source: string;
  target: string;
  readOnly: boolean;
  bind: boolean;
}

/** The run as main carries it out: the page's folders (handles) resolved to paths. */
export type RunPlan = Omit<RunArgs, 'volumes'> & { volumes: RunVolume[] };

/** The folder handles of a run, in order: what main resolves before `planRun`. */
export function folderHandles(spec: RunArgs): string[] {
  return spec.volumes.flatMap((v) => (v.folder ? [v.folder] : []));
}

/** The plan for a run whose folder handles resolved to `folders` (same order as `folderHandles`). */
export function planRun(spec: RunArgs, folders: readonly string[]): RunPlan {
  let next = 0;
  return {
    ...spec,
    volumes: spec.volumes.map((v) =>
      v.folder
        ? { source: folders[next++]!, target: v.target, readOnly: v.readOnly, bind: true }
        : { source: v.source!, target: v.target, readOnly: v.readOnly, bind: false },
    ),
  };
}

export interface RunDeps {
  engine: () => Engine;
  containers: LiveCollection<ContainerSummary>;
  /** Whether the engine publishes ports on this computer (a local socket or a Podman machine). */
  portsAreLocal: () => boolean;
  probePort: (port: number, protocol: 'tcp' | 'udp', hostIp: string) => Promise<PortProbe>;
  /** Whether the engine runs as this user (rootless): then it may not publish a port this user may not bind. */
  engineRootless: () => boolean;
  unprivilegedPortStart: () => Promise<number | null>;
  /** Host paths as the engine sees them (C:\\x → /mnt/c/x for a Podman machine on Windows). */
  hostPath?: (path: string) => string;
}

interface Issue {
  path: string;
  message: string;
}

const running = (c: ContainerSummary) => c.state === 'running' || c.state === 'paused' || c.state === 'restarting';

/** Is the host port free? Containers first (they say who holds it), then this computer. */
export async function checkPort(
  deps: RunDeps,
  port: { hostPort: number; protocol: 'tcp' | 'udp'; hostIp: string },
): Promise<PortCheck> {
  for (const c of deps.containers.items()) {
    if (!running(c)) continue;
    const held = c.ports.find((p) => p.hostPort === port.hostPort && p.protocol === port.protocol);
    if (held) return { free: false, usedBy: `container ${c.name} (${held.hostPort}→${held.containerPort}/${held.protocol})` };
  }
  if (!deps.portsAreLocal()) return { free: true };
  const probe = await deps.probePort(port.hostPort, port.protocol, port.hostIp);
  if (probe === 'in-use') return { free: false, usedBy: 'another program on this computer' };
  // Said of the address, not the port: nothing holds the port, it just cannot be had there.
  if (probe === 'no-address') return { free: false, addressProblem: `This computer has no address ${port.hostIp}` };
  // A port this user may not bind: a rootful engine binds it as root, a rootless one as this user — and is refused.
  if (probe === 'denied' && deps.engineRootless()) {
    return { free: false, reason: privilegedPortReason(port.hostPort, await deps.unprivilegedPortStart()) };
  }
  return { free: true };
}

/** What the form says about a port that is not free. */
function portProblem(port: number | string, check: PortCheck): string {
  return check.reason ?? `Port ${port} is in use by ${check.usedBy ?? 'something else'}`;
}

/** Windows paths as a Podman machine (WSL) mounts them: C:\\Users\\me → /mnt/c/Users/me. */
export function machinePath(path: string): string {
  const drive = /^([A-Za-z]):[\\/](.*)$/.exec(path);
  return drive ? `/mnt/${drive[1]!.toLowerCase()}/${drive[2]!.replace(/\\/g, '/')}` : path;
}

/** Everything the engine would refuse that can be known before asking it. */
export async function validateRun(deps: RunDeps, spec: RunPlan): Promise<Issue[]> {
  const issues: Issue[] = [];
  if (spec.name && deps.containers.items().some((c) => c.name === spec.name)) {
    issues.push({ path: 'name', message: `A container named ${spec.name} already exists` });
  }
  const seen = new Map<string, number>();
  for (const [i, p] of spec.ports.entries()) {
    if (p.hostPort === 0) continue;
    const key = `${p.hostIp}:${p.hostPort}/${p.protocol}`;
    if (seen.has(key)) {
      issues.push({ path: `ports.${i}.hostPort`, message: `Host port ${p.hostPort}/${p.protocol} is listed twice` });
      continue;
    }
    seen.set(key, i);
    const check = await checkPort(deps, p);
    if (check.addressProblem) issues.push({ path: `ports.${i}.hostIp`, message: check.addressProblem });
    else if (!check.free) issues.push({ path: `ports.${i}.hostPort`, message: portProblem(p.hostPort, check) });
  }
  for (const [i, v] of spec.volumes.entries()) {
    // Folders come from main's dialog (absolute); names were checked by the contract. Checked again: cheap.
    if (v.bind && !/^(\/|[A-Za-z]:[\\/])/.test(v.source)) {
      issues.push({ path: `volumes.${i}.source`, message: 'Give the host folder as an absolute path' });
    } else if (!v.bind && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(v.source)) {
      issues.push({ path: `volumes.${i}.source`, message: 'A volume name: letters, digits, _ . -' });
    }
  }
  const keys = new Set<string>();
  for (const [i, e] of spec.env.entries()) {
    if (keys.has(e.key)) issues.push({ path: `env.${i}.key`, message: `${e.key} is set twice` });
    keys.add(e.key);
  }
  if (spec.networkAliases.length > 0 && !spec.network) {
    issues.push({ path: 'networkAliases', message: 'Aliases are names on a network: choose the network first' });
  }
  if (spec.autoRemove && spec.restartPolicy !== 'no') {
    issues.push({ path: 'restartPolicy', message: 'A container that removes itself when it stops cannot also restart' });
  }
  return issues;
}

const CPU_PERIOD = 100_000;

/** The libpod SpecGenerator for the form's choices. */
export function toSpecGenerator(spec: RunPlan, hostPath: (path: string) => string = (p) => p): Record<string, unknown> {
  const generator: Record<string, unknown> = {
    image: spec.image,
    env: Object.fromEntries(spec.env.map((e) => [e.key, e.value])),
    portmappings: spec.ports.map((p) => ({
      ...(p.hostIp ? { host_ip: p.hostIp } : {}),
      host_port: p.hostPort,
      container_port: p.containerPort,
      protocol: p.protocol,
    })),
    mounts: spec.volumes
      .filter((v) => v.bind)
      .map((v) => ({ type: 'bind', source: hostPath(v.source), destination: v.target, options: v.readOnly ? ['ro'] : [] })),
    volumes: spec.volumes
      .filter((v) => !v.bind)
      .map((v) => ({ Name: v.source, Dest: v.target, Options: v.readOnly ? ['ro'] : [] })),
    labels: spec.labels,
    remove: spec.autoRemove,
  };
  if (spec.name) generator.name = spec.name;
  if (spec.command?.length) generator.command = spec.command;
  if (spec.entrypoint?.length) generator.entrypoint = spec.entrypoint;
  if (spec.workdir) generator.work_dir = spec.workdir;
  if (spec.user) generator.user = spec.user;
  if (spec.hostname) generator.hostname = spec.hostname;
  const limits: Record<string, unknown> = {};
  // As `podman run --memory` does: swap as much again, unless said otherwise.
  if (spec.memory) limits.memory = { limit: spec.memory, swap: 2 * spec.memory };
  // As `podman run --cpus`: a quota of that many periods of 100 ms.
  if (spec.cpus) limits.cpu = { period: CPU_PERIOD, quota: Math.round(spec.cpus * CPU_PERIOD) };
  if (Object.keys(limits).length > 0) generator.resource_limits = limits;
  if (spec.stopTimeout !== undefined) generator.stop_timeout = spec.stopTimeout;
  if (spec.restartPolicy !== 'no') {
    generator.restart_policy = spec.restartPolicy;
    if (spec.restartPolicy === 'on-failure' && spec.restartRetries) generator.restart_tries = spec.restartRetries;
  }
  if (spec.pod) generator.pod = spec.pod;
  else if (spec.network) {
    generator.netns = { nsmode: 'bridge' };
    generator.networks = { [spec.network]: spec.networkAliases.length ? { aliases: spec.networkAliases } : {} };
  }
  return generator;
}

/**
 * Creates and (by default) starts a container. What can be checked first is (name, ports,
 * paths): any problem refuses the whole request with field-level details. If the engine refuses
 * to create, its words are returned verbatim; if it creates but cannot start, the container is
 * removed again, so a failed run leaves nothing behind.
 */
export async function runContainer(deps: RunDeps, spec: RunPlan): Promise<{ id: string; name: string; warnings: string[] }> {
  const issues = await validateRun(deps, spec);
  if (issues.length > 0) {
    const nameTaken = issues.length === 1 && issues[0]!.path === 'name';
    throw new AppError(nameTaken ? 'CONFLICT' : 'INVALID_INPUT', issues[0]!.message, issues);
  }
  const engine = deps.engine();
  const created = await engine.json<{ Id: string; Warnings?: string[] | null }>('POST', `${LIBPOD}/containers/create`, {
    body: toSpecGenerator(spec, deps.hostPath),
  });
  const path = `${LIBPOD}/containers/${created.Id}`;
  if (spec.start) {
    try {
      await engine.json('POST', `${path}/start`, { accept: [304] });
    } catch (error) {
      await removeContainer(engine, created.Id, { force: true, volumes: true }).catch(() => undefined);
      throw error;
    }
  }
  const inspected = await engine.json<{ Name?: string }>('GET', `${path}/json`).catch(() => ({ Name: spec.name }));
  return { id: created.Id, name: inspected.Name ?? spec.name ?? created.Id.slice(0, 12), warnings: created.Warnings ?? [] };
}
