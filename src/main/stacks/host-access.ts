import { createHash } from 'node:crypto';
import { realpath as fsRealpath } from 'node:fs/promises';
import type { HostAccess, HostAccessItem, HostAccessKind } from '../../shared/contract';
import type { ComposeProject, ServiceSpec } from './compose/model';
import { volumeHostSource } from '../../shared/volume-options';
import { broadFolder, isInside } from './host-paths';

/**
 * What a stack touches on this computer beyond its own named volumes, read from the parsed
 * file: host folders and files mounted, relabels, devices, env files and build contexts from
 * outside the stack's folder, and variables taken from PodDesk's own environment (by name).
 * The plan shows the list; a launch waits until the user has confirmed it (by its fingerprint).
 */
export interface HostAccessContext {
  /** The stack's own folders: env files and build contexts inside them are part of the stack. */
  ownFolders: string[];
  homeDir?: string;
  /** Variables whose value came from PodDesk's environment. */
  fromEnvironment: Iterable<string>;
  /** Where a path really leads (symbolic links followed); undefined when nothing is there. */
  realpath?: (path: string) => Promise<string | undefined>;
}

const KIND_ORDER: HostAccessKind[] = ['mount', 'relabel', 'device', 'env-file', 'build-context', 'environment', 'widens-access'];

const SOCKET = /(^|[/\\])(docker|podman)\.sock$/;

export const localRealpath = (path: string) => fsRealpath(path).catch(() => undefined);

type Draft = Omit<HostAccessItem, 'services' | 'realPath'> & { service?: string };

export async function analyzeHostAccess(project: ComposeProject, ctx: HostAccessContext): Promise<HostAccessItem[]> {
  const realpath = ctx.realpath ?? localRealpath;
  const home = ctx.homeDir;
  const drafts: Draft[] = [];

  for (const s of project.services) {
    for (const m of s.mounts) {
      if (m.type !== 'bind') continue;
      drafts.push(mountDraft(s.name, m.source, m.target, m.readOnly, home));
      if (m.selinux) {
        drafts.push({
          kind: 'relabel',
          subject: m.source,
          service: s.name,
          note:
            m.selinux === 'Z'
              ? 'Podman relabels it for SELinux (":Z") for this container only: other containers, and programs of this computer confined by SELinux, may lose access to it.'
              : 'Podman relabels it for SELinux (":z") so that containers can share it: programs of this computer confined by SELinux may lose access to it.',
        });
      }
    }
    for (const device of s.devices) drafts.push(deviceDraft(s.name, device));
    for (const file of s.envFiles) {
      drafts.push({
        kind: 'env-file',
        subject: file.path,
        access: 'read-only',
        service: s.name,
        note: 'Read into the container’s environment: every value in it goes into the container.',
      });
    }
    if (s.build) {
      drafts.push({
        kind: 'build-context',
        subject: s.build.context,
        access: 'read-only',
        service: s.name,
        note: 'Sent to Podman to build an image: the build can copy any file in it into the image.',
      });
    }
  }
  drafts.push(...volumeBinds(project, home));
  for (const name of new Set(ctx.fromEnvironment)) {
    drafts.push({
      kind: 'environment',
      subject: name,
      note: 'Taken from PodDesk’s own environment. Its value goes to the stack and is not shown here.',
    });
  }

  // A path is judged by where it really leads: a link inside the stack's folder may point out.
  const realOf = new Map<string, string | undefined>();
  const real = async (path: string) => {
    if (!realOf.has(path)) realOf.set(path, await realpath(path));
    return realOf.get(path);
  };
  const own = await Promise.all(ctx.ownFolders.filter((f) => !broadFolder(f, home)).map(async (f) => (await real(f)) ?? f));

  const items = new Map<string, HostAccessItem>();
  for (const d of drafts) {
    const isPath = d.kind !== 'environment' && d.kind !== 'widens-access' && !(d.kind === 'device' && !d.subject.startsWith('/'));
    const realPath = isPath ? await real(d.subject) : undefined;
    if ((d.kind === 'env-file' || d.kind === 'build-context') && own.some((f) => isInside(f, realPath ?? d.subject))) continue;
    const { service, ...rest } = d;
    const item: HostAccessItem = { ...rest, services: [], ...(realPath && realPath !== d.subject ? { realPath } : {}) };
    const key = JSON.stringify([item.kind, item.subject, item.realPath, item.target, item.access]);
    const known = items.get(key) ?? item;
    items.set(key, known);
    if (service && !known.services.includes(service)) known.services.push(service);
  }
  return [...items.values()]
    .map((i) => ({ ...i, services: i.services.sort(byCodeUnits) }))
    .sort(
      (a, b) =>
        KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
        byCodeUnits(a.subject, b.subject) ||
        byCodeUnits(a.target ?? '', b.target ?? ''),
    );
}

/** Not localeCompare: the order feeds the fingerprint, which must not depend on the machine's locale. */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function mountDraft(service: string, source: string, target: string, readOnly: boolean, home?: string): Draft {
  const access = readOnly ? 'read-only' : 'read-write';
  const can = readOnly ? 'read' : 'read and change';
  const broad = broadFolder(source, home);
  const note = SOCKET.test(source)
    ? 'Podman’s or Docker’s control socket: whoever holds it can start any container, and through one reach every file of this computer.'
    : broad
      ? `This is ${broad}: the container can ${can} everything in it.`
      : `The container can ${can} it.`;
  return { kind: 'mount', subject: source, target, access, service, note };
}

/** "/dev/sda", "/dev/sda:/dev/xvda:rwm", or a CDI name such as "nvidia.com/gpu=all". */
function deviceDraft(service: string, device: string): Draft {
  if (!device.startsWith('/')) {
    return {
      kind: 'device',
      subject: device,
      service,
      note: 'A device of this computer (such as a GPU), passed into the container.',
    };
  }
  const [host, target] = device.split(':') as [string, string | undefined];
  return {
    kind: 'device',
    subject: host,
    target: target || host,
    service,
    note: 'A device of this computer, passed into the container: it can use it directly.',
  };
}

/**
 * A volume with `type: none, o: bind` is a host folder under another name, and one whose device
 * is a local path (`type: ext4, device: /dev/sdb1`) a disk of this computer.
 */
function volumeBinds(project: ComposeProject, home?: string): Draft[] {
  const out: Draft[] = [];
  for (const v of project.volumes) {
    if (v.external) continue;
    const device = volumeHostSource(v.options)?.device;
    if (!device) continue;
    for (const s of project.services) {
      for (const m of usersOf(s, v.key)) {
        const draft = mountDraft(s.name, device, m.target, m.readOnly, home);
        out.push({ ...draft, note: `Through the volume "${v.name}". ${draft.note}` });
      }
    }
  }
  return out;
}

const usersOf = (s: ServiceSpec, key: string) =>
  s.mounts.filter((m): m is Extract<typeof m, { type: 'volume' }> => m.type === 'volume' && m.source === key);

/** Names the list as confirmed: every field but the notes (their wording may change). */
export function hostAccessFingerprint(items: HostAccessItem[]): string {
  const canonical = items.map((i) => [i.kind, i.subject, i.realPath ?? null, i.target ?? null, i.access ?? null, i.services]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

export function hostAccessOf(items: HostAccessItem[], confirmed: string | undefined): HostAccess {
  const fingerprint = hostAccessFingerprint(items);
  return { items, fingerprint, needsConfirmation: items.length > 0 && fingerprint !== confirmed };
}

export const NO_HOST_ACCESS: HostAccess = hostAccessOf([], undefined);
