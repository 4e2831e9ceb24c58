import type { HealthFacts } from './health-driver';
import type { Health } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { toContainerSummary, type LibpodContainer } from '../podman/containers';
import { removeContainer } from '../podman/containers/remove';
import { LIBPOD, type Engine } from '../podman/engine';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { putArchive } from '../podman/volumes/archive';
import type { IpamSpec, NetworkSpec } from './compose/model';
import { LABEL } from './container-spec';
import { networkCreateBody } from './network-spec';
import type { ObservedContainer } from './planner';

/**
 * The engine operations a stack needs, on the libpod API: labelled networks (with DNS) and
 * volumes, containers from a SpecGenerator, healthchecks run on demand (no systemd timers here),
 * waits, logs for error messages, and Kubernetes YAML. General network and volume management
 * lives elsewhere (podman/networks*, podman/volumes*); these are the stack's own steps.
 */
export interface HealthReport {
  status: Health | 'none';
  failingStreak: number;
  /** The last check's output, for the message when it keeps failing. */
  output?: string;
  /** The engine's stamp of that check (its Start). */
  checkedAt?: string;
}

export interface ContainerFacts {
  id: string;
  name: string;
  state: string;
  running: boolean;
  exitCode: number;
  /** The container has a healthcheck (from the file or from its image). */
  hasHealthcheck: boolean;
  health?: Health;
  /** Published ports, as the engine bound them (hostPort is never 0 once running). */
  ports: { hostIp: string; hostPort: number; containerPort: number; protocol: string }[];
}

export interface AnonymousVolume {
  name: string;
  destination: string;
}

export interface StackEngineOps {
  projectContainers(project: string): Promise<(ObservedContainer & { labels: Record<string, string> })[]>;
  /** Running containers with published ports (for port conflicts), with their project if any. */
  runningWithPorts(): Promise<
    { name: string; project?: string; ports: { hostIp: string; hostPort: number; protocol: string }[] }[]
  >;
  networkExists(name: string): Promise<boolean>;
  volumeExists(name: string): Promise<boolean>;
  createNetwork(options: {
    name: string;
    labels: Record<string, string>;
    internal: boolean;
    driver?: string;
    options: Record<string, string>;
    enableIpv6?: boolean;
    ipam?: IpamSpec;
  }): Promise<void>;
  createVolume(options: {
    name: string;
    labels: Record<string, string>;
    driver?: string;
    options: Record<string, string>;
  }): Promise<void>;
  /** The image's id when it is present locally, else null. */
  imageId(ref: string): Promise<string | null>;
  imageHealthTest(ref: string): Promise<string[] | undefined>;
  createContainer(spec: Record<string, unknown>): Promise<string>;
  /** Writes files into a container (created, not yet started), with their mode and owner. */
  copyFiles(id: string, files: { path: string; content: Buffer; mode: number; uid: number; gid: number }[]): Promise<void>;
  start(id: string): Promise<void>;
  stop(id: string, timeoutSeconds?: number): Promise<void>;
  restart(id: string, timeoutSeconds?: number): Promise<void>;
  /** With `volumes`, the container's anonymous volumes go too (as `compose down -v`). */
  remove(id: string, options?: { volumes?: boolean }): Promise<void>;
  /** The container's anonymous volumes (an image's VOLUME, a `- /data` in the file) and where they are mounted. */
  anonymousVolumes(id: string): Promise<AnonymousVolume[]>;
  inspect(id: string): Promise<ContainerFacts>;
  runHealthcheck(id: string): Promise<HealthReport>;
  /** The healthcheck's interval and the engine's stamp of its last check, from one inspect. */
  healthFacts(id: string): Promise<HealthFacts>;
  /** Resolves with the exit code once the container has stopped. */
  waitExit(id: string, signal: AbortSignal): Promise<number>;
  /** The last lines a container wrote, for the message when it fails to come up. */
  tail(id: string, lines: number): Promise<string>;
  projectNetworks(project: string): Promise<string[]>;
  projectVolumes(project: string): Promise<string[]>;
  removeNetwork(name: string): Promise<void>;
  /** false when the volume is in use (by a container of another stack). */
  removeVolume(name: string): Promise<boolean>;
  generateKube(containers: string[]): Promise<string>;
}

interface InspectResult {
  Id: string;
  Name: string;
  State: { Status: string; Running: boolean; ExitCode: number; Health?: { Status?: string }; Healthcheck?: { Status?: string } };
  Config: { Healthcheck?: { Test?: string[] } | null };
  NetworkSettings?: { Ports?: Record<string, { HostIp: string; HostPort: string }[] | null> | null };
  Mounts?: { Type?: string; Name?: string; Destination?: string }[] | null;
}

const enc = encodeURIComponent;

function labelFilter(project: string, label: string = LABEL.project) {
  return { filters: { label: [`${label}=${project}`] } };
}

export function stackEngineOps(engine: () => Engine): StackEngineOps {
  const exists = async (path: string) => {
    try {
      await engine().json('GET', path);
      return true;
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') return false;
      throw error;
    }
  };

  const listByLabel = async (project: string) => {
    // docker compose sets only com.docker.*; old podman-compose only io.podman.*: ask for both.
    const [a, b] = await Promise.all([
      engine().json<LibpodContainer[]>('GET', `${LIBPOD}/containers/json`, { query: { all: true, ...labelFilter(project) } }),
      engine().json<LibpodContainer[]>('GET', `${LIBPOD}/containers/json`, {
        query: { all: true, ...labelFilter(project, LABEL.podmanProject) },
      }),
    ]);
    const byId = new Map<string, LibpodContainer>();
    for (const c of [...(a ?? []), ...(b ?? [])]) byId.set(c.Id, c);
    return [...byId.values()];
  };

  return {
    async projectContainers(project) {
      return (await listByLabel(project)).map((raw) => {
        const c = toContainerSummary(raw);
        const observed: ObservedContainer & { labels: Record<string, string> } = {
          id: c.id,
          name: c.name,
          state: c.state,
          imageId: c.imageId,
          ports: c.ports,
          labels: c.labels,
        };
        if (c.service) observed.service = c.service;
        if (c.health) observed.health = c.health;
        if (c.exitCode !== undefined) observed.exitCode = c.exitCode;
        const hash = c.labels[LABEL.configHash];
        if (hash) observed.configHash = hash;
        return observed;
      });
    },
    async runningWithPorts() {
      const raw = await engine().json<LibpodContainer[]>('GET', `${LIBPOD}/containers/json`, { query: { all: false } });
      return (raw ?? []).map((r) => {
        const c = toContainerSummary(r);
        return {
          name: c.name,
          ...(c.project ? { project: c.project } : {}),
          ports: c.ports
            .filter((p) => p.hostPort > 0)
            .map((p) => ({ hostIp: p.hostIp, hostPort: p.hostPort, protocol: p.protocol })),
        };
      });
    },
    networkExists: (name) => exists(`${LIBPOD}/networks/${enc(name)}/exists`),
    volumeExists: (name) => exists(`${LIBPOD}/volumes/${enc(name)}/exists`),
    async createNetwork({ name, labels, internal, driver, options, enableIpv6, ipam }) {
      const spec: NetworkSpec = {
        key: name,
        name,
        external: false,
        internal,
        labels,
        options,
        enableIpv6: enableIpv6 ?? false,
        ...(driver ? { driver } : {}),
        ...(ipam ? { ipam } : {}),
      };
      await engine().json('POST', `${LIBPOD}/networks/create`, { body: networkCreateBody(spec, name, labels) });
    },
    async createVolume({ name, labels, driver, options }) {
      await engine().json('POST', `${LIBPOD}/volumes/create`, {
        body: { Name: name, Labels: labels, Options: options, ...(driver ? { Driver: driver } : {}) },
      });
    },
    async imageId(ref) {
      try {
        const image = await engine().json<{ Id: string }>('GET', `${LIBPOD}/images/${enc(ref)}/json`);
        return image.Id;
      } catch (error) {
        if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
        throw error;
      }
    },
    async imageHealthTest(ref) {
      const image = await engine().json<{ Config?: { Healthcheck?: { Test?: string[] } }; HealthCheck?: { Test?: string[] } }>(
        'GET',
        `${LIBPOD}/images/${enc(ref)}/json`,
      );
      const test = image.HealthCheck?.Test ?? image.Config?.Healthcheck?.Test;
      return test && test.length > 0 && test[0] !== 'NONE' ? test : undefined;
    },
    async createContainer(spec) {
      const created = await engine().json<{ Id: string }>('POST', `${LIBPOD}/containers/create`, { body: spec });
      return created.Id;
    },
    async copyFiles(id, files) {
      const pack = tar.pack();
      for (const f of files) {
        pack.entry({ name: f.path.replace(/^\/+/, ''), mode: f.mode, uid: f.uid, gid: f.gid, mtime: new Date() }, f.content);
      }
      pack.finalize();
      // Podman keeps the owner the archive says only when asked (by default every file goes to the
      // container's user); docker compose writes secrets and configs with their uid and gid so.
      await putArchive(engine(), id, '/', pack as unknown as Readable, undefined, true);
    },
    async start(id) {
      await engine().json('POST', `${LIBPOD}/containers/${enc(id)}/start`, { accept: [304] });
    },
    async stop(id, timeoutSeconds) {
      const query = timeoutSeconds === undefined ? {} : { timeout: timeoutSeconds };
      await engine().json('POST', `${LIBPOD}/containers/${enc(id)}/stop`, { query, accept: [304] });
    },
    async restart(id, timeoutSeconds) {
      const query = timeoutSeconds === undefined ? {} : { t: timeoutSeconds };
      await engine().json('POST', `${LIBPOD}/containers/${enc(id)}/restart`, { query });
    },
    async remove(id, options) {
      await removeContainer(engine(), id, { force: true, volumes: options?.volumes ?? false, timeoutSeconds: 0 });
    },
    async anonymousVolumes(id) {
      const raw = await engine().json<InspectResult>('GET', `${LIBPOD}/containers/${enc(id)}/json`);
      const volumes = (raw.Mounts ?? []).filter((m) => m.Type === 'volume' && m.Name && m.Destination);
      // Only the volume says whether it is anonymous (a hex name could be a named one too).
      const checked = await Promise.all(
        volumes.map(async (m) => {
          const volume = await engine().json<{ Anonymous?: boolean }>('GET', `${LIBPOD}/volumes/${enc(m.Name!)}/json`);
          return volume.Anonymous ? [{ name: m.Name!, destination: m.Destination! }] : [];
        }),
      );
      return checked.flat();
    },
    async inspect(id) {
      const raw = await engine().json<InspectResult>('GET', `${LIBPOD}/containers/${enc(id)}/json`);
      const test = raw.Config.Healthcheck?.Test;
      const healthStatus = raw.State.Health?.Status ?? raw.State.Healthcheck?.Status;
      const ports: ContainerFacts['ports'] = [];
      for (const [key, bindings] of Object.entries(raw.NetworkSettings?.Ports ?? {})) {
        const [port, protocol] = key.split('/');
        for (const b of bindings ?? []) {
          if (b.HostPort)
            ports.push({
              hostIp: b.HostIp,
              hostPort: Number(b.HostPort),
              containerPort: Number(port),
              protocol: protocol ?? 'tcp',
            });
        }
      }
      const facts: ContainerFacts = {
        id: raw.Id,
        name: raw.Name.replace(/^\//, ''),
        state: raw.State.Status,
        running: raw.State.Running,
        exitCode: raw.State.ExitCode,
        hasHealthcheck: Boolean(test && test.length > 0 && test[0] !== 'NONE'),
        ports,
      };
      if (healthStatus === 'healthy' || healthStatus === 'unhealthy' || healthStatus === 'starting') facts.health = healthStatus;
      return facts;
    },
    async runHealthcheck(id) {
      type Report = {
        Status: string;
        FailingStreak: number;
        Log?: { Output?: string; ExitCode?: number; Start?: string }[] | null;
      };
      let report: Report;
      try {
        // Podman 4 answers GET (Podman 5 also POST); without systemd, nothing else runs the check.
        report = await engine().json<Report>('GET', `${LIBPOD}/containers/${enc(id)}/healthcheck`);
      } catch (error) {
        // A check slower than its timeout (a busy machine) is a failed check, as Podman counts it,
        // not a failed launch: Podman 4 answers it with a 500, so the state is read instead.
        if (!(error instanceof AppError && /exceeded timeout/.test(error.message))) throw error;
        const raw = await engine().json<{ State: { Health?: Report; Healthcheck?: Report } }>(
          'GET',
          `${LIBPOD}/containers/${enc(id)}/json`,
        );
        report = raw.State.Health ?? raw.State.Healthcheck ?? { Status: 'starting', FailingStreak: 0 };
        report = { ...report, Log: [...(report.Log ?? []), { Output: error.message }] };
      }
      const status =
        report.Status === 'healthy' || report.Status === 'unhealthy' || report.Status === 'starting' ? report.Status : 'none';
      const last = report.Log?.at(-1)?.Output?.trim();
      const checkedAt = report.Log?.at(-1)?.Start;
      return {
        status,
        failingStreak: report.FailingStreak ?? 0,
        ...(last ? { output: last } : {}),
        ...(checkedAt ? { checkedAt } : {}),
      };
    },
    async healthFacts(id) {
      const raw = await engine().json<{
        Config: { Healthcheck?: { Interval?: number } | null };
        State: { Health?: { Log?: { Start?: string }[] | null }; Healthcheck?: { Log?: { Start?: string }[] | null } };
      }>('GET', `${LIBPOD}/containers/${enc(id)}/json`);
      const interval = raw.Config.Healthcheck?.Interval;
      const lastCheck = (raw.State.Health ?? raw.State.Healthcheck)?.Log?.at(-1)?.Start;
      return {
        // Podman gives nanoseconds.
        ...(interval ? { intervalMs: Math.round(interval / 1e6) } : {}),
        ...(lastCheck ? { lastCheck } : {}),
      };
    },
    async waitExit(id, signal) {
      const code = await engine().json<number | string>('POST', `${LIBPOD}/containers/${enc(id)}/wait`, {
        query: { condition: ['stopped', 'exited'] },
        signal,
      });
      return Number(code);
    },
    async tail(id, lines) {
      const stream = await engine().stream('GET', `${LIBPOD}/containers/${enc(id)}/logs`, {
        query: { stdout: true, stderr: true, tail: lines, follow: false },
      });
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return demuxText(Buffer.concat(chunks));
    },
    async projectNetworks(project) {
      const list = await engine().json<{ name: string }[]>('GET', `${LIBPOD}/networks/json`, { query: labelFilter(project) });
      return (list ?? []).map((n) => n.name);
    },
    async projectVolumes(project) {
      const list = await engine().json<{ Name: string }[]>('GET', `${LIBPOD}/volumes/json`, { query: labelFilter(project) });
      return (list ?? []).map((v) => v.Name);
    },
    async removeNetwork(name) {
      try {
        await engine().json('DELETE', `${LIBPOD}/networks/${enc(name)}`);
      } catch (error) {
        if (!(error instanceof AppError && error.code === 'NOT_FOUND')) throw error;
      }
    },
    async removeVolume(name) {
      try {
        await engine().json('DELETE', `${LIBPOD}/volumes/${enc(name)}`);
        return true;
      } catch (error) {
        if (error instanceof AppError && error.code === 'NOT_FOUND') return true;
        if (error instanceof AppError && error.code === 'CONFLICT') return false;
        throw error;
      }
    },
    async generateKube(containers) {
      const yaml = await engine().json<string | Buffer>('GET', `${LIBPOD}/generate/kube`, { query: { names: containers } });
      return Buffer.isBuffer(yaml) ? yaml.toString('utf8') : String(yaml);
    },
  };
}

/** Log text from the engine's multiplexed format (8-byte frame headers), or as is for a TTY. */
export function demuxText(buffer: Buffer): string {
  const out: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const kind = buffer[offset];
    if (kind !== 0 && kind !== 1 && kind !== 2) return buffer.toString('utf8');
    const size = buffer.readUInt32BE(offset + 4);
    out.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return offset === 0 && buffer.length > 0 ? buffer.toString('utf8') : Buffer.concat(out).toString('utf8');
}
