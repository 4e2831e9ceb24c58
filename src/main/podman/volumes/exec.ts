import { PassThrough, type Duplex, type Readable } from 'node:stream';
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

/**
 * Runs a command and streams its stdout as it comes (frames demultiplexed on the fly, with
 * backpressure): for output too large to hold, such as a tar of a whole volume. The stream fails
 * if the command exits non-zero, with what it printed on stderr.
 */
export async function execStream(engine: Engine, container: string, cmd: string[], signal?: AbortSignal): Promise<Readable> {
  const exec = await engine.docker
    .getContainer(container)
    .exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: false })
    .catch((error: unknown) => {
      throw engineError(error);
    });
  const raw = (await exec.start({ hijack: true, stdin: false }).catch((error: unknown) => {
    throw engineError(error);
  })) as Duplex;
  let pending: Buffer = Buffer.alloc(0);
  let stderr = '';
  const out = new PassThrough({ highWaterMark: 1024 * 1024 });
  raw.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let wantsMore = true;
    while (pending.length >= 8) {
      const size = pending.readUInt32BE(4);
      if (pending.length < 8 + size) break;
      const payload = pending.subarray(8, 8 + size);
      if (pending[0] === 2) stderr = (stderr + payload.toString('utf8')).slice(-4000);
      else wantsMore = out.write(payload) && wantsMore;
      pending = pending.subarray(8 + size);
    }
    if (!wantsMore) {
      raw.pause();
      out.once('drain', () => raw.resume());
    }
  });
  raw.once('error', (error) => out.destroy(error));
  raw.once('end', () => {
    exec.inspect().then(
      (inspected) =>
        inspected.ExitCode === 0
          ? out.end()
          : out.destroy(new AppError('ENGINE_ERROR', `${cmd[0]} failed in the helper (${inspected.ExitCode}): ${stderr.trim()}`)),
      (error: unknown) => out.destroy(engineError(error)),
    );
  });
  const abort = () => {
    raw.destroy();
    out.destroy(new AppError('CANCELLED', 'Cancelled'));
  };
  if (signal?.aborted) abort();
  else signal?.addEventListener('abort', abort, { once: true });
  out.once('close', () => raw.destroy());
  return out;
}
