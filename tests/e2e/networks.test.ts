import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { openUi, type UiSession } from '../support/browser';
import { podman, waitFor } from '../support/podman';
import { connectedApp, uniqueName } from '../support/app';

const info = inject('podman');
let app: App;
let ui: UiSession;
const net = uniqueName('frontend');
const web = uniqueName('web');
const db = uniqueName('db');
const loner = uniqueName('loner');
const subnet = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 250)}.0/24`;

beforeAll(async () => {
  app = await connectedApp(info);
  // A small stack (Compose labels), one published port, and a container on its own.
  const stack = ['--label', 'com.docker.compose.project=shop'];
  await podman(
    info,
    'run',
    '-d',
    '--name',
    web,
    ...stack,
    '-p',
    '127.0.0.1::80',
    info.busybox,
    'httpd',
    '-f',
    '-p',
    '80',
    '-h',
    '/www',
  );
  await podman(info, 'create', '--name', db, ...stack, info.busybox, 'sleep', '300');
  await podman(info, 'run', '-d', '--name', loner, info.busybox, 'sleep', '300');
  ui = await openUi(app, { path: '/networks' });
});
afterAll(async () => {
  await ui?.close();
  await app?.close();
  await podman(info, 'rm', '-f', '-t', '0', web, db, loner).catch(() => undefined);
  await podman(info, 'network', 'rm', '-f', net).catch(() => undefined);
});

describe('networks and topology in Chromium', () => {
  it('creates a network, checking the subnet as it is typed', async () => {
    await ui.page.getByTestId('networks-table').waitFor();
    await ui.page.getByTestId('create-network').click();
    await ui.page.getByTestId('network-name').fill(net);
    await ui.page.getByTestId('subnet-input').fill('10.1.2.3/24');
    await ui.page.getByText('host bits set').waitFor();
    expect(await ui.page.getByTestId('create-network-submit').isDisabled()).toBe(true);
    await ui.screenshot('networks-create-invalid');
    await ui.page.getByTestId('subnet-input').fill(subnet);
    await ui.page.getByTestId('create-network-submit').click();
    const row = ui.page.locator(`[data-testid="network-row"][data-name="${net}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain(subnet);
    expect(await podman(info, 'network', 'ls', '--format', '{{.Name}}')).toContain(net);
  });

  it('connects a container with an alias and shows its address', async () => {
    await ui.page.getByRole('button', { name: `Connect a container to ${net}` }).click();
    await ui.page.getByTestId('connect-container').click();
    await ui.page.getByRole('option', { name: new RegExp(`^${loner}`) }).click();
    const aliases = ui.page.getByTestId('connect-aliases');
    await aliases.fill('api');
    await aliases.press('Enter');
    await ui.screenshot('networks-connect');
    await ui.page.getByTestId('connect-submit').click();
    const attached = ui.page.locator(
      `[data-testid="network-row"][data-name="${net}"] [data-testid="attached"][data-container="${loner}"]`,
    );
    await attached.waitFor({ timeout: 15_000 });
    expect(await attached.textContent()).toMatch(new RegExp(subnet.replace(/\.0\/24$/, '').replace(/\./g, '\\.')));
    expect(await attached.textContent()).toContain('aka api');
    const inspected = await podman(info, 'inspect', '--format', '{{json .NetworkSettings.Networks}}', loner);
    expect(inspected).toContain(net);
    await ui.screenshot('networks-list');
  });

  it('draws the topology, stacks grouped, opens node details, and follows a connect and a start made elsewhere', async () => {
    await ui.page.evaluate(() => (window.location.hash = '/topology'));
    const node = (kind: string, name: string) =>
      ui.page.locator(`[data-testid="topology-node"][data-kind="${kind}"][data-name="${name}"]`);
    await node('network', net).waitFor({ timeout: 20_000 });
    await node('container', web).waitFor();
    await node('stack', 'shop').waitFor();
    expect(await node('container', web).getAttribute('data-state')).toBe('running');
    expect(await node('container', db).getAttribute('data-state')).toBe('created');
    // The stack's box holds its two containers.
    const box = (await node('stack', 'shop').boundingBox())!;
    for (const member of [web, db]) {
      const b = (await node('container', member).boundingBox())!;
      expect(b.x).toBeGreaterThanOrEqual(box.x);
      expect(b.x + b.width).toBeLessThanOrEqual(box.x + box.width + 1);
    }
    const port = await podman(info, 'port', web);
    const hostPort = port.split(':').at(-1)!.trim();
    await node('port', hostPort).waitFor();
    await ui.screenshot('topology');

    const edgesBefore = await ui.page.locator('.react-flow__edge').count();
    await podman(info, 'network', 'connect', '--alias', 'store', net, web);
    await waitFor(
      async () => (await ui.page.locator('.react-flow__edge').count()) === edgesBefore + 1,
      'the new edge in the topology',
    );
    await ui.screenshot('topology-after-connect');

    await node('container', web).click();
    const details = ui.page.getByTestId('topology-details');
    await details.waitFor();
    expect(await details.textContent()).toContain(net);
    expect(await details.textContent()).toContain('store');
    await ui.screenshot('topology-details');
    await ui.page.keyboard.press('Escape');
    await details.waitFor({ state: 'detached' });

    // A network's node lists who is on it (opened from the keyboard: Enter on the focused node);
    // a container's state follows its events.
    await ui.page.getByRole('group', { name: `Network ${net}` }).focus();
    await ui.page.keyboard.press('Enter');
    await details.waitFor();
    expect(await details.textContent()).toContain(loner);
    await ui.page.keyboard.press('Escape');
    await details.waitFor({ state: 'detached' });
    // Closing the details gives focus back to the node.
    await expect.poll(() => ui.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(`Network ${net}`);
    await podman(info, 'start', db);
    await waitFor(
      async () => (await node('container', db).getAttribute('data-state')) === 'running',
      'db running in the topology',
    );
  });

  it('disconnects a container after saying what it loses', async () => {
    await ui.page.evaluate(() => (window.location.hash = '/networks'));
    const attached = ui.page.locator(
      `[data-testid="network-row"][data-name="${net}"] [data-testid="attached"][data-container="${loner}"]`,
    );
    await attached.waitFor({ timeout: 15_000 });
    await ui.page.getByRole('button', { name: `Disconnect ${loner} from ${net}` }).click();
    const dialog = ui.page.getByRole('dialog', { name: `Disconnect ${loner} from ${net}?` });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('by api');
    await ui.screenshot('networks-disconnect-confirm');
    await dialog.getByTestId('confirm').click();
    await attached.waitFor({ state: 'detached', timeout: 15_000 });
    expect(await podman(info, 'inspect', '--format', '{{json .NetworkSettings.Networks}}', loner)).not.toContain(net);
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
