import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { App } from '../../src/main/app';
import { probePort } from '../../src/main/podman/containers/port-probe';
import { openUi, type UiSession } from '../support/browser';
import { podman } from '../support/podman';
import { connectedApp, uniqueName } from '../support/app';

/**
 * The network doctor in Chromium: two containers picked on the Topology page (one by mouse, one
 * by keyboard), a failing check with its reason, the fix applied from its button, and the check
 * passing after it; then the same from a container's menu on the Containers page, in the dark
 * theme. Network names are unique per run: rootful Podman instances share netavark's state.
 */

const info = inject('podman');
let app: App;
let light: UiSession;
let dark: UiSession;
let port: number;
const front = uniqueName('dre-front');
const back = uniqueName('dre-back');
const client = uniqueName('dre-client');
const api = uniqueName('dre-api');
const local = uniqueName('dre-local');
const plainA = uniqueName('dre-plain-a');
const plainB = uniqueName('dre-plain-b');
const made = uniqueName('dre-made');
const subnet = () => `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 250)}.0/24`;
const httpd = (listen: string) => [info.busybox, 'httpd', '-f', '-p', listen, '-h', '/www'];

beforeAll(async () => {
  app = await connectedApp(info);
  // A container port nothing on this computer listens on, so "through this computer" says nothing.
  for (port = 20_000 + Math.floor(Math.random() * 20_000); (await probePort(port, 'tcp')) !== 'free'; port++);
  await podman(info, 'network', 'create', '--subnet', subnet(), front);
  await podman(info, 'network', 'create', '--subnet', subnet(), back);
  await podman(info, 'run', '-d', '--name', client, '--network', front, info.busybox, 'sleep', '3600');
  await podman(info, 'run', '-d', '--name', api, '--network', back, '--network-alias', 'api', ...httpd(String(port)));
  // A Flask `app.run()` in spirit: listening on 127.0.0.1 only.
  await podman(info, 'run', '-d', '--name', local, '--network', front, ...httpd(`127.0.0.1:${port}`));
  // Two containers on the default network, which has no DNS.
  await podman(info, 'run', '-d', '--name', plainA, '--network', 'podman', info.busybox, 'sleep', '3600');
  await podman(info, 'run', '-d', '--name', plainB, '--network', 'podman', ...httpd(String(port)));
  light = await openUi(app, { path: '/topology' });
});

afterAll(async () => {
  await light?.close();
  await dark?.close();
  await app?.close();
  await podman(info, 'rm', '-f', '-t', '0', client, api, local, plainA, plainB).catch(() => undefined);
  for (const n of [front, back, made]) await podman(info, 'network', 'rm', '-f', n).catch(() => undefined);
});

const node = (page: Page, name: string) =>
  page.locator(`[data-testid="topology-node"][data-kind="container"][data-name="${name}"]`);
/** React Flow's wrapper of a node: the element that takes focus. */
const nodeWrapper = (page: Page, name: string) => page.locator('.react-flow__node', { has: node(page, name) });

/** The report once the check has ended (the dialog replaces it while a new check runs). */
async function finished(page: Page): Promise<Locator> {
  const report = page.locator('[data-testid="doctor-report"][data-done="true"]');
  await report.waitFor({ timeout: 60_000 });
  return report;
}

/** The verdict with its sentence: a failure then says what the doctor found. */
async function outcome(page: Page) {
  return {
    verdict: await page.getByTestId('doctor-report').getAttribute('data-verdict'),
    summary: await page.getByTestId('doctor-summary').textContent(),
  };
}

async function pickOnTopology(page: Page, from: string) {
  await node(page, from).waitFor({ timeout: 20_000 });
  await node(page, from).click();
  await page.getByTestId('topology-reach').click();
  await page.getByTestId('topology-pick').waitFor();
}

describe('the network doctor in Chromium', () => {
  it('on the Topology page: picks A and B, says why B is out of reach, connects them from the fix, then passes', async () => {
    const page = light.page;
    await pickOnTopology(page, client);
    expect(await page.getByTestId('topology-pick').textContent()).toContain(client);
    // A stays marked while B is picked.
    expect(await nodeWrapper(page, client).getAttribute('class')).toContain('pd-topology-pick-from');
    await light.screenshot('doctor-topology-pick');

    // B by keyboard: focus its node and press Enter.
    await nodeWrapper(page, api).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Can ${client} reach ${api}?` });
    await dialog.waitFor();
    expect(await page.getByTestId('topology-pick').count()).toBe(0);

    const report = await finished(page);
    expect(await report.getAttribute('data-verdict')).toBe('unreachable');
    const problem = page.getByTestId('doctor-problem');
    expect(await problem.getAttribute('data-trap')).toBe('no-common-network');
    expect(await problem.textContent()).toMatch(/How to fix it/);
    // Each step is shown with its result, in words as well as colour.
    const steps = page.getByTestId('doctor-step');
    expect(await steps.count()).toBeGreaterThan(2);
    expect(await page.locator('[data-testid="doctor-step"][data-step="networks"]').getAttribute('data-status')).toBe('fail');
    expect(await page.locator('[data-testid="doctor-step"][data-step="networks"]').textContent()).toContain('Failed:');
    // The dialog scrolls: bring the reason and its fixes into the picture.
    await problem.scrollIntoViewIfNeeded();
    await light.screenshot('doctor-topology-no-common-network');

    // Two ways, each a button: A joins B's network (first), or B joins A's.
    const connects = problem.locator('[data-testid="doctor-fix"][data-kind="connect"]');
    expect(await connects.count()).toBe(2);
    expect(await connects.first().textContent()).toBe(`Connect ${client} to ${back}`);
    await connects.first().click();
    const confirm = page.getByTestId('doctor-confirm');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain(`podman network connect`);
    await light.screenshot('doctor-topology-confirm-connect');
    await page.getByTestId('doctor-confirm-fix').click();

    // The check runs again by itself after the fix.
    await confirm.waitFor({ state: 'detached', timeout: 30_000 });
    await finished(page);
    expect(await outcome(page)).toMatchObject({ verdict: 'reachable' });
    expect(await page.getByTestId('doctor-problem').count()).toBe(0);
    expect(await page.locator('[data-testid="doctor-step"][data-step="http"]').getAttribute('data-status')).toBe('pass');
    const networks = await podman(info, 'inspect', '--format', '{{json .NetworkSettings.Networks}}', client);
    expect(networks).toContain(back);
    await light.screenshot('doctor-topology-reachable');

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('on the Topology page in the dark theme: a service listening on 127.0.0.1 only is explained', async () => {
    dark = await openUi(app, { path: '/topology', colorScheme: 'dark' });
    const page = dark.page;
    await pickOnTopology(page, client);
    await node(page, local).click();
    await page.getByRole('dialog', { name: `Can ${client} reach ${local}?` }).waitFor();
    const report = await finished(page);
    expect(await report.getAttribute('data-verdict')).toBe('unreachable');
    const problem = page.getByTestId('doctor-problem');
    expect(await problem.getAttribute('data-trap')).toBe('loopback-only');
    expect(await problem.textContent()).toContain('127.0.0.1');
    await problem.scrollIntoViewIfNeeded();
    await dark.screenshot('doctor-topology-loopback-dark');
    await page.keyboard.press('Escape');
  });

  it('from a container’s menu on the Containers page (dark): the default network has no DNS; a user network fixes it', async () => {
    const page = dark.page;
    await page.evaluate(() => (window.location.hash = '/containers'));
    await page
      .getByRole('button', { name: `More actions for ${plainA}` })
      .first()
      .click();
    await page.getByRole('menuitem', { name: 'Can it reach…?' }).click();
    await page.getByRole('dialog', { name: 'Can it reach…?' }).waitFor();
    // Keyboard only from here: type B's name in the list, then Enter to check.
    await page.getByTestId('doctor-to').click();
    await page.keyboard.type(plainB);
    await page.getByRole('option', { name: plainB }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: `Can ${plainA} reach ${plainB}?` }).waitFor();
    const portInput = page.getByTestId('doctor-port');
    await portInput.fill(String(port));
    await page.getByTestId('doctor-host').fill(plainB);
    await portInput.press('Enter');

    const report = await finished(page);
    expect(await report.getAttribute('data-verdict')).toBe('unreachable');
    const problem = page.getByTestId('doctor-problem');
    expect(await problem.getAttribute('data-trap')).toBe('no-dns');
    expect(await page.locator('[data-testid="doctor-step"][data-step="by-ip"]').getAttribute('data-status')).toBe('pass');
    await problem.scrollIntoViewIfNeeded();
    await dark.screenshot('doctor-containers-no-dns-dark');

    await problem.locator('[data-testid="doctor-fix"][data-kind="create-network"]').click();
    await page.getByTestId('doctor-network-name').fill(made);
    expect(await page.getByTestId('doctor-confirm').textContent()).toContain(`podman network create ${made}`);
    await dark.screenshot('doctor-containers-confirm-network-dark');
    await page.getByTestId('doctor-confirm-fix').click();
    await page.getByTestId('doctor-confirm').waitFor({ state: 'detached', timeout: 30_000 });
    await finished(page);
    expect(await outcome(page)).toMatchObject({ verdict: 'reachable' });
    for (const c of [plainA, plainB])
      expect(await podman(info, 'inspect', '--format', '{{json .NetworkSettings.Networks}}', c)).toContain(made);
    await dark.screenshot('doctor-containers-reachable-dark');
    await page.keyboard.press('Escape');
  });

  it('logged no errors in the page', () => {
    expect(light.errors).toEqual([]);
    expect(dark?.errors).toEqual([]);
  });
});
