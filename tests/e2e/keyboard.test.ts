import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { openUi, type UiSession } from '../support/browser';
import { connectedApp, uniqueName } from '../support/app';
import { podman } from '../support/podman';

/**
 * The Containers page from the keyboard alone: past the navigation to the page, into a
 * container, through a row's actions and menu, and a container run from the form — with focus
 * always somewhere that makes sense, never dropped on the page body.
 */
const info = inject('podman');
let app: App;
let ui: UiSession;
const sleeper = uniqueName('kb-sleeper');
const volume = uniqueName('kb-volume');

beforeAll(async () => {
  app = await connectedApp(info);
  // busybox ignores SIGTERM: a stop waits out its 2 s grace, long enough to be seen working.
  await podman(info, 'run', '-d', '--name', sleeper, '--stop-timeout', '2', info.busybox, 'sleep', '600');
  await podman(info, 'volume', 'create', volume);
  ui = await openUi(app, { path: '/containers' });
});
afterAll(async () => {
  await ui?.close();
  await app?.close();
  await podman(info, 'rm', '-f', '-t', '0', sleeper).catch(() => undefined);
  await podman(info, 'volume', 'rm', '-f', volume).catch(() => undefined);
});

/** What has focus, as a user would name it. */
const focused = () =>
  ui.page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    return el.getAttribute('aria-label') ?? el.getAttribute('data-testid') ?? el.id ?? el.textContent?.trim() ?? el.tagName;
  });
const row = (name: string) => ui.page.locator(`[data-testid="container-row"][data-name="${name}"]`);

describe('the Containers page from the keyboard', () => {
  it('skips past the header and the navigation to the page', async () => {
    await row(sleeper).waitFor();
    await ui.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await ui.page.keyboard.press('Tab');
    const skip = ui.page.getByRole('link', { name: 'Skip to main content' });
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    // Hidden until focused, then on screen.
    expect(await skip.isVisible()).toBe(true);
    await ui.screenshot('keyboard-skip-link');
    await ui.page.keyboard.press('Enter');
    expect(await focused()).toBe('main-content');
    expect(await ui.page.evaluate(() => window.location.hash)).toBe('#/containers');
    await ui.page.keyboard.press('Tab');
    expect(await focused()).toBe('run-container');
  });

  it('opens a row’s details with Enter, and puts focus on the container’s name', async () => {
    await row(sleeper).focus();
    await ui.page.keyboard.press('Enter');
    await ui.page.getByTestId('container-title').filter({ hasText: sleeper }).waitFor();
    expect(await focused()).toBe('container-title');
    await ui.page.getByRole('button', { name: 'Back: all containers' }).press('Enter');
    await row(sleeper).waitFor();
  });

  it('returns focus to ⋯ when its menu is closed with Escape, the first time and after', async () => {
    const more = row(sleeper).getByRole('button', { name: `More actions for ${sleeper}` });
    for (const round of [1, 2]) {
      await more.focus();
      await ui.page.keyboard.press('Enter');
      await ui.page.getByRole('menu').waitFor();
      if (round === 1) await ui.screenshot('keyboard-row-menu');
      await ui.page.keyboard.press('Escape');
      await ui.page.getByRole('menu').waitFor({ state: 'detached' });
      expect(await focused(), `round ${round}`).toBe(`More actions for ${sleeper}`);
    }
  });

  it('keeps focus on the row’s Stop button while it works, then on Start', async () => {
    await row(sleeper)
      .getByRole('button', { name: `Stop ${sleeper}` })
      .focus();
    await ui.page.keyboard.press('Enter');
    // Working: the same button, focused, says it is busy.
    expect(await focused()).toBe(`Stop ${sleeper}`);
    await expect.poll(() => row(sleeper).getAttribute('data-state'), { timeout: 20_000 }).toBe('exited');
    expect(await focused()).toBe(`Start ${sleeper}`);
    // The row's state comes from the engine's event, which can arrive before the Stop call
    // returns: until it has, the button says it is busy and ignores presses (by design).
    const start = row(sleeper).getByRole('button', { name: `Start ${sleeper}` });
    await expect.poll(() => start.getAttribute('aria-busy')).toBeNull();
    await ui.page.keyboard.press('Enter');
    await expect.poll(() => row(sleeper).getAttribute('data-state'), { timeout: 20_000 }).toBe('running');
    expect(await focused()).toBe(`Stop ${sleeper}`);
  });

  it('runs a container from the form and lands on its name', async () => {
    const name = uniqueName('kb-run');
    await ui.page.getByTestId('run-container').press('Enter');
    await ui.page.getByTestId('run-form').waitFor();
    await ui.page.getByTestId('run-image').fill(info.busybox);
    await ui.page.keyboard.press('Escape');
    await ui.page.getByTestId('run-name').fill(name);
    await ui.page.getByTestId('run-command').fill('sleep 600');
    await ui.page.getByTestId('run-submit').press('Enter');
    await ui.page.getByTestId('container-title').filter({ hasText: name }).waitFor({ timeout: 20_000 });
    expect(await focused()).toBe('container-title');
    await ui.screenshot('keyboard-after-run');
    await podman(info, 'rm', '-f', '-t', '0', name);
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});

describe('a dialog opened from a menu, closed', () => {
  /** Opens `item` of the menu behind `opener` from the keyboard, closes the dialog with Escape. */
  async function openAndClose(opener: string, item: string) {
    const button = ui.page.getByRole('button', { name: opener, exact: true });
    await button.press('Enter');
    await ui.page.getByRole('menuitem', { name: item }).press('Enter');
    await ui.page.getByRole('dialog').waitFor();
    await ui.page.keyboard.press('Escape');
    await ui.page.getByRole('dialog').waitFor({ state: 'detached' });
  }

  it('gives focus back to the Images page’s Files button, and to an image’s ⋯', async () => {
    await ui.page.evaluate(() => (window.location.hash = '/images'));
    await ui.page.getByTestId('image-row').first().waitFor();
    await openAndClose('Files', 'Load images from a file…');
    await expect.poll(focused).toBe('open-files');
    const image = `More actions for ${info.busybox}`;
    await openAndClose(image, 'Save to a file…');
    await expect.poll(focused).toBe(image);
  });

  it('gives focus back to a volume’s ⋯', async () => {
    await ui.page.evaluate(() => (window.location.hash = '/volumes'));
    const more = `More for ${volume}`;
    await ui.page.getByRole('button', { name: more }).waitFor();
    await openAndClose(more, 'Clone…');
    await expect.poll(focused).toBe(more);
  });
});
