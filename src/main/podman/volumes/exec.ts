import type { Duplex } from 'node:stream';
import { AppError } from '../../../shared/errors';
import type { Engine } from '../engine';
import { engineError } from '../errors';

export interface ExecResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/**
 * Splits the engine's multiplexed exec output (8-byte frame headers: stream, 0, 0, 0, size) into
 * stdout and stderr. Frames may arrive cut anywhere.
 */
export function createDemuxer(): { push(chunk: Buffer): void; stdout(): Buffer; stderr(): Buffer } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let pending: Buffer = Buffer.alloc(0);
  return {
    push(chunk) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 8) {
        const size = pending.readUInt32BE(4);
        if (pending.length < 8 + size) break;
        (pending[0] === 2 ? err : out).push(pending.subarray(8, 8 + size));
        pending = pending.subarray(8 + size);
      }
    },
    stdout: () => Buffer.concat(out),
    stderr: () => Buffer.concat(err),
  };
}

/**
 * Runs a command in a running container and collects what it prints. For the volume helper's
 * small jobs (a listing, a rename): the output is metadata, never file contents.
 */
export async function execIn(engine: Engine, container: string, cmd: string[], signal?: AbortSignal): Promise<ExecResult> {
  try {
    const exec = await engine.docker
      .getContainer(container)
      .exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: false });
    const stream = (await exec.start({ hijack: true, stdin: false })) as Duplex;
    const demux = createDemuxer();
    await new Promise<void>((resolve, reject) => {
      const abort = () => {
        stream.destroy();
        reject(new AppError('CANCELLED', 'Cancelled'));
      };
      if (signal?.aborted) return abort();
      signal?.addEventListener('abort', abort, { once: true });
      stream.on('data', (chunk: Buffer) => demux.push(chunk));
      stream.once('end', resolve);
      stream.once('close', resolve);
      stream.once('error', reject);
    });
    const inspected = await exec.inspect();
    return { code: inspected.ExitCode ?? -1, stdout: demux.stdout(), stderr: demux.stderr().toString('utf8') };
  } catch (error) {
    throw engineError(error);
  }
}
