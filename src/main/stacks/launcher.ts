import type { DependencyCondition } from './compose/model';
import type { LaunchEvent, LaunchStepKind, StackLink, StackPlan } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { ComposeProject, ServiceSpec } from './compose/model';
import { LABEL, projectLabels } from './container-spec';
import { buildOptions, sharedRemovals, upService } from './container-up';
import type { StackEngineOps } from './engine-ops';
import { waitReady, type Readiness, type WaitDeps } from './health';
import type { StackImages } from './images';
import { serviceLinks } from './links';

/**
 * Carries out a plan: images (pulled in parallel, built one at a time) → networks and volumes →
 * containers, each started once what it depends on has reached its condition → every service
 * ready → the links. Images come first so that an image that cannot be had stops the launch
 * before the stack has anything. Each step is reported as it starts and ends; what exists when
 * a step fails stays, and the next launch's plan completes it.
 */
export interface LaunchDeps {
  ops: StackEngineOps;
  images: StackImages;
  wait: Omit<WaitDeps, 'ops'>;
  /** Host used in the links ("localhost", or a remote engine's host). */
  linkHost: string;
  /** Reads a file of this computer (build secrets; secrets and configs for a remote engine). */
  readFile?: (path: string) => Promise<Buffer>;
}

export interface LaunchInput {
  stackId: string;
  project: ComposeProject;
  plan: StackPlan;
  configFile?: string;
  /** The engine cannot see this computer's files: secrets and configs from files are copied in. */
  remoteEngine?: boolean;
}

function problemsError(plan: StackPlan): AppError {
  const [first, ...rest] = plan.problems;
  const more = rest.length ? ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})` : '';
  const ports = plan.problems.some((p) => /port/i.test(p.message) && /in use/i.test(p.message));
  return new AppError(ports ? 'CONFLICT' : 'INVALID_INPUT', `Nothing was created: ${first!.message}${more}`, {
    problems: plan.problems,
  });
}

const describe = (readiness: Readiness, service: ServiceSpec) =>
  readiness === 'healthy'
    ? 'healthy'
    : readiness === 'answering'
      ? `answering on port ${service.ports.find((p) => p.published)?.published ?? ''}`.trim()
      : readiness === 'completed'
        ? 'finished successfully'
        : 'running';

export async function launchStack(
  deps: LaunchDeps,
  input: LaunchInput,
  emit: (event: LaunchEvent) => void,
  outer: AbortSignal,
): Promise<void> {
  const { project, plan } = input;
  const { ops } = deps;
  emit({ type: 'plan', plan });
  if (plan.problems.length > 0) throw problemsError(plan);
  if (plan.hostAccess.needsConfirmation) {
    const n = plan.hostAccess.items.length;
    throw new AppError(
      'NEEDS_CONFIRMATION',
      `Nothing was created: this stack uses ${n === 1 ? 'one thing' : `${n} things`} on this computer beyond its own volumes. ` +
        'Read the list and confirm it to launch.',
      { hostAccess: plan.hostAccess },
    );
  }

  // One failure stops the work still in flight (pulls, health waits), not only the caller's abort.
  const controller = new AbortController();
  const abort = () => controller.abort();
  outer.addEventListener('abort', abort, { once: true });
  const signal = controller.signal;
  const check = () => {
    if (outer.aborted)
      throw new AppError('CANCELLED', 'Launch cancelled: what was created so far is kept; launch again to finish');
  };

  /** Steps still running: when one fails, the others are let finish (aborted) so none is left "running". */
  const inflight = new Set<Promise<unknown>>();
  const step = <T>(id: string, kind: LaunchStepKind, label: string, work: () => Promise<T>, done?: (result: T) => string) => {
    const p = runStep(id, kind, label, work, done);
    inflight.add(p);
    void p.finally(() => inflight.delete(p)).catch(() => undefined);
    return p;
  };
  const runStep = async <T>(
    id: string,
    kind: LaunchStepKind,
    label: string,
    work: () => Promise<T>,
    done?: (result: T) => string,
  ) => {
    check();
    emit({ type: 'step', id, kind, label, status: 'running' });
    try {
      const result = await work();
      emit({ type: 'step', id, kind, label, status: 'done', ...(done ? { detail: done(result) } : {}) });
      return result;
    } catch (error) {
      const cancelled = outer.aborted || (error instanceof AppError && error.code === 'CANCELLED');
      // Cut short because another step failed (a health wait still in flight): not a failure of
      // its own, and the service may well be fine.
      if (!outer.aborted && signal.aborted) {
        emit({ type: 'step', id, kind, label, status: 'skipped', detail: 'stopped: another step failed' });
        throw error;
      }
      const detail = cancelled ? 'cancelled' : error instanceof Error ? error.message : String(error);
      emit({ type: 'step', id, kind, label, status: 'failed', detail });
      controller.abort();
      if (cancelled) check();
      throw error;
    }
  };

  try {
    if (plan.upToDate) {
      emit({ type: 'done', nothingToDo: true, links: await currentLinks(deps, project, plan) });
      return;
    }

    // Nothing of the stack exists while its images are fetched: a failure there says so.
    try {
      await fetchImages(deps, project, plan, emit, step, signal);
    } catch (error) {
      const untouched = plan.services.every((s) => s.action === 'create');
      if (error instanceof AppError && error.code !== 'CANCELLED' && untouched) {
        throw new AppError(error.code, `Nothing was created: ${error.message}`, error.details);
      }
      throw error;
    }

    for (const network of plan.networks.filter((n) => n.action === 'create')) {
      const spec = project.networks.find((n) => n.key === network.key)!;
      await step(`network:${network.name}`, 'network', `Create network ${network.name}`, () =>
        tolerateExisting(
          ops.createNetwork({
            name: network.name,
            labels: { ...spec.labels, ...projectLabels(project.name), [LABEL.network]: network.key },
            internal: spec.internal,
            ...(spec.driver ? { driver: spec.driver } : {}),
            options: spec.options,
            enableIpv6: spec.enableIpv6,
            ...(spec.ipam ? { ipam: spec.ipam } : {}),
          }),
        ),
      );
    }
    for (const volume of plan.volumes.filter((v) => v.action === 'create')) {
      const spec = project.volumes.find((v) => v.key === volume.key)!;
      await step(`volume:${volume.name}`, 'volume', `Create volume ${volume.name}`, () =>
        tolerateExisting(
          ops.createVolume({
            name: volume.name,
            labels: { ...spec.labels, ...projectLabels(project.name), [LABEL.volume]: volume.key },
            ...(spec.driver ? { driver: spec.driver } : {}),
            options: spec.options,
          }),
        ),
      );
    }

    const existing = await ops.projectContainers(project.name);
    for (const orphan of plan.orphans) {
      const container = existing.find((c) => c.name === orphan.name);
      if (!container) continue;
      await step(`container:${orphan.service}`, 'container', `Remove ${orphan.name} (no longer in the file)`, () =>
        ops.remove(container.id),
      );
    }

    for (const c of sharedRemovals(project, plan, existing)) {
      await step(
        `container:${c.service}:shared`,
        'container',
        `Remove ${c.name} (it shares a namespace with a container that is recreated)`,
        () => ops.remove(c.id),
      );
      existing.splice(existing.indexOf(c), 1);
    }

    const byName = new Map(project.services.map((s) => [s.name, s]));
    const replicaIds = new Map<string, string[]>();
    const upPromises = new Map<string, Promise<string>>();
    const waits = { healthy: new Map<string, Promise<Readiness>>(), completed: new Map<string, Promise<Readiness>>() };

    /** Each service is waited for once per kind, however many services wait on it. */
    const waitFor = (name: string, want: 'healthy' | 'completed'): Promise<Readiness> => {
      let p = waits[want].get(name);
      if (!p) {
        const service = byName.get(name)!;
        const label = want === 'healthy' ? `Wait for ${name}` : `Wait for ${name} to finish`;
        p = up(name).then((id) =>
          step(
            `health:${name}`,
            'health',
            label,
            // Every replica must get there; the first one's answer describes them.
            async () =>
              (
                await Promise.all(
                  (replicaIds.get(name) ?? [id]).map((one) => waitReady({ ...deps.wait, ops }, service, one, want, signal)),
                )
              )[0]!,
            (r) => describe(r, service),
          ),
        );
        waits[want].set(name, p);
      }
      return p;
    };
    const ready = (name: string) => waitFor(name, 'healthy');
    const completed = (name: string) => waitFor(name, 'completed');
    const reached = (name: string, condition: DependencyCondition): Promise<unknown> =>
      condition === 'service_healthy' ? ready(name) : condition === 'service_completed_successfully' ? completed(name) : up(name);

    function up(name: string): Promise<string> {
      let p = upPromises.get(name);
      if (p) return p;
      const service = byName.get(name)!;
      const planned = plan.services.find((s) => s.name === name)!;
      p = (async () => {
        for (const [dep, d] of Object.entries(service.dependsOn)) {
          // Not part of this launch: an optional dependency whose profile is off.
          if (!plan.services.some((s) => s.name === dep)) continue;
          if (d.required) await reached(dep, d.condition);
          // An optional dependency that fails does not hold the service back (compose's `required: false`).
          else await reached(dep, d.condition).catch(() => undefined);
        }
        const current = existing.find((c) => c.service === name);
        const label = { create: 'Create and start', recreate: 'Recreate and start', start: 'Start', keep: 'Keep' }[
          planned.action
        ];
        if (planned.action === 'keep' && current) {
          emit({
            type: 'step',
            id: `container:${name}`,
            kind: 'container',
            label: `${planned.container} is up to date`,
            status: 'skipped',
          });
          return current.id;
        }
        const replicas = planned.replicas && planned.replicas > 1 ? ` (${planned.replicas} containers)` : '';
        const ids = await step(`container:${name}`, 'container', `${label} ${planned.container}${replicas}`, () =>
          upService(ops, project, service, planned, existing, {
            stackId: input.stackId,
            ...(input.configFile ? { configFile: input.configFile } : {}),
            ...(input.remoteEngine ? { remoteEngine: true } : {}),
            ...(deps.readFile ? { readFile: deps.readFile } : {}),
          }),
        );
        replicaIds.set(name, ids);
        return ids[0]!;
      })();
      upPromises.set(name, p);
      return p;
    }

    for (const name of plan.order) await up(name);
    // Ready means: healthy where there is a healthcheck, answering where a port is published,
    // finished for a one-shot job, running otherwise.
    await Promise.all(plan.order.map((name) => waits.completed.get(name) ?? ready(name)));
    emit({ type: 'done', nothingToDo: false, links: await currentLinks(deps, project, plan) });
  } catch (error) {
    controller.abort();
    await settled(inflight, 5_000);
    throw error;
  } finally {
    outer.removeEventListener('abort', abort);
    controller.abort();
  }
}

type Step = <T>(
  id: string,
  kind: LaunchStepKind,
  label: string,
  work: () => Promise<T>,
  done?: (result: T) => string,
) => Promise<T>;

/** Pulls side by side, builds one at a time (they compete for the CPU). */
async function fetchImages(
  deps: LaunchDeps,
  project: ComposeProject,
  plan: StackPlan,
  emit: (event: LaunchEvent) => void,
  step: Step,
  signal: AbortSignal,
): Promise<void> {
  const { images } = deps;
  await Promise.all(
    plan.images
      .filter((i) => i.action === 'pull')
      .map((image) =>
        step(`image:${image.ref}`, 'image', `Pull ${image.ref}`, () => {
          const platform = project.services.find((s) => s.name === image.services[0])?.platform;
          return images
            .pull(image.ref, (progress) => emit({ type: 'pull', image: image.ref, progress }), signal, platform)
            .catch((error: unknown) => {
              // Which image could not be pulled, for whom: the page offers a retry, a file, or another image.
              if (!(error instanceof AppError) || error.code === 'CANCELLED') throw error;
              const details = typeof error.details === 'object' && error.details !== null ? error.details : {};
              throw new AppError(error.code, error.message, {
                ...details,
                pullFailed: { image: image.ref, services: image.services },
              });
            });
        }),
      ),
  );
  for (const image of plan.images.filter((i) => i.action === 'build')) {
    const service = project.services.find((s) => s.name === image.services[0])!;
    await step(`image:${image.ref}`, 'image', `Build ${image.ref}`, async () =>
      images.build(
        await buildOptions(project, service, image.ref, deps.readFile),
        (text) => {
          for (const line of text.split('\n')) if (line.trim()) emit({ type: 'build-log', image: image.ref, line });
        },
        signal,
      ),
    );
  }
}

/** Waits for the promises to settle, at most `ms` (a health check's exec cannot be interrupted). */
async function settled(promises: Set<Promise<unknown>>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled([...promises]),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

async function tolerateExisting(work: Promise<void>): Promise<void> {
  try {
    await work;
  } catch (error) {
    // Made by someone else between the plan and now: what we wanted exists.
    if (error instanceof AppError && error.code === 'CONFLICT' && /exist/i.test(error.message)) return;
    throw error;
  }
}

async function currentLinks(
  deps: LaunchDeps,
  project: ComposeProject,
  plan: StackPlan,
): Promise<(StackLink & { service: string })[]> {
  const containers = await deps.ops.projectContainers(project.name);
  const links: (StackLink & { service: string })[] = [];
  for (const name of plan.order) {
    const service = project.services.find((s) => s.name === name)!;
    const container = containers.find((c) => c.service === name);
    if (!container || container.state !== 'running') continue;
    for (const link of serviceLinks(container.ports, service.extras, deps.linkHost)) links.push({ ...link, service: name });
  }
  return links;
}
