import { z } from 'zod';
import { call, stream } from './define';

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
export const containerRef = z
  .string()
  .min(1, 'A container id or name is required')
  .max(256)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'Not a container id or name');

export const containerCalls = {
  'containers.list': call(z.void()).returns<ContainerSummary[]>(),
  'containers.start': call(z.object({ id: containerRef })).returns<void>(),
  'containers.stop': call(
    z.object({ id: containerRef, timeoutSeconds: z.number().int().min(0).max(3600).optional() }),
  ).returns<void>(),
  'containers.remove': call(
    z.object({ id: containerRef, force: z.boolean().default(false), volumes: z.boolean().default(false) }),
  ).returns<void>(),
};

export const containerStreams = {
  'containers.watch': stream(z.void()).emits<LiveChange<ContainerSummary>>(),
};
