import { z } from 'zod';
import { checkEntryName, checkVolumePath } from '../volume-paths';
import { hostSourceProblem } from '../volume-options';
import { call, stream } from './define';
import { hostHandle, kind } from './kinds';
import type { LiveChange } from './containers';

export interface VolumeSummary {
  name: string;
  driver: string;
  /** Seconds since the epoch. */
  created: number;
  mountpoint: string;
  labels: Record<string, string>;
  options: Record<string, string>;
  scope: string;
  /** The Compose project whose volume this is (label com.docker.compose.project). */
  project?: string;
}

export type FileType = 'file' | 'dir' | 'symlink' | 'other';

export interface FileEntry {
  name: string;
  /** Relative to the volume's root. */
  path: string;
  type: FileType;
  size: number;
  /** Permission bits (07777). */
  mode: number;
  /** As `ls -l` shows them: drwxr-xr-x. */
  permissions: string;
  uid: number;
  gid: number;
  /** Seconds since the epoch. */
  mtime: number;
  /** For symlinks: where the link points, as written. */
  linkTarget?: string;
  /** For symlinks: true when following it would leave the volume (PodDesk refuses to). */
  linkEscapes?: boolean;
}

/** How a volume's files are reached: its mount point read directly, or a helper container. */
export type VolumeAccess = 'direct' | 'helper';

export interface FolderListing {
  volume: string;
  path: string;
  access: VolumeAccess;
  entries: FileEntry[];
}

export type Preview =
  | { kind: 'text'; text: string; size: number; truncated: boolean; language: string }
  | { kind: 'image'; mime: string; base64: string; size: number }
  | { kind: 'binary'; base64: string; size: number; truncated: boolean }
  | { kind: 'too-large'; size: number; limit: number }
  | { kind: 'not-a-file'; type: FileType };

export const PREVIEW_TEXT_BYTES = 1024 * 1024;
export const PREVIEW_IMAGE_BYTES = 10 * 1024 * 1024;
export const PREVIEW_HEX_BYTES = 16 * 1024;

/** What a long transfer reports while it runs. */
export type TransferProgress =
  /** The browser host waits for the page to send the files (PUT /upload/<ticket>/<index>). */
  | { phase: 'awaiting-files'; ticket: string }
  | { phase: 'running'; bytes: number; totalBytes?: number; files: number; current?: string }
  | { phase: 'done'; bytes: number; files: number; savedTo?: string; volume?: string; images?: string[] }
  | { phase: 'cancelled' };

export const volumeName = kind(
  'name',
  z
    .string()
    .min(1, 'A volume name is required')
    .max(255)
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'A volume name starts with a letter or digit and uses only letters, digits, _ . -'),
);

/** A path inside a volume; `..` and absolute paths are refused here, symlinks in main. */
export const volumePath = kind(
  'volume-path',
  z
    .string()
    .max(4096)
    .transform((raw, ctx) => {
      const checked = checkVolumePath(raw);
      if (!checked.ok) {
        ctx.addIssue({ code: 'custom', message: checked.message });
        return z.NEVER;
      }
      return checked.path;
    }),
);

export const entryName = kind(
  'volume-path',
  z.string().superRefine((name, ctx) => {
    const checked = checkEntryName(name);
    if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.message });
  }),
);

const labels = z.record(kind('name', z.string().min(1).max(255)), kind('text', z.string().max(4096)));

/** Where files coming into a volume come from. */
export const incomingSource = z.discriminatedUnion('kind', [
  /** Main asks with the native open dialog (Electron). */
  z.object({ kind: z.literal('choose'), directories: z.boolean().default(false) }),
  /**
   * Files and folders of this computer by the handles main issued for them: dropped on the
   * window (the preload registers them) or chosen in the dialog (a "Replace?" after a conflict).
   */
  z.object({ kind: z.literal('handles'), handles: z.array(hostHandle).min(1).max(10_000) }),
  /** The browser host: the page then PUTs each file's bytes to /upload/<ticket>/<index>. */
  z.object({
    kind: z.literal('browser'),
    files: z
      .array(
        z.object({
          path: kind(
            'volume-path',
            volumePath.refine((p) => p !== '', 'A file needs a name'),
          ),
          size: z.number().int().min(0),
        }),
      )
      .min(1)
      .max(100_000),
  }),
]);
export type IncomingSource = z.input<typeof incomingSource>;

export const volumeCalls = {
  'volumes.list': call(z.void()).returns<VolumeSummary[]>(),
  /**
   * Options that would make the volume a folder or disk of this computer (`o=bind`, a local
   * `device`) are refused: the volume browser would then read and write it directly.
   */
  'volumes.create': call(
    z.object({
      name: volumeName.optional(),
      driver: kind('name', z.string().min(1).max(255)).default('local'),
      labels: labels.default({}),
      options: labels.default({}).superRefine((options, ctx) => {
        const problem = hostSourceProblem(options);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    }),
  ).returns<VolumeSummary>(),
  /** `force` also removes the containers that use it (Podman's own semantics). */
  'volumes.remove': call(z.object({ name: volumeName, force: z.boolean().default(false) })).returns<void>(),
  /** Removes exactly these volumes when none is in use; returns what went and what stayed. */
  'volumes.prune': call(z.object({ names: z.array(volumeName).min(1) })).returns<{
    removed: string[];
    kept: { name: string; reason: string }[];
  }>(),
  /** The space a volume takes, computed now (never on a refresh). */
  'volumes.size': call(z.object({ name: volumeName })).returns<{ bytes: number; files?: number }>(),
  /** Whether the helper container's image is here (volumes not readable directly need it). */
  'volumes.helperImage': call(z.void()).returns<{ image: string; present: boolean }>(),
  /** Pulls the helper image, once, after the user agreed. */
  'volumes.pullHelperImage': call(z.void()).returns<{ image: string; present: boolean }>(),

  'volumes.files.list': call(z.object({ volume: volumeName, path: volumePath })).returns<FolderListing>(),
  'volumes.files.preview': call(z.object({ volume: volumeName, path: volumePath })).returns<Preview>(),
  'volumes.files.mkdir': call(z.object({ volume: volumeName, dir: volumePath, name: entryName })).returns<FileEntry>(),
  'volumes.files.rename': call(z.object({ volume: volumeName, path: volumePath, newName: entryName })).returns<FileEntry>(),
  'volumes.files.delete': call(z.object({ volume: volumeName, paths: z.array(volumePath).min(1).max(10_000) })).returns<void>(),
};

export const volumeStreams = {
  'volumes.watch': stream(z.void()).emits<LiveChange<VolumeSummary>>(),
  /** Saves a file, or a folder as .tar or .zip, on this computer (the user picks where). */
  'volumes.files.download': stream(
    z.object({ volume: volumeName, path: volumePath, format: z.enum(['file', 'tar', 'zip']).default('file') }),
  ).emits<TransferProgress>(),
  /** Copies files and folders from this computer into a folder of the volume. */
  'volumes.files.upload': stream(
    z.object({ volume: volumeName, dir: volumePath, source: incomingSource, overwrite: z.boolean().default(false) }),
  ).emits<TransferProgress>(),
  /** The whole volume as a .tar.gz on this computer. */
  'volumes.backup': stream(z.object({ name: volumeName })).emits<TransferProgress>(),
  /** A .tar or .tar.gz into a new volume (`create`) or an existing empty one. */
  'volumes.restore': stream(
    z.object({
      name: volumeName,
      create: z.boolean().default(false),
      source: incomingSource,
    }),
  ).emits<TransferProgress>(),
  /** A new volume with the same files (and driver, labels, options). */
  'volumes.clone': stream(z.object({ source: volumeName, target: volumeName })).emits<TransferProgress>(),
};
