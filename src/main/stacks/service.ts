import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseDocument } from 'yaml';
import type {
  ContainerSummary,
  Endpoint,
  HostAccessConfirmation,
  LaunchEvent,
  RemoveResult,
  StackDetail,
  StackLogLine,
  StackPlan,
  StackSummary,
  ValidationResult,
} from '../../shared/contract';
import { BIND_ADDRESS_VARIABLE } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { pendingConsent, type Consent } from '../consent';
import type { HostFiles } from '../host-files';
import { saveText } from '../save-file';
import type { LiveCollection } from '../podman/live-collection';
import type { Env } from '../system/types';
import type { DependencyCondition } from './compose/model';
import { startOrder } from './compose/order';
import { LABEL } from './container-spec';
import { idFrom, projectFromPath, type DefinitionStore, type StackDefinition } from './definitions';
import type { StackEngineOps } from './engine-ops';
import { probePort } from './health';
import type { StackImages } from './images';
import { imageOrigin } from './image-origin';
import { launchStack } from './launcher';
import type { ContainerNaming, PullFailure } from '../../shared/contract';
import { streamStackLogs } from './logs';
import { hostAccessConsentRequest } from './host-access-consent';
import { hostPortFree, observeStack } from './observe';
import { oneShotServices, planStack } from './planner';
import { resolveStack, type ResolvedStack } from './resolve';
import { createStackCollection, type StackCollection } from './stack-collection';
import { detectGpus, localGpuFs, readCdiDevices, type GpuFs } from './gpu';
import { isEnabled } from './selection';
import { EXTERNAL_PREFIX, type DefinitionView } from './summaries';
import type { Engine } from '../podman/engine';

/** A container of the stack, as the engine lists it now. */
type Member = Awaited<ReturnType<StackEngineOps['projectContainers']>>[number];

/**
 * Everything the Stacks page does, over the definitions (files), the container cache (what
 * runs) and the engine (what a launch changes). The handlers bind the contract to this.
 */
export interface StacksServiceDeps {
  definitions: DefinitionStore;
  containers: LiveCollection<ContainerSummary>;
  engine: () => Engine;
  ops: StackEngineOps;
  images: StackImages;
  env: Env;
  homeDir: string;
  hostFiles: HostFiles;
  /** Asks the user (not the page) to allow what a stack touches on this computer. */
  consent: Consent;
  /** The engine's endpoint, to know where published ports are (local or a remote host). */
  endpoint: () => Endpoint | undefined;
  /** This computer's files for GPU facts (CDI specifications, device files); the tests pass a fake. */
  gpuFs?: GpuFs;
  /** process.platform, for whether a unix socket's engine runs on this very computer. */
  platform?: NodeJS.Platform;
  log?: (message: string, error?: unknown) => void;
}

export type StacksService = ReturnType<typeof createStacksService>;

const RUNNING = new Set(['running', 'paused', 'restarting']);

function remoteHost(endpoint: Endpoint | undefined): string | undefined {
  return endpoint && (endpoint.kind === 'ssh' || endpoint.kind === 'tcp') ? endpoint.host : undefined;
}

/** Refuses (INVALID_INPUT) a file with errors, saying where the first one is. */
function fileErrors(resolved: Pick<ResolvedStack, 'issues'>, what: string, ignoreMissingVariables = false): void {
  const errors = resolved.issues.filter(
    (i) => i.severity === 'error' && !(ignoreMissingVariables && /^Required variable/.test(i.message)),
  );
  if (errors.length === 0) return;
  const first = errors[0]!;
  const where = first.line ? `line ${first.line}, column ${first.column}: ` : '';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  throw new AppError('INVALID_INPUT', `${what}: ${where}${first.message}${more}`, { issues: resolved.issues });
}

/** How long a started dependency may take to be healthy or to finish. */
const DEPENDENCY_WAIT_MS = 120_000;

export function createStacksService(deps: StacksServiceDeps) {
  const log = deps.log ?? (() => undefined);
  const gpuFs = deps.gpuFs ?? localGpuFs;
  /**
   * Whether the engine runs on this very computer and sees its files (a Linux socket): then
   * secrets and configs from files are bind-mounted read-only, and GPUs and CDI specifications
   * are looked for here. A Podman machine, WSL or a remote engine has files of its own.
   */
  const engineHere = () => deps.endpoint()?.kind === 'unix' && (deps.platform ?? process.platform) === 'linux';
  const launching = new Set<string>();
  let views: DefinitionView[] = [];
  const linkHost = () => remoteHost(deps.endpoint()) ?? 'localhost';

  const resolve = async (def: StackDefinition, overrides?: Record<string, string>) =>
    resolveStack(def, { env: deps.env, homeDir: deps.homeDir, ...(overrides ? { overrides } : {}) });

  const viewOf = (resolved: ResolvedStack): DefinitionView => {
    const { definition: def, project } = resolved;
    const firstError = resolved.issues.find((i) => i.severity === 'error');
    const completedDeps = project ? oneShotServices(project) : new Set<string>();
    const active = new Set(resolved.profiles.active);
    const view: DefinitionView = {
      id: def.id,
      source: def.source,
      project: resolved.projectName,
      title: project?.title ?? titleFrom(def.yaml) ?? def.id,
      modified: def.modified,
      services: (project?.services ?? []).map((s) => ({
        name: s.name,
        ...(s.extras.title ? { title: s.extras.title } : {}),
        image: s.image,
        build: Boolean(s.build),
        ports: s.ports.map((p) => ({
          hostIp: p.hostIp,
          hostPort: p.published ?? 0,
          containerPort: p.target,
          protocol: p.protocol,
        })),
        extras: s.extras,
        oneShot: completedDeps.has(s.name),
        ...(s.profiles.length > 0 ? { profiles: s.profiles, inactive: !isEnabled(s, active) } : {}),
      })),
      volumes: (project?.volumes ?? []).filter((v) => !v.external).map((v) => v.name),
    };
    if (project?.description) view.description = project.description;
    if (firstError) view.invalid = `${firstError.line ? `Line ${firstError.line}: ` : ''}${firstError.message}`;
    return view;
  };

  let collection: StackCollection | null = null;
  const refreshViews = async () => {
    const defs = await deps.definitions.list();
    const resolved = await Promise.all(
      defs.map(async (def) => {
        try {
          // Secrets the file asks the app to generate (a Jupyter token) exist from the first look on.
          return viewOf(await resolve(await deps.definitions.ensureGenerated(def.id)));
        } catch (error) {
          log(`stack ${def.id} could not be read`, error);
          return {
            id: def.id,
            source: def.source,
            project: def.id,
            title: def.id,
            modified: def.modified,
            services: [],
            volumes: [],
            invalid: String(error),
          };
        }
      }),
    );
    views = resolved;
    collection?.update();
  };
  // Views change only when a file or its variables change; a launch's containers come by events.
  let refreshing: Promise<void> = Promise.resolve();
  const scheduleRefresh = () => (refreshing = refreshing.then(refreshViews, refreshViews));
  let closed = false;
  deps.definitions.onChange(() => {
    if (!closed) void scheduleRefresh();
  });

  collection = createStackCollection({ containers: deps.containers, views: () => views, launching: () => launching, linkHost });
  const ready = scheduleRefresh();

  const externalProject = (id: string) => (id.startsWith(EXTERNAL_PREFIX) ? id.slice(EXTERNAL_PREFIX.length) : undefined);

  /** The project's containers and their start order, for a file stack or an external one. */
  const members = async (
    id: string,
  ): Promise<{
    project: string;
    containers: Member[];
    order: string[];
    stopTimeout: (service: string) => number | undefined;
    finished: (c: Member) => boolean;
    /** What a service depends on, by name, with the condition each must reach. */
    needs: (service: string) => { name: string; condition: DependencyCondition; required: boolean }[];
    def?: ResolvedStack;
  }> => {
    const external = externalProject(id);
    let project: string;
    let resolved: ResolvedStack | undefined;
    if (external) project = external;
    else {
      resolved = await resolve(await deps.definitions.get(id));
      project = resolved.projectName;
    }
    // From the engine, not the live cache: an action right after a launch must see the containers
    // whose create events are still on their way (a removal that missed one then failed to remove
    // the network the container still used).
    const containers = await deps.ops.projectContainers(project);
    const edges = new Map<string, { name: string; condition: DependencyCondition; required: boolean }[]>();
    if (resolved?.project) {
      for (const s of resolved.project.services) {
        edges.set(
          s.name,
          Object.entries(s.dependsOn).map(([name, d]) => ({ name, condition: d.condition, required: d.required })),
        );
      }
    } else {
      for (const c of containers) {
        // docker compose writes "db:service_started:false,cache:service_healthy:false" (the last: restart).
        const parsed = (c.labels[LABEL.dependsOn] ?? '')
          .split(',')
          .filter(Boolean)
          .map((d) => {
            const [name, condition] = d.split(':');
            const known = ['service_healthy', 'service_completed_successfully'].includes(condition ?? '');
            return { name: name!, condition: (known ? condition : 'service_started') as DependencyCondition, required: true };
          });
        edges.set(c.service ?? c.name, parsed);
      }
    }
    const nodes = [...edges].map(([name, list]) => ({ name, dependsOn: list.map((d) => d.name) }));
    let order: string[];
    try {
      order = startOrder(nodes);
    } catch {
      order = nodes.map((n) => n.name);
    }
    for (const c of containers) {
      const name = c.service ?? c.name;
      if (!order.includes(name)) order.push(name);
    }
    const stopTimeout = (service: string) => {
      const ms = resolved?.project?.services.find((s) => s.name === service)?.stopGracePeriodMs;
      return ms === undefined ? undefined : Math.ceil(ms / 1000);
    };
    // A finished init job stays finished when the whole stack starts or restarts (as a relaunch
    // keeps it): running it again would redo its work. Started on its own, it runs.
    const oneShots = resolved?.project ? oneShotServices(resolved.project) : new Set<string>();
    const finished = (c: Member) => oneShots.has(c.service ?? '') && c.state === 'exited' && c.exitCode === 0;
    const needs = (service: string) => edges.get(service) ?? [];
    return { project, containers, order, stopTimeout, finished, needs, ...(resolved ? { def: resolved } : {}) };
  };

  /** The services `service` needs, dependencies first, each started and waited for as its condition asks. */
  const startDependencies = async (m: Awaited<ReturnType<typeof members>>, service: string) => {
    const chain: { name: string; condition: DependencyCondition; required: boolean }[] = [];
    const seen = new Set<string>([service]);
    const visit = (name: string) => {
      for (const need of m.needs(name)) {
        if (seen.has(need.name)) continue;
        seen.add(need.name);
        visit(need.name);
        chain.push(need);
      }
    };
    visit(service);
    for (const need of chain) {
      const found = m.containers.filter((c) => (c.service ?? c.name) === need.name);
      if (found.length === 0) {
        if (!need.required) continue;
        throw new AppError(
          'NOT_FOUND',
          `"${service}" needs "${need.name}", which has no container yet: launch the stack (or that service) first`,
        );
      }
      for (const c of found) {
        // A finished one-off job (a migration) has done its work: it is not run again.
        if (m.finished(c)) continue;
        if (!RUNNING.has(c.state)) await deps.ops.start(c.id);
        await reachedCondition(c.id, need.name, need.condition);
      }
    }
  };

  const reachedCondition = async (id: string, name: string, condition: DependencyCondition) => {
    if (condition === 'service_completed_successfully') {
      const code = await deps.ops.waitExit(id, AbortSignal.timeout(DEPENDENCY_WAIT_MS));
      if (code !== 0)
        throw new AppError('ENGINE_ERROR', `"${name}" ended with exit code ${code}; what depends on it was not started`);
      return;
    }
    if (condition !== 'service_healthy') return;
    const until = Date.now() + DEPENDENCY_WAIT_MS;
    for (;;) {
      const facts = await deps.ops.inspect(id);
      if (facts.health === 'healthy' || !facts.hasHealthcheck) return;
      if (facts.health === 'unhealthy' || !facts.running) {
        throw new AppError(
          'ENGINE_ERROR',
          `"${name}" is ${facts.running ? 'unhealthy' : 'not running'}; what depends on it was not started`,
        );
      }
      if (Date.now() > until) throw new AppError('TIMEOUT', `"${name}" did not become healthy in ${DEPENDENCY_WAIT_MS / 1000} s`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  const pick = (containers: Member[], order: string[], service?: string) => {
    const byService = (name: string) => containers.filter((c) => (c.service ?? c.name) === name);
    if (service) {
      const found = byService(service);
      if (found.length === 0) throw new AppError('NOT_FOUND', `The stack has no container for service "${service}"`);
      return found;
    }
    return order.flatMap(byService);
  };

  const detail = async (id: string): Promise<StackDetail> => {
    await ready;
    const external = externalProject(id);
    if (external) {
      const summary = collection!.get(id);
      if (!summary) throw new AppError('NOT_FOUND', `No Compose project "${external}" on this engine`);
      return { ...summary, issues: [], variables: [], editable: false };
    }
    const def = await deps.definitions.get(id);
    const resolved = await resolve(def);
    const summary = collection!.get(id) ?? (await refreshViews(), collection!.get(id));
    if (!summary) throw new AppError('NOT_FOUND', `No stack "${id}"`);
    return {
      ...summary,
      yaml: def.yaml,
      ...(def.file ? { file: def.file } : {}),
      workingDir: def.workingDir,
      issues: resolved.issues,
      variables: resolved.variables,
      editable: true,
      ...(resolved.reachableFromOtherComputers !== undefined
        ? { reachableFromOtherComputers: resolved.reachableFromOtherComputers }
        : {}),
      profiles: resolved.profiles.all.map((name) => ({ name, active: resolved.profiles.active.includes(name) })),
      overrideFiles: resolved.overrideFiles.filter((f): f is { path: string; origin: 'auto' | 'user' } => f.origin !== 'gpu'),
      ...(resolved.gpuOffers.length > 0
        ? {
            gpu: {
              offers: resolved.gpuOffers,
              ...(def.state.gpu ? { chosen: def.state.gpu } : {}),
              machine: engineHere() ? await detectGpus(gpuFs) : null,
            },
          }
        : {}),
      containerNames: def.state.containerNames ?? 'docker-compose',
    };
  };

  const ensureUniqueProject = async (project: string, exceptId?: string) => {
    await ready;
    const other = views.find((v) => v.project === project && v.id !== exceptId);
    if (other)
      throw new AppError('CONFLICT', `The stack "${other.title}" already uses the name "${project}": choose another name`);
  };

  const addUserStack = async (input: {
    yaml: string;
    name?: string;
    fallbackName: string;
    importedFrom?: string;
    workingDir?: string;
  }) => {
    const doc = parseDocument(input.yaml);
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      throw new AppError('INVALID_INPUT', `Not a Compose file: ${e.message.split('\n')[0]}`);
    }
    const raw = doc.toJS() as { services?: unknown; name?: unknown } | null;
    if (!raw || typeof raw !== 'object' || typeof raw.services !== 'object' || raw.services === null) {
      throw new AppError('INVALID_INPUT', 'Not a Compose file: it has no "services" mapping');
    }
    const fileName = typeof raw.name === 'string' && /^[a-z0-9][a-z0-9_-]*$/.test(raw.name) ? raw.name : undefined;
    const project = input.name ?? fileName ?? idFrom(input.fallbackName);
    const id = idFrom(project);
    await ensureUniqueProject(project);
    await deps.definitions.create({
      id,
      yaml: input.yaml,
      ...(input.name ? { project: input.name } : {}),
      ...(input.importedFrom ? { importedFrom: input.importedFrom } : {}),
      ...(input.workingDir ? { workingDir: input.workingDir } : {}),
    });
    await scheduleRefresh();
    return detail(id);
  };

  const planFor = async (resolved: ResolvedStack, rebuild: boolean, services?: string[]): Promise<StackPlan> => {
    fileErrors(resolved, 'The stack’s file has errors');
    const endpoint = deps.endpoint();
    for (const name of services ?? []) {
      if (!resolved.project!.services.some((s) => s.name === name))
        throw new AppError('NOT_FOUND', `The stack has no service "${name}"`);
    }
    const observed = await observeStack(resolved.project!, {
      ops: deps.ops,
      ...(remoteHost(endpoint) ? {} : { hostPortFree }),
      ...(engineHere() ? { cdiDevices: () => readCdiDevices(gpuFs) } : {}),
    });
    return planStack(resolved.project!, observed, {
      rebuild,
      hostAccess: resolved.hostAccess,
      profiles: resolved.profiles.active,
      ...(services?.length ? { services } : {}),
    });
  };

  return {
    collection,
    ready,
    list: async () => {
      await ready;
      return collection!.items();
    },
    get: detail,

    async validate(yaml: string, id?: string): Promise<ValidationResult> {
      const base = id && !externalProject(id) ? await deps.definitions.get(id).catch(() => undefined) : undefined;
      const def: StackDefinition = base
        ? { ...base, yaml }
        : {
            id: 'stack',
            source: 'user',
            yaml,
            workingDir: deps.homeDir,
            modified: false,
            state: { variables: {}, generated: {} },
          };
      const resolved = await resolve(def);
      return {
        issues: resolved.issues,
        services: resolved.project?.services.map((s) => s.name) ?? [],
        variables: resolved.variables,
        project: resolved.projectName,
      };
    },

    async plan(
      id: string,
      variables: Record<string, string> | undefined,
      rebuild: boolean,
      services?: string[],
    ): Promise<StackPlan> {
      if (externalProject(id))
        throw new AppError('INVALID_INPUT', 'This stack was started by another tool: import its Compose file to launch it here');
      const def = await deps.definitions.ensureGenerated(id);
      return planFor(await resolve(def, variables), rebuild, services);
    },

    async launch(
      args: { id: string; variables?: Record<string, string>; rebuild: boolean; services?: string[] },
      emit: (event: LaunchEvent) => void,
      signal: AbortSignal,
    ): Promise<void> {
      if (externalProject(args.id)) {
        throw new AppError('INVALID_INPUT', 'This stack was started by another tool: import its Compose file to launch it here');
      }
      if (launching.has(args.id)) throw new AppError('CONFLICT', 'This stack is being launched already');
      launching.add(args.id);
      collection!.update();
      try {
        const def = await deps.definitions.ensureGenerated(args.id);
        const resolved = await resolve(def, args.variables);
        const plan = await planFor(resolved, args.rebuild, args.services);
        const endpoint = deps.endpoint();
        const host = remoteHost(endpoint);
        await launchStack(
          {
            ops: deps.ops,
            images: deps.images,
            wait: {
              probe: (h, port, s) => probePort(h, port, s),
              probeHost: host ?? '127.0.0.1',
            },
            linkHost: linkHost(),
          },
          {
            stackId: def.id,
            project: resolved.project!,
            plan,
            ...(def.file ? { configFile: def.file } : {}),
            ...(engineHere() ? {} : { remoteEngine: true }),
          },
          emit,
          signal,
        ).catch((error: unknown) => {
          throw withImageOrigin(error, def.yaml);
        });
      } finally {
        launching.delete(args.id);
        collection!.update();
      }
    },

    /**
     * The page only asks main to ask: the yes comes from the user through deps.consent (a dialog,
     * or a code printed in the terminal), never from the call itself.
     */
    async confirmHostAccess(id: string, fingerprint: string, code?: string): Promise<HostAccessConfirmation> {
      if (externalProject(id)) throw new AppError('INVALID_INPUT', 'This stack was started by another tool: it has no file here');
      const resolved = await resolve(await deps.definitions.ensureGenerated(id));
      fileErrors(resolved, 'The stack’s file has errors');
      const access = resolved.hostAccess;
      if (access.fingerprint !== fingerprint) {
        throw new AppError(
          'CONFLICT',
          'What this stack uses on this computer changed since the list was shown: read the new list, then confirm again',
          { hostAccess: access },
        );
      }
      if (!access.needsConfirmation) return { state: 'confirmed' };
      const pending = pendingConsent(await deps.consent.ask(hostAccessConsentRequest(resolved.projectName, access, code)));
      if (pending) return pending;
      // What the user allowed is the list shown (this fingerprint): if the file changed while the
      // dialog was open, the launch finds another fingerprint and asks again.
      await deps.definitions.confirmHostAccess(id, fingerprint);
      return { state: 'confirmed' };
    },

    async setReachable(id: string, reachable: boolean): Promise<StackDetail> {
      if (externalProject(id)) throw new AppError('INVALID_INPUT', 'This stack was started by another tool: it has no file here');
      const def = await deps.definitions.get(id);
      if ((await resolve(def)).reachableFromOtherComputers === undefined) {
        throw new AppError(
          'INVALID_INPUT',
          `This stack’s file does not publish on \${${BIND_ADDRESS_VARIABLE}}: choose the address in its ports instead`,
        );
      }
      // Off clears the saved choice; if the variable still comes from elsewhere (the
      // environment), loopback is saved explicitly so that off means off.
      await deps.definitions.setVariables(id, { [BIND_ADDRESS_VARIABLE]: reachable ? '0.0.0.0' : '' });
      if (!reachable && (await resolve(await deps.definitions.get(id))).reachableFromOtherComputers) {
        await deps.definitions.setVariables(id, { [BIND_ADDRESS_VARIABLE]: '127.0.0.1' });
      }
      await scheduleRefresh();
      return detail(id);
    },

    async start(id: string, service?: string): Promise<void> {
      const m = await members(id);
      // One service starts after what it depends on, each as its condition asks (`docker compose
      // start web` and `up web` do so): a web app started alone would otherwise find no database.
      if (service !== undefined) await startDependencies(m, service);
      for (const c of pick(m.containers, m.order, service)) {
        if (!RUNNING.has(c.state) && !(service === undefined && m.finished(c))) await deps.ops.start(c.id);
      }
    },

    async stop(id: string, service: string | undefined, timeoutSeconds?: number): Promise<void> {
      const m = await members(id);
      for (const c of pick(m.containers, m.order, service).reverse()) {
        if (RUNNING.has(c.state) || c.state === 'created') {
          await deps.ops.stop(c.id, timeoutSeconds ?? m.stopTimeout(c.service ?? ''));
        }
      }
    },

    async restart(id: string, service: string | undefined, timeoutSeconds?: number): Promise<void> {
      const m = await members(id);
      const chosen = pick(m.containers, m.order, service);
      // Stop in reverse dependency order, start in order: dependents never see their dependency go first.
      for (const c of [...chosen].reverse()) {
        if (RUNNING.has(c.state)) await deps.ops.stop(c.id, timeoutSeconds ?? m.stopTimeout(c.service ?? ''));
      }
      for (const c of chosen) if (service !== undefined || !m.finished(c)) await deps.ops.start(c.id);
    },

    async remove(
      id: string,
      options: { deleteVolumes: boolean; confirmName?: string; timeoutSeconds?: number },
    ): Promise<RemoveResult> {
      if (launching.has(id)) throw new AppError('CONFLICT', 'The stack is being launched: cancel the launch first');
      const m = await members(id);
      if (options.deleteVolumes && options.confirmName !== m.project) {
        throw new AppError('INVALID_INPUT', `To delete the data, type the stack’s name exactly: ${m.project}`);
      }
      const result: RemoveResult = { containers: [], networks: [], volumesRemoved: [], volumesKept: [] };
      const removeAll = async (containers: Member[]) => {
        // Dependents first, as `compose down` does.
        const ordered = pick(containers, m.order).reverse();
        for (const c of containers) if (!ordered.includes(c)) ordered.push(c);
        for (const c of ordered) {
          if (RUNNING.has(c.state)) await deps.ops.stop(c.id, options.timeoutSeconds ?? m.stopTimeout(c.service ?? ''));
          await deps.ops.remove(c.id, { volumes: options.deleteVolumes });
          if (!result.containers.includes(c.name)) result.containers.push(c.name);
        }
      };
      await removeAll(m.containers);
      // A container created while we removed (a restart policy, another tool) would hold the
      // network: look again until the project has none left, then remove what they used.
      for (let round = 0; round < 5; round++) {
        const left = await deps.ops.projectContainers(m.project);
        if (left.length === 0) break;
        await removeAll(left);
      }
      const fileNetworks = m.def?.project?.networks.filter((n) => !n.external).map((n) => n.name) ?? [];
      const networks = new Set([...fileNetworks, ...(await deps.ops.projectNetworks(m.project))]);
      for (const name of networks) {
        if (await deps.ops.networkExists(name)) {
          await deps.ops.removeNetwork(name);
          result.networks.push(name);
        }
      }
      const fileVolumes = m.def?.project?.volumes.filter((v) => !v.external).map((v) => v.name) ?? [];
      const volumes = new Set([...fileVolumes, ...(await deps.ops.projectVolumes(m.project))]);
      for (const name of volumes) {
        if (!(await deps.ops.volumeExists(name))) continue;
        if (options.deleteVolumes && (await deps.ops.removeVolume(name))) result.volumesRemoved.push(name);
        else result.volumesKept.push(name);
      }
      return result;
    },

    async importText(input: { yaml: string; fileName?: string; name?: string }) {
      return addUserStack({
        yaml: input.yaml,
        ...(input.name ? { name: input.name } : {}),
        fallbackName: input.fileName ?? 'stack',
      });
    },

    async importFromHost(input: { name?: string }): Promise<StackDetail | null> {
      const [path] = await deps.hostFiles.chooseOpenPaths({
        title: 'Import a Compose file',
        filters: [{ name: 'Compose files', extensions: ['yaml', 'yml'] }],
      });
      if (!path) return null;
      const yaml = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new AppError('NOT_FOUND', `${path} cannot be read (${error.code ?? error.message})`);
      });
      return addUserStack({
        yaml,
        ...(input.name ? { name: input.name } : {}),
        fallbackName: projectFromPath(path),
        importedFrom: path,
        workingDir: dirname(path),
      });
    },

    async save(id: string, yaml: string): Promise<StackDetail> {
      if (externalProject(id))
        throw new AppError('INVALID_INPUT', 'This stack was started by another tool: import its Compose file to edit it');
      const def = await deps.definitions.get(id);
      const resolved = await resolve({ ...def, yaml });
      // A value still to be set in the Variables is no reason to refuse the file.
      fileErrors(resolved, 'Not saved, the file has errors', true);
      await ensureUniqueProject(resolved.projectName, id);
      await deps.definitions.save(id, yaml);
      await scheduleRefresh();
      return detail(id);
    },

    async revert(id: string): Promise<StackDetail> {
      await deps.definitions.revert(id);
      await scheduleRefresh();
      return detail(id);
    },

    /** The profiles turned on for this stack (kept with it); a relaunch applies them. */
    async setProfiles(id: string, profiles: string[]): Promise<StackDetail> {
      if (externalProject(id)) throw new AppError('INVALID_INPUT', 'This stack was started by another tool: it has no file here');
      const resolved = await resolve(await deps.definitions.get(id));
      const unknown = profiles.filter((p) => !resolved.profiles.all.includes(p));
      if (unknown.length > 0)
        throw new AppError('INVALID_INPUT', `The file has no profile ${unknown.map((p) => `"${p}"`).join(', ')}`);
      await deps.definitions.setOptions(id, { profiles });
      await scheduleRefresh();
      return detail(id);
    },

    /** Asks for an override file (main's own dialog) and merges it after the stack's file. null = cancelled. */
    async addOverride(id: string): Promise<StackDetail | null> {
      if (externalProject(id)) throw new AppError('INVALID_INPUT', 'This stack was started by another tool: it has no file here');
      const def = await deps.definitions.get(id);
      const [path] = await deps.hostFiles.chooseOpenPaths({
        title: 'Add a Compose override file',
        filters: [{ name: 'Compose files', extensions: ['yaml', 'yml'] }],
      });
      if (!path) return null;
      const overrides = [...(def.state.overrides ?? []).filter((p) => p !== path), path];
      // Refused before it is kept: a file with errors would stop every launch of the stack.
      const resolved = await resolve({ ...def, state: { ...def.state, overrides } });
      fileErrors(resolved, `Not added: ${path} has errors`, true);
      await deps.definitions.setOptions(id, { overrides });
      await scheduleRefresh();
      return detail(id);
    },

    async removeOverride(id: string, index: number): Promise<StackDetail> {
      if (externalProject(id)) throw new AppError('INVALID_INPUT', 'This stack was started by another tool: it has no file here');
      const def = await deps.definitions.get(id);
      const overrides = def.state.overrides ?? [];
      if (index < 0 || index >= overrides.length) throw new AppError('NOT_FOUND', 'No such override file');
      await deps.definitions.setOptions(id, { overrides: overrides.filter((_, i) => i !== index) });
      await scheduleRefresh();
      return detail(id);
    },

    /** "Use the GPU": merges the file's GPU override for that vendor (null: none). */
    async setGpu(id: string, gpu: 'nvidia' | 'amd' | null): Promise<StackDetail> {
      if (externalProject(id)) throw new AppError('INVALID_INPUT', 'This stack was started by another tool: it has no file here');
      const def = await deps.definitions.get(id);
      if (gpu && !(await resolve(def)).gpuOffers.includes(gpu)) {
        throw new AppError('INVALID_INPUT', `This stack offers no ${gpu === 'nvidia' ? 'NVIDIA' : 'AMD'} GPU choice`);
      }
      await deps.definitions.setOptions(id, { gpu });
      await scheduleRefresh();
      return detail(id);
    },

    /** Container names as docker compose or as podman-compose 1.x gives them; a relaunch renames (recreates) them. */
    async setContainerNames(id: string, naming: ContainerNaming): Promise<StackDetail> {
      if (externalProject(id)) throw new AppError('INVALID_INPUT', 'This stack was started by another tool: it has no file here');
      await deps.definitions.setOptions(id, { containerNames: naming });
      await scheduleRefresh();
      return detail(id);
    },

    async setVariables(id: string, values: Record<string, string>): Promise<StackDetail> {
      if (externalProject(id))
        throw new AppError('INVALID_INPUT', 'This stack was started by another tool: it has no variables here');
      await deps.definitions.setVariables(id, values);
      await scheduleRefresh();
      return detail(id);
    },

    async deleteDefinition(id: string): Promise<void> {
      if (externalProject(id)) throw new AppError('INVALID_INPUT', 'This stack has no file here to delete');
      if (launching.has(id)) throw new AppError('CONFLICT', 'The stack is being launched: cancel the launch first');
      await deps.definitions.remove(id);
      await scheduleRefresh();
    },

    async exportKube(id: string, save: boolean): Promise<{ yaml: string; path?: string }> {
      const m = await members(id);
      const names = pick(m.containers, m.order).map((c) => c.name);
      if (names.length === 0)
        throw new AppError('NOT_FOUND', 'Launch the stack first: Kubernetes YAML is made from its containers');
      const yaml = await deps.ops.generateKube(names);
      if (!save) return { yaml };
      const path = await deps.hostFiles.chooseSavePath({
        suggestedName: `${m.project}-kube.yaml`,
        title: 'Save Kubernetes YAML',
      });
      if (!path) return { yaml };
      await saveText(path, yaml);
      return { yaml, path };
    },

    async logs(
      args: { id: string; service?: string; tail: number; follow: boolean },
      emit: (line: StackLogLine) => void,
      signal: AbortSignal,
    ): Promise<void> {
      const m = await members(args.id);
      const chosen = pick(m.containers, m.order, args.service);
      await streamStackLogs(
        deps.engine(),
        chosen.map((c) => ({ id: c.id, service: c.service ?? c.name })),
        { tail: args.tail, follow: args.follow },
        emit,
        signal,
      );
    },

    watch(listener: Parameters<StackCollection['subscribe']>[0]) {
      return collection!.subscribe(listener);
    },

    /** Stops following containers and waits for the files being written (a generated token). */
    async close() {
      closed = true;
      collection?.close();
      await refreshing.catch(() => undefined);
      await deps.definitions.settled();
    },
  };
}

function titleFrom(yaml: string): string | undefined {
  try {
    const raw = parseDocument(yaml).toJS() as { 'x-poddesk'?: { title?: unknown } } | null;
    const title = raw?.['x-poddesk']?.title;
    return typeof title === 'string' ? title : undefined;
  } catch {
    return undefined;
  }
}

export type { StackSummary };

/** A pull that failed says where the file names that image: the variable to change, or the line. */
function withImageOrigin(error: unknown, yaml: string): unknown {
  const details = error instanceof AppError ? (error.details as { pullFailed?: PullFailure } | undefined) : undefined;
  const failed = details?.pullFailed;
  if (!failed || !(error instanceof AppError)) return error;
  let origin = {};
  try {
    origin = imageOrigin(yaml, failed.services[0]!);
  } catch {
    // A file that parsed for the launch parses here; if not, the failure goes without the origin.
  }
  return new AppError(error.code, error.message, { ...details, pullFailed: { ...failed, ...origin } });
}
