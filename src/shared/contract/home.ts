import { z } from 'zod';
import { call, stream } from './define';
import { kind } from './kinds';
import { containerRef } from './containers';
import { volumeName } from './volumes';

/**
 * The first hour, in the order a learner meets it. Main ticks each step from what really
 * happened (engine events, the stacks, a chat reply), never from a click.
 */
export const firstHourSteps = ['connect', 'container', 'volume', 'network', 'jupyter', 'ollama-chat', 'flask'] as const;
export type FirstHourStep = (typeof firstHourSteps)[number];

const when = z.number().int().min(0).optional();

/** What is kept in the settings file: when each step was reached, and whether the list is hidden. */
export const firstHourSchema = z.object({
  reached: z.object(Object.fromEntries(firstHourSteps.map((s) => [s, when])) as Record<FirstHourStep, typeof when>).default({}),
  hidden: z.boolean().default(false),
  /**
   * Volumes seen outliving a container that mounted them (name, and when in seconds): the first
   * half of the volume step, kept so a restart between the removal and the reuse loses nothing.
   */
  outlived: z
    .array(z.object({ name: z.string().max(255), at: z.number().int().min(0) }))
    .max(50)
    .default([]),
});
export type FirstHour = z.infer<typeof firstHourSchema>;

export interface FirstHourProgress {
  /** Milliseconds since the epoch when each reached step was first seen. */
  reached: Partial<Record<FirstHourStep, number>>;
  hidden: boolean;
}

export interface DiskUsagePart {
  /** How many there are, and how many nothing uses (reclaimable). */
  count: number;
  unused: number;
  bytes: number;
  reclaimableBytes: number;
}

export interface DiskUsage {
  images: DiskUsagePart;
  containers: DiskUsagePart;
  volumes: DiskUsagePart;
  /** Podman keeps no build cache apart from images: its intermediate layers are images. */
  buildCache: DiskUsagePart;
}

export interface CleanupImage {
  id: string;
  /** repo:tag names; none for a dangling image. */
  tags: string[];
  bytes: number;
}
export interface CleanupContainer {
  id: string;
  name: string;
  image: string;
  state: string;
  bytes: number;
}
export interface CleanupVolume {
  name: string;
  bytes: number;
  project?: string;
}

/** Exactly what a Clean up would delete, as listed now. */
export interface CleanupPlan {
  containers: CleanupContainer[];
  images: CleanupImage[];
  volumes: CleanupVolume[];
}

export interface CleanupOutcome {
  kind: 'container' | 'image' | 'volume';
  id: string;
  removed: boolean;
  /** Why it was kept (in use now, gone already …), in the engine's words. */
  reason?: string;
}

export interface CleanupResult {
  outcomes: CleanupOutcome[];
  /** What the listed sizes of the removed items add up to. */
  reclaimedBytes: number;
}

const imageId = kind(
  'name',
  z
    .string()
    .regex(/^(sha256:)?[a-f0-9]{12,64}$/, 'Not an image id')
    .transform((id) => id.replace(/^sha256:/, '')),
);

export const cleanupInput = z
  .object({
    containers: z.array(containerRef).max(10_000).default([]),
    images: z.array(imageId).max(10_000).default([]),
    volumes: z.array(volumeName).max(10_000).default([]),
  })
  .refine((v) => v.containers.length + v.images.length + v.volumes.length > 0, 'Choose something to delete');

export const homeCalls = {
  'home.setChecklistHidden': call(z.object({ hidden: z.boolean() })).returns<FirstHourProgress>(),
  /** Podman's `system/df`: what images, containers, volumes and build cache take, and what could go. */
  'home.diskUsage': call(z.void()).returns<DiskUsage>(),
  'home.cleanupPlan': call(z.void()).returns<CleanupPlan>(),
  /** Deletes exactly these (by id; never forced): one that is in use now is kept and says why. */
  'home.cleanup': call(cleanupInput).returns<CleanupResult>(),
};

export const homeStreams = {
  /** The checklist's progress now, then again whenever a step is reached or it is hidden or shown. */
  'home.progress': stream(z.void()).emits<FirstHourProgress>(),
};
