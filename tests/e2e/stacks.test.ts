import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { openUi, type UiSession } from '../support/browser';
import { podman, waitFor } from '../support/podman';
import { connectedApp, uniqueName } from '../support/app';
import { freePort } from '../support/registry';
import { buildStackImages, offlineVariables } from '../support/stack-images';
import { runComposeProject } from '../support/stacks';

const info = inject('podman');
let app: App;
let ui: UiSession;
let port: number;

beforeAll(async () => {
  await buildStackImages(info);
  app = await connectedApp(info);
  port = await freePort();
  // The built-in Ollama stack, pointed at the offline stand-in image and a free port.
  const set = await app.dispatcher.call('stacks.setVariables', { id: 'ollama', values: offlineVariables({ ollama: port }) });
  if (!set.ok) throw new Error(set.error.message);
  ui = await openUi(app, { path: '/stacks' });
});
afterAll(async () => {
  await ui?.close();
  await app?.close();
});

const card = (id: string) => ui.page.locator(`[data-testid="stack-card"][data-id="${id}"]`);

describe('the Stacks page in Chromium', () => {
  it('lists the built-in stacks, ready to launch', async () => {
    await card('ollama').waitFor();
    for (const id of ['jupyter', 'ollama', 'ai-webapp', 'ai-lab'])
      expect(await card(id).getAttribute('data-status')).toBe('not-created');
    expect(await card('jupyter').textContent()).not.toMatch(/Required variable/);
    await ui.screenshot('stacks-list');
  });

  it('launches the Ollama stack with one click and shows the progress, then the stack healthy', async () => {
    await card('ollama').getByTestId('card-launch').click();
    const panel = ui.page.getByTestId('launch-panel');
    await panel.waitFor();
    expect(await ui.page.evaluate(() => window.location.hash)).toBe('#/stacks/ollama');
    await ui.page.locator('[data-testid="launch-step"]').first().waitFor();
    // What the one click is about to create is said before the steps.
    expect(await ui.page.getByTestId('launch-plan').textContent()).toBe(
      `This launch: create network ollama_default and volume ollama_models · create 1 container · publish port ${port}→11434`,
    );
    await ui.screenshot('stacks-launch-progress');
    await expect.poll(() => panel.getAttribute('data-outcome'), { timeout: 90_000 }).toBe('done');
    const stepIds = await ui.page
      .locator('[data-testid="launch-step"]')
      .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-step')} ${e.getAttribute('data-status')}`));
    expect(stepIds).toEqual([
      'network:ollama_default done',
      'volume:ollama_models done',
      'container:ollama done',
      'health:ollama done',
    ]);
    const row = ui.page.locator('[data-testid="service-row"][data-service="ollama"]');
    await expect.poll(() => row.getAttribute('data-health'), { timeout: 30_000 }).toBe('healthy');
    await expect.poll(() => ui.page.getByTestId('stack-detail').getAttribute('data-status')).toBe('running');
    await ui.screenshot('stacks-launched');
  });

  it('opens a service in the browser', async () => {
    const link = ui.page.locator('[data-testid="service-row"][data-service="ollama"]').getByTestId('open-service');
    expect(await link.getAttribute('href')).toBe(`http://localhost:${port}/`);
    const [opened] = await Promise.all([ui.page.context().waitForEvent('page'), link.click()]);
    await opened.waitForLoadState();
    expect(await opened.textContent('body')).toMatch(/Ollama is running/);
    await opened.close();
  });

  it('shows the plan and the merged logs', async () => {
    await ui.page.getByRole('tab', { name: 'What launch does' }).click();
    await ui.page.getByTestId('plan').waitFor();
    expect(await ui.page.getByTestId('plan').textContent()).toMatch(/launching again would change nothing/);
    await ui.page.getByRole('tab', { name: 'Logs' }).click();
    await ui.page.getByTestId('stack-logs').waitFor();
    await ui.page.getByRole('tab', { name: 'Variables' }).click();
    await ui.page.locator('[data-testid="variable-row"][data-name="OLLAMA_PORT"]').waitFor();
    await ui.screenshot('stacks-variables');
    await ui.page.getByRole('tab', { name: 'Services' }).click();
  });

  it('stops the stack, then removes it keeping the volume', async () => {
    await ui.page.getByTestId('stop-stack').click();
    await expect.poll(() => ui.page.getByTestId('stack-detail').getAttribute('data-status'), { timeout: 30_000 }).toBe('stopped');

    await ui.page.getByTestId('stack-menu').click();
    await ui.page.getByTestId('remove-stack').click();
    const dialog = ui.page.getByRole('dialog');
    await dialog.waitFor();
    // Keeping data is the default; deleting it would need the stack's name typed.
    expect(await ui.page.getByTestId('delete-data').isChecked()).toBe(false);
    await ui.page.getByTestId('delete-data').click();
    expect(await ui.page.getByTestId('confirm').isDisabled()).toBe(true);
    await ui.page.getByTestId('confirm-name').fill('olama');
    expect(await ui.page.getByTestId('confirm').isDisabled()).toBe(true);
    // The models volume is shared with the other Ollama stacks: the dialog says so.
    expect(await ui.page.getByTestId('shared-volume').textContent()).toMatch(/ollama_models is also used by AI web app, AI lab/);
    await ui.screenshot('stacks-remove-delete-data');
    await ui.page.getByTestId('confirm-name').fill('ollama');
    expect(await ui.page.getByTestId('confirm').isDisabled()).toBe(false);
    await ui.page.getByTestId('delete-data').click();
    expect(await ui.page.getByTestId('confirm').textContent()).toBe('Remove, keep data');
    await ui.screenshot('stacks-remove-confirm');
    await ui.page.getByTestId('confirm').click();
    await expect
      .poll(() => ui.page.getByTestId('stack-detail').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('not-created');
    expect(await podman(info, 'ps', '-a', '--filter', 'label=com.docker.compose.project=ollama', '--format', '{{.Names}}')).toBe(
      '',
    );
    expect(await podman(info, 'volume', 'exists', 'ollama_models').then(() => true)).toBe(true);
    await ui.screenshot('stacks-removed');
  });

  it('imports a pasted Compose file and shows its mistakes with their lines', async () => {
    await ui.page.evaluate(() => (window.location.hash = '/stacks'));
    await ui.page.getByTestId('import-stack').click();
    const name = uniqueName('pasted');
    await ui.page
      .getByTestId('import-text')
      .fill(`services:\n  web:\n    image: ${info.busybox}\n    ports: ["8080:80"]\n    develop: {watch: []}\n`);
    await ui.page.getByTestId('import-name').fill(name);
    await ui.page.getByText('develop is not supported').waitFor();
    await ui.screenshot('stacks-import');
    await ui.page.getByTestId('import-confirm').click();
    await waitFor(
      async () => (await ui.page.evaluate(() => window.location.hash)) === `#/stacks/${name}`,
      'the new stack to open',
    );
    await ui.page.getByRole('tab', { name: 'Compose file' }).click();
    const editor = ui.page.getByTestId('compose-editor');
    await editor.fill(`services:\n  web:\n    image: ${info.busybox}\n    ports: ["99999:80"]\n`);
    await ui.page.getByText('Line 4:').waitFor();
    expect(await ui.page.getByTestId('compose-issues').textContent()).toMatch(/host port 99999 is out of range/);
    expect(await ui.page.getByTestId('save-relaunch').isDisabled()).toBe(true);
    await ui.screenshot('stacks-editor-errors');
  });

  it('shows what a first launch of the AI web app would pull, build and create', async () => {
    await ui.page.evaluate(() => (window.location.hash = '/stacks/ai-webapp'));
    await ui.page.getByRole('tab', { name: 'What launch does' }).click();
    const plan = ui.page.getByTestId('plan');
    await plan.waitFor();
    const text = await plan.textContent();
    expect(text).toMatch(/docker\.io\/ollama\/ollama:latest\s*pull/);
    expect(text).toMatch(/localhost\/poddesk\/flask-chat:latest\s*build/);
    expect(text).toMatch(/ai-webapp-web-1\s*create.*after ollama/);
    await ui.screenshot('stacks-plan');
  });

  it('refuses a launch whose host port is taken, saying nothing was created', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '0.0.0.0', resolve));
    const taken = (holder.address() as AddressInfo).port;
    try {
      const name = uniqueName('clash');
      const imported = await app.dispatcher.call('stacks.import', {
        name,
        yaml: `services:\n  web:\n    image: ${info.busybox}\n    command: httpd -f -p 80\n    ports: ["${taken}:80"]\n`,
      });
      expect(imported.ok).toBe(true);
      await ui.page.evaluate((id) => (window.location.hash = `/stacks/${id}`), name);
      await ui.page.getByTestId('launch').click();
      const panel = ui.page.getByTestId('launch-panel');
      await expect.poll(() => panel.getAttribute('data-outcome'), { timeout: 30_000 }).toBe('failed');
      const error = await ui.page.getByTestId('launch-error').textContent();
      expect(error).toContain(`Host port ${taken} (service "web") is already in use by another program on this computer`);
      expect(error).toMatch(/Fix the cause and launch again/);
      expect(error).not.toMatch(/What was created is kept/);
      expect(await ui.page.getByTestId('stack-detail').getAttribute('data-status')).toBe('not-created');
      expect(
        await podman(info, 'ps', '-a', '--filter', `label=com.docker.compose.project=${name}`, '--format', '{{.Names}}'),
      ).toBe('');
      await ui.screenshot('stacks-port-conflict');
    } finally {
      holder.close();
    }
  });

  it('shows a Compose project started by another tool, and stops it from its card', async () => {
    const project = uniqueName('other');
    // podman-compose's own label too; busybox ignores SIGTERM, so a stop kills at once.
    await runComposeProject(info, project, ['db', 'web'], () => [
      '--label',
      `io.podman.compose.project=${project}`,
      '--stop-timeout',
      '0',
    ]);
    await ui.page.evaluate(() => (window.location.hash = '/stacks'));
    const external = card(`project:${project}`);
    await expect.poll(() => external.getAttribute('data-status'), { timeout: 30_000 }).toBe('running');
    expect(
      await external.locator('[data-testid="card-service"]').evaluateAll((els) => els.map((e) => e.dataset.service)),
    ).toEqual(['db', 'web']);
    expect(await external.textContent()).toMatch(/podman-compose \/ docker compose/);
    expect(await ui.page.getByText('Started by other tools').isVisible()).toBe(true);
    expect(await card('ollama').isVisible()).toBe(true);
    await ui.screenshot('stacks-sections');
    await external.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => external.getAttribute('data-status'), { timeout: 30_000 }).toBe('stopped');
    await podman(info, 'rm', '-f', `${project}_db_1`, `${project}_web_1`);
  });

  it('shows a launch that fails midway, then an edit and "Save and relaunch" completes it', async () => {
    const name = uniqueName('midway');
    const file = (command: string) =>
      [
        'services:',
        '  base:',
        `    image: ${info.busybox}`,
        '    command: sleep 600',
        '    stop_grace_period: 0s',
        '  app:',
        `    image: ${info.busybox}`,
        `    command: ${command}`,
        '    stop_grace_period: 0s',
        '    depends_on: [base]',
        '',
      ].join('\n');
    const imported = await app.dispatcher.call('stacks.import', {
      name,
      yaml: file(`sh -c "echo app.conf is missing >&2; exit 3"`),
    });
    expect(imported.ok).toBe(true);
    await ui.page.evaluate((id) => (window.location.hash = `/stacks/${id}`), name);
    await ui.page.getByTestId('launch').click();
    const panel = ui.page.getByTestId('launch-panel');
    await expect.poll(() => panel.getAttribute('data-outcome'), { timeout: 60_000 }).toBe('failed');
    const error = await ui.page.getByTestId('launch-error').textContent();
    expect(error).toMatch(/Service "app" stopped \(exit code 3\)\. Its last lines:\s*app\.conf is missing/);
    expect(error).toMatch(/What was created is kept/);
    // Only the service that failed is marked failed: a wait cut short by it is not.
    const failed = await ui.page
      .locator('[data-testid="launch-step"][data-status="failed"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-step')));
    expect(failed).toEqual(['health:app']);
    await expect.poll(() => ui.page.getByTestId('stack-detail').getAttribute('data-status')).toBe('partial');
    await ui.screenshot('stacks-failed-midway');

    await ui.page.getByRole('tab', { name: 'Compose file' }).click();
    await ui.page.getByTestId('compose-editor').fill(file('sleep 600'));
    await expect.poll(() => ui.page.getByTestId('save-relaunch').isDisabled()).toBe(false);
    await ui.page.getByTestId('save-relaunch').click();
    await expect.poll(() => panel.getAttribute('data-outcome'), { timeout: 60_000 }).toBe('done');
    // Only the broken service was recreated; the one that ran is kept as it was.
    expect(await ui.page.getByTestId('launch-plan').textContent()).toBe('This launch: recreate 1 container');
    await expect.poll(() => ui.page.getByTestId('stack-detail').getAttribute('data-status')).toBe('running');
    await ui.screenshot('stacks-relaunched');
    expect((await app.dispatcher.call('stacks.remove', { id: name, timeoutSeconds: 0 })).ok).toBe(true);
  });

  it('opens a stack straight from its route (the Chat page links to #/stacks/ollama)', async () => {
    await ui.page.evaluate(() => (window.location.hash = '/stacks/ollama'));
    await ui.page.getByTestId('launch').waitFor();
    expect(await ui.page.getByTestId('launch').textContent()).toMatch(/Launch/);
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
