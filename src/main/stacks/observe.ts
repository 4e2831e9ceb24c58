import { createSocket } from 'node:dgram';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { ComposeProject } from './compose/model';
import type { StackEngineOps } from './engine-ops';
import type { Observed, PortHolder } from './planner';

/**
 * The facts a plan is made from, gathered from the engine and this computer: the project's
 * containers, which networks, volumes and images exist, which host ports are taken and by
 * whom, and whether each build context is there.
 */
export interface ObserveDeps {
  ops: StackEngineOps;
  /**
   * Whether a host port is free on this computer. Only for an engine whose ports land here (a
   * local socket, a Podman machine forwarding to localhost); undefined for a remote one.
   */
  hostPortFree?: (hostIp: string, port: number, protocol: 'tcp' | 'udp') => Promise<boolean>;
  /** 'dir', 'file' or null when nothing is there. */
  pathKind?: (path: string) => Promise<'dir' | 'file' | null>;
  /** The CDI devices the engine's machine defines, when it is this computer. */
  cdiDevices?: () => Promise<string[]>;
}

export async function localPathKind(path: string): Promise<'dir' | 'file' | null> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'dir' : 'file';
  } catch {
    return null;
  }
}

/** True when nothing on this computer holds the port (a privileged port we may not bind counts as free: the engine decides). */
export function hostPortFree(hostIp: string, port: number, protocol: 'tcp' | 'udp'): Promise<boolean> {
  const host = hostIp || undefined;
  return new Promise((resolve) => {
    const verdict = (error: NodeJS.ErrnoException) => resolve(error.code !== 'EADDRINUSE');
    if (protocol === 'udp') {
      const socket = createSocket(hostIp.includes(':') ? 'udp6' : 'udp4');
      socket.once('error', (e) => {
        socket.close();
        verdict(e);
      });
      socket.bind({ port, ...(host ? { address: host } : {}), exclusive: true }, () => socket.close(() => resolve(true)));
      return;
    }
    const server = createServer();
    server.once('error', verdict);
    server.listen({ port, ...(host ? { host } : {}), exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export async function observeStack(project: ComposeProject, deps: ObserveDeps): Promise<Observed> {
  const { ops } = deps;
  const pathKind = deps.pathKind ?? localPathKind;
  const refs = [...new Set(project.services.map((s) => s.image))];
  const [containers, running, networks, volumes, imageIds] = await Promise.all([
    ops.projectContainers(project.name),
    ops.runningWithPorts(),
    Promise.all(project.networks.map(async (n) => [n.name, await ops.networkExists(n.name)] as const)),
    Promise.all(project.volumes.map(async (v) => [v.name, await ops.volumeExists(v.name)] as const)),
    Promise.all(refs.map(async (ref) => [ref, await ops.imageId(ref)] as const)),
  ]);

  const busyPorts: PortHolder[] = [];
  for (const c of running) {
    if (c.project === project.name) continue;
    for (const p of c.ports) {
      busyPorts.push({ ...p, holder: `container "${c.name}"${c.project ? ` (stack "${c.project}")` : ''}` });
    }
  }
  if (deps.hostPortFree) {
    const own = new Set(
      containers.filter((c) => c.state === 'running').flatMap((c) => c.ports.map((p) => `${p.hostPort}/${p.protocol}`)),
    );
    const wanted = project.services.flatMap((s) => s.ports.filter((p) => p.published !== undefined));
    await Promise.all(
      wanted.map(async (p) => {
        const key = `${p.published}/${p.protocol}`;
        if (own.has(key) || busyPorts.some((b) => b.hostPort === p.published && b.protocol === p.protocol)) return;
        if (!(await deps.hostPortFree!(p.hostIp, p.published!, p.protocol))) {
          busyPorts.push({
            hostIp: p.hostIp,
            hostPort: p.published!,
            protocol: p.protocol,
            holder: 'another program on this computer',
          });
        }
      }),
    );
  }

  const buildProblems = new Map<string, string>();
  for (const s of project.services) {
    if (!s.build || buildProblems.has(s.build.context)) continue;
    if (s.build.inline !== undefined) {
      if ((await pathKind(s.build.context)) !== 'dir')
        buildProblems.set(s.build.context, `its build context ${s.build.context} is not a folder that exists`);
      continue;
    }
    const context = s.build.context;
    if ((await pathKind(context)) !== 'dir') {
      buildProblems.set(context, `its build context ${context} is not a folder that exists`);
      continue;
    }
    if (s.build.dockerfile) {
      if ((await pathKind(join(context, s.build.dockerfile))) !== 'file') {
        buildProblems.set(context, `${s.build.dockerfile} is not in ${context}`);
      }
    } else if (
      (await pathKind(join(context, 'Containerfile'))) !== 'file' &&
      (await pathKind(join(context, 'Dockerfile'))) !== 'file'
    ) {
      buildProblems.set(context, `${context} has no Containerfile or Dockerfile`);
    }
  }

  return {
    containers,
    networks: new Set(networks.filter(([, exists]) => exists).map(([name]) => name)),
    volumes: new Set(volumes.filter(([, exists]) => exists).map(([name]) => name)),
    images: new Map(imageIds),
    busyPorts,
    buildProblems,
    ...(deps.cdiDevices ? { cdiDevices: await deps.cdiDevices() } : {}),
  };
}
