import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { downloadsFolder } from '../../src/main/host-files';
import type { LogLine } from '../../src/shared/contract';
import { connectedApp, uniqueName } from '../support/app';
import { podman, withoutCgroups } from '../support/podman';
import { openStream } from '../support/open-stream';

const info = inject('podman');
let app: App;
let saveDir: string;
beforeAll(async () => {
  saveDir = await mkdtemp(join(tmpdir(), 'pdt-save-'));
  app = await connectedApp(info, { hostFiles: downloadsFolder(saveDir) });
});
afterAll(async () => {
  await app.close();
  await rm(saveDir, { recursive: true, force: true });
});

const texts = (lines: LogLine[], stream?: LogLine['stream']) =>
  lines.filter((l) => !stream || l.stream === stream).map((l) => l.text);

describe('container logs', () => {
  it('keeps stdout and stderr apart, with timestamps, colours and partial lines intact', async () => {
    const name = uniqueName('logs');
    await podman(
      info,
      'run',
      '--name',
      name,
      info.busybox,
      'sh',
      '-c',
      'echo out-1; echo err-1 >&2; printf "\\033[31mred\\033[0m\\n"; printf "no newline at the end"',
    );
    // From the start (Podman 4.3's "tail" drops a last line that has no newline; "since" keeps it).
    const stream = openStream(app, 'containers.logs', { id: name, follow: false, since: 0 });
    expect(await stream.ended).toBeUndefined();
    expect(texts(stream.items, 'stdout')).toEqual(['out-1', '\u001b[31mred\u001b[0m', 'no newline at the end']);
    expect(texts(stream.items, 'stderr')).toEqual(['err-1']);
    for (const line of stream.items) expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    await podman(info, 'rm', name);
  });

  it('follows live output, stops when the page leaves, and ends by itself when the container stops', async () => {
    const name = uniqueName('follow');
    await podman(
      info,
      'run',
      '-d',
      '--name',
      name,
      info.busybox,
      'sh',
      '-c',
      'i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 0.1; done',
    );
    const stream = openStream(app, 'containers.logs', { id: name, follow: true });
    await stream.until((items) => items.length >= 5, 'five ticks');
    const seen = stream.items.length;
    await stream.until((items) => items.length > seen + 3, 'more ticks while following');
    expect(texts(stream.items).slice(0, 3)).toEqual(['tick 1', 'tick 2', 'tick 3']);
    stream.close();
    const after = stream.items.length;
    await new Promise((r) => setTimeout(r, 600));
    expect(stream.items.length).toBe(after);
    // With follow, the stream also ends by itself when the container stops.
    const again = openStream(app, 'containers.logs', { id: name, follow: true, tail: 2 });
    await again.until((items) => items.length >= 2, 'the tail');
    await podman(info, 'stop', '-t', '0', name);
    expect(await again.ended).toBeUndefined();
    await podman(info, 'rm', name);
  });

  it('starts from a tail or a time', async () => {
    const name = uniqueName('since');
    await podman(info, 'run', '--name', name, info.busybox, 'sh', '-c', 'for i in 1 2 3 4 5 6; do echo "line $i"; done');
    const tail = openStream(app, 'containers.logs', { id: name, follow: false, tail: 2 });
    await tail.ended;
    expect(texts(tail.items)).toEqual(['line 5', 'line 6']);
    const future = openStream(app, 'containers.logs', { id: name, follow: false, since: Math.floor(Date.now() / 1000) + 60 });
    await future.ended;
    expect(future.items).toEqual([]);
    const past = openStream(app, 'containers.logs', { id: name, follow: false, since: Math.floor(Date.now() / 1000) - 600 });
    await past.ended;
    expect(texts(past.items)).toHaveLength(6);
    await podman(info, 'rm', name);
  });

  it('ends with NOT_FOUND for a container that is not there', async () => {
    const stream = openStream(app, 'containers.logs', { id: 'no-such-container-logs', follow: true });
    expect(await stream.ended).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('saves the whole log to the chosen file', async () => {
    const name = uniqueName('save');
    await podman(info, 'run', '--name', name, info.busybox, 'sh', '-c', 'for i in $(seq 1 20000); do echo "saved $i"; done');
    const result = await app.dispatcher.call('containers.saveLogs', { id: name, timestamps: true });
    expect(result).toMatchObject({ ok: true, data: { savedTo: join(saveDir, `${name}.log`), lines: 20000 } });
    const text = await readFile(join(saveDir, `${name}.log`), 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(20000);
    expect(lines[19999]).toMatch(/^\d{4}-\d\d-\d\dT\S+ saved 20000$/);
    await podman(info, 'rm', name);
  });
});

describe.skipIf(withoutCgroups(info))('container stats', () => {
  it('streams CPU, memory, network and I/O about once a second, and stops when closed', async () => {
    const name = uniqueName('stats');
    await podman(info, 'run', '-d', '--name', name, info.busybox, 'sh', '-c', 'while true; do :; done');
    const stream = openStream(app, 'containers.stats', { id: name });
    await stream.until((items) => items.length >= 3, 'three samples');
    const last = stream.items.at(-1)!;
    expect(last.name).toBe(name);
    expect(last.cpuPercent).toBeGreaterThan(10); // a busy loop
    expect(last.memUsed).toBeGreaterThan(0);
    expect(last.memLimit).toBeGreaterThan(last.memUsed);
    expect(last.pids).toBeGreaterThanOrEqual(1);
    stream.close();
    const count = stream.items.length;
    await new Promise((r) => setTimeout(r, 2_500));
    expect(stream.items.length).toBe(count);
    await podman(info, 'rm', '-f', '-t', '0', name);
  });

  it('reports every running container for the table, and only running ones', async () => {
    const running = uniqueName('all');
    const stopped = uniqueName('all-stopped');
    await podman(info, 'run', '-d', '--name', running, info.busybox, 'sleep', '300');
    await podman(info, 'create', '--name', stopped, info.busybox);
    const stream = openStream(app, 'containers.statsAll', undefined);
    await stream.until((items) => items.some((report) => report.some((s) => s.name === running)), 'the running container');
    expect(stream.items.flat().some((s) => s.name === stopped)).toBe(false);
    stream.close();
    await podman(info, 'rm', '-f', '-t', '0', running, stopped);
  });
});

// Rootless Podman on cgroups v1 keeps no per-container accounting: the engine refuses, the app says why.
describe.runIf(withoutCgroups(info))('container stats (rootless on cgroups v1: none to report)', () => {
  it('ends the stats streams with a plain explanation, for one container and for the table', async () => {
    const name = uniqueName('stats');
    await podman(info, 'run', '-d', '--name', name, info.busybox, 'sleep', '300');
    for (const [stream, input] of [
      ['containers.stats', { id: name }],
      ['containers.statsAll', undefined],
    ] as const) {
      const opened = openStream(app, stream, input);
      const error = await opened.ended;
      expect(error?.message, stream).toMatch(/^Live statistics are not available: Podman runs rootless here on cgroups v1/);
      expect(opened.items).toEqual([]);
    }
    await podman(info, 'rm', '-f', '-t', '0', name);
  });
});

describe('the log stream at speed', () => {
  it('delivers 50,000 lines printed as fast as the container can', async () => {
    const name = uniqueName('fast');
    await podman(info, 'run', '-d', '--name', name, info.busybox, 'sh', '-c', 'seq 1 50000; sleep 300');
    const since = Math.floor(Date.now() / 1000) - 120;
    const stream = openStream(app, 'containers.logs', { id: name, follow: true, since });
    await stream.until((items) => items.length >= 50000, 'all lines', 60_000);
    expect(stream.items[0]!.text).toBe('1');
    expect(stream.items[49999]!.text).toBe('50000');
    stream.close();
    await podman(info, 'rm', '-f', '-t', '0', name);
  });
});
