import type { ComposeIssue, ContainerState, HostAccess, Health, PortMapping, StackPlan } from '../../shared/contract';
import type { ComposeProject, ServiceSpec } from './compose/model';
import { startOrder } from './compose/order';
import { configHash, containerName, gpuDevices, namedTheOtherWay } from './container-spec';
import { cdiAdvice } from './gpu';
import { NO_HOST_ACCESS } from './host-access';
import { selectServices } from './selection';

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
  /**
   * CDI device names (vendor.com/class=name) the engine's machine defines; undefined when that
   * cannot be known here (a remote engine, a Podman machine).
   */
  cdiDevices?: string[];
}

export interface PlanOptions {
  /** Build the images of `build` services even when present. */
  rebuild?: boolean;
  /** What the file touches on this computer (resolve.ts works it out; it needs the file system). */
  hostAccess?: HostAccess;
  /** Profiles turned on (the stack's choice, COMPOSE_PROFILES). */
  profiles?: string[];
  /** Launch only these services (and what they depend on), whatever their profiles. */
  services?: string[];
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
  // A network or volume only services left out (profiles) use is left alone, as docker compose does.
  const selectedNames = new Set(selectServices(project, options.profiles ?? [], options.services ?? []).names);
  const users = (used: (s: ServiceSpec) => boolean) => project.services.filter(used).map((s) => s.name);
  const needed = (used: (s: ServiceSpec) => boolean) => {
    const by = users(used);
    return by.length === 0 || by.some((n) => selectedNames.has(n));
  };
  const networks = existing(
    'network',
    project.networks.filter((n) => needed((s) => n.key in s.networks)),
    observed.networks,
  );
  const volumes = existing(
    'volume',
    project.volumes.filter((v) => needed((s) => s.mounts.some((m) => m.type === 'volume' && m.source === v.key))),
    observed.volumes,
  );

  const selection = selectServices(project, options.profiles ?? [], options.services ?? []);
  for (const p of selection.problems) {
    problem(
      `Service "${p.service}" needs "${p.dependency}", which runs only with the profile${p.profiles.length === 1 ? '' : 's'} ` +
        `${p.profiles.map((x) => `"${x}"`).join(' or ')}: turn ${p.profiles.length === 1 ? 'it' : 'one'} on`,
      `services.${p.service}.depends_on`,
    );
  }
  const selected = project.services.filter((s) => selection.names.includes(s.name));

  const ofService = (name: string) =>
    observed.containers.filter((c) => c.service === name).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));

  const oneShots = oneShotServices(project);
  const serviceAction = (s: ServiceSpec): { action: StackPlan['services'][number]['action']; reason: string } => {
    const names = Array.from({ length: s.replicas }, (_, i) => containerName(project, s, i + 1));
    const all = ofService(s.name);
    // The stack's container naming changed since they were made: new names, new containers.
    const renamed = all.filter((c) => !names.includes(c.name) && namedTheOtherWay(project, s, c.name));
    if (renamed.length > 0)
      return {
        action: 'recreate',
        reason: `its containers get ${project.containerNames === 'podman-compose' ? 'podman-compose' : 'docker compose'} names`,
      };
    const mine = names.map((n) => all.find((c) => c.name === n));
    // Before replicas, a container_name-less service had one container whatever its name.
    if (s.replicas === 1 && !mine[0] && all[0]) mine[0] = all[0];
    const existing = mine.filter((c): c is ObservedContainer => c !== undefined);
    if (existing.length === 0) return { action: 'create', reason: 'new' };
    if (existing.some((c) => c.configHash !== configHash(project, s)))
      return { action: 'recreate', reason: 'its definition changed' };
    const imageId = observed.images.get(s.image);
    const rebuilding = Boolean(s.build && (options.rebuild || s.pullPolicy === 'build'));
    if (rebuilding) return { action: 'recreate', reason: 'its image is rebuilt' };
    if (imageId && existing.some((c) => c.imageId && !sameId(imageId, c.imageId)))
      return { action: 'recreate', reason: 'its image changed' };
    if (existing.length < s.replicas) {
      return {
        action: 'create',
        reason: `scaled to ${s.replicas}: ${s.replicas - existing.length} more container${s.replicas - existing.length === 1 ? '' : 's'}`,
      };
    }
    if (existing.every((c) => RUNNING.includes(c.state))) return { action: 'keep', reason: 'up to date and running' };
    // Running a finished init job again would redo its work (a migration, a seed) for nothing.
    if (oneShots.has(s.name) && existing.every((c) => c.state === 'exited' && c.exitCode === 0))
      return { action: 'keep', reason: 'finished its job' };
    const first = existing.find((c) => !RUNNING.includes(c.state))!;
    return { action: 'start', reason: first.state === 'created' ? 'created, never started' : 'stopped' };
  };

  const actions = new Map(selected.map((s) => [s.name, serviceAction(s)]));
  // A container that shares another's network, PID or IPC namespace, or mounts its volumes,
  // holds on to that very container: when it is recreated, so is the one that shares it.
  for (let changed = true; changed;) {
    changed = false;
    for (const s of selected) {
      if (actions.get(s.name)!.action === 'recreate' || actions.get(s.name)!.action === 'create') continue;
      const shared = sharedServices(s).find((other) => actions.get(other)?.action === 'recreate');
      if (shared) {
        actions.set(s.name, { action: 'recreate', reason: `it shares "${shared}", which is recreated` });
        changed = true;
      }
    }
  }

  const services = selected.map((s) => {
    const { action, reason } = actions.get(s.name)!;
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
      dependsOn: Object.keys(s.dependsOn).filter((d) => selection.names.includes(d)),
      ...(s.replicas !== 1 ? { replicas: s.replicas } : {}),
    };
  });

  // Two services this launch starts may not publish one host port (profiles let a file have both).
  const published = new Map<string, string>();
  for (const s of services) {
    for (const p of s.ports) {
      if (!p.hostPort) continue;
      const key = `${p.hostPort}/${p.protocol}`;
      const other = published.get(key);
      if (other)
        problem(
          `Host port ${key} is published by both "${other}" and "${s.name}": only one of them can run`,
          `services.${s.name}.ports`,
        );
      published.set(key, s.name);
    }
  }

  // GPUs and other CDI devices must be defined on the engine's machine, or the create fails.
  if (observed.cdiDevices) {
    for (const s of selected) {
      const planned = actions.get(s.name)!.action;
      if (planned !== 'create' && planned !== 'recreate') continue;
      const wanted = [...gpuDevices(s.gpus), ...s.devices.filter((d) => /^[^/][^=]*\/[^=]+=/.test(d))];
      const missing = wanted.filter((d) => !observed.cdiDevices!.includes(d));
      if (missing.length > 0) problem(cdiAdvice(s.name, missing, observed.cdiDevices), `services.${s.name}`);
    }
  }

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

  // Images: what the services that get a new container need (and pull_policy: always, every time).
  const images: StackPlan['images'] = [];
  for (const s of selected) {
    const planned = services.find((x) => x.name === s.name)!;
    const needsContainer = planned.action === 'create' || planned.action === 'recreate';
    const present = Boolean(observed.images.get(s.image));
    if (!needsContainer && !(s.pullPolicy === 'always' && !s.build)) continue;
    if (!s.build && !present && s.pullPolicy === 'never') {
      problem(
        `Service "${s.name}" has pull_policy: never and its image ${s.image} is not on this engine: build or pull it first`,
        `services.${s.name}.pull_policy`,
      );
    }
    const action: StackPlan['images'][number]['action'] = s.build
      ? options.rebuild || !present || s.pullPolicy === 'build'
        ? 'build'
        : 'present'
      : present && s.pullPolicy !== 'always'
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
  // Containers beyond a service's replicas (scaled down, or to 0) go too.
  for (const s of selected) {
    const wanted = new Set(Array.from({ length: s.replicas }, (_, i) => containerName(project, s, i + 1)));
    // Those of the other naming go with the service's recreation (renamed, not scaled down).
    const extra = ofService(s.name).filter(
      (c) =>
        !wanted.has(c.name) && !namedTheOtherWay(project, s, c.name) && !(s.replicas === 1 && ofService(s.name).length === 1),
    );
    if (extra.length === 0) continue;
    orphans.push(...extra.map((c) => ({ name: c.name, service: s.name })));
    warnings.push({
      severity: 'warning',
      message: `"${s.name}" is scaled to ${s.replicas}: the launch removes ${extra.map((c) => c.name).join(', ')}`,
    });
  }
  for (const skipped of selection.skipped) {
    warnings.push({
      severity: 'warning',
      message: `"${skipped.name}" is not started: it runs with the profile${skipped.profiles.length === 1 ? '' : 's'} ${skipped.profiles.map((p) => `"${p}"`).join(', ')}, which ${skipped.profiles.length === 1 ? 'is' : 'are'} off`,
      path: `services.${skipped.name}.profiles`,
    });
  }

  const order = startOrder(
    selected.map((s) => ({ name: s.name, dependsOn: Object.keys(s.dependsOn).filter((d) => selection.names.includes(d)) })),
  );
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

/** The services whose containers this one's container holds on to (namespaces, volumes_from). */
export function sharedServices(s: ServiceSpec): string[] {
  const out: string[] = [];
  if (s.networkMode?.kind === 'service') out.push(s.networkMode.service);
  if (s.pid?.kind === 'service') out.push(s.pid.service);
  if (s.ipc?.kind === 'service') out.push(s.ipc.service);
  for (const v of s.volumesFrom) if (v.kind === 'service') out.push(v.name);
  return out;
}

function sameId(a: string, b: string): boolean {
  const strip = (id: string) => id.replace(/^sha256:/, '');
  const x = strip(a);
  const y = strip(b);
  return x.startsWith(y) || y.startsWith(x);
}
