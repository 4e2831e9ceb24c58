import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError } from '../../../shared/errors';

/**
 * A Podman service the app starts when Podman is installed but nothing listens, and ends when the
 * app quits. It is the app's own child: nobody else stops it.
 */
export interface OwnedService {
  /** Starts the service (once) and resolves when it answers. */
  start(): Promise<void>;
  stop(): Promise<void>;
  running(): boolean;
}

/** `podman system service` on this machine (Linux), listening on a socket of ours. */
export interface ServiceProcess extends OwnedService {
  readonly socketPath: string;
}

export interface OwnedProcessOptions {
  file: string;
  args: string[];
  /** What runs, in messages: "podman system service". */
  name: string;
  env?: NodeJS.ProcessEnv;
  /** Work before each start (the socket's folder). */
  prepare?: () => Promise<void>;
  /** Resolves when the service answers; rejects if it never does. */
  waitUntilReady: (signal: AbortSignal) => Promise<void>;
  spawnProcess?: typeof spawn;
  onExit?: (code: number | null) => void;
}

/** A long-running child that counts as started once it answers, and is ended by `stop`. */
export function createOwnedProcess(options: OwnedProcessOptions): OwnedService {
  const spawnProcess = options.spawnProcess ?? spawn;
  let child: ChildProcess | null = null;
  let starting: Promise<void> | null = null;

  const start = async () => {
    await options.prepare?.();
    const proc = spawnProcess(options.file, options.args, {
      env: options.env ?? process.env,
      stdio: ['ignore', 'ignore', 'pipe'],
      windowsHide: true,
    });
    child = proc;
    let stderr = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4096);
    });
    const exited = new Promise<never>((_, reject) => {
      proc.once('error', (error) => reject(new AppError('ENGINE_UNAVAILABLE', `Could not start Podman: ${error.message}`)));
      proc.once('exit', (code) => {
        if (child === proc) {
          child = null;
          starting = null; // the next start() runs it again
        }
        options.onExit?.(code);
        const said = stderr.replace(/\0/g, '').trim();
        reject(new AppError('ENGINE_UNAVAILABLE', `${options.name} exited (code ${code}): ${said || 'no output'}`));
      });
    });
    exited.catch(() => undefined); // observed below; after start succeeds an exit is reported through onExit
    const ready = new AbortController();
    try {
      await Promise.race([options.waitUntilReady(ready.signal), exited]);
    } catch (error) {
      proc.kill('SIGTERM');
      throw error;
    } finally {
      ready.abort();
    }
  };

  return {
    running: () => child !== null && child.exitCode === null,
    start() {
      // Callers that ask while it starts, or once it runs, share that start.
      starting ??= start().catch((error: unknown) => {
        starting = null;
        throw error;
      });
      return starting;
    },
    async stop() {
      const proc = child;
      child = null;
      starting = null;
      if (!proc || proc.exitCode !== null) return;
      const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

export interface ServiceProcessOptions {
  podmanPath: string;
  socketPath: string;
  /** Global podman flags put before `system service` (the tests pass a private --root). */
  globalArgs?: string[];
  env?: NodeJS.ProcessEnv;
  /** Resolves when the socket answers; rejects if it never does. */
  waitUntilReady: (signal: AbortSignal) => Promise<void>;
  spawnProcess?: typeof spawn;
  onExit?: (code: number | null) => void;
}

/** `podman system service --time=0` on a socket of ours (Linux, and Linux inside WSL). */
export function createServiceProcess(options: ServiceProcessOptions): ServiceProcess {
  const service = createOwnedProcess({
    file: options.podmanPath,
    args: [...(options.globalArgs ?? []), 'system', 'service', '--time=0', `unix://${options.socketPath}`],
    name: 'podman system service',
    env: options.env,
    prepare: async () => {
      await mkdir(dirname(options.socketPath), { recursive: true });
    },
    waitUntilReady: options.waitUntilReady,
    spawnProcess: options.spawnProcess,
    onExit: options.onExit,
  });
  return { ...service, socketPath: options.socketPath };
}
