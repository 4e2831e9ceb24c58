import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { openUi, type UiSession } from '../support/browser';
import { connectedApp } from '../support/app';

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

describe('a page that fails', () => {
  it('asks once more for code that did not arrive the first time', async () => {
    await ui.page.getByTestId('connection-state').waitFor();
    let refused = 0;
    await ui.page.route(/\/assets\/NetworksPage-[^/]*\.js$/, (route) => (refused++ === 0 ? route.abort() : route.continue()));
    await ui.page.getByRole('link', { name: 'Networks' }).click();
    await ui.page.getByRole('heading', { name: 'Networks' }).waitFor();
    expect(refused).toBe(2);
    expect(await ui.page.getByTestId('page-error').count()).toBe(0);
  });

  it('says so in its place, and the other pages keep working', async () => {
    await ui.page.getByTestId('connection-state').waitFor();
    // The Topology page's code does not arrive (a broken install, a host gone mid-load).
    await ui.page.route(/\/assets\/TopologyPage-[^/]*\.js$/, (route) => route.abort());
    await ui.page.getByRole('link', { name: 'Topology' }).click();

    const error = ui.page.getByTestId('page-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/The Topology page could not be loaded/);
    expect(await ui.page.getByRole('button', { name: 'Reload PodDesk' }).isVisible()).toBe(true);
    await ui.screenshot('page-error');

    // The window is not blank: the navigation still leads to a working page.
    await ui.page.getByRole('link', { name: 'Containers' }).click();
    await ui.page.getByRole('heading', { name: 'Containers' }).waitFor();
    expect(await error.count()).toBe(0);
    // The failure was caught by the page, not left to crash the window.
    expect(ui.errors.filter((e) => !/TopologyPage|dynamically imported module/.test(e))).toEqual([]);
  });
});
