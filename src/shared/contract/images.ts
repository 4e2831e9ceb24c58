import { z } from 'zod';

/** Where a pull stands, summed over every layer the engine reported (DESIGN §6: sum over digests). */
export interface PullProgress {
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

/** An image id (full or short, with or without sha256:) or a reference. */
export const imageRef = z.union([z.string().regex(/^(sha256:)?[a-f0-9]{12,64}$/, 'Not an image id'), imageReference]);
