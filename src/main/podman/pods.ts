import type { ContainerSummary, PodState, PodSummary, PortSpec } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { LIBPOD, type Engine } from './engine';
import type { EngineEvent } from './events';
import type { LiveCollection, LiveCollectionSource } from './live-collection';

/** A pod as `GET /libpod/pods/json` returns it (the fields we read). */
export interface LibpodPod {
  Id: string;
  Name: string;
  Status?: string;
  Created?: string;
  InfraId?: string;
  Labels?: Record<string, string> | null;
  Networks?: string[] | null;
  Containers?: { Id: string; Names?: string; Status?: string }[] | null;
}

const podStates: Record<string, PodState> = {
  running: 'running',
  degraded: 'degraded',
  stopped: 'stopped',
  exited: 'exited',
  paused: 'paused',
  created: 'created',
  dead: 'dead',
};

export function toPodSummary(raw: LibpodPod): PodSummary {
  const created = raw.Created ? Math.floor(Date.parse(raw.Created) / 1000) : 0;
  const summary: PodSummary = {
    id: raw.Id,
    name: raw.Name,
    state: podStates[(raw.Status ?? '').toLowerCase()] ?? 'unknown',
    status: raw.Status ?? 'Unknown',
    created: Number.isFinite(created) ? created : 0,
    containers: (raw.Containers ?? []).map((c) => ({
      id: c.Id,
      name: c.Names ?? c.Id.slice(0, 12),
      state: c.Status ?? 'unknown',
    })),
    labels: raw.Labels ?? {},
    networks: raw.Networks ?? [],
  };
  if (raw.InfraId) summary.infraId = raw.InfraId;
  return summary;
}

export function podSource(engine: () => Engine, onError?: (error: unknown) => void): LiveCollectionSource<PodSummary> {
  return {
    key: (pod) => pod.id,
    async listAll() {
      const raw = await engine().json<LibpodPod[]>('GET', `${LIBPOD}/pods/json`);
      return (raw ?? []).map(toPodSummary);
    },
    async fetchOne(id) {
      const raw = await engine().json<LibpodPod[]>('GET', `${LIBPOD}/pods/json`, { query: { filters: { id: [id] } } });
      const found = (raw ?? []).find((p) => p.Id === id || p.Id.startsWith(id));
      return found ? toPodSummary(found) : null;
    },
    resolveId(idOrName, cache) {
      if (cache.has(idOrName)) return idOrName;
      for (const pod of cache.values()) if (pod.name === idOrName || pod.id.startsWith(idOrName)) return pod.id;
      return undefined;
    },
    onError,
  };
}

/**
 * Pods change with their own events and with their containers' (a member dying turns a pod
 * "Degraded" without any pod event), so a container event refreshes the pod it belongs to.
 */
export function applyPodEvent(
  event: EngineEvent,
  pods: LiveCollection<PodSummary>,
  containers: LiveCollection<ContainerSummary>,
): void {
  if (event.type === 'pod' && event.id) {
    if (event.action === 'remove') pods.drop(event.id);
    else pods.refresh(event.id);
    return;
  }
  if (event.type !== 'container' || !event.id) return;
  const member = containers.get(event.id) ?? containers.items().find((c) => c.id.startsWith(event.id));
  const podId = member?.pod?.id ?? event.attributes.podId ?? event.attributes.pod_id;
  if (podId) pods.refresh(podId);
}

interface LibpodContainerInspect {
  Id: string;
  Name: string;
  ImageName?: string;
  Image?: string;
  State?: { Running?: boolean };
  Config?: {
    Cmd?: string[] | null;
    Entrypoint?: string | string[] | null;
    Env?: string[] | null;
    WorkingDir?: string;
    User?: string;
    Labels?: Record<string, string> | null;
    Image?: string;
    StopTimeout?: number;
  };
  Mounts?: { Type?: string; Name?: string; Source?: string; Destination?: string; RW?: boolean }[] | null;
}

/** A copy of a container's settings that can live in a pod (ports belong to the pod). */
export function copySpec(inspect: LibpodContainerInspect, name: string, pod: string): Record<string, unknown> {
  const config = inspect.Config ?? {};
  const entrypoint = typeof config.Entrypoint === 'string' ? config.Entrypoint.split(' ') : (config.Entrypoint ?? []);
  const env = Object.fromEntries(
    (config.Env ?? []).map((e) => {
      const at = e.indexOf('=');
      return at < 0 ? [e, ''] : [e.slice(0, at), e.slice(at + 1)];
    }),
  );
  const mounts = (inspect.Mounts ?? []).filter((m) => m.Type === 'bind');
  const volumes = (inspect.Mounts ?? []).filter((m) => m.Type === 'volume' && m.Name);
  const spec: Record<string, unknown> = {
    name,
    pod,
    image: inspect.ImageName ?? config.Image ?? inspect.Image,
    env,
    labels: config.Labels ?? {},
    mounts: mounts.map((m) => ({
      type: 'bind',
      source: m.Source,
      destination: m.Destination,
      options: m.RW === false ? ['ro'] : [],
    })),
    volumes: volumes.map((m) => ({ Name: m.Name, Dest: m.Destination, Options: m.RW === false ? ['ro'] : [] })),
  };
  if (config.Cmd?.length) spec.command = config.Cmd;
  if (entrypoint.length) spec.entrypoint = entrypoint;
  if (config.WorkingDir) spec.work_dir = config.WorkingDir;
  if (config.User) spec.user = config.User;
  if (typeof config.StopTimeout === 'number') spec.stop_timeout = config.StopTimeout;
  return spec;
}

export interface PodActions {
  start(id: string): Promise<void>;
  stop(id: string, timeoutSeconds?: number): Promise<void>;
  restart(id: string): Promise<void>;
  remove(id: string, force: boolean): Promise<void>;
  inspect(id: string): Promise<Record<string, unknown>>;
  create(options: {
    name: string;
    ports: PortSpec[];
    containers: string[];
    start: boolean;
  }): Promise<{ id: string; containers: string[] }>;
}

interface PodReport {
  Errs?: string[] | null;
  Id?: string;
}

function failIfErrors(report: PodReport | null, what: string): void {
  const errors = (report?.Errs ?? []).filter(Boolean);
  if (errors.length > 0) throw new AppError('ENGINE_ERROR', `${what}: ${errors.join('; ')}`, { engine: errors });
}

export function podActions(engine: () => Engine): PodActions {
  const path = (id: string) => `${LIBPOD}/pods/${encodeURIComponent(id)}`;
  const containerPath = (id: string) => `${LIBPOD}/containers/${encodeURIComponent(id)}`;
  return {
    async start(id) {
      failIfErrors(await engine().json<PodReport>('POST', `${path(id)}/start`, { accept: [304] }), 'The pod did not start');
    },
    async stop(id, timeoutSeconds) {
      const query = timeoutSeconds === undefined ? {} : { t: timeoutSeconds };
      failIfErrors(await engine().json<PodReport>('POST', `${path(id)}/stop`, { query, accept: [304] }), 'The pod did not stop');
    },
    async restart(id) {
      failIfErrors(await engine().json<PodReport>('POST', `${path(id)}/restart`), 'The pod did not restart');
    },
    async remove(id, force) {
      failIfErrors(await engine().json<PodReport>('DELETE', path(id), { query: { force } }), 'The pod was not removed');
    },
    inspect: (id) => engine().json<Record<string, unknown>>('GET', `${path(id)}/json`),
    async create({ name, ports, containers, start }) {
      const e = engine();
      const originals = await Promise.all(
        containers.map((id) => e.json<LibpodContainerInspect>('GET', `${containerPath(id)}/json`)),
      );
      const created = await e.json<{ Id: string }>('POST', `${LIBPOD}/pods/create`, {
        body: {
          name,
          portmappings: ports.map((p) => ({
            ...(p.hostIp ? { host_ip: p.hostIp } : {}),
            host_port: p.hostPort,
            container_port: p.containerPort,
            protocol: p.protocol,
          })),
        },
      });
      const copies: string[] = [];
      const stopped: string[] = [];
      try {
        for (const original of originals) {
          const copy = await e.json<{ Id: string }>('POST', `${LIBPOD}/containers/create`, {
            body: copySpec(original, `${original.Name.replace(/^\//, '')}-${name}`, created.Id),
          });
          copies.push(copy.Id);
        }
        if (start) {
          // The originals give their ports up to the pod: stopped, never removed.
          for (const original of originals.filter((o) => o.State?.Running)) {
            await e.json('POST', `${containerPath(original.Id)}/stop`, { accept: [304] });
            stopped.push(original.Id);
          }
          failIfErrors(await e.json<PodReport>('POST', `${path(created.Id)}/start`, { accept: [304] }), 'The pod did not start');
        }
      } catch (error) {
        await e.json('DELETE', path(created.Id), { query: { force: true } }).catch(() => undefined);
        for (const id of stopped) await e.json('POST', `${containerPath(id)}/start`, { accept: [304] }).catch(() => undefined);
        throw error;
      }
      return { id: created.Id, containers: copies };
    },
  };
}
