import type { ExecSessions } from '../podman/containers/exec';
import type { CallHandlers, StreamHandlers } from '../rpc/handlers';

export function execHandlers(sessions: ExecSessions) {
  const calls = {
    'exec.shells': ({ id }) => sessions.shells(id),
    'exec.input': ({ session, data }) => sessions.input(session, data),
    'exec.resize': ({ session, cols, rows }) => sessions.resize(session, cols, rows),
  } satisfies Partial<CallHandlers>;
  const streams = {
    'exec.session': ({ id, shell, cols, rows }, emit, signal) => sessions.run(id, { shell, cols, rows }, emit, signal),
  } satisfies Partial<StreamHandlers>;
  return { calls, streams };
}
