import { join } from 'node:path';
import type { Endpoint } from '../../../shared/contract';
import type { SettingsStore } from '../../store/settings';
import type { Env, FileSystem, Runner } from '../../system/types';
import type { Engine } from '../engine';
import { findCandidates, sharedLookup, wslDistros, type Found } from './finders';
import { createConnectionManager, type ConnectionManager } from './manager';
import { detectPlatform, findPodmanBinary } from './platform';
import { createServiceProcess } from './service-process';
import { createWslService, WSL_BOOT_MS } from './wsl-service';

/**
 * The connection manager with this machine's finders, the service the app may own (Linux) and
 * `podman machine start` (Windows, macOS) wired in.
 */
export interface PodmanConnectionDeps {
  nodePlatform: NodeJS.Platform;
  env: Env;
  fs: FileSystem;
  run: Runner;
  homedir: string;
  uid?: number;
  settings: SettingsStore;
  dataDir: string;
  createEngine: (endpoint: Endpoint) => Engine;
  podmanGlobalArgs?: string[];
  serviceSocketPath?: string;
  idleProbeMs?: number;
  backoff?: { initialMs: number; maxMs: number; relayMaxMs?: number };
  log: (message: string, error?: unknown) => void;
  /** More finders of the program that embeds the back end (the tests' command transport). */
  moreCandidates?: () => Promise<Found[]>;
}

export async function createPodmanConnection(deps: PodmanConnectionDeps): Promise<ConnectionManager> {
  const { env, fs, run, uid } = deps;
  const platform = await detectPlatform(deps.nodePlatform, env, fs);
  // Where an owned service listens: the user's usual socket, so the CLI finds it too.
  const runtimeDir = env.XDG_RUNTIME_DIR || (uid === 0 ? '/run' : '');
  const serviceSocket =
    deps.serviceSocketPath ?? (runtimeDir ? join(runtimeDir, 'podman', 'podman.sock') : join(deps.dataDir, 'podman.sock'));

  // Finders run again while Podman is silent (every few seconds): say each thing they ignore once.
  const said = new Set<string>();
  const logOnce = (message: string) => {
    if (said.has(message)) return;
    said.add(message);
    deps.log(message);
  };

  // The app asks on connect while the settings page asks too: one `wsl.exe --list` serves both.
  const listDistros = sharedLookup(() => wslDistros(run));

  return createConnectionManager({
    platform,
    settings: deps.settings,
    locatePodman: () => findPodmanBinary(platform, env, fs),
    findCandidates: (podmanPath, saved, options) =>
      findCandidates(
        {
          platform,
          env,
          fs,
          run,
          podmanPath,
          uid,
          homedir: deps.homedir,
          more: deps.moreCandidates,
          wslDistros: listDistros,
          filesOnly: options?.filesOnly,
          log: logOnce,
        },
        saved,
      ),
    createEngine: deps.createEngine,
    createService: (podmanPath) => {
      const probe = deps.createEngine({ kind: 'unix', path: serviceSocket });
      return createServiceProcess({
        podmanPath,
        socketPath: serviceSocket,
        globalArgs: deps.podmanGlobalArgs,
        env: { ...process.env, ...env } as NodeJS.ProcessEnv,
        async waitUntilReady(signal) {
          for (let wait = 50; !signal.aborted; wait = Math.min(wait * 2, 500)) {
            const answered = await probe.ping(1_000).then(
              () => true,
              () => false,
            );
            if (answered) return;
            await new Promise((resolve) => setTimeout(resolve, wait));
          }
        },
      });
    },
    createDistroService: (relay) =>
      createWslService(relay, {
        async waitUntilReady(signal) {
          // Through the relay, as the app will connect; the first try may wait for WSL to boot.
          const probe = deps.createEngine(relay);
          try {
            for (let wait = 100; !signal.aborted; wait = Math.min(wait * 2, 1_000)) {
              const answered = await probe
                .json('GET', '/_ping', { signal: AbortSignal.any([signal, AbortSignal.timeout(WSL_BOOT_MS)]) })
                .then(
                  () => true,
                  () => false,
                );
              if (answered) return;
              await new Promise((resolve) => setTimeout(resolve, wait));
            }
          } finally {
            probe.close();
          }
        },
      }),
    async startMachine(podmanPath) {
      const result = await run(podmanPath, ['machine', 'start'], { timeoutMs: 180_000 });
      // "already running" is not a failure: the user wanted it running, and it is.
      if (result.code !== 0 && !/already running/i.test(result.stderr))
        throw new Error(result.stderr.trim() || 'podman machine start failed');
    },
    idleProbeMs: deps.idleProbeMs,
    backoff: deps.backoff,
    log: deps.log,
  });
}
