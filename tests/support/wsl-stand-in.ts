import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { wslRelayArgv } from '../../src/main/podman/connection/finders';
import { createEngine, type Engine } from '../../src/main/podman/engine';
import type { Endpoint } from '../../src/shared/contract';

/** Relays started through one counter: processes started, processes alive. */
export interface RelayCounter {
  spawnProcess: typeof spawn;
  /** Engines whose relays this counter counts. */
  createEngine(endpoint: Endpoint): Engine;
  spawned: ChildProcessWithoutNullStreams[];
  alive(): ChildProcessWithoutNullStreams[];
}

export interface StandInWsl extends RelayCounter {
  /** The relay PodDesk's WSL finder makes, with the stand-in in place of wsl.exe. */
  endpoint: Extract<Endpoint, { kind: 'command' }>;
  /** Another counter, for a second app in the same run. */
  counter(): RelayCounter;
  /** `wsl --shutdown`: every relay is killed, and new ones fail until `boot()`. */
  shutdown(): Promise<void>;
  boot(): Promise<void>;
}

function relayCounter(all: ChildProcessWithoutNullStreams[]): RelayCounter {
  const spawned: ChildProcessWithoutNullStreams[] = [];
  const spawnProcess = ((file: string, args: string[], options: object) => {
    const child = spawn(file, args, options as never) as ChildProcessWithoutNullStreams;
    spawned.push(child);
    all.push(child);
    return child;
  }) as typeof spawn;
  return {
    spawnProcess,
    createEngine: (endpoint) => createEngine(endpoint, { spawnProcess }),
    spawned,
    alive: () => spawned.filter((c) => c.exitCode === null && c.signalCode === null),
  };
}

/**
 * A stand-in for wsl.exe, as the README's measurements use it: a script that checks it was asked
 * for `-d <distro> --exec podman system dial-stdio`, waits as starting wsl.exe does (200 ms on an
 * idle Windows machine), then becomes `socat - UNIX-CONNECT:<the test Podman>`. While WSL is "shut
 * down" it fails the way wsl.exe does.
 */
export async function standInWsl(dir: string, socketPath: string, delayMs = 200): Promise<StandInWsl> {
  await mkdir(dir, { recursive: true });
  const script = join(dir, 'wsl.exe');
  const down = join(dir, 'shut-down');
  await writeFile(
    script,
    [
      '#!/bin/sh',
      `if [ "$1 $3 $4 $5 $6" != "-d --exec podman system dial-stdio" ]; then echo "stand-in wsl.exe: unexpected $*" >&2; exit 2; fi`,
      `if [ -e '${down}' ]; then echo "The Windows Subsystem for Linux instance has terminated." >&2; exit 1; fi`,
      `sleep ${delayMs / 1000}`,
      `exec socat - 'UNIX-CONNECT:${socketPath}'`,
      '',
    ].join('\n'),
  );
  await chmod(script, 0o755);
  const all: ChildProcessWithoutNullStreams[] = [];
  return {
    endpoint: { kind: 'command', argv: [script, ...wslRelayArgv('Test').slice(1)] },
    ...relayCounter(all),
    counter: () => relayCounter(all),
    async shutdown() {
      await writeFile(down, '');
      for (const child of all) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
    async boot() {
      await rm(down, { force: true });
    },
  };
}

/**
 * True when every relay has ended and none is left as a zombie: a child not yet reaped still has
 * a /proc entry whose parent is this process (a pid taken since by someone else has another).
 */
export function allReaped(spawned: ChildProcessWithoutNullStreams[]): boolean {
  return spawned.every((c) => {
    if (c.exitCode === null && c.signalCode === null) return false;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${c.pid}/stat`, 'utf8');
    } catch {
      return true;
    }
    // pid (comm) state ppid …: comm may hold spaces, so read after its closing parenthesis.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return ppid !== process.pid;
  });
}
