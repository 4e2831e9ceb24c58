import { connect } from 'node:net';
import { AppError } from '../../shared/errors';
import type { HealthcheckSpec, ServiceSpec } from './compose/model';
import type { StackEngineOps } from './engine-ops';
import { reachableHost } from './links';

/**
 * Waiting for a service to be ready. Podman runs healthchecks from systemd timers, which do not
 * exist here, in WSL distros and in many containers: so whoever waits runs the check, through
 * the API. A service without a healthcheck is ready when its published port answers; one
 * without either, when it runs.
 */
export type Readiness = 'healthy' | 'answering' | 'running' | 'completed';

export interface WaitDeps {
  ops: StackEngineOps;
  /** True when something answers on host:port (probePort below; a fake in unit tests). */
  probe(host: string, port: number, signal: AbortSignal): Promise<boolean>;
  /** Where published ports are reached: 127.0.0.1, or the engine's host for a remote one. */
  probeHost: string;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
  /** How long a port may stay silent (no healthcheck to say otherwise). */
  portTimeoutMs?: number;
  /** How long a service with neither healthcheck nor port must keep running to count as up. */
  settleMs?: number;
}

/** Docker's defaults for a healthcheck that sets no timings (an image's HEALTHCHECK with none). */
const DEFAULT_CHECK: HealthcheckSpec = { intervalMs: 30_000, timeoutMs: 30_000, retries: 3, startPeriodMs: 0 };

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new AppError('CANCELLED', 'Cancelled'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AppError('CANCELLED', 'Cancelled'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The longest Docker would take to call the service unhealthy: past that, it is not coming. */
export function healthBudgetMs(h: HealthcheckSpec): number {
  return h.startPeriodMs + (h.intervalMs + h.timeoutMs) * Math.max(1, h.retries);
}

async function stoppedError(deps: WaitDeps, service: string, id: string, exitCode: number): Promise<AppError> {
  const tail = await deps.ops.tail(id, 15).catch(() => '');
  const lines = tail.trim();
  return new AppError(
    'ENGINE_ERROR',
    `Service "${service}" stopped (exit code ${exitCode})${lines ? `. Its last lines:\n${lines}` : ' without writing anything'}`,
    { service, exitCode, logs: lines },
  );
}

export async function waitReady(
  deps: WaitDeps,
  service: ServiceSpec,
  containerId: string,
  want: 'started' | 'healthy' | 'completed',
  signal: AbortSignal,
): Promise<Readiness> {
  const pause = deps.sleep ?? sleep;
  const now = deps.now ?? Date.now;
  const started = now();

  if (want === 'completed') {
    const code = await deps.ops.waitExit(containerId, signal);
    if (code !== 0) throw await stoppedError(deps, service.name, containerId, code);
    return 'completed';
  }

  let facts = await deps.ops.inspect(containerId);
  // A one-shot service (an init job, not restarted) that finished successfully is as ready as it gets.
  const oneShot = !service.restart || service.restart.policy === 'no' || service.restart.policy === 'on-failure';
  const notRunning = async (): Promise<Readiness> => {
    if (facts.state === 'exited' && facts.exitCode === 0 && (want === 'started' || oneShot)) return 'completed';
    throw await stoppedError(deps, service.name, containerId, facts.exitCode);
  };
  if (!facts.running) return notRunning();
  if (want === 'started') return 'running';

  if (facts.hasHealthcheck) {
    const h = service.healthcheck && !('disabled' in service.healthcheck) ? service.healthcheck : DEFAULT_CHECK;
    const budget = healthBudgetMs(h);
    const step = Math.min(Math.max(h.startIntervalMs ?? 1_000, 250), h.intervalMs);
    let last: string | undefined;
    for (;;) {
      if (signal.aborted) throw new AppError('CANCELLED', 'Cancelled');
      let report;
      try {
        report = await deps.ops.runHealthcheck(containerId);
      } catch (error) {
        facts = await deps.ops.inspect(containerId);
        if (!facts.running) throw await stoppedError(deps, service.name, containerId, facts.exitCode);
        throw error;
      }
      if (report.status === 'healthy') return 'healthy';
      last = report.output ?? last;
      const elapsed = now() - started;
      if (elapsed >= budget) {
        throw new AppError(
          'TIMEOUT',
          `Service "${service.name}" did not become healthy within ${Math.round(budget / 1000)} s${last ? `: ${last}` : ''}`,
          { service: service.name, output: last },
        );
      }
      // Quick checks while it starts, then towards the file's interval: readiness is seen early,
      // and the time allowed before giving up is the one Docker would allow.
      const delay = elapsed < h.startPeriodMs ? step : Math.min(h.intervalMs, Math.max(step, elapsed / 10));
      await pause(Math.min(delay, Math.max(0, budget - elapsed)), signal);
    }
  }

  // A port this computer cannot reach (a remote engine's loopback) cannot be asked either.
  const port = facts.ports.find(
    (p) => p.protocol === 'tcp' && p.hostPort > 0 && reachableHost(p.hostIp, deps.probeHost) !== undefined,
  );
  if (!port) {
    // Nothing to ask: a process that dies just after starting (a bad config) must not pass for
    // ready because the first look came a few milliseconds too early.
    await pause(deps.settleMs ?? 1_000, signal);
    facts = await deps.ops.inspect(containerId);
    return facts.running ? 'running' : notRunning();
  }
  const timeout = deps.portTimeoutMs ?? 120_000;
  const host = reachableHost(port.hostIp, deps.probeHost)!;
  for (let delay = 200; ; delay = Math.min(delay * 1.5, 2_000)) {
    if (signal.aborted) throw new AppError('CANCELLED', 'Cancelled');
    if (await deps.probe(host, port.hostPort, signal)) return 'answering';
    facts = await deps.ops.inspect(containerId);
    if (!facts.running) throw await stoppedError(deps, service.name, containerId, facts.exitCode);
    if (now() - started >= timeout) {
      throw new AppError(
        'TIMEOUT',
        `Service "${service.name}" runs but nothing answered on port ${port.hostPort} within ${Math.round(timeout / 1000)} s`,
        { service: service.name, port: port.hostPort },
      );
    }
    await pause(delay, signal);
  }
}

/**
 * True when a server answers on host:port. Connecting is not enough (a rootless port forwarder
 * accepts before the service listens): it must send something back. An HTTP request is sent,
 * so HTTP servers answer, and most others reply to it with an error, which counts too.
 */
export function probePort(host: string, port: number, signal: AbortSignal, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const socket = connect({ host, port });
    const done = (answer: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(answer);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(false), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => socket.write(`GET / HTTP/1.0\r\nHost: ${host}:${port}\r\n\r\n`));
    socket.once('data', () => done(true));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}
