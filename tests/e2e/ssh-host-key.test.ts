import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { userKnownHostsFile } from '../../src/main/podman/transport/host-keys';
import { openUi, type UiSession } from '../support/browser';
import { startApp, terminalOf } from '../support/app';
import { startSshd, type Sshd } from '../support/sshd';

const info = inject('podman');

/**
 * A user who added Podman on another machine over ssh: PodDesk has never seen that machine, so
 * it shows the key's fingerprint and connects only after the user trusts it. Later the machine
 * shows another key: refused, with both fingerprints and what to do.
 */
describe('an ssh connection’s host key', () => {
  let sshd: Sshd;
  let home: string;
  let app: App | undefined;
  let ui: UiSession | undefined;
  beforeAll(async () => {
    sshd = await startSshd();
    home = await mkdtemp(join(tmpdir(), 'pd-e2e-sshhome-'));
  });
  afterAll(async () => {
    await ui?.close();
    await app?.close();
    await sshd?.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('shows an unknown host’s fingerprint, connects once trusted, and refuses a changed key', async () => {
    app = await startApp(info, { endpoint: sshd.endpoint(info.socketPath), homedir: home });
    expect((await app.connection.connect()).state).toBe('host-key');
    ui = await openUi(app, { path: '/containers' });
    const page = ui.page;

    const check = page.getByTestId('host-key-check');
    await check.waitFor();
    expect(await check.getAttribute('data-kind')).toBe('unknown');
    expect(await page.getByTestId('host-key-fingerprint').textContent()).toBe(await sshd.fingerprint());
    expect(await page.getByTestId('connection-state').getAttribute('data-state')).toBe('host-key');
    await ui.screenshot('ssh-host-key-unknown');

    // The page cannot say yes: main prints a code in its terminal, which the user types here.
    await page.getByTestId('trust-host-key').click();
    await page.getByTestId('host-key-code').waitFor();
    await page.getByTestId('host-key-code').fill(terminalOf(app).lastCode());
    await ui.screenshot('ssh-host-key-code');
    await page.getByTestId('host-key-code-submit').click();
    await expect
      .poll(() => page.getByTestId('connection-state').getAttribute('data-state'), { timeout: 30_000 })
      .toBe('connected');
    await page.getByTestId('containers-table').or(page.getByTestId('empty-containers')).first().waitFor();
    expect(await readFile(userKnownHostsFile(home), 'utf8')).toBe(`${(await sshd.knownHostsLines())[0]}\n`);

    // The machine now shows another key (known_hosts holds a key it does not have).
    const other = (await sshd.hostKeys())[0]!.replace(/.{8}$/, 'AAAAAAAA');
    await writeFile(userKnownHostsFile(home), `[127.0.0.1]:${sshd.port} ssh-ed25519 ${other.split(' ')[1]}\n`);
    await app.connection.connect();
    await check.waitFor();
    await expect.poll(() => check.getAttribute('data-kind')).toBe('changed');
    expect(await page.getByTestId('host-key-fingerprint').textContent()).toBe(await sshd.fingerprint());
    expect(await page.getByTestId('host-key-known').textContent()).toMatch(/^SHA256:/);
    expect(await page.getByTestId('host-key-known').textContent()).not.toBe(await sshd.fingerprint());
    expect(await page.getByTestId('trust-host-key').count()).toBe(0);
    expect(await check.textContent()).toContain(`ssh-keygen -R '[127.0.0.1]:${sshd.port}'`);
    await ui.screenshot('ssh-host-key-changed');

    await page.evaluate(() => (window.location.hash = '/settings'));
    await page.getByRole('heading', { name: 'Podman connection' }).waitFor();
    await page.getByTestId('host-key-check').waitFor();
    await ui.screenshot('settings-ssh-host-key-changed');
    expect(ui.errors).toEqual([]);
  });
});
