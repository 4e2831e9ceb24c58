import { z } from 'zod';
import { containerRef } from './containers';
import { call, stream } from './define';
import { kind } from './kinds';

/**
 * An interactive terminal in a container: a stream carries the output (and the session id that
 * input and resize calls name), calls carry keystrokes and window sizes. Closing the stream ends
 * the session: main closes the exec's connection, and the shell gets a hang-up.
 */
export type ExecEvent =
  { type: 'ready'; session: string; shell: string } | { type: 'output'; data: string } | { type: 'exit'; code: number | null };

export interface ShellInfo {
  running: boolean;
  state: string;
  /** Shells found in the container, best first (bash before sh). */
  shells: string[];
}

const size = {
  cols: z.number().int().min(1).max(1000),
  rows: z.number().int().min(1).max(500),
};

const shellPath = kind(
  'container-path',
  z
    .string()
    .max(256)
    .regex(/^\/[A-Za-z0-9_./-]+$/, 'An absolute path to a shell, e.g. /bin/sh'),
);

/** Session ids are random and known only to the page that opened the session. */
const sessionId = kind('name', z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'Not a terminal session'));

export const execCalls = {
  /** Whether a terminal can open, and with which shells (looked up without starting anything). */
  'exec.shells': call(z.object({ id: containerRef })).returns<ShellInfo>(),
  'exec.input': call(z.object({ session: sessionId, data: kind('text', z.string().max(65536)) })).returns<void>(),
  'exec.resize': call(z.object({ session: sessionId, ...size })).returns<void>(),
};

export const execStreams = {
  'exec.session': stream(z.object({ id: containerRef, shell: shellPath.optional(), ...size })).emits<ExecEvent>(),
};
