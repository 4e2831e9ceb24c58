import { z } from 'zod';
import type { LiveChange } from './containers';
import { call, stream } from './define';
import { hostHandle, kind, type HostHandle } from './kinds';
import { registryHost } from './registries';
import { checkVolumePath } from '../volume-paths';
import type { TransferProgress } from './volumes';

/** Where a pull stands, summed over every layer the engine reported (DESIGN §6: sum over digests). */
export interface ImagePullProgress {
  reference: string;
  /** The engine's latest words, e.g. "Downloading 3c8779ccd65b". */
  status: string;
  /** Layers seen so far, and how many of them are complete (downloaded or already present). */
  layers: number;
  layersDone: number;
  /** Bytes received and expected, over the layers whose size the engine has reported. */
  bytesDone: number;
  bytesTotal: number;
  /** Over the last few seconds. */
  bytesPerSecond: number;
  /** 0–1; null while nothing is known yet. */
  fraction: number | null;
  done: boolean;
}

/** An image reference: [registry[:port]/]name[:tag][@digest], as the engine accepts one. */
export const imageReference = kind(
  'name',
  z
    .string()
    .trim()
    .min(1, 'An image reference is required')
    .max(512)
    .regex(
      /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/,
      'Not an image reference (expected e.g. docker.io/library/nginx:1.27 — lower-case name, optional :tag)',
    ),
);

const imageId = /^(sha256:)?[a-f0-9]{12,64}$/;

/** An image id (full or short, with or without sha256:) or a reference. */
export const imageRef = kind(
  'name',
  z
    .string()
    .trim()
    .min(1, 'An image is required')
    .max(512)
    .refine((v) => imageId.test(v) || imageReference.safeParse(v).success, {
      message: 'Not an image id or reference (expected e.g. docker.io/library/nginx:1.27 — lower-case name, optional :tag)',
    }),
);

export interface ImageSummary {
  id: string;
  /** "repository:tag" names; empty for a dangling image. */
  tags: string[];
  digests: string[];
  size: number;
  /** Seconds since the epoch. */
  created: number;
  /** No name: left over from a rebuild or a pull that moved the tag. */
  dangling: boolean;
  labels: Record<string, string>;
}

/** What a pull stream emits: progress, the last of which carries the image id. */
export type PullEvent = ImagePullProgress & { id?: string };

export type BuildEvent =
  | { type: 'log'; text: string }
  | { type: 'done'; id: string; tag: string }
  /**
   * The browser host waits for the page to send these of the picked files (indexes into
   * `context.files`), in this order: PUT /upload/<ticket>/<n> for the n-th of them.
   */
  | { type: 'awaiting-files'; ticket: string; indexes: number[] };

export type PushEvent = { type: 'log'; text: string } | { type: 'done'; reference: string };

export interface PruneReport {
  removed: string[];
  /** Bytes freed, as the engine reports. */
  reclaimed: number;
}

const tagPart = kind(
  'name',
  z
    .string()
    .trim()
    .regex(/^[\w][\w.-]{0,127}$/, 'A tag: letters, digits, _ . - (at most 128), e.g. 1.0 or latest'),
);

/** A file of a build context, relative to the folder the user picked (forward slashes, no `..`). */
const contextFile = kind(
  'volume-path',
  z
    .string()
    .max(4096)
    .transform((raw, ctx) => {
      const checked = checkVolumePath(raw);
      if (!checked.ok || checked.path === '') {
        ctx.addIssue({ code: 'custom', message: checked.ok ? 'A file name is required' : checked.message });
        return z.NEVER;
      }
      return checked.path;
    }),
);

/**
 * Where a build's files come from: a folder of this computer chosen in main's dialog or dropped
 * on the window (its handle), or — in the browser host, which has no paths — the files the page
 * picked, sent one by one over HTTP when main asks (BuildEvent 'awaiting-files').
 */
export const buildContext = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('handle'), handle: hostHandle }),
  z.object({
    kind: z.literal('browser'),
    files: z
      .array(z.object({ path: contextFile, size: z.number().int().min(0) }))
      .min(1, 'The folder is empty')
      .max(100_000),
  }),
]);
export type BuildContextInput = z.input<typeof buildContext>;

/** The archive formats `podman save` writes and `podman load` reads. */
export const imageArchiveFormat = z.enum(['docker-archive', 'oci-archive']);
export type ImageArchiveFormat = z.infer<typeof imageArchiveFormat>;

/**
 * Where an image archive to load comes from: main's open dialog (Electron), a file dropped on the
 * window or chosen before (its handle), or — in the browser host — the file the page picked, sent
 * over HTTP when main asks (TransferProgress 'awaiting-files').
 */
export const imageArchiveSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('choose') }),
  z.object({ kind: z.literal('handle'), handle: hostHandle }),
  z.object({
    kind: z.literal('browser'),
    /** Only for the messages (what the user picked) and the gzip guess; the bytes decide. */
    name: kind('text', z.string().max(1024)),
    size: z.number().int().min(0),
  }),
]);
export type ImageArchiveSource = z.input<typeof imageArchiveSource>;

export const imageCalls = {
  'images.list': call(z.void()).returns<ImageSummary[]>(),
  'images.inspect': call(z.object({ id: imageRef })).returns<Record<string, unknown>>(),
  /** Adds a name to an image: repository (e.g. quay.io/me/app) and tag. */
  'images.tag': call(z.object({ id: imageRef, repository: imageReference, tag: tagPart.default('latest') })).returns<void>(),
  /** Removes a name, or the image itself when it is given by id (force: even when containers use it). */
  'images.remove': call(z.object({ id: imageRef, force: z.boolean().default(false) })).returns<void>(),
  /** dangling: unnamed images only; unused: every image no container uses. */
  'images.prune': call(z.object({ mode: z.enum(['dangling', 'unused']) })).returns<PruneReport>(),
  /** A folder picked in the native dialog (Electron): its handle for `images.build`; null when cancelled or where there is none (browser host). */
  'images.chooseBuildFolder': call(z.void()).returns<HostHandle | null>(),
};

export const imageStreams = {
  'images.watch': stream(z.void()).emits<LiveChange<ImageSummary>>(),
  'images.pull': stream(z.object({ reference: imageReference })).emits<PullEvent>(),
  'images.build': stream(
    z.object({
      context: buildContext,
      /** Relative to the context; Containerfile, then Dockerfile, by default. */
      containerfile: contextFile.optional(),
      tag: imageReference,
      buildArgs: z
        .record(
          kind('name', z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Not a build argument name')),
          kind('text', z.string().max(65536)),
        )
        .default({}),
      /**
       * Registries whose stored logins the build may use besides those its Containerfile names
       * (FROM, COPY --from): the user picks them. Logins go only to an engine on this computer or over ssh.
       */
      registries: z.array(registryHost).max(32).default([]),
    }),
  ).emits<BuildEvent>(),
  'images.push': stream(z.object({ reference: imageReference })).emits<PushEvent>(),
  /**
   * Saves images to one archive (`podman save`): main asks where (the save dialog; the browser
   * host saves into Downloads), writes a `.part` file and renames it once complete. Several images
   * go only into a docker-archive (Podman writes one image per oci-archive).
   */
  'images.save': stream(
    z.object({ images: z.array(imageRef).min(1, 'Choose an image to save').max(100), format: imageArchiveFormat }),
  ).emits<TransferProgress>(),
  /** Loads the images of a .tar or .tar.gz archive (`podman load`); done carries their names. */
  'images.load': stream(z.object({ source: imageArchiveSource })).emits<TransferProgress>(),
};
