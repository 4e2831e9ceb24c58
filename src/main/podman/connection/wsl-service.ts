import type { spawn } from 'node:child_process';
import type { Endpoint } from '../../../shared/contract';
import { wslDistroOf } from './finders';
import { createOwnedProcess, type OwnedService } from './service-process';

/**
 * How long Podman's service in a distro stays up once no connection is open. While PodDesk runs,
 * its event stream keeps one open; once it quits (or crashes) the service ends by itself even if
 * ending wsl.exe did not reach it — WSL does not always end a Linux process with the wsl.exe that
 * started it.
 */
export const WSL_SERVICE_IDLE_SECONDS = 10;

/**
 * How long a first answer through wsl.exe may take: after `wsl --shutdown`, or early in a Windows
 * session, wsl.exe boots WSL's virtual machine first, which takes tens of seconds.
 */
export const WSL_BOOT_MS = 60_000;

/** Podman's service run by the app in a WSL distro, where nothing answered. */
export interface DistroService extends OwnedService {
  readonly distro: string;
  /** What runs, as the user would type it. */
  readonly argv: readonly string[];
}

/** The command that runs Podman's service in the distro `relay` reaches; null for any other endpoint. */
export function wslServiceArgv(relay: Endpoint): string[] | null {
  const distro = wslDistroOf(relay);
  if (!distro || relay.kind !== 'command') return null;
  // The same wsl.exe as the relay's, and like it without a shell (--exec).
  return [relay.argv[0]!, '-d', distro, '--exec', 'podman', 'system', 'service', `--time=${WSL_SERVICE_IDLE_SECONDS}`];
}

export interface WslServiceDeps {
  /** Resolves when Podman answers through the relay; rejects if it never does. */
  waitUntilReady: (signal: AbortSignal) => Promise<void>;
  spawnProcess?: typeof spawn;
}

export function createWslService(relay: Endpoint, deps: WslServiceDeps): DistroService | null {
  const argv = wslServiceArgv(relay);
  const distro = wslDistroOf(relay);
  if (!argv || !distro) return null;
  const [file, ...args] = argv;
  const owned = createOwnedProcess({
    file: file!,
    args,
    name: `podman system service in WSL distro ${distro}`,
    waitUntilReady: deps.waitUntilReady,
    spawnProcess: deps.spawnProcess,
  });
  return { ...owned, distro, argv };
}
