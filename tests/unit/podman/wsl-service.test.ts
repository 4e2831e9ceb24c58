import type { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { wslRelayArgv } from '../../../src/main/podman/connection/finders';
import { createWslService, wslServiceArgv, WSL_SERVICE_IDLE_SECONDS } from '../../../src/main/podman/connection/wsl-service';

interface FakeProcess extends EventEmitter {
  argv: string[];
  stderr: PassThrough;
  exitCode: number | null;
  signals: string[];
  kill(signal?: string): boolean;
  exit(code: number | null): void;
}

/** A spawn that records what it ran; the processes live until killed or told to exit. */
function fakeSpawn() {
  const spawned: FakeProcess[] = [];
  const spawnProcess = ((file: string, args: string[]) => {
    const proc = Object.assign(new EventEmitter(), {
      argv: [file, ...args],
      stderr: new PassThrough(),
      exitCode: null as number | null,
      signals: [] as string[],
      kill(signal = 'SIGTERM') {
        proc.signals.push(signal);
        setImmediate(() => proc.exit(null));
        return true;
      },
      exit(code: number | null) {
        if (proc.exitCode !== null) return;
        proc.exitCode = code ?? 143;
        proc.emit('exit', code);
      },
    });
    spawned.push(proc);
    return proc;
  }) as unknown as typeof spawn;
  return { spawned, spawnProcess };
}

const relay = { kind: 'command' as const, argv: wslRelayArgv('Ubuntu') };

describe('Podman’s service in a WSL distro, owned by the app', () => {
  it('runs `podman system service` in the distro the relay reaches, without a shell', () => {
    expect(wslServiceArgv(relay)).toEqual([
      'wsl.exe',
      '-d',
      'Ubuntu',
      '--exec',
      'podman',
      'system',
      'service',
      `--time=${WSL_SERVICE_IDLE_SECONDS}`,
    ]);
    // The same wsl.exe the relay runs (the tests' stand-in, or a full path).
    expect(wslServiceArgv({ kind: 'command', argv: ['/tmp/x/wsl.exe', ...wslRelayArgv('Debian').slice(1)] })?.[0]).toBe(
      '/tmp/x/wsl.exe',
    );
  });

  it('is only made for a WSL relay', () => {
    const { spawnProcess } = fakeSpawn();
    const waitUntilReady = async () => undefined;
    expect(createWslService({ kind: 'unix', path: '/run/podman/podman.sock' }, { waitUntilReady, spawnProcess })).toBeNull();
    expect(
      createWslService({ kind: 'command', argv: ['socat', '-', 'UNIX-CONNECT:/x'] }, { waitUntilReady, spawnProcess }),
    ).toBeNull();
  });

  it('starts once, counts as running once Podman answers through the relay, and is stopped by its owner', async () => {
    const { spawned, spawnProcess } = fakeSpawn();
    let answers = false;
    const service = createWslService(relay, {
      spawnProcess,
      async waitUntilReady(signal) {
        while (!answers && !signal.aborted) await new Promise((r) => setTimeout(r, 5));
      },
    })!;
    expect(service.distro).toBe('Ubuntu');
    const started = service.start();
    const again = service.start();
    await new Promise((r) => setTimeout(r, 20));
    expect(spawned).toHaveLength(1);
    expect(spawned[0]!.argv).toEqual(service.argv);
    answers = true;
    await Promise.all([started, again]);
    expect(service.running()).toBe(true);

    await service.stop();
    expect(spawned[0]!.signals).toEqual(['SIGTERM']);
    expect(service.running()).toBe(false);
  });

  it('fails with what wsl.exe said when the service ends before it answers', async () => {
    const { spawned, spawnProcess } = fakeSpawn();
    const service = createWslService(relay, {
      spawnProcess,
      waitUntilReady: (signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve())),
    })!;
    const started = service.start();
    await new Promise((r) => setTimeout(r, 5));
    spawned[0]!.stderr.write('/bin/bash: line 1: podman: command not found\n');
    await new Promise((r) => setTimeout(r, 5));
    spawned[0]!.exit(127);
    await expect(started).rejects.toMatchObject({
      code: 'ENGINE_UNAVAILABLE',
      message: expect.stringMatching(/in WSL distro Ubuntu exited \(code 127\): .*podman: command not found/),
    });
    expect(service.running()).toBe(false);
  });
});
