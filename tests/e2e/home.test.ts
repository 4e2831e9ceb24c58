import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { openUi, type UiSession } from '../support/browser';
import { connectedApp, uniqueName } from '../support/app';
import { podman } from '../support/podman';

/**
 * Home, the app's first page: the first-hour checklist ticked by what happens in the engine, the
 * state of things at a glance, and the Clean up dialog's exact list — in light and dark.
 */
const info = inject('podman');
let app: App;
const web = uniqueName('home-web');
const stopped = uniqueName('home-stopped');
const spare = uniqueName('home-spare');
const sessions: UiSession[] = [];

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  app = await connectedApp(info);
  await podman(info, 'create', '--name', stopped, info.busybox, 'true');
  await podman(info, 'volume', 'create', spare);
}, 120_000);
afterAll(async () => {
  for (const s of sessions) await s.close();
  await app?.close();
  await podman(info, 'rm', '-f', '-t', '0', web, stopped).catch(() => undefined);
  await podman(info, 'volume', 'rm', '-f', spare).catch(() => undefined);
});

async function open(colorScheme: 'light' | 'dark'): Promise<UiSession> {
  // No path: the app opens on its default page.
  const ui = await openUi(app, { colorScheme });
  sessions.push(ui);
  await ui.page.getByTestId('first-hour').waitFor({ timeout: 30_000 });
  return ui;
}

const step = (ui: UiSession, id: string) => ui.page.locator(`[data-testid="first-hour-step"][data-step="${id}"]`);

describe('Home', () => {
  it('opens first, and ticks a step when a container with a published port runs — from a terminal too', async () => {
    const ui = await open('light');
    expect(await ui.page.getByRole('heading', { name: 'Home' }).isVisible()).toBe(true);
    await expect.poll(() => step(ui, 'connect').getAttribute('data-done'), { timeout: 20_000 }).toBe('true');
    expect(await step(ui, 'container').getAttribute('data-done')).toBe('false');
    expect(await ui.page.getByTestId('first-hour-step').count()).toBe(7);

    await podman(
      info,
      'run',
      '-d',
      '--name',
      web,
      '-p',
      `127.0.0.1:${await freePort()}:8080`,
      info.busybox,
      'httpd',
      '-f',
      '-p',
      '8080',
    );
    await expect.poll(() => step(ui, 'container').getAttribute('data-done'), { timeout: 20_000 }).toBe('true');
    // The count follows the ticks shown (other e2e files share this Podman, so more steps may be
    // reached already: two containers on a DNS network tick the network step).
    const ticked = await ui.page.locator('[data-testid="first-hour-step"][data-done="true"]').count();
    expect(ticked).toBeGreaterThanOrEqual(2);
    expect(await ui.page.getByTestId('first-hour-count').textContent()).toBe(`${ticked} of 7 done`);
    // Each step says what its concept is and links to the page that does it.
    expect(await step(ui, 'volume').textContent()).toContain('a named volume keeps data apart from any container');
    await expect.poll(() => ui.page.getByTestId('glance-engine').textContent()).toContain('Podman');
    await expect.poll(() => ui.page.getByTestId('glance-containers').textContent()).toMatch(/\d+ running of \d+/);
    await ui.page.getByTestId('disk-usage').waitFor({ timeout: 30_000 });
    expect(await ui.page.getByTestId('disk-row').count()).toBe(4);
    // Measured again on demand (never on a timer): now with the container just run.
    await ui.page.getByRole('button', { name: 'Refresh disk use' }).click();
    await expect
      .poll(() => ui.page.locator('[data-testid="disk-row"][data-kind="containers"] td').first().textContent(), {
        timeout: 20_000,
      })
      .toBe(String((await podman(info, 'ps', '-a', '-q')).split('\n').filter(Boolean).length));
    await ui.screenshot('home-light');

    await step(ui, 'network').getByRole('link', { name: 'Open Networks' }).click();
    await expect.poll(() => ui.page.evaluate(() => window.location.hash)).toBe('#/networks');
    await ui.page.evaluate(() => (window.location.hash = '/home'));
    await ui.page.getByTestId('first-hour').waitFor();
  });

  it('lists exactly what Clean up would delete, volumes unticked, with the podman commands', async () => {
    const ui = sessions[0]!;
    await ui.page.getByTestId('open-cleanup').click();
    const dialog = ui.page.getByRole('dialog', { name: 'Clean up' });
    const item = (kind: string, key: string) =>
      dialog.locator(`[data-testid="cleanup-item"][data-kind="${kind}"][data-key="${key}"]`);
    const stoppedId = (await podman(info, 'inspect', stopped, '--format', '{{.Id}}')).trim();
    await item('containers', stoppedId).waitFor({ timeout: 30_000 });
    expect(await item('containers', stoppedId).isChecked()).toBe(true);
    expect(await item('volumes', spare).isChecked()).toBe(false);
    // The running container is not in the list.
    const webId = (await podman(info, 'inspect', web, '--format', '{{.Id}}')).trim();
    expect(await item('containers', webId).count()).toBe(0);
    const command = () =>
      dialog
        .getByTestId('cleanup-command')
        .getByTestId('cleanup-command-text')
        .allTextContents()
        .then((t) => t.join('\n'));
    expect(await command()).toContain(`podman rm ${stoppedId}`);
    expect(await command()).not.toContain('volume rm');
    await ui.screenshot('home-cleanup-light');

    // Ticking a volume warns that its files go, and adds it to the command.
    await item('volumes', spare).check();
    await dialog.getByTestId('cleanup-volume-warning').waitFor();
    expect(await command()).toContain(`podman volume rm ${spare}`);
    // Deleting only the stopped container: untick everything else first.
    for (const kind of ['containers', 'images', 'volumes']) {
      const boxes = dialog.locator(`[data-testid="cleanup-item"][data-kind="${kind}"]`);
      for (let i = 0; i < (await boxes.count()); i++) if (await boxes.nth(i).isChecked()) await boxes.nth(i).uncheck();
    }
    await item('containers', stoppedId).check();
    expect(await dialog.getByTestId('cleanup-total').textContent()).toMatch(/^1 chosen/);
    await dialog.getByTestId('confirm-cleanup').click();
    await dialog.getByTestId('cleanup-result').waitFor();
    expect(await dialog.getByTestId('cleanup-result').textContent()).toContain('Deleted 1 of 1');
    await expect(podman(info, 'container', 'exists', stopped)).rejects.toThrow();
    await podman(info, 'volume', 'exists', spare);
    // By test id: the modal's own close button is named Close too.
    await dialog.getByTestId('close-cleanup').click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('hides the checklist and shows it again from the keyboard, and the choice is kept', async () => {
    const ui = sessions[0]!;
    await ui.page.getByTestId('hide-first-hour').focus();
    await ui.page.keyboard.press('Enter');
    await ui.page.getByTestId('first-hour').waitFor({ state: 'detached' });
    expect(app.firstHour.progress().hidden).toBe(true);
    await ui.screenshot('home-hidden-light');
    await ui.page.reload();
    await ui.page.getByTestId('show-first-hour').waitFor({ timeout: 30_000 });
    expect(await ui.page.getByTestId('first-hour').count()).toBe(0);
    await ui.page.getByTestId('show-first-hour').focus();
    await ui.page.keyboard.press('Enter');
    await ui.page.getByTestId('first-hour').waitFor();
    expect(app.firstHour.progress().hidden).toBe(false);
  });

  it('looks right in the dark theme too', async () => {
    const ui = await open('dark');
    await ui.page.getByTestId('disk-usage').waitFor({ timeout: 30_000 });
    await expect.poll(() => step(ui, 'container').getAttribute('data-done')).toBe('true');
    await ui.screenshot('home-dark');
    await ui.page.getByTestId('open-cleanup').click();
    const dialog = ui.page.getByRole('dialog', { name: 'Clean up' });
    await dialog.locator(`[data-testid="cleanup-item"][data-kind="volumes"][data-key="${spare}"]`).waitFor({ timeout: 30_000 });
    await dialog.locator(`[data-testid="cleanup-item"][data-kind="volumes"][data-key="${spare}"]`).check();
    await ui.screenshot('home-cleanup-dark');
    await ui.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(ui.errors).toEqual([]);
  });
});
