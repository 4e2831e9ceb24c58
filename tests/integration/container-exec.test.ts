import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import type { ExecEvent } from '../../src/shared/contract';
import { connectedApp, uniqueName } from '../support/app';
import { podman, waitFor } from '../support/podman';
import { openStream } from '../support/open-stream';

const info = inject('podman');
let app: App;
let name: string;
beforeAll(async () => {
  app = await connectedApp(info);
  name = uniqueName('term');
  await podman(info, 'run', '-d', '--name', name, info.busybox, 'sleep', '600');
});
afterAll(async () => {
  await podman(info, 'rm', '-f', '-t', '0', name).catch(() => undefined);
  await app.close();
});

const output = (events: ExecEvent[]) =>
  events
    .filter((e): e is Extract<ExecEvent, { type: 'output' }> => e.type === 'output')
    .map((e) => e.data)
    .join('');
const sessionOf = (events: ExecEvent[]) => events.find((e): e is Extract<ExecEvent, { type: 'ready' }> => e.type === 'ready');

describe('a terminal in a container', () => {
  it('finds the shells without starting anything', async () => {
    const result = await app.dispatcher.call('exec.shells', { id: name });
    // busybox has sh and ash, no bash.
    expect(result).toMatchObject({ ok: true, data: { running: true, state: 'running', shells: ['/bin/sh', '/bin/ash'] } });
  });

  it('runs commands with a TTY, follows resizes and reports the exit code', async () => {
    const stream = openStream(app, 'exec.session', { id: name, cols: 80, rows: 24 });
    await stream.until((items) => Boolean(sessionOf(items)), 'the session');
    const { session, shell } = sessionOf(stream.items)!;
    expect(shell).toBe('/bin/sh');
    expect(app.terminals.open()).toBeGreaterThanOrEqual(1);

    expect(await app.dispatcher.call('exec.input', { session, data: 'echo "sum=$((20+22))"; tty\r' })).toEqual({ ok: true });
    await stream.until((items) => /sum=42/.test(output(items)) && /\/dev\/pts\/\d+/.test(output(items)), 'the echo and the tty');

    expect(await app.dispatcher.call('exec.resize', { session, cols: 132, rows: 43 })).toMatchObject({ ok: true });
    // conmon applies a resize a moment after the call returns: ask until the terminal says so.
    await waitFor(async () => {
      await app.dispatcher.call('exec.input', { session, data: 'stty size\r' });
      await new Promise((r) => setTimeout(r, 200));
      return /43 132/.test(output(stream.items));
    }, 'the new size');

    await app.dispatcher.call('exec.input', { session, data: 'exit 3\r' });
    expect(await stream.ended).toBeUndefined();
    expect(stream.items.at(-1)).toEqual({ type: 'exit', code: 3 });
    expect(await app.dispatcher.call('exec.input', { session, data: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('ends the shell when the page closes the terminal', async () => {
    const stream = openStream(app, 'exec.session', { id: name, shell: '/bin/ash', cols: 80, rows: 24 });
    await stream.until((items) => Boolean(sessionOf(items)), 'the session');
    const { session } = sessionOf(stream.items)!;
    const open = app.terminals.open();
    await app.dispatcher.call('exec.input', { session, data: 'echo $$ > /tmp/shell.pid\r' });
    await waitFor(async () => /^\d+$/.test(await podman(info, 'exec', name, 'cat', '/tmp/shell.pid').catch(() => '')), 'the pid');
    const pid = await podman(info, 'exec', name, 'cat', '/tmp/shell.pid');
    stream.close();
    await waitFor(() => app.terminals.open() === open - 1, 'the session to be dropped');
    // The hang-up ends the shell inside the container.
    await waitFor(
      async () =>
        (await podman(info, 'exec', name, 'sh', '-c', `kill -0 ${pid} 2>/dev/null && echo alive || echo gone`)) === 'gone',
      'the shell to end',
    );
  });

  it('says plainly when the container is not running', async () => {
    const stopped = uniqueName('term-stopped');
    await podman(info, 'create', '--name', stopped, info.busybox);
    const stream = openStream(app, 'exec.session', { id: stopped, cols: 80, rows: 24 });
    const error = await stream.ended;
    expect(error).toMatchObject({ code: 'CONFLICT', message: `${stopped} is created: start it to open a terminal.` });
    expect(await app.dispatcher.call('exec.shells', { id: stopped })).toMatchObject({ ok: true, data: { running: false } });
    await podman(info, 'rm', stopped);
  });

  it('says plainly when the container has no shell', async () => {
    // An image with one static binary (busybox, renamed) and no shell at all.
    const image = `localhost/pdt/${uniqueName('noshell')}:1`;
    const noShell = uniqueName('noshell');
    const dir = await mkdtemp(join(tmpdir(), 'pdt-noshell-'));
    await copyFile('/bin/busybox', join(dir, 'busybox'));
    await writeFile(
      join(dir, 'Containerfile'),
      'FROM scratch\nCOPY busybox /busybox\nENTRYPOINT ["/busybox", "sleep"]\nCMD ["600"]\n',
    );
    await podman(info, 'build', '-q', '-t', image, dir);
    await rm(dir, { recursive: true, force: true });
    await podman(info, 'run', '-d', '--name', noShell, image);

    expect(await app.dispatcher.call('exec.shells', { id: noShell })).toMatchObject({
      ok: true,
      data: { running: true, shells: [] },
    });
    const stream = openStream(app, 'exec.session', { id: noShell, cols: 80, rows: 24 });
    expect(await stream.ended).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(`${noShell} has no shell`) });
    const picked = openStream(app, 'exec.session', { id: noShell, shell: '/bin/bash', cols: 80, rows: 24 });
    expect(await picked.ended).toMatchObject({ code: 'NOT_FOUND', message: `${noShell} has no /bin/bash.` });
    await podman(info, 'rm', '-f', '-t', '0', noShell);
    await podman(info, 'rmi', image);
  });

  it('refuses bad input before anything reaches the engine', async () => {
    for (const input of [
      { id: name, cols: 0, rows: 24 },
      { id: name, cols: 80, rows: 24, shell: 'sh; rm -rf /' },
      { id: '../x', cols: 80, rows: 24 },
    ]) {
      const stream = openStream(app, 'exec.session', input);
      expect(await stream.ended).toMatchObject({ code: 'INVALID_INPUT' });
    }
    expect(await app.dispatcher.call('exec.input', { session: 'short', data: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });
});
