import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { openUi, type UiSession } from '../support/browser';
import { ping } from '../support/podman';
import { startApp } from '../support/app';

const info = inject('podman');

/**
 * A user whose Podman is installed but not running: the app says so, offers Start, and after one
 * click is connected to the service it started (and will stop on quit).
 */
describe('when Podman is not running', () => {
  let app: App | undefined;
  let ui: UiSession | undefined;
  const socketPath = join(info.dir, 'e2e-owned.sock');
  afterAll(async () => {
    await ui?.close();
    await app?.close();
  });

  it('offers to start it, and one click connects', async () => {
    app = await startApp(info, {
      endpoint: { kind: 'unix', path: join(info.dir, 'nothing-here.sock') },
      env: { PATH: process.env.PATH, ...info.env, XDG_RUNTIME_DIR: join(info.dir, 'e2e-runtime') },
      serviceSocketPath: socketPath,
      idleProbeMs: 60_000,
    });
    expect((await app.connection.connect()).state).toBe('not-running');
    ui = await openUi(app, { path: '/containers' });

    const panel = ui.page.getByTestId('connection-panel');
    await panel.waitFor();
    expect(await panel.textContent()).toMatch(/installed but not running/);
    // No engine, no numbers: "0 running of 0" would say there are no containers.
    expect(await ui.page.getByText(/running of/).count()).toBe(0);
    expect(await ui.page.getByTestId('connection-state').getAttribute('data-state')).toBe('not-running');
    await ui.screenshot('connection-not-running');

    await ui.page.getByTestId('start-podman').click();
    await expect
      .poll(() => ui!.page.getByTestId('connection-state').getAttribute('data-state'), { timeout: 30_000 })
      .toBe('connected');
    await ui.page.getByTestId('containers-table').or(ui.page.getByTestId('empty-containers')).first().waitFor();
    expect(await ping(socketPath)).toBe(true);
    await ui.screenshot('connection-started');

    await ui.page.evaluate(() => (window.location.hash = '/settings'));
    await ui.page.getByRole('heading', { name: 'Podman connection' }).waitFor();
    // Every connection found is offered, the saved one marked, and it is the one selected.
    const saved = ui.page.getByRole('radio', { name: /test podman \(your choice\)/ });
    await saved.waitFor({ timeout: 30_000 });
    expect(await saved.isChecked()).toBe(true);
    // No Ollama in this test: the Ollama card says so and how it looks for one.
    await expect
      .poll(() => ui!.page.getByTestId('settings-ollama-status').textContent(), { timeout: 20_000 })
      .toMatch(/Not reachable|Using/);
    await ui.screenshot('settings');

    // Adding a connection by hand: the page sends fields, main checks them (a socket of this user) and connects.
    const add = ui.page.getByRole('heading', { name: 'Add a connection' });
    await add.scrollIntoViewIfNeeded();
    await ui.page.getByTestId('add-connection-kind').getByText('Unix socket').click();
    await ui.page.getByTestId('add-connection-path').fill(join(info.dir, 'no-such.sock'));
    await ui.page.getByTestId('add-connection-submit').click();
    await ui.page.getByText(/There is no socket at/).waitFor();
    await ui.page.getByTestId('add-connection-path').fill(socketPath);
    await ui.screenshot('settings-add-connection');
    await ui.page.getByTestId('add-connection-submit').click();
    const mine = ui.page.getByRole('radio', {
      name: new RegExp(`${socketPath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(your choice\\)`),
    });
    await mine.waitFor({ timeout: 30_000 });
    expect(await mine.isChecked()).toBe(true);
    expect(app.connection.status()).toMatchObject({ state: 'connected', candidate: { label: socketPath } });
    expect(ui.errors).toEqual([]);
  });
});
