import { randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { HELPER_LABEL } from '../../../shared/labels';
import { LIBPOD, type Engine } from '../engine';
import { execIn } from '../volumes/exec';
import { probeCommand, scriptRan, type ProbeMode } from './script';

/** Runs one check somewhere inside a network namespace and returns what it printed. */
export interface ProbeRunner {
  /** Resolves with the output ('' when the deadline cut it short); rejects only when cancelled. */
  run(mode: ProbeMode, args: (string | number)[], deadlineMs: number): Promise<string>;
  close(): Promise<void>;
}

/** The container has no /bin/sh (or exec is refused): the checks need a helper. */
export class NoShellError extends Error {}

async function runIn(
  engine: Engine,
  container: string,
  mode: ProbeMode,
  args: (string | number)[],
  deadlineMs: number,
  signal: AbortSignal,
) {
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(deadlineMs)]);
  try {
    const result = await execIn(engine, container, probeCommand(mode, ...args), deadline);
    const stdout = result.stdout.toString('utf8');
    if (!scriptRan(stdout)) throw new NoShellError(result.stderr.trim());
    return stdout + (result.stderr ? `\n${result.stderr}` : '');
  } catch (error) {
    if (signal.aborted) throw new AppError('CANCELLED', 'Cancelled');
    if (error instanceof NoShellError) throw error;
    if ((error as AppError).code === 'CANCELLED') return ''; // the deadline
    // Podman refuses the exec itself when the executable is missing.
    if (/executable file|no such file|not found in \$PATH|OCI runtime/i.test((error as Error).message))
      throw new NoShellError((error as Error).message);
    throw error;
  }
}

/** Checks run with the container's own tools, through exec. */
export function execRunner(engine: () => Engine, container: string, signal: AbortSignal): ProbeRunner {
  return {
    run: (mode, args, deadlineMs) => runIn(engine(), container, mode, args, deadlineMs, signal),
    close: async () => undefined,
  };
}

export interface HelperImage {
  image(): string;
  imagePresent(): Promise<boolean>;
}

/**
 * A helper container that joins the network namespace of `container` (`--network container:X`):
 * it sees the same addresses, routes, /etc/hosts and resolv.conf, so its checks are that
 * container's. Made from the volume browser's image (present already: the caller checked, or
 * the user agreed to pull it), removed when the check ends; its `sleep` ends it anyway if the
 * app dies first, and the volume helpers' clean-up removes it on the next connection.
 */
export async function helperRunner(
  engine: () => Engine,
  image: string,
  container: string,
  signal: AbortSignal,
  random: () => string = () => randomBytes(6).toString('hex'),
): Promise<ProbeRunner> {
  const name = `poddesk-doctor-${random()}`;
  const path = `${LIBPOD}/containers/${encodeURIComponent(name)}`;
  const remove = async () => {
    await engine()
      .json('DELETE', path, { query: { force: true, timeout: 0 } })
      .catch(() => undefined);
  };
  // Not cut by the signal: a helper created just as the user cancels must still be found and removed.
  await engine().json('POST', `${LIBPOD}/containers/create`, {
    body: {
      name,
      image,
      entrypoint: ['sleep'],
      command: ['300'],
      labels: { [HELPER_LABEL]: 'network-doctor' },
      netns: { nsmode: 'container', value: container },
      stop_timeout: 0,
    },
  });
  try {
    if (signal.aborted) throw new AppError('CANCELLED', 'Cancelled');
    await engine().json('POST', `${path}/start`, { accept: [304] });
    if (signal.aborted) throw new AppError('CANCELLED', 'Cancelled');
  } catch (error) {
    await remove();
    throw error;
  }
  return {
    run: (mode, args, deadlineMs) => runIn(engine(), name, mode, args, deadlineMs, signal),
    close: remove,
  };
}
