import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { createEngine } from '../../src/main/podman/engine';
import { createHostKeys, userKnownHostsFile } from '../../src/main/podman/transport/host-keys';
import type { ConnectionStatus, ExecEvent, HostKeyTrust, LogLine } from '../../src/shared/contract';
import { connectedApp, startApp, terminalOf, uniqueName } from '../support/app';
import { openStream } from '../support/open-stream';
import { podman, waitFor } from '../support/podman';
import { startSshAgent, startSshd, type Sshd } from '../support/sshd';
import { callError, callOk } from '../support/streams';

/**
 * Podman over ssh, against Debian's OpenSSH server forwarding to the test Podman's socket: one
 * ssh connection for many requests, host keys checked against the known_hosts of a home folder
 * of the test's own, nothing accepted silently.
 */
const info = inject('podman');
let sshd: Sshd;
let home: string;
let app: App | null = null;

beforeAll(async () => {
  sshd = await startSshd({ hostKeyTypes: ['ed25519', 'ecdsa'] });
});
afterAll(async () => {
  await sshd?.stop();
});
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'pd-sshhome-'));
});
afterEach(async () => {
  await app?.close();
  app = null;
  await rm(home, { recursive: true, force: true });
});

const knownHosts = () => userKnownHostsFile(home);
async function writeKnownHosts(lines: string[]) {
  await mkdir(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  await writeFile(knownHosts(), lines.join('\n') + '\n', { mode: 0o600 });
}
const trustServer = async () => writeKnownHosts(await sshd.knownHostsLines(['ed25519']));

function sh(file: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) =>
    execFile(file, args, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    ),
  );
}

const sshApp = (overrides: Parameters<typeof startApp>[1] = {}) =>
  startApp(info, { endpoint: sshd.endpoint(info.socketPath), homedir: home, ...overrides });

const untilState = (state: ConnectionStatus['state'], what: string) =>
  waitFor(() => app!.connection.status().state === state, what, 30_000);

const output = (events: ExecEvent[]) =>
  events
    .filter((e): e is Extract<ExecEvent, { type: 'output' }> => e.type === 'output')
    .map((e) => e.data)
    .join('');

describe('Podman over ssh', () => {
  it('lists, inspects, follows a log and runs an exec, all over one ssh connection', async () => {
    await trustServer();
    const name = uniqueName('over-ssh');
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
    try {
      const [connectionsBefore, loginsBefore] = [sshd.connections(), sshd.logins()];
      app = await connectedApp(info, { endpoint: sshd.endpoint(info.socketPath), homedir: home });
      expect(app.connection.status()).toMatchObject({
        state: 'connected',
        candidate: { endpoint: { kind: 'ssh', port: sshd.port } },
      });

      const listed = await callOk<{ name: string; id: string }[]>(app, 'containers.list');
      expect(listed.map((c) => c.name)).toContain(name);
      const inspected = await callOk<{ Name: string; State: { Running: boolean } }>(app, 'containers.inspect', { id: name });
      expect(inspected).toMatchObject({ Name: name, State: { Running: true } });

      const logs = openStream(app, 'containers.logs', { id: name, follow: true });
      await logs.until((items) => items.length >= 5, 'five ticks over ssh');
      expect((logs.items as LogLine[]).slice(0, 3).map((l) => l.text)).toEqual(['tick 1', 'tick 2', 'tick 3']);
      logs.close();

      const exec = openStream(app, 'exec.session', { id: name, cols: 80, rows: 24 });
      await exec.until((items) => items.some((e) => e.type === 'ready'), 'the exec session');
      const ready = exec.items.find((e): e is Extract<ExecEvent, { type: 'ready' }> => e.type === 'ready')!;
      await callOk(app, 'exec.input', { session: ready.session, data: 'echo "over-ssh=$((6*7))"; exit 5\r' });
      expect(await exec.ended).toBeUndefined();
      expect(output(exec.items)).toContain('over-ssh=42');
      expect(exec.items.at(-1)).toEqual({ type: 'exit', code: 5 });

      // Many more requests: still the one connection.
      const engine = app.connection.engine();
      for (let i = 0; i < 50; i++) await engine.ping();
      await Promise.all(Array.from({ length: 20 }, () => callOk(app!, 'containers.inspect', { id: name })));
      const requests = [...engine.requests.values()].reduce((a, b) => a + b, 0);
      expect(requests).toBeGreaterThan(80);
      expect(engine.transportStats()).toMatchObject({ handshakes: 1 });
      // Keep-alive: channels are reused, far fewer than requests.
      expect(engine.transportStats().channels).toBeLessThan(requests / 2);
      // sshd agrees: one TCP connection, one login.
      await waitFor(() => sshd.logins() > loginsBefore, 'sshd to log the login');
      expect(sshd.connections() - connectionsBefore).toBe(1);
      expect(sshd.logins() - loginsBefore).toBe(1);
    } finally {
      await podman(info, 'rm', '-f', '-t', '0', name);
    }
  });

  it('connects again when the ssh connection drops, and the event stream resumes', async () => {
    await trustServer();
    app = await connectedApp(info, { endpoint: sshd.endpoint(info.socketPath), homedir: home });
    const engine = app.connection.engine();
    const loginsBefore = sshd.logins();
    await sshd.dropConnections();
    await untilState('lost', 'the drop to be noticed');
    await untilState('connected', 'the reconnection');
    expect(engine.transportStats().handshakes).toBe(2);
    await waitFor(() => sshd.logins() === loginsBefore + 1, 'sshd to log the second login');
    // Events flow again: a container made with the CLI reaches the cache.
    const name = uniqueName('after-drop');
    await podman(info, 'create', '--name', name, info.busybox, 'true');
    try {
      await waitFor(() => app!.containers.items().some((c) => c.name === name), 'the new container through events');
    } finally {
      await podman(info, 'rm', '-f', name);
    }
  });

  it('refuses a changed host key, showing both fingerprints, and sends nothing', async () => {
    // known_hosts holds another ed25519 key for this host and port: what a man in the middle would look like.
    const other = join(home, 'other');
    await sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const otherKey = (await readFile(`${other}.pub`, 'utf8')).trim().split(/\s+/).slice(0, 2).join(' ');
    await writeKnownHosts([`[127.0.0.1]:${sshd.port} ${otherKey}`]);
    const before = await readFile(knownHosts(), 'utf8');
    const otherPrint = (await sh('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${other}.pub`])).out.split(/\s+/)[1];
    const loginsBefore = sshd.logins();

    app = await sshApp();
    const status = await app.connection.connect();
    expect(status.state).toBe('host-key');
    if (status.state !== 'host-key') return;
    expect(status.problem).toMatchObject({
      kind: 'changed',
      host: '127.0.0.1',
      port: sshd.port,
      algorithm: 'ssh-ed25519',
      fingerprint: await sshd.fingerprint('ed25519'),
      known: [{ algorithm: 'ssh-ed25519', fingerprint: otherPrint, file: knownHosts(), line: 1 }],
      removeCommand: `ssh-keygen -R '[127.0.0.1]:${sshd.port}' -f '${knownHosts()}'`,
    });
    expect(status.message).toContain(await sshd.fingerprint('ed25519'));
    expect(status.message).toContain(otherPrint);
    expect(await callError(app, 'containers.inspect', { id: 'anything' })).toMatchObject({ code: 'ENGINE_UNAVAILABLE' });
    // A changed key cannot be trusted from the app, even with the fingerprint it showed.
    const refused = await callError(app, 'connection.trustHostKey', {
      key: status.candidate.key,
      fingerprint: status.problem.fingerprint,
    });
    expect(refused.code).toBe('NOT_FOUND');
    expect(await readFile(knownHosts(), 'utf8')).toBe(before);
    // The handshake stopped at the host key: no login was ever attempted.
    expect(sshd.logins()).toBe(loginsBefore);
  });

  it('refuses an unknown host until its fingerprint is trusted, then writes a line ssh itself accepts', async () => {
    app = await sshApp();
    const status = await app.connection.connect();
    expect(status).toMatchObject({
      state: 'host-key',
      problem: { kind: 'unknown', algorithm: 'ssh-ed25519', fingerprint: await sshd.fingerprint('ed25519'), known: [] },
    });
    if (status.state !== 'host-key') return;
    await expect(stat(knownHosts())).rejects.toMatchObject({ code: 'ENOENT' });

    // Only the fingerprint main saw, for that connection.
    const madeUp = `SHA256:${'A'.repeat(43)}`;
    expect(await callError(app, 'connection.trustHostKey', { key: status.candidate.key, fingerprint: madeUp })).toMatchObject({
      code: 'CONFLICT',
    });
    expect(
      await callError(app, 'connection.trustHostKey', { key: 'f'.repeat(24), fingerprint: status.problem.fingerprint }),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(stat(knownHosts())).rejects.toMatchObject({ code: 'ENOENT' });

    // The page's call only asks main to ask the user (here, a code printed in the terminal).
    const asked = { key: status.candidate.key, fingerprint: status.problem.fingerprint };
    expect(await callOk<HostKeyTrust>(app, 'connection.trustHostKey', asked)).toMatchObject({ state: 'code-required' });
    await expect(stat(knownHosts())).rejects.toMatchObject({ code: 'ENOENT' });
    const trusted = await callOk<HostKeyTrust>(app, 'connection.trustHostKey', { ...asked, code: terminalOf(app).lastCode() });
    expect(trusted).toMatchObject({ state: 'trusted', status: { state: 'connected', candidate: { key: status.candidate.key } } });
    const [line] = await sshd.knownHostsLines(['ed25519']);
    expect(await readFile(knownHosts(), 'utf8')).toBe(`${line}\n`);
    expect((await stat(join(home, '.ssh'))).mode & 0o777).toBe(0o700);
    expect((await stat(knownHosts())).mode & 0o777).toBe(0o600);
    // OpenSSH's own client, strict, takes the file as it is.
    const ssh = await sh('ssh', [
      '-F',
      'none',
      '-o',
      `UserKnownHostsFile=${knownHosts()}`,
      '-o',
      'GlobalKnownHostsFile=/dev/null',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'BatchMode=yes',
      '-o',
      'HostKeyAlgorithms=ssh-ed25519',
      '-i',
      sshd.identity,
      '-p',
      String(sshd.port),
      `${sshd.user}@127.0.0.1`,
      'echo strict-ok',
    ]);
    expect(ssh.out).toContain('strict-ok');
    expect(ssh.code).toBe(0);
  });

  it('takes a known_hosts hashed by ssh-keygen -H, and asks the server for the key type on file', async () => {
    // Only the ECDSA key is on file; ssh2 alone would pick ed25519 first and call the host changed.
    await writeKnownHosts(await sshd.knownHostsLines(['ecdsa']));
    expect((await sh('ssh-keygen', ['-H', '-f', knownHosts()])).code).toBe(0);
    expect(await readFile(knownHosts(), 'utf8')).toMatch(/^\|1\|/);
    app = await connectedApp(info, { endpoint: sshd.endpoint(info.socketPath), homedir: home });
    expect(await callOk(app, 'containers.list')).toBeInstanceOf(Array);
  });

  it('logs in with the ssh agent when SSH_AUTH_SOCK is set, and says so plainly when it has no key at all', async () => {
    await trustServer();
    const hostKeys = createHostKeys({ userFile: knownHosts(), systemFiles: [] });
    const keyless = createEngine(sshd.endpoint(info.socketPath, false), { hostKeys });
    await expect(keyless.ping(15_000)).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(/no key/) });
    keyless.close();

    const agent = await startSshAgent(home, sshd.identity);
    try {
      app = await connectedApp(info, {
        endpoint: sshd.endpoint(info.socketPath, false),
        homedir: home,
        env: { PATH: process.env.PATH, HOME: home, SSH_AUTH_SOCK: agent.socket, ...info.env },
      });
      expect(await callOk(app, 'containers.list')).toBeInstanceOf(Array);
    } finally {
      await app?.close();
      app = null;
      await agent.stop();
    }
  });

  it('says which socket is missing when the login works but Podman is not there', async () => {
    await trustServer();
    const engine = createEngine(sshd.endpoint(join(info.dir, 'no-podman-here.sock')), {
      hostKeys: createHostKeys({ userFile: knownHosts(), systemFiles: [] }),
      readIdentity: (path) => readFile(path),
    });
    await expect(engine.ping(15_000)).rejects.toMatchObject({
      code: 'ENGINE_UNAVAILABLE',
      message: expect.stringMatching(/no-podman-here\.sock could not be opened/),
    });
    engine.close();
  });

  // Last: it gives the server new host keys.
  it('refuses the new key of a server that was reinstalled while connected', async () => {
    await trustServer();
    app = await connectedApp(info, { endpoint: sshd.endpoint(info.socketPath), homedir: home });
    const oldPrint = await sshd.fingerprint('ed25519');
    await sshd.restart({ newHostKeys: true });
    await untilState('host-key', 'the changed key to stop the reconnection');
    const status = app.connection.status();
    expect(status).toMatchObject({
      state: 'host-key',
      problem: { kind: 'changed', fingerprint: await sshd.fingerprint('ed25519'), known: [{ fingerprint: oldPrint }] },
    });
    expect(await callError(app, 'containers.inspect', { id: 'anything' })).toMatchObject({ code: 'ENGINE_UNAVAILABLE' });
  });
});
