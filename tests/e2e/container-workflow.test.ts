import net from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { openUi, type UiSession } from '../support/browser';
import { connectedApp, uniqueName } from '../support/app';
import { podman, waitFor } from '../support/podman';
import { freePort } from '../support/registry';

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

const names = async () => (await podman(info, 'ps', '-a', '--format', '{{.Names}}')).split('\n');

describe('a container’s life through the UI', () => {
  const name = uniqueName('e2e-run');
  const volume = uniqueName('e2e-vol');

  it('refuses bad input inline, before anything is created', async () => {
    const page = ui.page;
    await page.getByTestId('run-container').click();
    await page.getByTestId('run-form').waitFor();
    await page.getByTestId('run-image').fill('Not An Image');
    await page.getByTestId('run-name').fill('bad name');
    await page.getByTestId('add-port').click();
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const busy = (server.address() as net.AddressInfo).port;
    await page.getByTestId('port-host').fill(String(busy));
    await page.getByTestId('port-container').fill('80');
    await page.getByTestId('run-command').click(); // leaving the port field checks it
    await page.getByText(`Port ${busy} is in use by another program on this computer`).waitFor();
    await page.getByTestId('run-submit').click();
    await page.getByText('Not an image id or reference', { exact: false }).first().waitFor();
    await page.getByText('Letters, digits, _ . - only', { exact: false }).first().waitFor();
    // A full-page shot of a scrolled page draws the fixed header mid-page: shoot from the top.
    await page.evaluate(() => window.scrollTo(0, 0));
    await ui.screenshot('run-form-invalid');
    expect(await names()).not.toContain('bad name');

    // With the rest fixed, Run looks at the port again: still held, nothing is created; freed, it runs.
    const freed = uniqueName('e2e-freed');
    await page.getByTestId('run-image').fill(info.busybox);
    await page.keyboard.press('Escape');
    await page.getByTestId('run-name').fill(freed);
    await page.getByTestId('run-submit').click();
    await page.getByText(`Port ${busy} is in use by another program on this computer`).waitFor();
    expect(await names()).not.toContain(freed);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await page.getByTestId('run-submit').click();
    await page.getByTestId('container-title').filter({ hasText: freed }).waitFor({ timeout: 20_000 });
    const bindings = JSON.parse(await podman(info, 'container', 'inspect', freed))[0].HostConfig.PortBindings;
    expect(bindings['80/tcp']).toEqual([expect.objectContaining({ HostPort: String(busy) })]);
    await podman(info, 'rm', '-f', '-t', '0', freed);
  });

  it('says what is wrong with a host address before asking about its port', async () => {
    const page = ui.page;
    await page.evaluate(() => (window.location.hash = '/containers/new'));
    await page.getByTestId('run-form').waitFor();
    await page.getByTestId('add-port').click();
    const port = String(await freePort());
    // A port number typed in the address field: the address is what is wrong, not the port.
    await page.getByTestId('port-container').fill('80');
    await page.getByTestId('port-address').fill('18099');
    await page.getByTestId('port-host').fill(port);
    await page.getByTestId('port-container').click();
    await page.getByText('Not an IP address: give one of this computer’s (like 127.0.0.1), or leave it empty for all').waitFor();
    expect(await page.getByText(/is in use by/).count()).toBe(0);
    // Well formed, but not an address of this computer (192.0.2.1 is for documentation only).
    await page.getByTestId('port-address').fill('192.0.2.1');
    await page.getByTestId('port-host').click();
    await page.getByTestId('port-container').click();
    await page.getByText('This computer has no address 192.0.2.1').waitFor();
    expect(await page.getByText(/is in use by/).count()).toBe(0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await ui.screenshot('run-form-bad-address');
    // A loopback address is fine, and so is the port on it.
    await page.getByTestId('port-address').fill('127.0.0.1');
    await page.getByTestId('port-host').click();
    await page.getByTestId('port-container').click();
    await page.getByText('This computer has no address 192.0.2.1').waitFor({ state: 'detached' });
    expect(await page.getByText(/Not an IP address|is in use by/).count()).toBe(0);
  });

  it('runs a container from the form and shows its logs streaming', async () => {
    const page = ui.page;
    await page.evaluate(() => (window.location.hash = '/containers'));
    await page.getByTestId('run-container').click();
    await page.getByTestId('run-form').waitFor();
    await page.getByTestId('run-image').fill(info.busybox);
    await page.keyboard.press('Escape');
    await page.getByTestId('run-name').fill(name);
    await page
      .getByTestId('run-command')
      .fill(`sh -c 'i=0; while true; do i=$((i+1)); echo "tick $i from $GREETING"; sleep 0.2; done'`);
    await page.getByTestId('paste-env').click();
    await page.getByTestId('env-paste').fill('GREETING=hello-e2e\n# a comment\nMODE=test');
    await page.getByRole('button', { name: 'Add 2 variables' }).click();
    await page.getByTestId('env-paste').waitFor({ state: 'detached' });
    // A named volume made elsewhere is offered by name.
    await podman(info, 'volume', 'create', volume);
    await page.getByRole('button', { name: 'Add a volume' }).click();
    await page.locator('input[aria-label="Volume name"]').fill(volume.slice(0, 10));
    await page.getByRole('option', { name: volume }).click();
    await page.getByLabel('Path in the container').fill('/data');
    const port = await freePort();
    await page.getByTestId('add-port').click();
    await page.getByTestId('port-host').fill(String(port));
    await page.getByTestId('port-container').fill('80');
    await page.evaluate(() => window.scrollTo(0, 0));
    await ui.screenshot('run-form-filled');
    await page.getByTestId('run-submit').click();

    // The app goes to the new container's logs, which stream.
    await page.getByTestId('container-title').filter({ hasText: name }).waitFor({ timeout: 20_000 });
    await page.getByTestId('log-line').filter({ hasText: 'tick 3 from hello-e2e' }).waitFor({ timeout: 20_000 });
    const first = Number((await page.getByTestId('log-count').textContent())?.replace(/\D/g, ''));
    await expect
      .poll(async () => Number((await page.getByTestId('log-count').textContent())?.replace(/\D/g, '')), { timeout: 10_000 })
      .toBeGreaterThan(first);
    await page.getByTestId('log-search').fill('tick 2 ');
    await expect.poll(() => page.getByTestId('log-matches').textContent()).toBe('1 of 1');
    await ui.screenshot('container-logs');

    // The published port is a link that opens the browser on it.
    const link = page.getByRole('link', { name: `${port}→80` }).first();
    expect(await link.getAttribute('href')).toBe(`http://localhost:${port}`);
    const inspect = JSON.parse(await podman(info, 'container', 'inspect', name))[0];
    expect(inspect.Mounts).toEqual(
      expect.arrayContaining([expect.objectContaining({ Type: 'volume', Name: volume, Destination: '/data' })]),
    );
    expect(inspect.HostConfig.PortBindings['80/tcp']).toEqual([expect.objectContaining({ HostPort: String(port) })]);
    expect(inspect.Config.Env).toEqual(expect.arrayContaining(['GREETING=hello-e2e', 'MODE=test']));
    expect(inspect.State.Status).toBe('running');
  });

  it('opens a terminal and runs echo in it', async () => {
    const page = ui.page;
    await page.getByRole('tab', { name: 'Terminal' }).click();
    await expect.poll(() => page.getByTestId('terminal-phase').textContent(), { timeout: 20_000 }).toMatch(/Connected/);
    await page.getByTestId('terminal').click();
    await page.keyboard.type('echo "answer=$((6*7))"');
    await page.keyboard.press('Enter');
    await expect
      .poll(async () => (await page.locator('.xterm-rows').textContent()) ?? '', { timeout: 15_000 })
      .toContain('answer=42');
    await ui.screenshot('container-terminal');
  });

  it('shows stats, inspect and files', async () => {
    const page = ui.page;
    await page.getByRole('tab', { name: 'Stats' }).click();
    await expect.poll(() => page.getByTestId('stats-cpu-value').textContent(), { timeout: 20_000 }).toMatch(/%$/);
    await ui.screenshot('container-stats');
    await page.getByRole('tab', { name: 'Inspect' }).click();
    await page.getByTestId('json-view').waitFor();
    await page.getByLabel('Search the JSON').fill('hello-e2e');
    await page.getByText(/^\d+ match(es)?$/).waitFor();
    await ui.screenshot('container-inspect');
    await page.getByRole('tab', { name: 'Files' }).click();
    await page.locator('[data-testid="file-row"][data-name="www"]').click();
    await page.locator('[data-testid="file-row"][data-name="index.html"]').waitFor();
    await ui.screenshot('container-files');
  });

  it('stops it with a chosen grace period, and removes it', async () => {
    const page = ui.page;
    await page.getByRole('tab', { name: 'Logs' }).click();
    // The shell ignores SIGTERM: Podman's default would wait 10 s; a grace period of 0 stops it at once.
    await page.getByRole('button', { name: `More actions for ${name}` }).click();
    await page.getByRole('menuitem', { name: 'Stop after…' }).click();
    await page.getByTestId('stop-timeout').fill('abc');
    expect(await page.getByTestId('stop-confirm').isDisabled()).toBe(true);
    await page.getByTestId('stop-timeout').fill('0');
    await ui.screenshot('container-stop-timeout');
    await page.getByTestId('stop-confirm').click();
    await expect.poll(() => page.getByTestId('details-state').getAttribute('data-state'), { timeout: 30_000 }).toBe('exited');
    const state = JSON.parse(await podman(info, 'container', 'inspect', name))[0].State;
    // SIGKILL at once: the exit code of a killed process (128 + 9), not a clean exit after SIGTERM.
    expect(state.ExitCode).toBe(137);
    expect(await podman(info, 'inspect', '--format', '{{.State.Status}}', name)).toMatch(/exited|stopped/);
    await page.getByTestId('details-remove').click();
    await page.getByRole('dialog').waitFor();
    await ui.screenshot('container-remove-confirm');
    await page.getByTestId('confirm').click();
    await page.waitForFunction(() => window.location.hash === '#/containers', undefined, { timeout: 15_000 });
    await waitFor(async () => !(await names()).includes(name), 'the container to be gone');
    await page.locator(`[data-testid="container-row"][data-name="${name}"]`).waitFor({ state: 'detached' });
    // Removing the container keeps its named volume.
    await podman(info, 'volume', 'rm', volume);
  });

  it('groups by stack, selects many and stops them at once', async () => {
    const page = ui.page;
    const project = uniqueName('shop');
    const members = [uniqueName('web'), uniqueName('db')];
    for (const member of members)
      await podman(
        info,
        'run',
        '-d',
        '--name',
        member,
        '--stop-timeout',
        '1',
        '--label',
        `com.docker.compose.project=${project}`,
        info.busybox,
        'sleep',
        '600',
      );
    await page.getByLabel('Group containers').first().click();
    await page.getByRole('option', { name: 'Group by stack' }).click();
    await page.locator(`[data-testid="container-group"][data-group="${project}"]`).waitFor();
    for (const member of members) await page.getByLabel(`Select ${member}`).check();
    await page.getByTestId('bulk-bar').waitFor();
    await ui.screenshot('containers-grouped-selected');
    await page.getByTestId('bulk-bar').getByRole('button', { name: 'Stop' }).click();
    for (const member of members)
      await expect
        .poll(() => page.locator(`[data-testid="container-row"][data-name="${member}"]`).getAttribute('data-state'), {
          timeout: 30_000,
        })
        .toBe('exited');

    // The same selection becomes a pod: copies of both inside, the originals kept.
    const pod = uniqueName('shop-pod');
    await page.getByTestId('bulk-make-pod').click();
    await page.getByTestId('pod-name').fill(pod);
    for (const member of members) await page.getByRole('dialog').getByText(member, { exact: true }).waitFor();
    await ui.screenshot('pod-from-selection');
    await page.getByTestId('pod-create').click();
    const row = page.locator(`[data-testid="pod-row"][data-name="${pod}"]`);
    await row.waitFor({ timeout: 30_000 });
    const inPod = JSON.parse(await podman(info, 'pod', 'inspect', pod));
    const podInfo = Array.isArray(inPod) ? inPod[0] : inPod;
    const copies = (podInfo.Containers as { Id: string }[]).filter((c) => c.Id !== podInfo.InfraContainerID);
    expect(copies).toHaveLength(2);
    expect(await names()).toEqual(expect.arrayContaining(members));
    expect(await page.evaluate(() => window.location.hash)).toBe('#/pods');
    await podman(info, 'pod', 'rm', '-f', '-t', '0', pod);
    await podman(info, 'rm', ...members);
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
