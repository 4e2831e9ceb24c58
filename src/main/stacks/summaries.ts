import type {
  ContainerState,
  ContainerSummary,
  PortMapping,
  StackServiceView,
  StackStatus,
  StackSummary,
} from '../../shared/contract';
import type { ServiceExtras } from './compose/model';
import { serviceLinks } from './links';

/**
 * The Stacks page's view: each stack file (built-in or the user's) with the containers that carry
 * its project label, and every other Compose project found on the engine (podman-compose,
 * docker compose) as an external stack. Pure: the live collection (stack-collection.ts) calls it
 * whenever a container changes.
 */
export interface DefinitionView {
  id: string;
  source: 'builtin' | 'user';
  project: string;
  title: string;
  description?: string;
  modified: boolean;
  /** Why the file does not parse, when it does not. */
  invalid?: string;
  services: {
    name: string;
    title?: string;
    image: string;
    build: boolean;
    ports: PortMapping[];
    extras: ServiceExtras;
    oneShot: boolean;
    profiles?: string[];
    /** Its profiles are off: a launch leaves it out. */
    inactive?: boolean;
  }[];
  volumes: string[];
}

const UP: ContainerState[] = ['running', 'paused', 'restarting'];

export const EXTERNAL_PREFIX = 'project:';

function containerView(c: ContainerSummary): NonNullable<StackServiceView['container']> {
  return {
    id: c.id,
    name: c.name,
    state: c.state,
    ...(c.health ? { health: c.health } : {}),
    ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}),
  };
}

/** A service known only from its container (no file says more about it). */
function unlistedService(name: string, c: ContainerSummary, linkHost: string): StackServiceView {
  return {
    name,
    image: c.image,
    build: false,
    ports: c.ports,
    links: c.state === 'running' ? serviceLinks(c.ports, undefined, linkHost) : [],
    oneShot: false,
    container: containerView(c),
  };
}

function status(all: StackServiceView[]): StackStatus {
  // A service whose profile is off counts only once it has a container (started by name).
  const services = all.filter((s) => !s.inactive || s.container);
  const withContainer = services.filter((s) => s.container);
  if (withContainer.length === 0) return 'not-created';
  const isUp = (s: StackServiceView) =>
    Boolean(
      s.container &&
      (UP.includes(s.container.state) || (s.oneShot && s.container.state === 'exited' && s.container.exitCode === 0)),
    );
  const upCount = services.filter(isUp).length;
  if (upCount === services.length) {
    if (services.some((s) => s.container?.health === 'unhealthy')) return 'unhealthy';
    if (services.some((s) => s.container?.health === 'starting')) return 'starting';
    return 'running';
  }
  return services.some((s) => s.container && UP.includes(s.container.state)) ? 'partial' : 'stopped';
}

/**
 * The newest container per service (a recreate can leave a moment with two). A container with
 * a project label but no service label (made by hand) stands for itself, under its name.
 */
function byService(containers: ContainerSummary[]): Map<string, ContainerSummary> {
  const out = new Map<string, ContainerSummary>();
  for (const c of [...containers].sort((a, b) => a.created - b.created)) out.set(c.service ?? c.name, c);
  return out;
}

export function summarizeDefinition(
  view: DefinitionView,
  containers: ContainerSummary[],
  launching: boolean,
  linkHost: string,
): StackSummary {
  const found = byService(containers);
  const services: StackServiceView[] = view.services.map((s) => {
    const c = found.get(s.name);
    const running = c?.state === 'running';
    const ports = c ? c.ports.filter((p) => p.hostPort > 0 || !running) : s.ports;
    const out: StackServiceView = {
      name: s.name,
      image: c?.image ?? s.image,
      build: s.build,
      ports,
      links: running ? serviceLinks(c.ports, s.extras, linkHost) : [],
      oneShot: s.oneShot,
    };
    if (s.title) out.title = s.title;
    if (s.profiles) out.profiles = s.profiles;
    if (s.inactive) out.inactive = true;
    if (c) out.container = containerView(c);
    return out;
  });
  // Containers of the project whose service the file no longer has: still shown, so nothing hides.
  for (const [service, c] of found) {
    if (view.services.some((s) => s.name === service)) continue;
    services.push(unlistedService(service, c, linkHost));
  }
  const summary: StackSummary = {
    id: view.id,
    project: view.project,
    title: view.title,
    source: view.source,
    status: status(services),
    services,
    volumes: view.volumes,
    launching,
  };
  if (view.description) summary.description = view.description;
  if (view.invalid) summary.invalid = view.invalid;
  if (view.modified) summary.modified = true;
  return summary;
}

export function summarizeExternal(project: string, containers: ContainerSummary[], linkHost: string): StackSummary {
  const found = byService(containers);
  const services: StackServiceView[] = [...found.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, c]) => unlistedService(name, c, linkHost));
  return {
    id: `${EXTERNAL_PREFIX}${project}`,
    project,
    title: project,
    description: 'Started by another Compose tool (podman-compose, docker compose)',
    source: 'external',
    status: status(services),
    services,
    volumes: [],
    launching: false,
  };
}

/** Every stack: the files first (in their order), then the engine's other Compose projects. */
export function summarizeAll(
  views: DefinitionView[],
  containers: ContainerSummary[],
  launching: ReadonlySet<string>,
  linkHost: string,
): StackSummary[] {
  const byProject = new Map<string, ContainerSummary[]>();
  for (const c of containers) {
    if (!c.project || c.isInfra) continue;
    // One-off containers (`compose run`) are not part of the stack's services.
    if (c.labels['com.docker.compose.oneoff'] === 'True') continue;
    const list = byProject.get(c.project) ?? [];
    list.push(c);
    byProject.set(c.project, list);
  }
  const claimed = new Set<string>();
  const out: StackSummary[] = [];
  for (const view of views) {
    claimed.add(view.project);
    out.push(summarizeDefinition(view, byProject.get(view.project) ?? [], launching.has(view.id), linkHost));
  }
  for (const [project, list] of [...byProject.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (!claimed.has(project)) out.push(summarizeExternal(project, list, linkHost));
  }
  return out;
}
