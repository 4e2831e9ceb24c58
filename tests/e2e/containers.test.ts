import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { openUi, type UiSession } from '../support/browser';
import { podman, waitFor } from '../support/podman';
import { connectedApp, uniqueName } from '../support/app';

const info = inject('podman');
let app: App;
let ui: UiSession;

beforeAll(async () => {
  app = await connectedApp(info);
  ui = await openUi(app, { path: '/containers' });
});
afterAll(async () => {
  await ui?.close();
  await app?.close();
});

describe('the Containers page in Chromium', () => {
  it('shows the connection state', async () => {
    const badge = ui.page.getByTestId('connection-state');
    await badge.waitFor();
    expect(await badge.getAttribute('data-state')).toBe('connected');
    expect(await badge.textContent()).toMatch(/Podman \d+\.\d+/);
  });

  it('shows a container created with the CLI without a reload, and stops it from the UI', async () => {
    const name = uniqueName('ui');
    await podman(info, 'run', '-d', '--name', name, '-p', '127.0.0.1::80', info.busybox, 'httpd', '-f', '-p', '80', '-h', '/www');
    const row = ui.page.locator(`[data-testid="container-row"][data-name="${name}"]`);
    await row.waitFor({ timeout: 15_000 });
    await expect.poll(() => row.getAttribute('data-state')).toBe('running');
    await ui.screenshot('containers-running');

    await row.getByRole('button', { name: `Stop ${name}` }).click();
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 20_000 }).toBe('exited');
    const inspected = await podman(info, 'inspect', '--format', '{{.State.Status}}', name);
    expect(inspected).toMatch(/exited|stopped/);

    await row.getByRole('button', { name: `Remove ${name}` }).click();
    await ui.page.getByRole('dialog').waitFor();
    await ui.screenshot('containers-remove-confirm');
    await ui.page.getByTestId('confirm').click();
    await row.waitFor({ state: 'detached', timeout: 15_000 });
    await waitFor(
      async () => !(await podman(info, 'ps', '-a', '--format', '{{.Names}}')).split('\n').includes(name),
      'the container to be gone',
    );
    await ui.screenshot('containers-after-remove');
  });

  it('closes the stats stream while the window is in the background, and opens it again when it returns', async () => {
    const page = ui.page;
    const name = uniqueName('busy');
    await podman(info, 'run', '-d', '--name', name, info.busybox, 'sleep', '600');
    // What the page asks of main, as sent: stream opens and closes by id.
    const sent: { t: string; id?: string; name?: string }[] = [];
    page.on('websocket', (ws) => ws.on('framesent', (frame) => sent.push(JSON.parse(String(frame.payload)))));
    await page.reload();
    await page.locator(`[data-testid="container-row"][data-name="${name}"]`).waitFor();
    const statsStreams = () => {
      const ids = new Set(sent.filter((m) => m.t === 'open' && m.name === 'containers.statsAll').map((m) => m.id));
      return ids.size - sent.filter((m) => m.t === 'close' && ids.has(m.id)).length;
    };
    await expect.poll(statsStreams).toBe(1);
    // A real loss of focus, as when another window comes to the front: headless Chromium says
    // every page has focus unless told otherwise.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: false });
    const other = await page.context().newPage();
    try {
      await other.bringToFront();
      await expect.poll(() => page.evaluate(() => document.hasFocus())).toBe(false);
      await expect.poll(statsStreams).toBe(0);
      await page.bringToFront();
      await expect.poll(statsStreams).toBe(1);
    } finally {
      await other.close();
      await podman(info, 'rm', '-f', '-t', '0', name);
    }
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
