import type { LogLine } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { LIBPOD, type Engine } from '../engine';
import { readLogs, type LogOptions } from './logs';
import { pause } from '../../pause';

export interface LogFollowDeps {
  engine: () => Engine;
  /** Resolves once the engine is connected (at once if it is), or when `signal` aborts. */
  untilConnected: (signal: AbortSignal) => Promise<void>;
  /** How long to wait before asking again after a stream ended while the container runs. */
  pauseMs?: (attempt: number) => number;
}

/**
 * A log that outlives the engine. When Podman restarts (or its socket drops), a followed log's
 * request ends although the container goes on running: this waits for the connection to come
 * back and asks again from the last line's time, skipping the lines already sent, so the view
 * carries on where it was. It ends for good when the container stops or the page leaves.
 */
export async function followLogs(
  deps: LogFollowDeps,
  id: string,
  options: LogOptions & { signal: AbortSignal },
  onLine: (line: LogLine) => void,
): Promise<void> {
  const { signal } = options;
  const backoff = deps.pauseMs ?? ((attempt: number) => Math.min(2_000, 100 * 2 ** attempt));
  let last: bigint | undefined;
  let sentAtLast = 0;
  let lastTime: string | undefined;
  // On a resume the engine repeats the lines of the last timestamp (`since` is inclusive).
  let skipAtLast = 0;
  let delivered = 0;

  const deliver = (line: LogLine) => {
    const at = timeNs(line.time);
    if (at !== undefined && last !== undefined) {
      if (at < last) return;
      if (at === last && skipAtLast > 0) {
        skipAtLast--;
        return;
      }
    }
    if (at !== undefined) {
      if (at === last) sentAtLast++;
      else {
        last = at;
        lastTime = line.time;
        sentAtLast = 1;
      }
    }
    delivered++;
    onLine(line);
  };

  for (let attempt = 0; !signal.aborted; attempt++) {
    let failure: unknown;
    const before = delivered;
    try {
      const resume = lastTime === undefined ? {} : { since: lastTime, tail: undefined };
      skipAtLast = sentAtLast;
      await readLogs(deps.engine(), id, { ...options, ...resume }, deliver);
    } catch (error) {
      failure = error;
    }
    // A stream that carried lines was a good one: the backoff starts over.
    if (delivered > before) attempt = 0;
    if (signal.aborted || !options.follow) {
      if (failure) throw failure;
      return;
    }
    // The stream ended: the container stopped (done), or the engine went away (wait and resume).
    const state = await containerState(deps.engine, id);
    if (state === 'gone' || state === 'stopped') {
      if (failure && state === 'gone') throw failure;
      return;
    }
    // The connection may not know yet that the engine is gone: pause either way, so a dead
    // socket is not asked again in a tight loop, then wait for the connection to be back.
    await pause(backoff(attempt), signal);
    if (state === 'unreachable') await deps.untilConnected(signal);
  }
}

type State = 'running' | 'stopped' | 'gone' | 'unreachable';

async function containerState(engine: () => Engine, id: string): Promise<State> {
  try {
    const raw = await engine().json<{ State?: { Running?: boolean } }>(
      'GET',
      `${LIBPOD}/containers/${encodeURIComponent(id)}/json`,
    );
    return raw.State?.Running ? 'running' : 'stopped';
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return 'gone';
    return 'unreachable';
  }
}

/**
 * A log line's RFC 3339 time in nanoseconds. Podman trims trailing zeros from the fraction, so
 * the strings do not sort as text ("…01.5Z" is after "…01.123Z").
 */
export function timeNs(time: string): bigint | undefined {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (!match) return undefined;
  const ms = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}
