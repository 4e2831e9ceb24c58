import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError } from '../../../shared/errors';

/**
 * A `podman system service --time=0` the app starts when Podman is installed but nothing
 * listens, and ends when the app quits. It is the app's own child: nobody else stops it.
 */
export interface ServiceProcess {
  /** Starts the service (once) and resolves when its socket answers. */
  start(): Promise<void>;
  stop(): Promise<void>;
  running(): boolean;
  readonly socketPath: string;
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

export function createServiceProcess(options: ServiceProcessOptions): ServiceProcess {
  const spawnProcess = options.spawnProcess ?? spawn;
  let child: ChildProcess | null = null;
  let starting: Promise<void> | null = null;

  const start = async () => {
    await mkdir(dirname(options.socketPath), { recursive: true });
    const args = [...(options.globalArgs ?? []), 'system', 'service', '--time=0', `unix://${options.socketPath}`];
    const proc = spawnProcess(options.podmanPath, args, {
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
        if (child === proc) child = null;
        options.onExit?.(code);
        reject(
          new AppError('ENGINE_UNAVAILABLE', `podman system service exited (code ${code}): ${stderr.trim() || 'no output'}`),
        );
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
    socketPath: options.socketPath,
    running: () => child !== null && child.exitCode === null,
    start() {
      if (child && child.exitCode === null && starting) return starting;
      starting = start().finally(() => {
        if (!child) starting = null;
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
