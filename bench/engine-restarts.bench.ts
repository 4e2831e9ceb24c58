import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/main/app';
import { memorySettings } from '../src/main/store/settings';
import type { LogLine } from '../src/shared/contract';
import { podman, startService } from '../tests/support/podman';
import { benchPodman, stats } from './support';

/**
 * Reliability under an engine that keeps going away: the app is open with the event stream and a
 * followed log, and Podman's service is killed and started again 20 times (half SIGTERM, as a
 * service manager restarts it; half SIGKILL, as a crash or `wsl --shutdown` ends it). Each time:
 * how long from the service answering again to the app being connected, whether events flow
 * again (a container made with the CLI reaches the cache) and whether the log carried on with no
 * line lost or repeated.
 */
const RESTARTS = 20;

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export default async function run() {
  const { info, stop } = await benchPodman();
  const socketPath = join(info.dir, 'restarting.sock');
  let service = await startService(info, socketPath);
  const app = await createApp({
    settings: memorySettings({ connection: { endpoint: { kind: 'unix', path: socketPath }, label: 'bench' } }),
    dataDir: await mkdtemp(join(tmpdir(), 'poddesk-bench-restarts-')),
    env: {},
    ollamaDefaultHost: 'http://127.0.0.1:9',
  });
  const reconnectMs: number[] = [];
  // From the app's last retry (its last 'lost' status plus the wait it announced) to connected:
  // the work of reconnecting (ping, event stream, caches reloaded), apart from the backoff.
  const reconnectWorkMs: number[] = [];
  let lastRetryAt = 0;
  app.connection.watch((status) => {
    if (status.state === 'lost') lastRetryAt = performance.now() + status.retryInMs;
    if (status.state === 'connected' && lastRetryAt > 0) reconnectWorkMs.push(performance.now() - lastRetryAt);
  });
  const eventsBackMs: number[] = [];
  let eventsResumed = 0;
  let logResumed = 0;
  let logIntact = true;
  try {
    await app.connection.connect();
    await until(() => app.connection.status().state === 'connected', 'the first connection');
    const counter = 'restart-counter';
    await podman(
      info,
      'run',
      '-d',
      '--name',
      counter,
      info.busybox,
      'sh',
      '-c',
      'i=0; while true; do echo "line $i"; i=$((i+1)); sleep 0.05; done',
    );

    const lines: LogLine[] = [];
    let logEnded: unknown = null;
    const session = app.dispatcher.session((event) => {
      if (event.id !== 'log') return;
      if (event.type === 'batch') lines.push(...(event.items as LogLine[]));
      else logEnded = event.error ?? 'ended';
    });
    session.open('log', 'containers.logs', { id: counter, follow: true });
    await until(() => lines.length > 5, 'the first log lines');

    for (let i = 0; i < RESTARTS; i++) {
      await service.stop(i % 2 === 0 ? 'SIGTERM' : 'SIGKILL');
      await until(() => app.connection.status().state === 'lost', 'the app to notice');
      service = await startService(info, socketPath);
      const back = performance.now();
      await until(() => app.connection.status().state === 'connected', 'the reconnection');
      reconnectMs.push(performance.now() - back);

      const made = `restart-made-${i}`;
      const t0 = performance.now();
      await podman(info, 'create', '--name', made, info.busybox, 'true');
      await until(() => app.containers.items().some((c) => c.name === made), 'the create event').then(
        () => (eventsResumed++, eventsBackMs.push(performance.now() - t0)),
        () => undefined,
      );
      await podman(info, 'rm', made);

      const seen = lines.length;
      await until(() => lines.length >= seen + 5, 'log lines after the restart').then(
        () => logResumed++,
        () => undefined,
      );
    }
    session.closeAll();
    const numbers = lines.map((l) => Number(/^line (\d+)$/.exec(l.text)?.[1]));
    logIntact = numbers.every((n, i) => n === numbers[0]! + i);
    return {
      restarts: RESTARTS,
      reconnected: reconnectMs.length,
      reconnectMs: stats(reconnectMs),
      reconnectWorkMs: stats(reconnectWorkMs),
      eventsResumed,
      createEventAfterReconnectMs: stats(eventsBackMs),
      logResumed,
      logLines: lines.length,
      logNoLineLostOrRepeated: logIntact,
      logEndedEarly: logEnded !== null,
    };
  } finally {
    await app.close();
    await service.stop();
    await stop();
  }
}
