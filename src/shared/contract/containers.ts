import { z } from 'zod';
import { call, stream } from './define';
import { imageRef, imageReference } from './images';
import { hostHandle, kind, type HostHandle } from './kinds';
import type { RebuiltRun } from '../podman-commands/from-inspect';

export type ContainerState =
  'created' | 'running' | 'paused' | 'restarting' | 'exited' | 'stopping' | 'removing' | 'dead' | 'unknown';

export type Health = 'healthy' | 'unhealthy' | 'starting';

export interface PortMapping {
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: string;
}

export interface ContainerSummary {
  id: string;
  name: string;
  image: string;
  imageId: string;
  command: string;
  state: ContainerState;
  health?: Health;
  /** Seconds since the epoch. */
  created: number;
  startedAt?: number;
  exitCode?: number;
  ports: PortMapping[];
  labels: Record<string, string>;
  /** The Compose project (docker compose, podman-compose or a PodDesk stack) it belongs to. */
  project?: string;
  service?: string;
  pod?: { id: string; name: string };
  isInfra: boolean;
  networks: string[];
}

/** A live list: first the whole list, then changes as the engine reports them. */
export type LiveChange<T> = { type: 'reset'; items: T[] } | { type: 'upsert'; item: T } | { type: 'remove'; id: string };

/** A container id or name as the engine accepts it: no spaces, no slashes, no control characters. */
export const containerRef = kind(
  'name',
  z
    .string()
    .min(1, 'A container id or name is required')
    .max(256)
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'Not a container id or name'),
);

/** A name for a new container or image tag part: what Podman accepts, said plainly. */
export const containerName = kind(
  'name',
  z
    .string()
    .trim()
    .min(1, 'A name is required')
    .max(128, 'At most 128 characters')
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'Letters, digits, _ . - only, starting with a letter or digit'),
);

const timeoutSeconds = z.number().int().min(0).max(3600).optional();

export const signals = ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const;

export type BulkAction = 'start' | 'stop' | 'restart' | 'remove';
export interface BulkResult {
  id: string;
  ok: boolean;
  error?: { code: string; message: string };
}

/** One line of a container's output. `time` is the engine's RFC 3339 timestamp. */
export interface LogLine {
  stream: 'stdout' | 'stderr';
  time: string;
  text: string;
}

/** One sample of a container's resource use (the engine computes CPU % between samples). */
export interface ContainerStats {
  id: string;
  name: string;
  /** Percent of one CPU × number of CPUs, as `podman stats` shows it. */
  cpuPercent: number;
  memUsed: number;
  memLimit: number;
  netRx: number;
  netTx: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
  /** Milliseconds since the epoch when main received it. */
  at: number;
}

/** The address of this computer a port is published on; empty: all of them. */
export const hostAddress = kind(
  'network-address',
  z.union([z.ipv4(), z.ipv6(), z.literal('')], {
    error: 'Not an IP address: give one of this computer’s (like 127.0.0.1), or leave it empty for all',
  }),
);

export const portSpec = z.object({
  hostIp: hostAddress.default(''),
  /** 0: the engine picks a free port. */
  hostPort: z.number().int().min(0, 'Port 0–65535').max(65535, 'Port 0–65535'),
  containerPort: z.number().int().min(1, 'Port 1–65535').max(65535, 'Port 1–65535'),
  protocol: z.enum(['tcp', 'udp']).default('tcp'),
});
export type PortSpec = z.infer<typeof portSpec>;

export const envKey = kind(
  'name',
  z
    .string()
    .min(1, 'A variable name is required')
    .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'Letters, digits and _ only, not starting with a digit'),
);

/** A DNS name on a network: letters, digits, - _ . */
export const networkAlias = kind(
  'name',
  z
    .string()
    .trim()
    .min(1)
    .max(253)
    .regex(/^[a-zA-Z0-9]([a-zA-Z0-9_.-]*[a-zA-Z0-9])?$/, 'An alias is a DNS name: letters, digits, - _ .'),
);

/** An absolute path inside a container. */
const inContainer = (message: string) =>
  kind(
    'container-path',
    z
      .string()
      .trim()
      .max(4096)
      .regex(/^\/[^\0]*$/, message),
  );

/**
 * A named volume ("data", created if missing), or a folder of this computer bind-mounted: the
 * folder comes from main's folder dialog (`containers.chooseFolder`) as a handle, never as a path.
 */
export const volumeSpec = z
  .object({
    source: kind(
      'name',
      z
        .string()
        .trim()
        .min(1, 'A volume name is required')
        .max(255)
        .regex(
          /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/,
          'A volume name: letters, digits, _ . - (a folder is chosen with the Folder button)',
        ),
    ).optional(),
    folder: hostHandle.optional(),
    target: inContainer('An absolute path in the container, e.g. /data'),
    readOnly: z.boolean().default(false),
  })
  .refine((v) => (v.source === undefined) !== (v.folder === undefined), {
    message: 'A volume name or a folder (not both) is required',
    path: ['source'],
  });
export type VolumeSpec = z.infer<typeof volumeSpec>;

export const restartPolicies = ['no', 'on-failure', 'always', 'unless-stopped'] as const;

/** What the Run form sends. Everything is checked before anything is created. */
export const runSpec = z.object({
  image: imageRef,
  name: containerName.optional(),
  /** argv, already split (the form splits a command line the way a shell would); it runs in the container. */
  command: z
    .array(kind('container-command', z.string().max(65536)))
    .max(256)
    .optional(),
  entrypoint: z
    .array(kind('container-command', z.string().max(65536)))
    .max(64)
    .optional(),
  ports: z.array(portSpec).max(256).default([]),
  env: z
    .array(z.object({ key: envKey, value: kind('text', z.string().max(65536)) }))
    .max(1024)
    .default([]),
  volumes: z.array(volumeSpec).max(128).default([]),
  network: kind('name', z.string().trim().max(256)).optional(),
  restartPolicy: z.enum(restartPolicies).default('no'),
  restartRetries: z.number().int().min(0).max(1000).optional(),
  autoRemove: z.boolean().default(false),
  /** Seconds a stop waits after SIGTERM before SIGKILL (the engine's default is 10). */
  stopTimeout: z.number().int().min(0).max(3600).optional(),
  workdir: inContainer('An absolute path in the container').optional(),
  /** The user the command runs as: a name or number, with an optional :group. */
  user: kind(
    'name',
    z
      .string()
      .trim()
      .max(256)
      .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/, 'A user name or number, optionally :group'),
  ).optional(),
  hostname: kind(
    'network-address',
    z
      .string()
      .trim()
      .max(63, 'At most 63 characters')
      .regex(/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/, 'Letters, digits and -, not at the start or end'),
  ).optional(),
  /** Bytes; Podman refuses less than 6 MB. Swap is allowed as much again, as `podman run --memory` does. */
  memory: z
    .number()
    .int()
    .min(6 * 1024 * 1024, 'At least 6 MB')
    .max(2 ** 50)
    .optional(),
  /** How many CPUs' worth of time, e.g. 1.5. */
  cpus: z.number().min(0.01, 'At least 0.01').max(1024).optional(),
  /** More names the container answers to on its network (besides its own name). */
  networkAliases: z.array(networkAlias).max(32).default([]),
  labels: z.record(kind('name', z.string().max(1024)), kind('text', z.string().max(65536))).default({}),
  pod: kind('name', z.string().max(256)).optional(),
  start: z.boolean().default(true),
});
export type RunSpec = z.input<typeof runSpec>;

export interface PortCheck {
  free: boolean;
  /** Who holds it, when known: "container web (8080→80/tcp)" or "another program on this computer". */
  usedBy?: string;
  /** What is wrong with the address rather than the port: "This computer has no address 10.1.2.3". */
  addressProblem?: string;
  /** Why it cannot be used when nobody holds it, in a sentence (a privileged port a rootless Podman may not publish). */
  reason?: string;
}

export interface ContainerFileEntry {
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'other';
  /** For a folder: the total of what is inside, when the listing read all of it. */
  size: number;
  mode: number;
  /** Seconds since the epoch. */
  modified: number;
  linkTarget?: string;
}

export interface ContainerFileListing {
  path: string;
  entries: ContainerFileEntry[];
  /** The listing stopped early (the folder holds more than the budget); entries are partial. */
  truncated: boolean;
}

const containerPath = kind(
  'container-path',
  z
    .string()
    .min(1)
    .max(4096)
    .regex(/^\/[^\0]*$/, 'An absolute path in the container'),
);

export const logsQuery = z.object({
  id: containerRef,
  follow: z.boolean().default(true),
  /** Lines from the end to start with; ignored when `since` is given. */
  tail: z.number().int().min(0).max(1_000_000).optional(),
  /** Seconds since the epoch. */
  since: z.number().int().min(0).optional(),
});

export const containerCalls = {
  'containers.list': call(z.void()).returns<ContainerSummary[]>(),
  'containers.start': call(z.object({ id: containerRef })).returns<void>(),
  'containers.stop': call(z.object({ id: containerRef, timeoutSeconds })).returns<void>(),
  'containers.restart': call(z.object({ id: containerRef, timeoutSeconds })).returns<void>(),
  'containers.pause': call(z.object({ id: containerRef })).returns<void>(),
  'containers.unpause': call(z.object({ id: containerRef })).returns<void>(),
  'containers.kill': call(z.object({ id: containerRef, signal: z.enum(signals).default('SIGKILL') })).returns<void>(),
  'containers.remove': call(
    z.object({ id: containerRef, force: z.boolean().default(false), volumes: z.boolean().default(false) }),
  ).returns<void>(),
  'containers.rename': call(z.object({ id: containerRef, name: containerName })).returns<void>(),
  /** Saves the container's file system as a new image. */
  'containers.commit': call(
    z.object({
      id: containerRef,
      /** repository[:tag] of the new image. */
      reference: imageReference,
      message: kind('text', z.string().max(4096)).optional(),
      author: kind('text', z.string().max(256)).optional(),
      pause: z.boolean().default(true),
    }),
  ).returns<{ id: string }>(),
  /** Several containers at once; each gets its own result, one failure does not stop the rest. */
  'containers.bulk': call(
    z.object({
      ids: z.array(containerRef).min(1, 'Select at least one container').max(5000),
      action: z.enum(['start', 'stop', 'restart', 'remove']),
      force: z.boolean().default(false),
      /** With remove: also delete each one's anonymous volumes. */
      volumes: z.boolean().default(false),
      timeoutSeconds,
    }),
  ).returns<BulkResult[]>(),
  /** The engine's full description of the container (libpod inspect), as JSON. */
  'containers.inspect': call(z.object({ id: containerRef })).returns<Record<string, unknown>>(),
  /** Creates (and by default starts) a container; on any refusal nothing is left behind. */
  'containers.run': call(runSpec).returns<{ id: string; name: string; warnings: string[] }>(),
  /** "Show as podman run": the command that would make this container again, and what it cannot bring back. */
  'containers.runCommand': call(z.object({ id: containerRef })).returns<RebuiltRun>(),
  'containers.checkPort': call(
    z.object({
      hostPort: z.number().int().min(1).max(65535),
      protocol: z.enum(['tcp', 'udp']).default('tcp'),
      hostIp: hostAddress.default(''),
    }),
  ).returns<PortCheck>(),
  /** Asks for a folder of this computer to mount (native dialog): its handle for `volumes[].folder`; null when cancelled or where there is no dialog (browser host). */
  'containers.chooseFolder': call(z.void()).returns<HostHandle | null>(),
  'containers.listFiles': call(z.object({ id: containerRef, path: containerPath })).returns<ContainerFileListing>(),
  /** Saves a file (as itself) or a folder (as a .tar) where the user chooses; null when they cancel. */
  'containers.downloadPath': call(z.object({ id: containerRef, path: containerPath })).returns<{ savedTo: string } | null>(),
  /** Saves the whole log to a file the user chooses; null when they cancel. */
  'containers.saveLogs': call(
    z.object({ id: containerRef, timestamps: z.boolean().default(false), since: z.number().int().min(0).optional() }),
  ).returns<{ savedTo: string; lines: number } | null>(),
};

export const containerStreams = {
  'containers.watch': stream(z.void()).emits<LiveChange<ContainerSummary>>(),
  /** The container's output: what is there (tail or since), then, with follow, what comes. */
  'containers.logs': stream(logsQuery).emits<LogLine>(),
  /** One container's resource use, about once a second, until the subscriber leaves. */
  'containers.stats': stream(z.object({ id: containerRef })).emits<ContainerStats>(),
  /** Every running container's CPU and memory, every few seconds (for the table). */
  'containers.statsAll': stream(z.void()).emits<ContainerStats[]>(),
};
