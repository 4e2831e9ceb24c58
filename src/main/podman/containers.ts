import type { ContainerState, ContainerSummary, Health, PortMapping } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { LIBPOD, type Engine } from './engine';
import type { EngineEvent } from './events';
import type { LiveCollection, LiveCollectionSource } from './live-collection';
import { removeContainer } from './containers/remove';

/** A container as `GET /libpod/containers/json` returns it (the fields we read). */
export interface LibpodContainer {
  Id: string;
  Names?: string[];
  Image?: string;
  ImageID?: string;
  Command?: string[] | null;
  Created?: string | number;
  StartedAt?: number;
  ExitCode?: number;
  Exited?: boolean;
  State?: string;
  Status?: string;
  Labels?: Record<string, string> | null;
  Ports?: { host_ip?: string; container_port: number; host_port: number; range?: number; protocol?: string }[] | null;
  Pod?: string;
  PodName?: string;
  IsInfra?: boolean;
  Networks?: string[] | null;
}

/** A container as `GET /libpod/containers/{id}/json` returns it (the fields we read). */
export interface LibpodInspect {
  Id: string;
  Name?: string;
  Created?: string;
  Image?: string;
  ImageName?: string;
  Pod?: string;
  IsInfra?: boolean;
  State?: { Status?: string; ExitCode?: number; StartedAt?: string; Health?: { Status?: string } | null };
  Config?: { Labels?: Record<string, string> | null; Cmd?: string[] | null };
  NetworkSettings?: {
    Ports?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null;
    Networks?: Record<string, unknown> | null;
  };
  HostConfig?: { NetworkMode?: string };
}

const states: Record<string, ContainerState> = {
  created: 'created',
  configured: 'created',
  initialized: 'created',
  running: 'running',
  paused: 'paused',
  restarting: 'restarting',
  exited: 'exited',
  stopped: 'exited',
  stopping: 'stopping',
  removing: 'removing',
  dead: 'dead',
};

function toEpochSeconds(value: string | number | undefined): number {
  if (typeof value === 'number') return value;
  const ms = value ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : 0;
}

function toPorts(ports: LibpodContainer['Ports']): PortMapping[] {
  const out: PortMapping[] = [];
  for (const p of ports ?? []) {
    const count = Math.max(1, p.range ?? 1);
    for (let i = 0; i < count; i++) {
      out.push({
        hostIp: p.host_ip ?? '',
        hostPort: p.host_port ? p.host_port + i : 0,
        containerPort: p.container_port + i,
        protocol: p.protocol ?? 'tcp',
      });
    }
  }
  return out;
}

/**
 * The same summary from an inspect, which costs Podman a constant ~8 ms where a list filtered to
 * one id costs ~200 ms at 1,000 containers (it scans them all): the price of every event.
 */
export function inspectToSummary(raw: LibpodInspect, podName?: string): ContainerSummary {
  const ports: NonNullable<LibpodContainer['Ports']> = [];
  for (const [key, bindings] of Object.entries(raw.NetworkSettings?.Ports ?? {})) {
    const [port, protocol] = key.split('/');
    for (const b of bindings ?? []) {
      if (b.HostPort)
        ports.push({
          host_ip: b.HostIp ?? '',
          container_port: Number(port),
          host_port: Number(b.HostPort),
          protocol: protocol ?? 'tcp',
        });
    }
  }
  const startedAt = raw.State?.StartedAt ? toEpochSeconds(raw.State.StartedAt) : 0;
  // A container sharing another's network (a pod member) lists no networks of its own.
  const sharesNetwork = raw.HostConfig?.NetworkMode?.startsWith('container:');
  return toContainerSummary({
    Id: raw.Id,
    Names: raw.Name ? [raw.Name] : [],
    Image: raw.ImageName ?? '',
    ImageID: raw.Image ?? '',
    Command: raw.Config?.Cmd ?? [],
    Created: raw.Created,
    StartedAt: startedAt > 0 ? startedAt : 0,
    ExitCode: raw.State?.ExitCode,
    State: raw.State?.Status,
    Status: raw.State?.Health?.Status ?? '',
    Labels: raw.Config?.Labels ?? {},
    Ports: ports,
    Pod: raw.Pod ?? '',
    PodName: podName,
    IsInfra: raw.IsInfra,
    Networks: sharesNetwork ? [] : Object.keys(raw.NetworkSettings?.Networks ?? {}),
  });
}

export function toContainerSummary(raw: LibpodContainer): ContainerSummary {
  const labels = raw.Labels ?? {};
  const state = states[raw.State ?? ''] ?? 'unknown';
  const health = ['healthy', 'unhealthy', 'starting'].includes(raw.Status ?? '') ? (raw.Status as Health) : undefined;
  const project = labels['com.docker.compose.project'] ?? labels['io.podman.compose.project'];
  const service = labels['com.docker.compose.service'] ?? labels['io.podman.compose.service'];
  const summary: ContainerSummary = {
    id: raw.Id,
    name: (raw.Names?.[0] ?? raw.Id.slice(0, 12)).replace(/^\//, ''),
    image: raw.Image ?? '',
    imageId: (raw.ImageID ?? '').replace(/^sha256:/, ''),
    command: (raw.Command ?? []).join(' '),
    state,
    created: toEpochSeconds(raw.Created),
    ports: toPorts(raw.Ports),
    labels,
    isInfra: Boolean(raw.IsInfra),
    networks: raw.Networks ?? [],
  };
  if (health) summary.health = health;
  if (raw.StartedAt && raw.StartedAt > 0) summary.startedAt = raw.StartedAt;
  if (state === 'exited' || state === 'dead') summary.exitCode = raw.ExitCode ?? 0;
  if (project) summary.project = project;
  if (service) summary.service = service;
  if (raw.Pod) summary.pod = { id: raw.Pod, name: raw.PodName ?? raw.Pod.slice(0, 12) };
  return summary;
}

export function containerSource(
  engine: () => Engine,
  onError?: (error: unknown) => void,
): LiveCollectionSource<ContainerSummary> {
  // Pod names by pod id: inspect names only the pod's id, and pods are rarely renamed.
  const podNames = new Map<string, string>();
  const podName = async (podId: string) => {
    if (!podNames.has(podId)) {
      const pod = await engine().json<{ Name?: string }>('GET', `${LIBPOD}/pods/${encodeURIComponent(podId)}/json`);
      podNames.set(podId, pod.Name ?? podId.slice(0, 12));
    }
    return podNames.get(podId);
  };
  return {
    key: (c) => c.id,
    async listAll() {
      const raw = await engine().json<LibpodContainer[]>('GET', `${LIBPOD}/containers/json`, { query: { all: true } });
      for (const c of raw ?? []) if (c.Pod && c.PodName) podNames.set(c.Pod, c.PodName);
      return (raw ?? []).map(toContainerSummary);
    },
    async fetchOne(id) {
      let raw: LibpodInspect;
      try {
        raw = await engine().json<LibpodInspect>('GET', `${LIBPOD}/containers/${encodeURIComponent(id)}/json`);
      } catch (error) {
        if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
        throw error;
      }
      return inspectToSummary(raw, raw.Pod ? await podName(raw.Pod) : undefined);
    },
    resolveId(idOrName, cache) {
      if (cache.has(idOrName)) return idOrName;
      for (const c of cache.values()) if (c.name === idOrName || c.id.startsWith(idOrName)) return c.id;
      return undefined;
    },
    onError,
  };
}

/** Actions that change nothing in the list, but for which Podman still emits an event. */
const ignoredActions = new Set([
  'exec',
  'exec_create',
  'exec_start',
  'exec_die',
  'exec_died',
  'attach',
  'resize',
  'top',
  'export',
  'archive-path',
  'extract-to-dir',
  'copy',
  'mount',
  'unmount',
  'sync',
  'commit',
]);

/** What an engine event means for the container cache. */
export function applyContainerEvent(event: EngineEvent, containers: LiveCollection<ContainerSummary>): void {
  if (event.type === 'network' && (event.action === 'connect' || event.action === 'disconnect')) {
    // Podman 4.3 names the container by the event's id; Docker uses the `container` attribute.
    const container = event.attributes.container ?? event.id;
    if (container) containers.refresh(container);
    return;
  }
  if (event.type !== 'container' || !event.id || ignoredActions.has(event.action)) return;
  if (event.action === 'remove' || event.action === 'destroy') containers.drop(event.id);
  else containers.refresh(event.id);
}

export interface ContainerActions {
  start(id: string): Promise<void>;
  stop(id: string, timeoutSeconds?: number): Promise<void>;
  restart(id: string, timeoutSeconds?: number): Promise<void>;
  pause(id: string): Promise<void>;
  unpause(id: string): Promise<void>;
  kill(id: string, signal: string): Promise<void>;
  remove(id: string, options: { force: boolean; volumes: boolean }): Promise<void>;
  rename(id: string, name: string): Promise<void>;
  commit(id: string, options: { reference: string; message?: string; author?: string; pause: boolean }): Promise<{ id: string }>;
  inspect(id: string): Promise<Record<string, unknown>>;
}

/** "quay.io/me/app:1" → repo "quay.io/me/app", tag "1" (the port of a registry is not a tag). */
export function splitReference(reference: string): { repo: string; tag: string } {
  const at = reference.lastIndexOf(':');
  if (at > reference.lastIndexOf('/')) return { repo: reference.slice(0, at), tag: reference.slice(at + 1) };
  return { repo: reference, tag: 'latest' };
}

export function containerActions(engine: () => Engine): ContainerActions {
  const path = (id: string) => `${LIBPOD}/containers/${encodeURIComponent(id)}`;
  return {
    async start(id) {
      await engine().json('POST', `${path(id)}/start`, { accept: [304] });
    },
    async stop(id, timeoutSeconds) {
      const query = timeoutSeconds === undefined ? {} : { timeout: timeoutSeconds };
      await engine().json('POST', `${path(id)}/stop`, { query, accept: [304] });
    },
    async restart(id, timeoutSeconds) {
      await engine().json('POST', `${path(id)}/restart`, { query: timeoutSeconds === undefined ? {} : { t: timeoutSeconds } });
    },
    async pause(id) {
      await engine().json('POST', `${path(id)}/pause`);
    },
    async unpause(id) {
      await engine().json('POST', `${path(id)}/unpause`);
    },
    async kill(id, signal) {
      await engine().json('POST', `${path(id)}/kill`, { query: { signal } });
    },
    async remove(id, options) {
      await removeContainer(engine(), id, options);
    },
    async rename(id, name) {
      await engine().json('POST', `${path(id)}/rename`, { query: { name } });
    },
    async commit(id, { reference, message, author, pause }) {
      const { repo, tag } = splitReference(reference);
      const query: Record<string, unknown> = { container: id, repo, tag, pause };
      if (message) {
        // OCI images have no commit message: Podman keeps one only in the Docker format.
        query.comment = message;
        query.format = 'docker';
      }
      if (author) query.author = author;
      const result = await engine().json<{ Id?: string; ID?: string }>('POST', `${LIBPOD}/commit`, { query });
      return { id: (result.Id ?? result.ID ?? '').replace(/^sha256:/, '') };
    },
    inspect: (id) => engine().json<Record<string, unknown>>('GET', `${path(id)}/json`),
  };
}
