import { createHash } from 'node:crypto';
import { realpath as fsRealpath } from 'node:fs/promises';
import type { HostAccess, HostAccessItem, HostAccessKind } from '../../shared/contract';
import type { ComposeProject, ServiceSpec } from './compose/model';
import { volumeHostSource } from '../../shared/volume-options';
import { fileMounts, gpuDevices } from './container-spec';
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
    for (const gpu of gpuDevices(s.gpus)) {
      drafts.push({
        kind: 'device',
        subject: gpu,
        service: s.name,
        note: 'A GPU of this computer, passed into the container through its CDI specification: the container runs code on it directly.',
      });
    }
    for (const file of fileMounts(project, s)) {
      drafts.push({
        kind: 'mount',
        subject: file.path,
        target: file.target,
        access: 'read-only',
        service: s.name,
        note: `A ${file.kind === 'secrets' ? 'secret' : 'config'} read from this computer: the container can read it, not change it.`,
      });
    }
    for (const secret of s.build?.secrets ?? []) {
      const source = project.secrets.find((o) => o.key === secret.source)?.source;
      if (source?.kind !== 'file') continue;
      drafts.push({
        kind: 'build-context',
        subject: source.path,
        access: 'read-only',
        service: s.name,
        note: `Handed to the image build as the secret "${secret.id}" (RUN --mount=type=secret): the build can read it; it is not kept in the image.`,
      });
    }
    const logPath = s.logging?.options.path;
    if (logPath) {
      drafts.push({
        kind: 'mount',
        subject: logPath,
        access: 'read-write',
        service: s.name,
        note: 'Podman writes the container’s log to this file of this computer.',
      });
    }
    drafts.push(...widening(s));
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

/** What each capability lets a container do to this computer, for the ones that matter most. */
const CAPABILITY_NOTES: Record<string, string> = {
  CAP_SYS_ADMIN: 'mount file systems and much else: close to full root power over this computer',
  CAP_NET_ADMIN: 'change network settings (interfaces, routes, firewall rules) of the networks it is on',
  CAP_NET_RAW: 'send and capture raw network packets',
  CAP_SYS_PTRACE: 'trace and inspect other processes',
  CAP_SYS_MODULE: 'load kernel modules into this computer’s kernel',
  CAP_SYS_TIME: 'change this computer’s clock',
  CAP_SYS_RAWIO: 'read and write devices and memory directly',
  CAP_DAC_READ_SEARCH: 'read any file it can reach, whatever its permissions',
  CAP_BPF: 'load BPF programs into the kernel',
  CAP_PERFMON: 'watch the performance counters of this computer',
  ALL: 'do everything root can, short of privileged mode',
};

/** Keys that lift the container's isolation from this computer. */
function widening(s: ServiceSpec): Draft[] {
  const out: Draft[] = [];
  const add = (subject: string, note: string) => out.push({ kind: 'widens-access', subject, service: s.name, note });
  if (s.privileged) {
    add(
      'privileged',
      'Every capability and every device of this computer, with no seccomp, AppArmor or SELinux confinement: the container can do almost anything root can do here.',
    );
  }
  for (const cap of s.capAdd) {
    const name = cap.replace(/^CAP_/, '');
    add(
      `cap_add: ${name}`,
      `An extra Linux capability: the container may ${CAPABILITY_NOTES[cap] ?? `use ${cap} (see capabilities(7))`}.`,
    );
  }
  if (s.networkMode?.kind === 'host') {
    add(
      'network_mode: host',
      'The container uses this computer’s network directly: it can listen on any port here and reach services that listen on 127.0.0.1 only.',
    );
  }
  if (s.pid?.kind === 'host')
    add('pid: host', 'The container sees every process of this computer, and can signal those of its user.');
  if (s.ipc?.kind === 'host') add('ipc: host', 'The container shares this computer’s shared memory and message queues.');
  if (s.uts?.kind === 'host') add('uts: host', 'The container shares this computer’s host name.');
  if (s.cgroup === 'host') add('cgroup: host', 'The container sees this computer’s control groups.');
  if (s.userns === 'host') add('userns_mode: host', 'The container’s users are this computer’s users (no user namespace).');
  const sec = s.security;
  if (sec.seccomp === 'unconfined')
    add('security_opt: seccomp=unconfined', 'No seccomp filter: the container may make every system call.');
  if (sec.apparmor === 'unconfined') add('security_opt: apparmor=unconfined', 'No AppArmor confinement.');
  if (sec.labels.includes('disable'))
    add(
      'security_opt: label=disable',
      'No SELinux confinement: the container is not kept out of this computer’s files by SELinux.',
    );
  if (sec.unmask.length > 0)
    add(
      `security_opt: unmask ${sec.unmask.join(', ')}`,
      'Kernel paths normally hidden from containers (/proc, /sys) are visible and may be written.',
    );
  for (const rule of s.deviceCgroupRules)
    add(`device_cgroup_rules: ${rule}`, 'The container may use devices of this kind, should they appear in it.');
  return out;
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
