import { z } from 'zod';
import { call, stream } from './define';

/** Where a Podman API can be reached. `command`: each connection is a process's stdin/stdout. */
export const endpointSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unix'), path: z.string().min(1) }),
  z.object({ kind: z.literal('npipe'), path: z.string().min(1) }),
  z.object({ kind: z.literal('tcp'), host: z.string().min(1), port: z.number().int().min(1).max(65535) }),
  z.object({
    kind: z.literal('ssh'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(22),
    username: z.string().min(1),
    socketPath: z.string().min(1),
    identity: z.string().optional(),
  }),
  z.object({ kind: z.literal('command'), argv: z.array(z.string().min(1)).min(1) }),
]);
export type Endpoint = z.infer<typeof endpointSchema>;

export type CandidateSource =
  'saved' | 'environment' | 'podman-connection' | 'rootless-socket' | 'rootful-socket' | 'machine' | 'wsl' | 'owned-service';

export interface Candidate {
  endpoint: Endpoint;
  source: CandidateSource;
  /** What the user reads, e.g. "podman-machine-default (default connection)". */
  label: string;
}

export type Platform = 'linux' | 'win32' | 'darwin' | 'wsl' | 'other';

export interface InstallHint {
  title: string;
  steps: string[];
  url: string;
}

export interface EngineInfo {
  version: string;
  apiVersion: string;
  rootless: boolean;
  os: string;
  arch: string;
}

export type ConnectionStatus =
  | { state: 'searching' }
  | { state: 'not-installed'; platform: Platform; hint: InstallHint }
  | {
      state: 'not-running';
      platform: Platform;
      podmanPath: string;
      tried: Candidate[];
      /** What the Start button does, in words, e.g. "podman machine start". */
      startAction: string;
      hint: InstallHint;
      lastError?: string;
    }
  | { state: 'starting'; candidate?: Candidate; message: string }
  | { state: 'connected'; candidate: Candidate; engine: EngineInfo; ownedService: boolean }
  | { state: 'lost'; candidate: Candidate; since: number; attempt: number; retryInMs: number; lastError: string };

export const connectionCalls = {
  /** The current status, at once. The stream below keeps it live. */
  'connection.status': call(z.void()).returns<ConnectionStatus>(),
  /** Every endpoint the finders know of on this machine, for the chooser in Settings. */
  'connection.candidates': call(z.void()).returns<Candidate[]>(),
  /** Use this endpoint from now on (saved), or `null` to go back to automatic discovery. */
  'connection.choose': call(
    z.object({ candidate: z.object({ endpoint: endpointSchema, label: z.string() }).nullable() }),
  ).returns<ConnectionStatus>(),
  /** Start the engine: an owned `podman system service` on Linux, `podman machine start` elsewhere. */
  'connection.start': call(z.void()).returns<ConnectionStatus>(),
  /** Look again now (after the user installed or started Podman themselves). */
  'connection.retry': call(z.void()).returns<ConnectionStatus>(),
};

export const connectionStreams = {
  'connection.watch': stream(z.void()).emits<ConnectionStatus>(),
};
