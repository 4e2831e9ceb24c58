import { AppError } from '../../../src/shared/errors';
import type { ContainerFacts, HealthReport, StackEngineOps } from '../../../src/main/stacks/engine-ops';
import type { StackImages } from '../../../src/main/stacks/images';
import { LABEL } from '../../../src/main/stacks/container-spec';

interface FakeContainer {
  id: string;
  spec: Record<string, unknown>;
  /** Files written in before start (secrets and configs). */
  files: { path: string; content: string; mode: number; uid: number; gid: number }[];
  state: 'created' | 'running' | 'exited';
  /** Anonymous volumes: destination → name (made at create, as Podman makes them). */
  anonymous: Map<string, string>;
  exitCode: number;
  checks: number;
}

/**
 * An in-memory engine for the launcher's unit tests: it records every call in order, and each
 * behaviour a test needs (a failing create, a slow healthcheck, an exiting container) is a knob.
 */
export function fakeEngine() {
  const calls: string[] = [];
  const containers = new Map<string, FakeContainer>();
  const networks = new Set<string>();
  const volumes = new Set<string>();
  /** Images in local storage: pulls and builds add to it. */
  const present = new Set<string>();
  const knobs = {
    /** Service → healthcheck runs that say "starting" before "healthy". */
    startingChecks: new Map<string, number>(),
    failCreate: new Set<string>(),
    /** Service → exit code right after start. */
    exitOnStart: new Map<string, number>(),
    /** Service → exit code after the first inspect has seen it running (a crash just after start). */
    exitAfterFirstLook: new Map<string, number>(),
    /** Service → its image's VOLUME destinations (Podman gives each an anonymous volume). */
    imageVolumes: new Map<string, string[]>(),
  };
  /** Every anonymous volume made: like Podman's, it stays anonymous when a later container names it. */
  const anonymousNames = new Set<string>();
  const looked = new Set<string>();
  let next = 1;
  const serviceOf = (c: FakeContainer) => (c.spec.labels as Record<string, string>)[LABEL.service]!;
  const find = (id: string) => {
    const c = containers.get(id);
    if (!c) throw new AppError('NOT_FOUND', `no container ${id}`);
    return c;
  };

  const ops: StackEngineOps = {
    async projectContainers(project) {
      return [...containers.values()]
        .filter((c) => (c.spec.labels as Record<string, string>)[LABEL.project] === project)
        .map((c) => ({
          id: c.id,
          name: String(c.spec.name),
          service: serviceOf(c),
          state: c.state,
          ...(c.state === 'exited' ? { exitCode: c.exitCode } : {}),
          imageId: 'img',
          configHash: (c.spec.labels as Record<string, string>)[LABEL.configHash]!,
          ports: ((c.spec.portmappings as { host_port: number; container_port: number; protocol: string }[]) ?? []).map((p) => ({
            hostIp: '',
            hostPort: p.host_port,
            containerPort: p.container_port,
            protocol: p.protocol,
          })),
          labels: c.spec.labels as Record<string, string>,
        }));
    },
    async runningWithPorts() {
      return [];
    },
    async networkExists(name) {
      return networks.has(name);
    },
    async volumeExists(name) {
      return volumes.has(name);
    },
    async createNetwork({ name }) {
      calls.push(`network ${name}`);
      networks.add(name);
    },
    async createVolume({ name }) {
      calls.push(`volume ${name}`);
      volumes.add(name);
    },
    async imageId(ref) {
      return present.has(ref) ? 'img' : null;
    },
    async imageHealthTest() {
      return undefined;
    },
    async createContainer(spec) {
      const service = (spec.labels as Record<string, string>)[LABEL.service]!;
      calls.push(`create ${service}`);
      if (knobs.failCreate.has(service)) throw new AppError('ENGINE_ERROR', `cannot create ${service}`);
      const id = `c${next++}`;
      const anonymous = new Map<string, string>();
      const volumes = (spec.volumes as { Name: string; Dest: string }[] | undefined) ?? [];
      const mounted = new Set([
        ...volumes.map((v) => v.Dest),
        ...((spec.mounts as { destination: string }[]) ?? []).map((m) => m.destination),
      ]);
      const fresh = (dest: string) => {
        const name = `anon-${id}${dest.replaceAll('/', '-')}`;
        anonymousNames.add(name);
        anonymous.set(dest, name);
      };
      for (const v of volumes) {
        if (v.Name === '') fresh(v.Dest);
        else if (anonymousNames.has(v.Name)) anonymous.set(v.Dest, v.Name);
      }
      for (const dest of knobs.imageVolumes.get(service) ?? []) if (!mounted.has(dest)) fresh(dest);
      containers.set(id, { id, spec, files: [], state: 'created', exitCode: 0, checks: 0, anonymous });
      return id;
    },
    async copyFiles(id, files) {
      const c = find(id);
      calls.push(`copy ${serviceOf(c)} ${files.map((f) => f.path).join(',')}`);
      if (c.state !== 'created') throw new AppError('CONFLICT', 'files are written before the container starts');
      c.files.push(...files.map((f) => ({ ...f, content: f.content.toString('utf8') })));
    },
    async start(id) {
      const c = find(id);
      calls.push(`start ${serviceOf(c)}`);
      const exit = knobs.exitOnStart.get(serviceOf(c));
      if (exit !== undefined) Object.assign(c, { state: 'exited', exitCode: exit });
      else c.state = 'running';
    },
    async stop(id) {
      const c = find(id);
      calls.push(`stop ${serviceOf(c)}`);
      c.state = 'exited';
    },
    async restart(id) {
      find(id).state = 'running';
    },
    async remove(id) {
      calls.push(`remove ${serviceOf(find(id))}`);
      containers.delete(id);
    },
    async healthFacts() {
      return {};
    },
    async anonymousVolumes(id) {
      return [...find(id).anonymous].map(([destination, name]) => ({ name, destination }));
    },
    async inspect(id): Promise<ContainerFacts> {
      const c = find(id);
      const crash = knobs.exitAfterFirstLook.get(serviceOf(c));
      if (crash !== undefined && c.state === 'running' && looked.has(id)) Object.assign(c, { state: 'exited', exitCode: crash });
      looked.add(id);
      const ports = ((c.spec.portmappings as { host_port: number; container_port: number; protocol: string }[]) ?? []).map(
        (p) => ({
          hostIp: '',
          hostPort: p.host_port,
          containerPort: p.container_port,
          protocol: p.protocol,
        }),
      );
      return {
        id,
        name: String(c.spec.name),
        state: c.state,
        running: c.state === 'running',
        exitCode: c.exitCode,
        hasHealthcheck: Boolean(c.spec.healthconfig),
        ports,
      };
    },
    async runHealthcheck(id): Promise<HealthReport> {
      const c = find(id);
      if (c.state !== 'running') throw new AppError('CONFLICT', 'container is not running');
      c.checks++;
      calls.push(`check ${serviceOf(c)}`);
      const starting = knobs.startingChecks.get(serviceOf(c)) ?? 0;
      return c.checks > starting
        ? { status: 'healthy', failingStreak: 0 }
        : { status: 'starting', failingStreak: c.checks, output: 'not yet' };
    },
    async waitExit(id) {
      return find(id).exitCode;
    },
    async tail() {
      return 'boom: the last line';
    },
    async projectNetworks() {
      return [...networks];
    },
    async projectVolumes() {
      return [...volumes];
    },
    async removeNetwork(name) {
      // As Podman: a network that a container still uses is refused.
      const users = [...containers.values()].filter((c) => Object.keys((c.spec.Networks as object) ?? {}).includes(name));
      if (users.length > 0) throw new AppError('CONFLICT', `"${name}" has associated containers with it`);
      networks.delete(name);
    },
    async removeVolume(name) {
      return volumes.delete(name);
    },
    async generateKube() {
      return 'apiVersion: v1\n';
    },
  };

  const builds: Parameters<StackImages['build']>[0][] = [];
  const pulls: { ref: string; platform?: string }[] = [];
  const images: StackImages & { fail?: string } = {
    async pull(ref, onProgress, signal, platform) {
      calls.push(`pull ${ref}`);
      pulls.push({ ref, ...(platform ? { platform } : {}) });
      if (images.fail === ref) throw new AppError('NOT_FOUND', `${ref}: manifest unknown`);
      onProgress({
        reference: ref,
        status: 'Downloading',
        layers: 1,
        layersDone: 0,
        bytesDone: 5,
        bytesTotal: 10,
        bytesPerSecond: 0,
        fraction: 0.5,
        done: false,
      });
      if (signal.aborted) throw new AppError('CANCELLED', 'Cancelled');
      present.add(ref);
    },
    async build(options, onLog) {
      calls.push(`build ${options.tag}`);
      builds.push(options);
      onLog('STEP 1/2: FROM base\nSTEP 2/2: COPY . /app\n');
      present.add(options.tag);
    },
  };

  return { ops, images, calls, containers, networks, volumes, present, knobs, builds, pulls };
}
