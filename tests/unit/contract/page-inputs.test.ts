import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../src/main/app';
import { fileSettings } from '../../../src/main/store/settings';
import type { Runner } from '../../../src/main/system/types';
import { calls, HANDLE_PATTERN, streams, stringKinds, type StringKind } from '../../../src/shared/contract';
import { errorCodes } from '../../../src/shared/errors';
import { ALLOW, fakeConsent } from '../../support/consent';
import { fakeHostFiles } from '../../support/host-files';
import { stringLeaves, type StringLeaf } from '../../support/schema-walk';

/**
 * The renderer is untrusted: no call or stream may take an argv, a host path or a key file from
 * the page, except as a handle main issued. These tests walk the whole contract, so a new field
 * that breaks the rule fails here, and then try the doors that used to be open.
 */
const entries = [
  ...Object.entries(calls).map(([name, spec]) => ({ name, kind: 'call' as const, input: spec.input })),
  ...Object.entries(streams).map(([name, spec]) => ({ name, kind: 'stream' as const, input: spec.input })),
];
const leaves: (StringLeaf & { entry: string })[] = entries.flatMap((e) =>
  stringLeaves(e.input).map((leaf) => ({ ...leaf, entry: e.name })),
);
const where = (leaf: { entry: string; path: string }) => `${leaf.entry} ${leaf.path || '(input)'}`;

describe('what the page may send, call by call', () => {
  it('walks every call and stream of the contract', () => {
    expect(entries.length).toBeGreaterThan(100);
    expect(leaves.length).toBeGreaterThan(150);
  });

  it('has a closed list of string kinds, none of them a host path, a program or a key file', () => {
    expect([...stringKinds].sort()).toEqual(
      [
        'compose',
        'container-command',
        'container-path',
        'data',
        'handle',
        'name',
        'network-address',
        'remote-path',
        'secret',
        'socket-path',
        'text',
        'url',
        'volume-path',
      ].sort(),
    );
    for (const k of stringKinds) expect(k, k).not.toMatch(/host|argv|exec|program|identity|key|file|dir|folder/);
  });

  it('declares what every string of every input holds', () => {
    const undeclared = leaves
      .filter((l) => l.kind === null)
      .map((l) => `${where(l)}${l.unknownKind ? ` (kind “${l.unknownKind}”)` : ''}`);
    expect(undeclared).toEqual([]);
  });

  it('names a file or folder of this computer only by handle, and a command only for a container', () => {
    const allowed: Record<string, StringKind[]> = {
      // A field named like a path is a path somewhere else, or a handle.
      path: ['handle', 'volume-path', 'container-path', 'remote-path', 'socket-path'],
      // A field named like a program to run runs in a container.
      command: ['container-command'],
    };
    const named = (leaf: StringLeaf) => {
      const last =
        leaf.path
          .split(/[.|]/)
          .filter((p) => p && p !== '[]' && !/^\d+$/.test(p))
          .at(-1) ?? '';
      if (/argv|command|entrypoint|exec|program|cmd/i.test(last)) return 'command';
      if (/path|dir|folder|file|identity|key$|socket|context|source|cwd|home/i.test(last) && !/name$/i.test(last)) return 'path';
      return null;
    };
    // Fields named so that hold names: reviewed one by one (a new one must be added here on purpose).
    const names = new Set([
      'connection.choose key',
      'connection.trustHostKey key',
      'containers.run env.[].key',
      'containers.run volumes.[].source',
      'ollama.copy source',
      'ollama.rename source',
      // Compose profile names ("pro-file-s" only looks like a file).
      'stacks.setProfiles profiles.[]',
      'volumes.clone source',
    ]);
    const wrong = leaves.flatMap((leaf) => {
      const rule = named(leaf);
      if (!rule || leaf.kind === null) return [];
      if (leaf.kind === 'name' && names.has(where(leaf))) return [];
      return allowed[rule]!.includes(leaf.kind) ? [] : [`${where(leaf)}: ${leaf.kind}`];
    });
    expect(wrong).toEqual([]);
  });

  it('takes a socket path typed by hand only where a connection is added, checked by main', () => {
    const special = leaves.filter((l) => l.kind === 'socket-path' || l.kind === 'remote-path').map(where);
    expect(special.sort()).toEqual(['connection.add |0.socketPath', 'connection.add |2.path']);
  });

  it('makes handles that no path can pass for', () => {
    for (const path of ['/etc/passwd', 'C:\\Windows', '~/.ssh/id_rsa', './x', '../x', 'hp_/etc/passwd', 'hp_' + 'a'.repeat(31)]) {
      expect(HANDLE_PATTERN.test(path), path).toBe(false);
    }
  });
});

describe('the doors that used to be open', () => {
  let dir: string;
  let app: App;
  // The user, who says no unless a test says otherwise.
  const consent = fakeConsent();
  const spawned: string[] = [];
  const run: Runner = async (file, args) => {
    spawned.push([file, ...args].join(' '));
    return { code: null, stdout: '', stderr: 'not here' };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pd-doors-'));
    app = await createApp({
      settings: fileSettings(join(dir, 'settings.json')),
      dataDir: dir,
      env: { PATH: '', HOME: dir, XDG_RUNTIME_DIR: join(dir, 'run') },
      run,
      homedir: dir,
      hostFiles: fakeHostFiles(dir),
      consent,
      ollamaDefaultHost: 'http://127.0.0.1:9',
      log: () => undefined,
    });
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  const typedError = (result: unknown, code?: string) => {
    expect(result).toMatchObject({ ok: false, error: { code: expect.any(String), message: expect.any(String) } });
    const { error } = result as { error: { code: string } };
    expect(errorCodes).toContain(error.code);
    if (code) expect(error.code).toBe(code);
  };
  const openStream = (name: string, input: unknown) => app.dispatcher.session(() => undefined).open(`${name}#1`, name, input);

  it('refuses a command endpoint, by every call that once took one, and runs nothing', async () => {
    const command = { kind: 'command', argv: ['/bin/sh', '-c', 'touch /tmp/owned'] };
    typedError(await app.dispatcher.call('connection.choose', { candidate: { endpoint: command, label: 'x' } }), 'INVALID_INPUT');
    typedError(await app.dispatcher.call('connection.choose', { key: JSON.stringify(command) }), 'INVALID_INPUT');
    typedError(await app.dispatcher.call('connection.add', command), 'INVALID_INPUT');
    typedError(await app.dispatcher.call('settings.update', { connection: { endpoint: command, label: 'x' } }), 'INVALID_INPUT');
    expect((await app.dispatcher.call('settings.get', undefined)) as { data: { connection: unknown } }).toMatchObject({
      ok: true,
      data: { connection: null },
    });
    expect(spawned).toEqual([]);
  });

  it('refuses a raw path wherever a handle goes', async () => {
    const cases: [string, 'call' | 'stream', unknown][] = [
      ['volumes.files.upload', 'stream', { volume: 'v', dir: '', source: { kind: 'handles', handles: ['/etc/passwd'] } }],
      ['volumes.files.upload', 'stream', { volume: 'v', dir: '', source: { kind: 'paths', paths: ['/etc/passwd'] } }],
      ['volumes.restore', 'stream', { name: 'v', source: { kind: 'handles', handles: ['/home/me/backup.tar'] } }],
      ['volumes.restore', 'stream', { name: 'v', source: { kind: 'paths', paths: ['/home/me/backup.tar'] } }],
      ['images.build', 'stream', { context: { kind: 'handle', handle: '/' }, tag: 'localhost/x:1' }],
      ['images.build', 'stream', { contextDir: '/home/me', tag: 'localhost/x:1' }],
      ['images.load', 'stream', { source: { kind: 'handle', handle: '/home/me/images.tar' } }],
      ['images.load', 'stream', { source: { kind: 'path', path: '/home/me/images.tar' } }],
      ['containers.run', 'call', { image: 'busybox', volumes: [{ folder: '/', target: '/host' }] }],
      ['containers.run', 'call', { image: 'busybox', volumes: [{ source: '/', target: '/host' }] }],
      [
        'connection.add',
        'call',
        { kind: 'ssh', host: 'h', username: 'u', socketPath: '/run/podman.sock', identity: '/home/me/.ssh/id_rsa' },
      ],
      ['ollama.import', 'stream', { name: 'm', source: { kind: 'handle', handle: '/home/me/model.gguf' } }],
      ['ollama.import', 'stream', { name: 'm', source: { kind: 'path', path: '/home/me/model.gguf' } }],
    ];
    for (const [name, kind, input] of cases) {
      typedError(kind === 'call' ? await app.dispatcher.call(name, input) : openStream(name, input), 'INVALID_INPUT');
    }
    // Every entry with a handle in its input is among those tried.
    const withHandles = new Set(leaves.filter((l) => l.kind === 'handle').map((l) => l.entry));
    expect([...withHandles].sort()).toEqual([...new Set(cases.map(([name]) => name))].sort());
  });

  it('refuses a forged handle with a typed error, before anything is touched', async () => {
    const forged = `hp_${'Q'.repeat(32)}`;
    typedError(
      await app.dispatcher.call('containers.run', { image: 'busybox', volumes: [{ folder: forged, target: '/x' }] }),
      'NOT_FOUND',
    );
    typedError(
      await app.dispatcher.call('connection.add', {
        kind: 'ssh',
        host: 'h',
        username: 'u',
        socketPath: '/s.sock',
        identity: forged,
      }),
      'NOT_FOUND',
    );
    expect((await app.dispatcher.call('settings.get', undefined)) as object).toMatchObject({
      ok: true,
      data: { connection: null },
    });
  });

  it('lets the page ask for a stack’s "This computer" to be allowed, but only the user allows it', async () => {
    const yaml = `services:\n  box:\n    image: busybox\n    volumes: ["/etc:/host-etc"]\n`;
    expect((await app.dispatcher.call('stacks.import', { yaml, name: 'doors' })).ok).toBe(true);
    // A made-up fingerprint is refused, with the list as it is (what the page shows).
    const stale = await app.dispatcher.call('stacks.confirmHostAccess', { id: 'doors', fingerprint: '0'.repeat(64) });
    typedError(stale, 'CONFLICT');
    const { fingerprint } = (stale as { error: { details: { hostAccess: { fingerprint: string } } } }).error.details.hostAccess;
    // The page's call, with or without a code it made up, is only a question: the user said no.
    for (const extra of [{}, { code: '123456' }, { code: '123 456' }]) {
      const answer = await app.dispatcher.call('stacks.confirmHostAccess', { id: 'doors', fingerprint, ...extra });
      expect(answer).toMatchObject({ ok: true, data: { state: 'refused' } });
    }
    expect(consent.asked.map((a) => a.lines)).toEqual(Array(3).fill(['Folder or file: /etc → /host-etc, read-write — box']));
    typedError(
      await app.dispatcher.call('stacks.confirmHostAccess', { id: 'doors', fingerprint, code: '/etc/passwd' }),
      'INVALID_INPUT',
    );
    // The user says yes: then, and only then, it is kept.
    consent.next.push(ALLOW);
    expect(await app.dispatcher.call('stacks.confirmHostAccess', { id: 'doors', fingerprint })).toEqual({
      ok: true,
      data: { state: 'confirmed' },
    });
  });

  it('refuses driver options that make a volume a folder or disk of this computer, before the engine', async () => {
    for (const options of [
      { type: 'none', o: 'bind', device: '/home' },
      { type: 'none', o: 'rw,rbind', device: '/' },
      { TYPE: 'none', O: 'BIND', DEVICE: '/etc' },
      { type: 'ext4', device: '/dev/sda1' },
      { o: 'bind' },
    ]) {
      const result = await app.dispatcher.call('volumes.create', { name: 'v', options });
      typedError(result, 'INVALID_INPUT');
      expect((result as { error: { message: string } }).error.message, JSON.stringify(options)).toMatch(/of this computer/);
    }
  });

  it('accepts a handle main issued — once, and only for what it was issued for', async () => {
    const key = app.hostPaths.issue(join(dir, 'id_ed25519'), 'ssh-identity');
    const drop = app.hostPaths.issue(join(dir, 'dropped'), 'drop');
    // A dropped file is no ssh key.
    typedError(
      await app.dispatcher.call('connection.add', {
        kind: 'ssh',
        host: 'h',
        username: 'u',
        socketPath: '/s.sock',
        identity: drop.handle,
      }),
      'INVALID_INPUT',
    );
    const added = await app.dispatcher.call('connection.add', {
      kind: 'ssh',
      host: 'build.invalid',
      port: 22,
      username: 'u',
      socketPath: '/run/podman/podman.sock',
      identity: key.handle,
    });
    // Main saved the key's path itself; the page only ever held the handle.
    const settings = (await app.dispatcher.call('settings.get', undefined)) as {
      data: { connection: { endpoint: { identity?: string } } };
    };
    expect(settings.data.connection.endpoint.identity).toBe(join(dir, 'id_ed25519'));
    expect(added.ok).toBe(true);
    typedError(
      await app.dispatcher.call('connection.add', {
        kind: 'ssh',
        host: 'h',
        username: 'u',
        socketPath: '/s.sock',
        identity: key.handle,
      }),
      'NOT_FOUND',
    );
    await app.dispatcher.call('connection.choose', { key: null });
  });
});
