import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { ExecEvent, ShellInfo } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { LIBPOD, type Engine } from '../engine';
import { statPath } from './files';

/** Looked for in this order; the first found is the one a terminal opens with unless the user picks. */
export const SHELLS = ['/bin/bash', '/bin/sh', '/bin/ash', '/usr/bin/zsh'];

export interface ExecSessions {
  shells(id: string): Promise<ShellInfo>;
  /** The body of the `exec.session` stream: runs until the shell exits or `signal` aborts. */
  run(
    id: string,
    options: { shell?: string; cols: number; rows: number },
    emit: (event: ExecEvent) => void,
    signal: AbortSignal,
  ): Promise<void>;
  input(session: string, data: string): void;
  resize(session: string, cols: number, rows: number): Promise<void>;
  /** Sessions open now (the tests check that closing the stream ends them). */
  open(): number;
}

/** Set in the terminal's environment, inherited by all it starts: how its processes are found to hang up. */
const MARKER = 'PODDESK_TERMINAL';

const HANG_UP = `for d in /proc/[0-9]*; do grep -q "${MARKER}=$1" "$d/environ" 2>/dev/null && kill -HUP "\${d#/proc/}" 2>/dev/null; done; exit 0`;

/** Sends SIGHUP to the terminal's processes, with a short exec of its own (no TTY, nothing shown). */
async function hangUp(engine: Engine, id: string, marker: string): Promise<void> {
  try {
    const exec = await engine.json<{ Id: string }>('POST', `/containers/${encodeURIComponent(id)}/exec`, {
      body: { AttachStdout: true, AttachStderr: true, Tty: false, Cmd: ['/bin/sh', '-c', HANG_UP, 'sh', marker] },
      signal: AbortSignal.timeout(5_000),
    });
    const output = await engine.stream('POST', `/exec/${exec.Id}/start`, {
      body: { Detach: false, Tty: false },
      signal: AbortSignal.timeout(5_000),
    });
    output.resume();
    await new Promise<void>((resolve) => {
      output.once('end', resolve);
      output.once('close', resolve);
      output.once('error', () => resolve());
    });
  } catch {
    // The container stopped meanwhile, or has no /bin/sh: then its terminal is gone or cannot be reached.
  }
}

interface Session {
  socket: Duplex;
  execId: string;
}

interface InspectState {
  Name?: string;
  State?: { Status?: string; Running?: boolean };
}

/**
 * Interactive shells through exec with a TTY: the exec is created, started on an upgraded
 * connection (raw bytes both ways), and resized to the terminal's size. The session id the page
 * gets is random; input and resize calls name it.
 */
export function execSessions(
  engine: () => Engine,
  random: () => string = () => randomBytes(18).toString('base64url'),
): ExecSessions {
  const sessions = new Map<string, Session>();

  const inspect = (id: string) => engine().json<InspectState>('GET', `${LIBPOD}/containers/${encodeURIComponent(id)}/json`);

  return {
    async shells(id) {
      const info = await inspect(id);
      const state = info.State?.Status ?? 'unknown';
      // The archive API reads the container's files whatever its state: nothing is started to look.
      const found = await Promise.all(SHELLS.map((shell) => statPath(engine(), id, shell).then((s) => (s ? shell : null))));
      return { running: Boolean(info.State?.Running), state, shells: found.filter((s): s is string => s !== null) };
    },

    async run(id, options, emit, signal) {
      const info = await inspect(id);
      const name = (info.Name ?? id).replace(/^\//, '');
      if (!info.State?.Running) {
        const state = info.State?.Status ?? 'not running';
        throw new AppError(
          'CONFLICT',
          `${name} is ${state === 'running' ? 'not running' : state}: start it to open a terminal.`,
          {
            state,
          },
        );
      }
      let shell = options.shell;
      if (!shell) {
        const { shells } = await this.shells(id);
        if (shells.length === 0) {
          throw new AppError(
            'NOT_FOUND',
            `${name} has no shell (looked for ${SHELLS.join(', ')}): a terminal cannot open in it.`,
          );
        }
        shell = shells[0]!;
      } else if (!(await statPath(engine(), id, shell))) {
        throw new AppError('NOT_FOUND', `${name} has no ${shell}.`);
      }
      const marker = random();
      const exec = await engine().json<{ Id: string }>('POST', `/containers/${encodeURIComponent(id)}/exec`, {
        body: {
          AttachStdin: true,
          AttachStdout: true,
          AttachStderr: true,
          Tty: true,
          Cmd: [shell],
          // No COLUMNS/LINES: programs would believe them over the terminal's real (resized) size.
          Env: ['TERM=xterm-256color', `${MARKER}=${marker}`],
        },
        signal,
      });
      const socket = await engine().upgrade('POST', `/exec/${exec.Id}/start`, { body: { Detach: false, Tty: true }, signal });
      const session = random();
      sessions.set(session, { socket, execId: exec.Id });
      const decoder = new StringDecoder('utf8');
      try {
        emit({ type: 'ready', session, shell });
        await this.resize(session, options.cols, options.rows).catch(() => undefined);
        await new Promise<void>((resolve) => {
          socket.on('data', (chunk: Buffer) => {
            const data = decoder.write(chunk);
            if (data) emit({ type: 'output', data });
          });
          socket.once('end', () => resolve());
          socket.once('close', () => resolve());
          socket.once('error', () => resolve());
          if (signal.aborted) resolve();
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
      } finally {
        sessions.delete(session);
        // Closing the connection does not end the shell (conmon keeps the terminal open), so the
        // page leaving hangs it up: every process of this terminal gets SIGHUP, as on a real hang-up.
        if (signal.aborted) await hangUp(engine(), id, marker);
        socket.destroy();
      }
      if (signal.aborted) return;
      const rest = decoder.end();
      if (rest) emit({ type: 'output', data: rest });
      const result = await engine()
        .json<{ ExitCode?: number; Running?: boolean }>('GET', `/exec/${exec.Id}/json`)
        .catch(() => null);
      emit({ type: 'exit', code: result && !result.Running ? (result.ExitCode ?? null) : null });
    },

    input(session, data) {
      const found = sessions.get(session);
      if (!found) throw new AppError('NOT_FOUND', 'This terminal session has ended');
      found.socket.write(data);
    },

    async resize(session, cols, rows) {
      const found = sessions.get(session);
      if (!found) throw new AppError('NOT_FOUND', 'This terminal session has ended');
      await engine().json('POST', `/exec/${found.execId}/resize`, { query: { h: rows, w: cols } });
    },

    open: () => sessions.size,
  };
}
