import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import type { ConnectionStatus } from '../../src/shared/contract';
import { podman, startService, waitFor } from '../support/podman';
import { connectedApp, uniqueName } from '../support/app';
import { openStream } from '../support/open-stream';

const info = inject('podman');

/**
 * A second service on the same private storage, so killing it leaves the suite's own service
 * alone. The app must notice the loss from the event stream alone, reconnect with backoff when
 * the service is back, rebuild its cache and follow events again.
 */
describe('losing and regaining the engine', () => {
  const socketPath = join(info.dir, 'flaky.sock');
  let app: App | undefined;
  let service: Awaited<ReturnType<typeof startService>> | undefined;
  afterAll(async () => {
    await app?.close();
    await service?.stop();
  });

  it('goes to lost when the service dies, and back to connected by itself', async () => {
    service = await startService(info, socketPath);
    app = await connectedApp(info, { endpoint: { kind: 'unix', path: socketPath } });
    const states: ConnectionStatus['state'][] = [];
    app.connection.watch((s) => states.push(s.state));

    await service.stop('SIGKILL');
    await waitFor(() => app!.connection.status().state === 'lost', 'the lost state');
    const lost = app.connection.status();
    expect(lost.state === 'lost' && lost.attempt).toBeGreaterThanOrEqual(1);
    expect(await app.dispatcher.call('containers.start', { id: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'ENGINE_UNAVAILABLE' },
    });

    // Meanwhile a container appears: the rebuilt cache must have it.
    const before = uniqueName('while-down');
    await podman(info, 'create', '--name', before, info.busybox, 'true');

    service = await startService(info, socketPath);
    await waitFor(() => app!.connection.status().state === 'connected', 'the connection to come back', 20_000);
    expect(states).toEqual(expect.arrayContaining(['connected', 'lost']));
    expect(app.containers.items().some((c) => c.name === before)).toBe(true);

    // Events flow again on the new subscription.
    const after = uniqueName('after');
    await podman(info, 'create', '--name', after, info.busybox, 'true');
    await waitFor(() => app!.containers.items().some((c) => c.name === after), 'an event after reconnecting');

    await podman(info, 'rm', before, after);
  });

  it('a followed log carries on after the engine restarts, without a line lost or repeated', async () => {
    service ??= await startService(info, socketPath);
    app ??= await connectedApp(info, { endpoint: { kind: 'unix', path: socketPath } });
    const name = uniqueName('counting');
    await podman(
      info,
      'run',
      '-d',
      '--name',
      name,
      info.busybox,
      'sh',
      '-c',
      'i=0; while true; do echo "line $i"; i=$((i+1)); sleep 0.05; done',
    );
    const log = openStream(app, 'containers.logs', { id: name, follow: true });
    try {
      await log.until((lines) => lines.length >= 5, 'the first lines');
      await service.stop('SIGKILL');
      await waitFor(() => app!.connection.status().state === 'lost', 'the lost state');
      // The container goes on printing while nobody listens: those lines must arrive too.
      await new Promise((r) => setTimeout(r, 500));
      service = await startService(info, socketPath);
      await waitFor(() => app!.connection.status().state === 'connected', 'the connection to come back', 20_000);
      const seen = log.items.length;
      await log.until((lines) => lines.length >= seen + 20, 'lines after the restart');
      expect(log.isEnded()).toBe(false);
      const numbers = log.items.map((l) => Number(/^line (\d+)$/.exec(l.text)?.[1]));
      expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i));
    } finally {
      log.close();
      await podman(info, 'rm', '-f', '-t', '0', name);
    }
  });
});
