import type { Candidate, ConnectionStatus, EngineInfo, Endpoint, HostKeyProblem, Platform } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { SettingsStore } from '../../store/settings';
import { LIBPOD, type Engine } from '../engine';
import { followEvents, type EngineEvent } from '../events';
import { isHostKeyError } from '../transport/host-keys';
import { candidateKey } from './endpoint-uri';
import { installHint, startAction } from './platform';
import type { ServiceProcess } from './service-process';
import { WSL_BOOT_MS, type DistroService } from './wsl-service';
import { pause } from '../../pause';

/**
 * Finds Podman, keeps one connection to it and says, at every moment, what state it is in.
 * Live state comes from one `/events` subscription per connection; when it ends the engine is
 * pinged with backoff until it answers, then the subscription and the caches are rebuilt.
 * Nothing here spawns a process or polls while connected.
 */
export interface ConnectionManager {
  status(): ConnectionStatus;
  watch(listener: (status: ConnectionStatus) => void): () => void;
  /** The connected engine, or an ENGINE_UNAVAILABLE error the UI can show. */
  engine(): Engine;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Work redone on every (re)connect once events flow, e.g. reloading caches. */
  onConnect(hook: (engine: Engine) => Promise<void>): () => void;
  connect(): Promise<ConnectionStatus>;
  start(): Promise<ConnectionStatus>;
  /** Saves the candidate with this key (one the finders found) as the choice, or null for automatic; then connects. */
  choose(key: string | null): Promise<ConnectionStatus>;
  /** Saves an endpoint main built from checked fields (connection/add.ts) as the choice; then connects. */
  add(choice: Pick<Candidate, 'endpoint' | 'label'>): Promise<ConnectionStatus>;
  candidates(): Promise<Candidate[]>;
  close(): Promise<void>;
}

export interface ConnectionManagerDeps {
  platform: Platform;
  locatePodman(): Promise<string | null>;
  /** With `filesOnly` only the finders that read files run (no process is spawned). */
  findCandidates(
    podmanPath: string | null,
    saved: Pick<Candidate, 'endpoint' | 'label'> | null,
    options?: { filesOnly?: boolean },
  ): Promise<Candidate[]>;
  settings: SettingsStore;
  createEngine(endpoint: Endpoint): Engine;
  /** The service the app may own (Linux); null where the engine runs in a machine. */
  createService(podmanPath: string): ServiceProcess | null;
  /** Windows: Podman's service in the WSL distro a relay reaches, for the app to own; null for other endpoints. */
  createDistroService?(relay: Endpoint): DistroService | null;
  startMachine(podmanPath: string): Promise<void>;
  /** `relayMaxMs`: the longest wait between tries over a command relay (WSL), 10 s by default. */
  backoff?: { initialMs: number; maxMs: number; relayMaxMs?: number };
  /** How often to look again while Podman is installed but not running (no CLI is spawned). */
  idleProbeMs?: number;
  log?: (message: string, error?: unknown) => void;
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** An ssh host key the user must look at: the state says which connection, what was shown, and what to do. */
const hostKeyStatus = (candidate: Candidate, error: Error & { details: HostKeyProblem }): ConnectionStatus => ({
  state: 'host-key',
  candidate,
  problem: error.details,
  message: error.message,
});

export async function readEngineInfo(engine: Engine): Promise<EngineInfo> {
  const info = await engine.json<{
    host?: { arch?: string; os?: string; security?: { rootless?: boolean } };
    version?: { Version?: string; APIVersion?: string };
  }>('GET', `${LIBPOD}/info`);
  return {
    version: info.version?.Version ?? 'unknown',
    apiVersion: info.version?.APIVersion ?? 'unknown',
    rootless: Boolean(info.host?.security?.rootless),
    os: info.host?.os ?? 'unknown',
    arch: info.host?.arch ?? 'unknown',
  };
}

export function createConnectionManager(deps: ConnectionManagerDeps): ConnectionManager {
  const backoff = deps.backoff ?? { initialMs: 250, maxMs: 5_000 };
  const log = deps.log ?? (() => undefined);
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  const eventListeners = new Set<(event: EngineEvent) => void>();
  const connectHooks = new Set<(engine: Engine) => Promise<void>>();

  let status: ConnectionStatus = { state: 'searching' };
  let current: { engine: Engine; candidate: Candidate } | null = null;
  // True while the event stream is open: the caches may use the engine from then on.
  let live = false;
  let service: ServiceProcess | null = null;
  let distroService: DistroService | null = null;
  let podmanPath: string | null = null;
  // What the last search found and tried: where Start looks for a WSL distro to start Podman in.
  let lastFound: Candidate[] = [];
  // Every discovery, start or close begins a new lifetime; loops of an older one stop by themselves.
  let lifetime = new AbortController();

  const setStatus = (next: ConnectionStatus) => {
    status = next;
    for (const listener of statusListeners) listener(next);
  };

  const newLifetime = () => {
    lifetime.abort();
    lifetime = new AbortController();
    if (current) current.engine.close();
    current = null;
    live = false;
    return lifetime.signal;
  };

  const fanOut = (event: EngineEvent) => {
    for (const listener of eventListeners) {
      try {
        listener(event);
      } catch (error) {
        log('event listener failed', error);
      }
    }
  };

  /** Follows events on a live engine; resolves once connected (or the first attempt failed). */
  const runSession = (engine: Engine, candidate: Candidate, signal: AbortSignal): Promise<void> =>
    new Promise<void>((settled) => {
      current = { engine, candidate };
      const session = new AbortController();
      // Removed when the session ends: a lifetime that sees many reconnects must not gather listeners.
      const endSession = () => session.abort();
      signal.addEventListener('abort', endSession, { once: true });
      const onOpen = () => {
        live = true;
        void (async () => {
          try {
            const [engineInfo] = await Promise.all([readEngineInfo(engine), ...[...connectHooks].map((hook) => hook(engine))]);
            if (!signal.aborted)
              setStatus({
                state: 'connected',
                candidate,
                engine: engineInfo,
                ownedService: candidate.source === 'owned-service',
              });
          } catch (error) {
            log('initial load after connect failed', error);
          } finally {
            settled();
          }
        })();
      };
      followEvents(engine, fanOut, session.signal, onOpen)
        .then(
          () => 'the event stream ended',
          (error: unknown) => describe(error),
        )
        .then((reason) => {
          signal.removeEventListener('abort', endSession);
          live = false;
          settled();
          if (!signal.aborted) void reconnect(engine, candidate, signal, reason);
        });
    });

  const reconnect = async (engine: Engine, candidate: Candidate, signal: AbortSignal, reason: string) => {
    const since = Date.now();
    let lastError = reason;
    // Asking a local socket or pipe costs nothing (no process, no handshake): keep asking every
    // second at most, so a restarted service is back on screen at once. Remote ones back off further.
    const local = candidate.endpoint.kind === 'unix' || candidate.endpoint.kind === 'npipe';
    // Over a relay each try starts wsl.exe (a second when WSL is busy, and it boots a stopped
    // distro): after the first quick tries, ask less often than elsewhere.
    const relay = candidate.endpoint.kind === 'command';
    const maxMs = local
      ? Math.min(backoff.maxMs, 1_000)
      : relay
        ? Math.max(backoff.maxMs, backoff.relayMaxMs ?? 10_000)
        : backoff.maxMs;
    for (let attempt = 1; !signal.aborted; attempt++) {
      const wait = Math.min(backoff.initialMs * 2 ** (attempt - 1), maxMs);
      setStatus({ state: 'lost', candidate, since, attempt, retryInMs: wait, lastError });
      await pause(wait, signal);
      if (signal.aborted) return;
      try {
        const owned = candidate.source === 'owned-service' ? (service ?? distroService) : null;
        if (owned && !owned.running()) await owned.start();
        await engine.ping(relay ? WSL_BOOT_MS : undefined);
      } catch (error) {
        // A host key that changed while away is not retried: nothing more is sent until the user acts.
        if (isHostKeyError(error)) return setStatus(hostKeyStatus(candidate, error));
        lastError = describe(error);
        continue;
      }
      await runSession(engine, candidate, signal);
      return;
    }
  };

  /**
   * Tries each candidate in order; the first that answers /_ping wins. An ssh host key to look at
   * stops the search when that connection is the one the user asked for (saved, or named by
   * CONTAINER_HOST): quietly using another engine would hide the question.
   */
  const tryCandidates = async (
    candidates: Candidate[],
    signal: AbortSignal,
  ): Promise<{ ok: boolean; errors: string[]; hostKey?: ConnectionStatus; stopped?: boolean }> => {
    const errors: string[] = [];
    let hostKey: ConnectionStatus | undefined;
    for (const candidate of candidates) {
      if (signal.aborted) return { ok: false, errors, hostKey };
      const engine = deps.createEngine(candidate.endpoint);
      try {
        const kind = candidate.endpoint.kind;
        await engine.ping(kind === 'command' ? WSL_BOOT_MS : kind === 'ssh' ? 15_000 : 3_000);
      } catch (error) {
        engine.close();
        errors.push(`${candidate.label}: ${describe(error)}`);
        if (isHostKeyError(error)) {
          hostKey ??= hostKeyStatus(candidate, error);
          if (candidate.source === 'saved' || candidate.source === 'environment')
            return { ok: false, errors, hostKey, stopped: true };
        }
        continue;
      }
      if (signal.aborted) {
        engine.close();
        return { ok: false, errors, hostKey };
      }
      await runSession(engine, candidate, signal);
      return { ok: true, errors };
    }
    return { ok: false, errors, hostKey };
  };

  /**
   * Windows: the WSL distro Start runs Podman in — the saved choice when it is a distro, else,
   * without Podman for Windows (whose Start is `podman machine start`), the first distro found.
   */
  const distroToStart = (found: Candidate[]): { relay: Candidate; service: DistroService } | null => {
    if (deps.platform !== 'win32' || !deps.createDistroService) return null;
    const saved = deps.settings.get().connection;
    for (const relay of found) {
      if (podmanPath && !(relay.source === 'saved' && saved)) return null;
      const candidateService = deps.createDistroService(relay.endpoint);
      if (candidateService) return { relay, service: candidateService };
    }
    return null;
  };

  const notRunning = (tried: Candidate[], lastError?: string): ConnectionStatus => {
    const distro = distroToStart(tried.length > 0 ? tried : lastFound);
    return podmanPath || tried.length > 0
      ? {
          state: 'not-running',
          platform: deps.platform,
          podmanPath: podmanPath ?? '',
          tried,
          startAction: distro ? distro.service.argv.join(' ') : startAction(deps.platform),
          hint: installHint(deps.platform),
          ...(lastError ? { lastError } : {}),
        }
      : { state: 'not-installed', platform: deps.platform, hint: installHint(deps.platform) };
  };

  /** While Podman is installed but silent, look at the sockets now and then (files only). */
  const probeWhileIdle = async (signal: AbortSignal) => {
    const interval = deps.idleProbeMs ?? 5_000;
    while (!signal.aborted) {
      await pause(interval, signal);
      if (signal.aborted) return;
      const candidates = (await deps.findCandidates(null, deps.settings.get().connection, { filesOnly: true })).filter(
        (c) => c.endpoint.kind !== 'command' && c.endpoint.kind !== 'ssh',
      );
      for (const candidate of candidates) {
        const engine = deps.createEngine(candidate.endpoint);
        const alive = await engine.ping(1_000).then(
          () => true,
          () => false,
        );
        engine.close();
        if (alive && !signal.aborted) {
          void connect();
          return;
        }
      }
    }
  };

  const connect = async (): Promise<ConnectionStatus> => {
    const signal = newLifetime();
    setStatus({ state: 'searching' });
    podmanPath = await deps.locatePodman();
    const candidates = await deps.findCandidates(podmanPath, deps.settings.get().connection);
    if (signal.aborted) return status;
    lastFound = candidates;
    const { ok, errors, hostKey, stopped } = await tryCandidates(candidates, signal);
    if (ok || signal.aborted) return status;
    if (hostKey && stopped) {
      setStatus(hostKey);
      return status;
    }
    const startsHere = podmanPath && deps.platform !== 'win32' && deps.platform !== 'darwin';
    if (deps.settings.get().autoStartService && (startsHere || distroToStart(candidates))) {
      return start();
    }
    setStatus(hostKey ?? notRunning(candidates, errors.at(-1)));
    void probeWhileIdle(signal);
    return status;
  };

  /** Runs Podman's service in a WSL distro as the app's own, then connects through the distro's relay. */
  const startInDistro = async (signal: AbortSignal, relay: Candidate, next: DistroService): Promise<ConnectionStatus> => {
    // One distro's service at a time: the one started for another distro goes.
    const same = distroService?.argv.join('\0') === next.argv.join('\0');
    if (distroService && !same) await distroService.stop();
    const owned = same && distroService ? distroService : next;
    distroService = owned;
    const candidate: Candidate = {
      key: candidateKey(relay.endpoint),
      endpoint: relay.endpoint,
      source: 'owned-service',
      label: `Podman in WSL distro ${next.distro}, started by PodDesk`,
    };
    setStatus({
      state: 'starting',
      candidate,
      message: `Starting Podman in WSL distro ${next.distro} (the first start of WSL can take a minute)…`,
    });
    try {
      await owned.start();
    } catch (error) {
      setStatus(notRunning(lastFound, describe(error)));
      return status;
    }
    if (signal.aborted) return status;
    await runSession(deps.createEngine(candidate.endpoint), candidate, signal);
    return status;
  };

  const start = async (): Promise<ConnectionStatus> => {
    const signal = newLifetime();
    podmanPath ??= await deps.locatePodman();
    if (deps.platform === 'win32') {
      if (lastFound.length === 0) lastFound = await deps.findCandidates(podmanPath, deps.settings.get().connection);
      if (signal.aborted) return status;
      const distro = distroToStart(lastFound);
      if (distro) return startInDistro(signal, distro.relay, distro.service);
    }
    if (!podmanPath) {
      setStatus(notRunning([]));
      return status;
    }
    if (deps.platform === 'win32' || deps.platform === 'darwin') {
      setStatus({ state: 'starting', message: 'Starting the Podman machine (podman machine start)…' });
      try {
        await deps.startMachine(podmanPath);
      } catch (error) {
        setStatus(notRunning([], describe(error)));
        return status;
      }
      return connect();
    }
    service ??= deps.createService(podmanPath);
    if (!service) {
      setStatus(notRunning([], 'Starting Podman is not supported here'));
      return status;
    }
    const endpoint: Endpoint = { kind: 'unix', path: service.socketPath };
    const candidate: Candidate = {
      key: candidateKey(endpoint),
      endpoint,
      source: 'owned-service',
      label: 'Podman service started by PodDesk',
    };
    setStatus({ state: 'starting', candidate, message: 'Starting podman system service…' });
    try {
      await service.start();
    } catch (error) {
      setStatus(notRunning([], describe(error)));
      return status;
    }
    if (signal.aborted) return status;
    await runSession(deps.createEngine(candidate.endpoint), candidate, signal);
    return status;
  };

  return {
    status: () => status,
    watch(listener) {
      statusListeners.add(listener);
      listener(status);
      return () => statusListeners.delete(listener);
    },
    engine() {
      if (!current || !live) {
        throw new AppError(
          'ENGINE_UNAVAILABLE',
          status.state === 'lost' ? 'The connection to Podman was lost; reconnecting…' : 'Podman is not connected',
        );
      }
      return current.engine;
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onConnect(hook) {
      connectHooks.add(hook);
      return () => connectHooks.delete(hook);
    },
    connect,
    start,
    async choose(key) {
      if (key === null) {
        await deps.settings.update({ connection: null });
        return connect();
      }
      podmanPath ??= await deps.locatePodman();
      const found = (await deps.findCandidates(podmanPath, deps.settings.get().connection)).find((c) => c.key === key);
      if (!found)
        throw new AppError('NOT_FOUND', 'That connection is not among those found now: look again and pick one from the list');
      await deps.settings.update({ connection: { endpoint: found.endpoint, label: found.label } });
      return connect();
    },
    async add({ endpoint, label }) {
      await deps.settings.update({ connection: { endpoint, label } });
      return connect();
    },
    async candidates() {
      podmanPath ??= await deps.locatePodman();
      return deps.findCandidates(podmanPath, deps.settings.get().connection);
    },
    async close() {
      newLifetime();
      await Promise.all([service?.stop(), distroService?.stop()]);
    },
  };
}

/** Resolves once the connection is up (at once if it is), or when `signal` aborts. */
export function untilConnected(connection: Pick<ConnectionManager, 'watch' | 'status'>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || connection.status().state === 'connected') return resolve();
    const finish = () => {
      unwatch();
      signal.removeEventListener('abort', finish);
      resolve();
    };
    // Not connected now, so the status watch() reports at once does not finish yet.
    const unwatch = connection.watch((status) => {
      if (status.state === 'connected') finish();
    });
    signal.addEventListener('abort', finish, { once: true });
  });
}
