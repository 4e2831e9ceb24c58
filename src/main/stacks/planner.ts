import type { ComposeIssue, ContainerState, HostAccess, Health, PortMapping, StackPlan } from '../../shared/contract';
import type { ComposeProject, ServiceSpec } from './compose/model';
import { startOrder } from './compose/order';
import { configHash, containerName } from './container-spec';
import { NO_HOST_ACCESS } from './host-access';

/**
 * What a launch would do, decided from the file and what exists, with no engine in sight: the
 * observer (observe.ts) gathers the facts, this turns them into a plan the user reads and the
 * launcher follows. Every problem that would make a launch fail halfway is found here, before
 * anything is created.
 */
export interface ObservedContainer {
  id: string;
  name: string;
  service?: string;
  state: ContainerState;
  /** Set once the container has exited. */
  exitCode?: number;
  health?: Health;
  imageId: string;
  configHash?: string;
  ports: PortMapping[];
}

export interface PortHolder {
  hostIp: string;
  hostPort: number;
  protocol: string;
  /** Who holds it, in words: `container "x" (stack y)`, `another program on this computer`. */
  holder: string;
}

export interface Observed {
  /** This project's containers. */
  containers: ObservedContainer[];
  networks: Set<string>;
  volumes: Set<string>;
  /** Image reference → its id when present locally, null when missing. */
  images: Map<string, string | null>;
  /** Host ports held by something other than this project's containers. */
  busyPorts: PortHolder[];
  /** Build context → what is wrong with it, when something is. */
  buildProblems: Map<string, string>;
}

export interface PlanOptions {
  /** Build the images of `build` services even when present. */
  rebuild?: boolean;
  /** What the file touches on this computer (resolve.ts works it out; it needs the file system). */
  hostAccess?: HostAccess;
}

const RUNNING: ContainerState[] = ['running', 'paused', 'restarting'];

/**
 * Services run to completion (an init job, a migration): another service waits for them with
 * `service_completed_successfully`. Exited 0, they are done, not stopped.
 */
export function oneShotServices(project: Pick<ComposeProject, 'services'>): Set<string> {
  return new Set(
    project.services.flatMap((s) =>
      Object.entries(s.dependsOn)
        .filter(([, d]) => d.condition === 'service_completed_successfully')
        .map(([name]) => name),
    ),
  );
}

function portsClash(a: { hostIp: string }, b: { hostIp: string }): boolean {
  const any = (ip: string) => ip === '' || ip === '0.0.0.0' || ip === '::';
  return any(a.hostIp) || any(b.hostIp) || a.hostIp === b.hostIp;
}

export function planStack(project: ComposeProject, observed: Observed, options: PlanOptions = {}): StackPlan {
  const problems: ComposeIssue[] = [];
  const warnings: ComposeIssue[] = [];
  const problem = (message: string, path?: string) => problems.push({ severity: 'error', message, ...(path ? { path } : {}) });

  const existing = (
    kind: 'network' | 'volume',
    specs: { key: string; name: string; external: boolean }[],
    present: Set<string>,
  ) =>
    specs.map((x) => {
      const exists = present.has(x.name);
      if (x.external && !exists) problem(`The external ${kind} "${x.name}" does not exist: create it first`, `${kind}s.${x.key}`);
      const action: StackPlan['networks'][number]['action'] = x.external ? 'external' : exists ? 'exists' : 'create';
      return { key: x.key, name: x.name, action };
    });
  const networks = existing('network', project.networks, observed.networks);
  const volumes = existing('volume', project.volumes, observed.volumes);

  const byService = new Map<string, ObservedContainer>();
  for (const c of observed.containers) if (c.service && !byService.has(c.service)) byService.set(c.service, c);

  const oneShots = oneShotServices(project);
  const serviceAction = (s: ServiceSpec): { action: StackPlan['services'][number]['action']; reason: string } => {
    const existing = byService.get(s.name);
    if (!existing) return { action: 'create', reason: 'new' };
    if (existing.configHash !== configHash(project, s)) return { action: 'recreate', reason: 'its definition changed' };
    const imageId = observed.images.get(s.image);
    const rebuilding = Boolean(s.build && options.rebuild);
    if (rebuilding) return { action: 'recreate', reason: 'its image is rebuilt' };
    if (imageId && existing.imageId && !sameId(imageId, existing.imageId))
      return { action: 'recreate', reason: 'its image changed' };
    if (RUNNING.includes(existing.state)) return { action: 'keep', reason: 'up to date and running' };
    // Running a finished init job again would redo its work (a migration, a seed) for nothing.
    if (oneShots.has(s.name) && existing.state === 'exited' && existing.exitCode === 0)
      return { action: 'keep', reason: 'finished its job' };
    return { action: 'start', reason: existing.state === 'created' ? 'created, never started' : 'stopped' };
  };

  const services = project.services.map((s) => {
    const { action, reason } = serviceAction(s);
    return {
      name: s.name,
      container: containerName(project, s),
      action,
      reason,
      ports: s.ports.map((p) => ({
        hostIp: p.hostIp,
        hostPort: p.published ?? 0,
        containerPort: p.target,
        protocol: p.protocol,
      })),
      dependsOn: Object.keys(s.dependsOn),
    };
  });

  // A host port must be free for every service this launch starts; kept ones already hold theirs.
  for (const s of services) {
    if (s.action === 'keep') continue;
    for (const p of s.ports) {
      if (!p.hostPort) continue;
      const holder = observed.busyPorts.find((b) => b.hostPort === p.hostPort && b.protocol === p.protocol && portsClash(b, p));
      if (holder) {
        problem(
          `Host port ${p.hostPort}${p.protocol === 'tcp' ? '' : `/${p.protocol}`} (service "${s.name}") is already in use by ${holder.holder}. ` +
            'Stop that, or choose another port in the Variables.',
          `services.${s.name}.ports`,
        );
      }
    }
  }

  // Images: what the services that get a new container need.
  const images: StackPlan['images'] = [];
  for (const s of project.services) {
    const planned = services.find((x) => x.name === s.name)!;
    const needsContainer = planned.action === 'create' || planned.action === 'recreate';
    const present = Boolean(observed.images.get(s.image));
    if (!needsContainer) continue;
    const action: StackPlan['images'][number]['action'] = s.build
      ? options.rebuild || !present
        ? 'build'
        : 'present'
      : present
        ? 'present'
        : 'pull';
    const known = images.find((i) => i.ref === s.image);
    if (known) {
      known.services.push(s.name);
      if (action === 'build' && known.action !== 'build') Object.assign(known, { action, context: s.build!.context });
      continue;
    }
    images.push({
      ref: s.image,
      services: [s.name],
      action,
      ...(s.build && action === 'build' ? { context: s.build.context } : {}),
    });
    if (action === 'build') {
      const wrong = observed.buildProblems.get(s.build!.context);
      if (wrong) problem(`Service "${s.name}" cannot be built: ${wrong}`, `services.${s.name}.build`);
    }
  }

  const known = new Set(project.services.map((s) => s.name));
  const orphans = observed.containers
    .filter((c) => c.service !== undefined && !known.has(c.service))
    .map((c) => ({ name: c.name, service: c.service! }));
  if (orphans.length > 0) {
    warnings.push({
      severity: 'warning',
      message: `The file no longer has ${orphans.map((o) => `"${o.service}"`).join(', ')}: the launch removes ${orphans.length === 1 ? 'its container' : 'their containers'} (volumes are kept)`,
    });
  }

  const order = startOrder(project.services.map((s) => ({ name: s.name, dependsOn: Object.keys(s.dependsOn) })));
  const upToDate =
    services.every((s) => s.action === 'keep') &&
    networks.every((n) => n.action !== 'create') &&
    volumes.every((v) => v.action !== 'create') &&
    images.every((i) => i.action === 'present') &&
    orphans.length === 0;

  return {
    project: project.name,
    networks,
    volumes,
    images,
    services,
    orphans,
    order,
    hostAccess: options.hostAccess ?? NO_HOST_ACCESS,
    problems,
    warnings,
    upToDate,
  };
}

function sameId(a: string, b: string): boolean {
  const strip = (id: string) => id.replace(/^sha256:/, '');
  const x = strip(a);
  const y = strip(b);
  return x.startsWith(y) || y.startsWith(x);
}
