import type { Ollama } from 'ollama';
import type { ContainerSummary, OllamaCandidate, OllamaStatus, OllamaTried, RunningModel } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { Env } from '../system/types';
import { createOllamaClient } from './client';
import { ollamaError } from './errors';
import { containerOllamaHost, ollamaCandidates, ollamaContainers } from './host';
import { toRunningModel } from './models';

/**
 * Finds the Ollama server and keeps its status. Candidates are probed together (GET
 * /api/version, short time limit) and the first in order that answers wins. It looks again
 * when asked (retry), when the setting changes, when a request finds the server gone, and when
 * an Ollama container starts or stops — never on a timer.
 */
export interface OllamaEndpoint {
  status(): OllamaStatus;
  /** Probes now and returns the fresh status. */
  refresh(): Promise<OllamaStatus>;
  /** A client for the server found, looking first when none is known. Throws OLLAMA_UNAVAILABLE. */
  client(options?: { signal?: AbortSignal }): Promise<{ client: Ollama; host: string }>;
  /** A request failed to connect: look again (the status follows). */
  lost(): void;
  /** Running containers changed. */
  containersChanged(): void;
  watch(listener: (status: OllamaStatus) => void): () => void;
}

export interface OllamaEndpointDeps {
  setting(): string | null;
  env: Env;
  containers(): ContainerSummary[];
  /** Ollama's usual address on this machine (http://127.0.0.1:11434). */
  defaultHost?: string;
  probeTimeoutMs?: number;
  makeClient?: (host: string, options?: { timeoutMs?: number; signal?: AbortSignal }) => Ollama;
}

export function createOllamaEndpoint(deps: OllamaEndpointDeps): OllamaEndpoint {
  const makeClient = deps.makeClient ?? createOllamaClient;
  const probeTimeoutMs = deps.probeTimeoutMs ?? 2_000;
  let current: OllamaStatus = { state: 'searching' };
  let inFlight: Promise<OllamaStatus> | null = null;
  let again = false;
  let lastSetting: string | null | undefined;
  let lastContainerHosts = '';
  const listeners = new Set<(status: OllamaStatus) => void>();

  const publish = (status: OllamaStatus) => {
    current = status;
    for (const listener of listeners) listener(status);
  };

  const probe = async (candidate: OllamaCandidate): Promise<{ version: string; loaded: RunningModel[] }> => {
    const client = makeClient(candidate.host, { timeoutMs: probeTimeoutMs });
    const { version } = await client.version();
    if (typeof version !== 'string') throw new Error('This server does not answer like Ollama (no version)');
    const ps = await client.ps().catch(() => ({ models: [] }));
    return { version, loaded: (ps.models ?? []).map(toRunningModel) };
  };

  const containerHosts = () =>
    ollamaContainers(deps.containers())
      .map((c) => `${c.id}:${containerOllamaHost(c) ?? ''}`)
      .sort()
      .join(',');

  const look = async (): Promise<OllamaStatus> => {
    lastSetting = deps.setting();
    lastContainerHosts = containerHosts();
    const candidates = ollamaCandidates(lastSetting, deps.env, deps.containers(), deps.defaultHost);
    const results = await Promise.allSettled(candidates.map(probe));
    const tried: OllamaTried[] = [];
    for (let i = 0; i < candidates.length; i++) {
      const result = results[i]!;
      if (result.status === 'fulfilled') {
        return {
          state: 'reachable',
          candidate: candidates[i]!,
          version: result.value.version,
          loaded: result.value.loaded,
          tried,
        };
      }
      tried.push({ ...candidates[i]!, error: probeFailure(result.reason, candidates[i]!.host) });
    }
    const silent = ollamaContainers(deps.containers()).find((c) => !containerOllamaHost(c));
    return {
      state: 'unreachable',
      tried,
      ...(silent
        ? { containerHint: `The container ${silent.name} runs Ollama but publishes no port: recreate it with -p 11434:11434.` }
        : {}),
    };
  };

  const refresh = (): Promise<OllamaStatus> => {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      let status: OllamaStatus;
      do {
        again = false;
        status = await look();
      } while (again);
      inFlight = null;
      publish(status);
      return status;
    })();
    return inFlight;
  };

  const settingChanged = () => lastSetting !== undefined && deps.setting() !== lastSetting;

  return {
    status: () => {
      if (settingChanged()) void refresh();
      return current;
    },
    refresh,
    async client(options = {}) {
      let status = current;
      if (status.state !== 'reachable' || settingChanged()) status = await refresh();
      if (status.state !== 'reachable') {
        const tried = status.state === 'unreachable' ? status.tried.map((t) => t.host).join(', ') : '';
        throw new AppError(
          'OLLAMA_UNAVAILABLE',
          `Ollama is not running or not reachable${tried ? ` (tried ${tried})` : ''}`,
          status,
        );
      }
      const host = status.candidate.host;
      return { client: makeClient(host, options), host };
    },
    lost() {
      void refresh();
    },
    containersChanged() {
      // Only a change in Ollama containers (or their ports) is worth a look.
      if (lastSetting === undefined || containerHosts() === lastContainerHosts) return;
      void refresh();
    },
    watch(listener) {
      listeners.add(listener);
      listener(current);
      if (current.state === 'searching' && !inFlight) void refresh();
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Why a candidate did not do, in words that carry nothing of what answered there: the page may
 * point the setting at any server of the network, so a server that is not Ollama is named by its
 * HTTP status alone, never by its body (an error page, or a JSON parser quoting it).
 */
function probeFailure(error: unknown, host: string): string {
  const failure = ollamaError(error, host);
  if (failure.code === 'OLLAMA_UNAVAILABLE' || failure.code === 'TIMEOUT' || failure.code === 'CANCELLED') return failure.message;
  const status = (failure.details as { status?: unknown } | undefined)?.status;
  return `Something answers at ${host}, but not as Ollama does${typeof status === 'number' ? ` (HTTP ${status})` : ''}`;
}
