import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { Duplex } from 'node:stream';

/** An error of a relay process; `code` makes the engine client call it "cannot be reached". */
export interface RelayError extends Error {
  code: 'ECONNRESET';
  /** What the relay printed (wsl.exe's own words, "podman: not found" …), for the user. */
  detail?: string;
}

export interface ProcessSocketOptions {
  /** The program, for messages ("wsl.exe exited with code 1: …"). */
  name: string;
  /** How long a relay may take to leave after its input ends before it is killed. */
  graceMs?: number;
}

const STDERR_LIMIT = 4096;

/**
 * A child's stdin/stdout as the socket Node's http client and agent expect: bytes go to stdin and
 * come from stdout; setTimeout, ref and unref work as on a net.Socket (the agent uses them to close
 * idle connections and to let the app exit while some are parked).
 *
 * The two live and die together. When the socket is destroyed the child's input ends — the way
 * `podman system dial-stdio` (and socat) expect to be told to hang up, which also ends the relay
 * inside a WSL distro, where killing wsl.exe may leave the Linux side running — and a child that
 * has not left after `graceMs` is killed. When the child ends, the socket ends with it: cleanly
 * after everything it printed has been read, or with an error that carries its stderr.
 */
export function processSocket(child: ChildProcessWithoutNullStreams, options: ProcessSocketOptions): Duplex {
  const graceMs = options.graceMs ?? 2_000;
  let stderr = '';
  let idleMs = 0;
  let idleTimer: NodeJS.Timeout | undefined;
  let gone = false;

  const touch = () => idleTimer?.refresh();

  const hangUp = () => {
    child.stdout.resume(); // whatever still comes is drained, so the child is never stuck writing
    if (gone) return;
    child.stdin.end();
    const kill = setTimeout(() => child.kill(), graceMs);
    kill.unref();
    child.once('close', () => clearTimeout(kill));
  };

  const socket = new Duplex({
    allowHalfOpen: false,
    read() {
      child.stdout.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      touch();
      child.stdin.write(chunk, callback);
    },
    final(callback) {
      child.stdin.end(callback);
    },
    destroy(error, callback) {
      clearTimeout(idleTimer);
      hangUp();
      callback(error);
    },
  });

  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < STDERR_LIMIT) stderr += chunk.toString('utf8');
  });
  child.stdout.on('data', (chunk: Buffer) => {
    touch();
    if (!socket.destroyed && !socket.push(chunk)) child.stdout.pause();
  });
  // EPIPE when the child left first: its 'close' below says why.
  child.stdin.on('error', () => undefined);
  child.once('error', (error) => {
    gone = true;
    socket.destroy(relayError(`Could not run ${options.name}: ${error.message}`));
  });
  // 'close' comes after stdout has delivered everything: only then is the end of the stream known
  // to be the child's, and a failure can say what the child printed.
  child.once('close', (code, signal) => {
    gone = true;
    if (socket.destroyed) return;
    if (code === 0) {
      socket.push(null);
      return;
    }
    const why = code === null ? `was ended (${signal ?? 'signal'})` : `exited with code ${code}`;
    const detail = stderr.replace(/\0/g, '').trim();
    socket.destroy(relayError(`${options.name} ${why}${detail ? `: ${detail}` : ''}`, detail));
  });

  const handles = [child, child.stdin, child.stdout, child.stderr] as { ref?(): void; unref?(): void }[];
  // The agent compares `timeout` with its own before it sets one.
  Object.defineProperty(socket, 'timeout', { get: () => idleMs });
  return Object.assign(socket, {
    setTimeout(ms: number, callback?: () => void) {
      idleMs = ms;
      clearTimeout(idleTimer);
      idleTimer = ms > 0 ? setTimeout(() => socket.emit('timeout'), ms) : undefined;
      idleTimer?.unref();
      // As net.Socket: with 0 the callback is taken off again (the http client relies on it).
      if (callback && ms > 0) socket.once('timeout', callback);
      if (callback && ms === 0) socket.removeListener('timeout', callback);
      return socket;
    },
    setNoDelay: () => socket,
    setKeepAlive: () => socket,
    ref() {
      for (const handle of handles) handle.ref?.();
      return socket;
    },
    unref() {
      for (const handle of handles) handle.unref?.();
      return socket;
    },
  });
}

function relayError(message: string, detail?: string): RelayError {
  return Object.assign(new Error(message), { code: 'ECONNRESET' as const, ...(detail ? { detail } : {}) });
}
