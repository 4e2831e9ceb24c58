import { z } from 'zod';
import { containerName, containerRef, portSpec, type LiveChange } from './containers';
import { call, stream } from './define';

export type PodState = 'running' | 'degraded' | 'stopped' | 'exited' | 'paused' | 'created' | 'dead' | 'unknown';

export interface PodSummary {
  id: string;
  name: string;
  state: PodState;
  /** The engine's own word, e.g. "Running", "Degraded". */
  status: string;
  /** Seconds since the epoch. */
  created: number;
  infraId?: string;
  containers: { id: string; name: string; state: string }[];
  labels: Record<string, string>;
  networks: string[];
}

export const podCalls = {
  'pods.list': call(z.void()).returns<PodSummary[]>(),
  'pods.start': call(z.object({ id: containerRef })).returns<void>(),
  'pods.stop': call(z.object({ id: containerRef, timeoutSeconds: z.number().int().min(0).max(3600).optional() })).returns<void>(),
  'pods.restart': call(z.object({ id: containerRef })).returns<void>(),
  'pods.remove': call(z.object({ id: containerRef, force: z.boolean().default(false) })).returns<void>(),
  'pods.inspect': call(z.object({ id: containerRef })).returns<Record<string, unknown>>(),
  /**
   * A new pod with these published ports. With `containers`, each is copied into the pod (same
   * image, command, environment, mounts) and the originals are stopped, not removed, so the pod can
   * take over their ports. Any refusal leaves nothing behind.
   */
  'pods.create': call(
    z.object({
      name: containerName,
      ports: z.array(portSpec).max(256).default([]),
      containers: z.array(containerRef).max(64).default([]),
      start: z.boolean().default(true),
    }),
  ).returns<{ id: string; containers: string[] }>(),
};

export const podStreams = {
  'pods.watch': stream(z.void()).emits<LiveChange<PodSummary>>(),
};
