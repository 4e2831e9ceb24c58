import { z } from 'zod';
import type { LiveChange } from './containers';
import { call, stream } from './define';

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
export const imageReference = z
  .string()
  .trim()
  .min(1, 'An image reference is required')
  .max(512)
  .regex(
    /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/,
    'Not an image reference (expected e.g. docker.io/library/nginx:1.27 — lower-case name, optional :tag)',
  );

const imageId = /^(sha256:)?[a-f0-9]{12,64}$/;

/** An image id (full or short, with or without sha256:) or a reference. */
export const imageRef = z
  .string()
  .trim()
  .min(1, 'An image is required')
  .refine((v) => imageId.test(v) || imageReference.safeParse(v).success, {
    message: 'Not an image id or reference (expected e.g. docker.io/library/nginx:1.27 — lower-case name, optional :tag)',
  });

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

export type BuildEvent = { type: 'log'; text: string } | { type: 'done'; id: string; tag: string };

export type PushEvent = { type: 'log'; text: string } | { type: 'done'; reference: string };

export interface PruneReport {
  removed: string[];
  /** Bytes freed, as the engine reports. */
  reclaimed: number;
}

const tagPart = z
  .string()
  .trim()
  .regex(/^[\w][\w.-]{0,127}$/, 'A tag: letters, digits, _ . - (at most 128), e.g. 1.0 or latest');

export const imageCalls = {
  'images.list': call(z.void()).returns<ImageSummary[]>(),
  'images.inspect': call(z.object({ id: imageRef })).returns<Record<string, unknown>>(),
  /** Adds a name to an image: repository (e.g. quay.io/me/app) and tag. */
  'images.tag': call(z.object({ id: imageRef, repository: imageReference, tag: tagPart.default('latest') })).returns<void>(),
  /** Removes a name, or the image itself when it is given by id (force: even when containers use it). */
  'images.remove': call(z.object({ id: imageRef, force: z.boolean().default(false) })).returns<void>(),
  /** dangling: unnamed images only; unused: every image no container uses. */
  'images.prune': call(z.object({ mode: z.enum(['dangling', 'unused']) })).returns<PruneReport>(),
  /** A folder picked in the native dialog (Electron); null where there is none (browser host). */
  'images.chooseBuildFolder': call(z.void()).returns<string | null>(),
};

export const imageStreams = {
  'images.watch': stream(z.void()).emits<LiveChange<ImageSummary>>(),
  'images.pull': stream(z.object({ reference: imageReference })).emits<PullEvent>(),
  'images.build': stream(
    z.object({
      contextDir: z.string().trim().min(1, 'Choose the folder to build'),
      containerfile: z.string().trim().min(1).optional(),
      tag: imageReference,
      buildArgs: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Not a build argument name'), z.string()).default({}),
    }),
  ).emits<BuildEvent>(),
  'images.push': stream(z.object({ reference: imageReference })).emits<PushEvent>(),
};
