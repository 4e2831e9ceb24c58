import { z } from 'zod';
import { call, stream } from './define';
import { hostHandle, kind, type HostHandle } from './kinds';
import { consentCode, type ConsentPending } from './consent';

/**
 * Where a Podman API can be reached. `command`: each connection is a process's stdin/stdout.
 * This is main's own record (settings, candidates); no input of the contract takes one: the page
 * chooses a candidate by key (`connection.choose`) or asks main to add one (`connection.add`).
 */
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
  /** Stable and opaque (a hash of the endpoint): what the page names when it chooses this one. */
  key: string;
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

/** A key known_hosts holds for a host (what a changed or revoked key is compared with). */
export interface KnownHostKey {
  algorithm: string;
  fingerprint: string;
  file: string;
  line: number;
}

/**
 * Why an ssh host was not trusted. `unknown`: known_hosts has no key for it yet; the user may
 * trust this fingerprint once (`connection.trustHostKey`). `changed` and `revoked`: refused; the
 * user must mend known_hosts themselves, as with `ssh`.
 */
/** What asking to trust a host key came to: trusted (and the connection tried again), or not yet. */
export type HostKeyTrust = { state: 'trusted'; status: ConnectionStatus } | ConsentPending;

export interface HostKeyProblem {
  kind: 'unknown' | 'changed' | 'revoked';
  host: string;
  port: number;
  /** The key type the host presented, e.g. ssh-ed25519. */
  algorithm: string;
  /** Its SHA256 fingerprint as `ssh` prints it: SHA256:… */
  fingerprint: string;
  /** changed: the keys on file for this host; revoked: the @revoked line. */
  known: KnownHostKey[];
  /** The user's known_hosts: where a trusted key is written. */
  knownHostsFile: string;
  /** changed: the command that removes the old key from the user's file, when it is there. */
  removeCommand?: string;
  /** Something else worth saying (an @cert-authority line PodDesk cannot use). */
  note?: string;
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
  | { state: 'lost'; candidate: Candidate; since: number; attempt: number; retryInMs: number; lastError: string }
  /** An ssh host whose key is not (or not yet) trusted: nothing is sent until the user acts. */
  | { state: 'host-key'; candidate: Candidate; problem: HostKeyProblem; message: string };

const port = z.number().int().min(1, 'Port 1–65535').max(65535, 'Port 1–65535');
const hostName = kind(
  'network-address',
  z
    .string()
    .trim()
    .min(1, 'A host is required')
    .max(253)
    .regex(
      /^(\[[0-9a-fA-F:.]+\]|[0-9a-fA-F:]*:[0-9a-fA-F:.]+|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$/,
      'A host name or IP address, e.g. build.example.org or 192.168.1.20',
    ),
);

/**
 * A connection the user adds by hand. Main checks each field and builds the endpoint itself; a
 * `command` endpoint never comes from here (only main's own finders make one, for WSL distros).
 */
export const connectionAddInput = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('ssh'),
    host: hostName,
    port: port.default(22),
    username: kind(
      'name',
      z
        .string()
        .trim()
        .min(1, 'A user name is required')
        .max(64)
        .regex(/^[A-Za-z0-9_][A-Za-z0-9_.@-]*$/, 'A user name: letters, digits, _ . @ -'),
    ),
    /** The Podman socket on that machine, e.g. /run/user/1000/podman/podman.sock. */
    socketPath: kind(
      'remote-path',
      z
        .string()
        .trim()
        .max(1024)
        .regex(/^\/[^\0\s]*$/, 'The socket’s absolute path on that machine, e.g. /run/user/1000/podman/podman.sock'),
    ),
    /** A private key chosen in main's dialog (`connection.chooseIdentity`); without one, the ssh agent is asked. */
    identity: hostHandle.optional(),
  }),
  z.object({ kind: z.literal('tcp'), host: hostName, port }),
  z.object({
    kind: z.literal('unix'),
    path: kind(
      'socket-path',
      z
        .string()
        .trim()
        .max(1024)
        .regex(/^\/[^\0]*$/, 'The socket’s absolute path, e.g. /run/user/1000/podman/podman.sock'),
    ),
  }),
]);
export type ConnectionAddInput = z.input<typeof connectionAddInput>;

export const connectionCalls = {
  /** The current status, at once. The stream below keeps it live. */
  'connection.status': call(z.void()).returns<ConnectionStatus>(),
  /** Every endpoint the finders know of on this machine, for the chooser in Settings. */
  'connection.candidates': call(z.void()).returns<Candidate[]>(),
  /** Use the candidate with this key from now on (saved), or `null` to go back to automatic discovery. */
  'connection.choose': call(
    z.object({ key: kind('name', z.string().regex(/^[a-f0-9]{24}$/, 'Not a connection of this list')).nullable() }),
  ).returns<ConnectionStatus>(),
  /** Saves a connection the user described (ssh, tcp or a unix socket) as the choice, and connects. */
  'connection.add': call(connectionAddInput).returns<ConnectionStatus>(),
  /** Asks for an ssh private key in the native dialog: its handle for `connection.add`; null when cancelled or where there is none. */
  'connection.chooseIdentity': call(z.void()).returns<HostHandle | null>(),
  /**
   * Trusts an unknown ssh host key once: main writes it to ~/.ssh/known_hosts and connects. Only
   * the fingerprint main itself was shown by that connection's host in its last attempt is
   * accepted; a changed or revoked key is never trusted here. The page only asks: main asks the
   * user (a dialog, or a code printed in its terminal that the user types back as `code`).
   */
  'connection.trustHostKey': call(
    z.object({
      key: kind('name', z.string().regex(/^[a-f0-9]{24}$/, 'Not a connection of this list')),
      fingerprint: kind('name', z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'Not a SHA256 key fingerprint')),
      code: consentCode,
    }),
  ).returns<HostKeyTrust>(),
  /** Start the engine: an owned `podman system service` on Linux, `podman machine start` elsewhere. */
  'connection.start': call(z.void()).returns<ConnectionStatus>(),
  /** Look again now (after the user installed or started Podman themselves). */
  'connection.retry': call(z.void()).returns<ConnectionStatus>(),
};

export const connectionStreams = {
  'connection.watch': stream(z.void()).emits<ConnectionStatus>(),
};
