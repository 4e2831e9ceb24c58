import { readFile as nodeReadFile } from 'node:fs/promises';
import type { StackPlan } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { ComposeProject, FileObjectSource, ServiceSpec } from './compose/model';
import { containerName, filesToCopy, otherNamingName, toSpecGenerator, type SpecOptions } from './container-spec';
import type { StackEngineOps } from './engine-ops';
import type { StackBuild } from './images';
import { sharedServices } from './planner';

/**
 * A service's containers brought to what the plan says: each replica (<project>-<service>-<n>, or _)
 * created where missing (secrets and configs written in before it starts, as docker compose does
 * for those it does not bind-mount), started where stopped, all recreated when the service
 * changed. Kept apart from the launcher, which decides when; this is the how.
 */
type Member = Awaited<ReturnType<StackEngineOps['projectContainers']>>[number];

export interface UpOptions extends Omit<SpecOptions, 'replica' | 'imageHealthTest'> {
  /** Reads a file of this computer (a secret for a remote engine, a build secret). */
  readFile?: (path: string) => Promise<Buffer>;
}

const readLocal = (path: string) => nodeReadFile(path);

export async function upService(
  ops: StackEngineOps,
  project: ComposeProject,
  service: ServiceSpec,
  planned: StackPlan['services'][number],
  existing: Member[],
  options: UpOptions,
): Promise<string[]> {
  const replicas = Math.max(service.replicas, 1);
  const mine = existing.filter((c) => c.service === service.name);
  const byReplica = (n: number) =>
    mine.find((c) => c.name === containerName(project, service, n)) ??
    // One named the other way (the stack's naming changed): its anonymous volumes carry over.
    mine.find((c) => c.name === otherNamingName(project, service, n)) ??
    // A container made before PodDesk numbered replicas (or named by another tool) is replica 1.
    (n === 1 && replicas === 1 ? mine[0] : undefined);
  // docker compose carries a recreated container's anonymous volumes (an image's VOLUME, a
  // `- /path` entry) over to its successor, so an edit does not lose a database's data.
  const carried = new Map<number, { name: string; destination: string }[]>();
  if (planned.action === 'recreate') {
    for (let n = 1; n <= replicas; n++) {
      const old = byReplica(n);
      if (old) carried.set(n, await ops.anonymousVolumes(old.id));
    }
    for (const c of mine) await ops.remove(c.id);
  }
  const imageHealthTest =
    service.healthcheck && !('disabled' in service.healthcheck) && !service.healthcheck.test
      ? await ops.imageHealthTest(service.image)
      : undefined;
  const ids: string[] = [];
  for (let n = 1; n <= replicas; n++) {
    const current = planned.action === 'recreate' ? undefined : byReplica(n);
    if (current) {
      if (current.state !== 'running' && current.state !== 'paused' && current.state !== 'restarting')
        await ops.start(current.id);
      ids.push(current.id);
      continue;
    }
    const spec = inheritVolumes(
      toSpecGenerator(project, service, {
        ...options,
        replica: n,
        ...(imageHealthTest ? { imageHealthTest } : {}),
      }),
      carried.get(n) ?? [],
    );
    const created = await ops.createContainer(spec);
    const files = await filesFor(project, service, options);
    if (files.length > 0) await ops.copyFiles(created, files);
    await ops.start(created);
    ids.push(created);
  }
  return ids;
}

type SpecVolume = { Name: string; Dest: string; Options: string[]; IsAnonymous?: boolean };

/**
 * The old container's anonymous volumes, mounted again where the new spec has an anonymous volume
 * or nothing at all (an image's VOLUME); a destination the file now gives a named volume, a bind
 * or a tmpfs keeps what the file says.
 */
export function inheritVolumes(
  spec: Record<string, unknown>,
  carried: { name: string; destination: string }[],
): Record<string, unknown> {
  if (carried.length === 0) return spec;
  const volumes = [...((spec.volumes as SpecVolume[] | undefined) ?? [])];
  const mounts = (spec.mounts as { destination: string }[] | undefined) ?? [];
  for (const old of carried) {
    const at = volumes.findIndex((v) => v.Dest === old.destination);
    if (at >= 0) {
      if (volumes[at]!.Name === '') volumes[at] = { ...volumes[at]!, Name: old.name, IsAnonymous: true };
    } else if (!mounts.some((m) => m.destination === old.destination)) {
      // Still anonymous: `compose down -v` (delete data) removes it with the container.
      volumes.push({ Name: old.name, Dest: old.destination, Options: [], IsAnonymous: true });
    }
  }
  return { ...spec, volumes };
}

async function filesFor(project: ComposeProject, service: ServiceSpec, options: UpOptions) {
  const read = options.readFile ?? readLocal;
  const wanted = filesToCopy(project, service, options.remoteEngine ?? false);
  if (wanted.length > 0 && service.readOnly) {
    // docker compose refuses this too: a read-only root has nowhere to write the file.
    throw new AppError(
      'INVALID_INPUT',
      `Service "${service.name}" is read_only, so its secrets and configs from environment or content (or from files, with a remote engine) have nowhere to be written: use a file source, or drop read_only`,
    );
  }
  return Promise.all(
    wanted.map(async (f) => ({
      path: f.target,
      content: 'text' in f.content ? Buffer.from(f.content.text) : await read(f.content.file),
      mode: f.mode,
      uid: f.uid,
      gid: f.gid,
    })),
  );
}

/**
 * Containers that share another's namespaces hold on to it: Podman refuses to remove a container
 * another joined. Before the launch recreates either, both go, the sharing one first.
 */
export function sharedRemovals(project: ComposeProject, plan: StackPlan, existing: Member[]): Member[] {
  const recreated = new Set(plan.services.filter((s) => s.action === 'recreate').map((s) => s.name));
  const involved = new Set<string>();
  for (const s of project.services) {
    for (const other of sharedServices(s)) {
      if (recreated.has(s.name)) involved.add(s.name);
      if (recreated.has(other)) involved.add(other);
    }
  }
  return [...plan.order]
    .reverse()
    .filter((name) => involved.has(name))
    .flatMap((name) => existing.filter((c) => c.service === name));
}

/** A service's build as the image step runs it: every option, and the build secrets' content. */
export async function buildOptions(
  project: ComposeProject,
  service: ServiceSpec,
  tag: string,
  readFile: (path: string) => Promise<Buffer> = readLocal,
): Promise<StackBuild> {
  const b = service.build!;
  const secrets = await Promise.all(
    b.secrets.map(async (s) => {
      const source = project.secrets.find((o) => o.key === s.source)?.source;
      return { id: s.id, content: await sourceContent(source, readFile) };
    }),
  );
  return {
    context: b.context,
    ...(b.dockerfile ? { containerfile: b.dockerfile } : {}),
    ...(b.inline !== undefined ? { inlineContainerfile: b.inline } : {}),
    tag,
    buildArgs: b.args,
    ...(b.target ? { target: b.target } : {}),
    ...(b.platform ? { platform: b.platform } : {}),
    ...(Object.keys(b.labels).length > 0 ? { labels: b.labels } : {}),
    ...(b.extraHosts.length > 0 ? { extraHosts: b.extraHosts } : {}),
    ...(b.network ? { network: b.network } : {}),
    ...(secrets.length > 0 ? { secrets } : {}),
    ...(b.noCache ? { noCache: true } : {}),
    ...(b.pull ? { pull: true } : {}),
    ...(b.shmSize !== undefined ? { shmSize: b.shmSize } : {}),
    ...(b.tags.length > 0 ? { extraTags: b.tags } : {}),
    ...(b.ulimits.length > 0 ? { ulimits: b.ulimits } : {}),
  };
}

async function sourceContent(source: FileObjectSource | undefined, readFile: (path: string) => Promise<Buffer>): Promise<Buffer> {
  if (!source) return Buffer.alloc(0);
  if (source.kind === 'file') return readFile(source.path);
  return Buffer.from(source.kind === 'content' ? source.content : (source.value ?? ''));
}
