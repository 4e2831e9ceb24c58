import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createApp, type App } from '../../../src/main/app';
import { fileSettings } from '../../../src/main/store/settings';
import type { Runner } from '../../../src/main/system/types';
import { calls, streams } from '../../../src/shared/contract';
import { errorCodes } from '../../../src/shared/errors';
import { fakeHostFiles } from '../../support/host-files';

/**
 * Malformed input, lots of it, through the real dispatcher (the one createApp builds) with no
 * engine: every message must get a typed error, nothing may crash or pollute a prototype, and
 * the app must still serve afterwards.
 */
const TARGET = 12_000;

/** A small seeded generator: the same run every time, so a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}

const rng = random(20_240_611);
const huge = 'x'.repeat(2 * 1024 * 1024);
const tricky = [
  '',
  ' ',
  '\0',
  '/etc/passwd',
  '../../../../etc/shadow',
  'C:\\Windows\\System32',
  '~/.ssh/id_rsa',
  `hp_${'A'.repeat(32)}`,
  'hp_../../etc',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '$(touch /tmp/owned)',
  '`id`',
  '; rm -rf /',
  'a'.repeat(70_000),
  '\u202e\u0000\ud800',
  '{"kind":"command","argv":["sh"]}',
  'unix:///var/run/docker.sock',
  'ssh://root@evil.example/run/podman.sock',
  'tcp://169.254.169.254:80',
];
const names = [...Object.keys(calls), ...Object.keys(streams)];
const unknownNames = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '',
  'containers',
  'containers.list.x',
  'connection.choose ',
  'CONTAINERS.LIST',
  'settings.update\0',
];

function deep(depth: number, array: boolean): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = array ? [value] : { a: value, kind: 'command' };
  return value;
}

/** Prototype keys as JSON brings them (own properties named __proto__, constructor …). */
function prototypeKeys(): unknown {
  return rng.pick([
    () => JSON.parse('{"__proto__": {"polluted": true, "kind": "command", "argv": ["sh"]}}'),
    () => JSON.parse('{"constructor": {"prototype": {"polluted": true}}}'),
    () => JSON.parse('{"__proto__": null, "id": {"__proto__": {"polluted": true}}}'),
    () => JSON.parse('{"toString": 1, "valueOf": "x", "hasOwnProperty": null}'),
    () => JSON.parse('[{"__proto__": {"polluted": true}}]'),
  ])();
}

function junk(level = 0): unknown {
  const roll = rng.int(level > 2 ? 12 : 16);
  switch (roll) {
    case 0:
      return rng.pick([0, -1, 1.5, Number.MAX_SAFE_INTEGER, -0, 1e308, Number.NaN, Number.POSITIVE_INFINITY]);
    case 1:
      return rng.pick([true, false]);
    case 2:
      return null;
    case 3:
      return undefined;
    case 4:
    case 5:
      return rng.pick(tricky);
    case 6:
      // Huge strings now and then: a regex must not spend minutes on them.
      return rng.int(40) === 0 ? huge : rng.pick(tricky);
    case 7:
      return rng.pick(names);
    case 8:
      return prototypeKeys();
    case 9:
      return rng.int(30) === 0 ? deep(3_000 + rng.int(5_000), rng.int(2) === 0) : deep(1 + rng.int(20), rng.int(2) === 0);
    case 10:
      return rng.int(50) === 0 ? new Array(100_000).fill(0) : [];
    case 11:
      return { [rng.pick(tricky)]: junk(level + 1) };
    default:
      return Array.from({ length: 1 + rng.int(4) }, () => junk(level + 1));
  }
}

function notString(): unknown {
  for (;;) {
    const value = junk();
    if (typeof value !== 'string') return value;
  }
}

/** The keys an object schema takes, looked up through wrappers, so junk reaches past the first check. */
function keysOf(schema: z.ZodType): string[][] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  switch (def.type) {
    case 'object':
      return [Object.keys(def.shape as object)];
    case 'union':
      return (def.options as z.ZodType[]).flatMap(keysOf);
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
      return keysOf(def.innerType as z.ZodType);
    case 'pipe':
      return keysOf(def.in as z.ZodType);
    default:
      return [];
  }
}

/** An input shaped like what the schema takes, with wrong things in it. */
function nearMiss(schema: z.ZodType): unknown {
  const shapes = keysOf(schema);
  if (shapes.length === 0 || rng.int(4) === 0) return junk();
  const keys = rng.pick(shapes);
  const value: Record<string, unknown> = {};
  for (const key of keys) if (rng.int(3) > 0) value[key] = junk(1);
  if (rng.int(3) === 0) value[rng.pick(['kind', 'argv', 'contextDir', 'paths', 'identity', 'connection', '__proto__'])] = junk(1);
  if (keys.includes('kind') && rng.int(2) === 0) value.kind = rng.pick(['command', 'paths', 'handle', 'ssh', 'unix', 'browser']);
  return value;
}

describe('fuzzing the dispatcher', () => {
  let dir: string;
  let app: App;
  const spawned: string[] = [];
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => void crashes.push(error);
  const run: Runner = async (file, args) => {
    spawned.push([file, ...args].join(' '));
    return { code: null, stdout: '', stderr: '' };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pd-fuzz-'));
    app = await createApp({
      settings: fileSettings(join(dir, 'settings.json')),
      dataDir: dir,
      env: { PATH: '', HOME: dir, XDG_RUNTIME_DIR: join(dir, 'run') },
      run,
      homedir: dir,
      hostFiles: fakeHostFiles(dir),
      ollamaDefaultHost: 'http://127.0.0.1:9',
      log: () => undefined,
    });
    process.on('unhandledRejection', onCrash);
    process.on('uncaughtException', onCrash);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onCrash);
    process.off('uncaughtException', onCrash);
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it(`answers ${TARGET.toLocaleString('en')} malformed messages with typed errors, and keeps serving`, async () => {
    const session = app.dispatcher.session(() => undefined);
    const sent: Record<string, number> = { call: 0, stream: 0, unknown: 0, 'not a string': 0 };
    const codes = new Map<string, number>();
    let malformed = 0;
    let streamId = 0;
    const check = (result: unknown, what: string) => {
      const shape = result as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
      if (shape?.ok !== false || typeof shape.error?.message !== 'string' || !errorCodes.includes(shape.error.code as never)) {
        throw new Error(`${what} was answered ${JSON.stringify(result)?.slice(0, 300)}`);
      }
      // What goes back must travel (IPC clones it, the browser host sends it as JSON).
      JSON.stringify(result);
      codes.set(shape.error.code as string, (codes.get(shape.error.code as string) ?? 0) + 1);
    };

    while (malformed < TARGET) {
      const roll = rng.int(20);
      if (roll === 0) {
        const name = rng.int(2) === 0 ? rng.pick(unknownNames) : `${rng.pick(names)}${rng.pick(['x', '.', '/', ' '])}`;
        check(await app.dispatcher.call(name, junk()), `call ${JSON.stringify(name)}`);
        check(session.open(`u${++streamId}`, name, junk()), `stream ${JSON.stringify(name)}`);
        sent.unknown! += 2;
        malformed += 2;
        continue;
      }
      if (roll === 1) {
        // The browser host forwards names and ids as the page sent them: not always strings.
        check(await app.dispatcher.call(notString() as string, junk()), 'a call without a string name');
        check(session.open(notString() as string, rng.pick(names), junk()), 'a stream without a string id');
        sent['not a string']! += 2;
        malformed += 2;
        continue;
      }
      const name = rng.pick(names);
      const kind = name in calls ? 'call' : 'stream';
      const schema = (kind === 'call' ? calls[name as keyof typeof calls] : streams[name as keyof typeof streams]).input;
      const input = rng.int(3) === 0 ? junk() : nearMiss(schema);
      // Only what the contract refuses counts: a near miss that happens to be valid is not sent.
      if (schema.safeParse(input).success) continue;
      if (kind === 'call') check(await app.dispatcher.call(name, input), `call ${name}`);
      else check(session.open(`s${++streamId}`, name, input), `stream ${name}`);
      sent[kind]! += 1;
      malformed += 1;
    }
    session.closeAll();
    await new Promise((r) => setTimeout(r, 50));

    console.log(
      `fuzz: ${malformed} malformed messages (${JSON.stringify(sent)}), answers by code ${JSON.stringify(Object.fromEntries(codes))}`,
    );
    expect(malformed).toBeGreaterThanOrEqual(10_000);
    expect(crashes).toEqual([]);
    expect(spawned).toEqual([]);
    // Nothing reached Object.prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);

    // Still serving: calls, settings unchanged, a stream opens and speaks.
    expect(await app.dispatcher.call('settings.get', undefined)).toMatchObject({
      ok: true,
      data: { connection: null, theme: 'auto' },
    });
    expect(await app.dispatcher.call('chat.list', undefined)).toMatchObject({ ok: true });
    expect(await app.dispatcher.call('containers.list', undefined)).toMatchObject({ ok: true });
    const heard: unknown[] = [];
    const after = app.dispatcher.session((event) => heard.push(event));
    expect(after.open('watch', 'connection.watch', undefined)).toEqual({ ok: true, data: null });
    await new Promise((r) => setTimeout(r, 100));
    expect(heard.length).toBeGreaterThan(0);
    after.closeAll();
  }, 240_000);
});
