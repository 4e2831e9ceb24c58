import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { localGpuFs, readCdiDevices } from '../../src/main/stacks/gpu';
import { openUi, type UiSession } from '../support/browser';
import { connectedApp, uniqueName } from '../support/app';
import { podman } from '../support/podman';
import { importStack, launch } from '../support/stacks';

/**
 * A stack's options on its page: profiles turned on with chips (kept with the stack), a service
 * whose profile is off started by name from the Services tab, and the Ollama stack's "Use the
 * GPU" — shown because a CDI specification for NVIDIA's kind is there (the test writes one for
 * a harmless device when the machine has none, as the integration test does).
 */
const info = inject('podman');
let app: App;
let ui: UiSession;
let written: string | undefined;
let createdDir = false;

beforeAll(async () => {
  if (!(await readCdiDevices(localGpuFs)).some((d) => d.startsWith('nvidia.com/gpu='))) {
    createdDir = !(await readdir('/etc/cdi').then(
      () => true,
      () => false,
    ));
    await mkdir('/etc/cdi', { recursive: true });
    written = `/etc/cdi/poddesk-e2e-${process.pid}.json`;
    await writeFile(
      written,
      JSON.stringify({
        cdiVersion: '0.5.0',
        kind: 'nvidia.com/gpu',
        devices: [{ name: 'all', containerEdits: { deviceNodes: [{ path: '/dev/null' }] } }],
      }),
    );
  }
  app = await connectedApp(info);
  ui = await openUi(app, { path: '/stacks' });
});
afterAll(async () => {
  await ui?.close();
  await app?.close();
  if (written) await rm(written, { force: true });
  if (createdDir) await rm('/etc/cdi', { recursive: true, force: true });
});

describe('a stack’s options in Chromium', () => {
  const id = uniqueName('opts');

  it('turns a profile on and off, and starts a service whose profile is off by name', async () => {
    await importStack(
      app,
      `services:\n  app: {image: ${info.busybox}, command: sleep 600, stop_grace_period: 0s}\n  debug: {image: ${info.busybox}, command: sleep 600, stop_grace_period: 0s, profiles: [debug]}\n`,
      id,
    );
    await ui.page.evaluate((stack) => (window.location.hash = `/stacks/${stack}`), id);
    const chip = ui.page.locator('[data-testid="profile-chip"][data-profile="debug"]');
    await chip.waitFor();
    const row = ui.page.locator('[data-testid="service-row"][data-service="debug"]');
    expect(await row.getByTestId('service-state').textContent()).toBe('Profile off');
    expect(await row.getByTestId('service-profiles').textContent()).toBe('profile: debug');
    await ui.screenshot('stacks-profiles-off');

    // The chip is a checkbox: on, kept with the stack (and shown so once saved).
    const active = async () =>
      ((await app.dispatcher.call('stacks.get', { id })) as { data: { profiles: { active: boolean }[] } }).data.profiles[0]!
        .active;
    await chip.locator('label').click();
    await expect.poll(active).toBe(true);
    await expect.poll(() => chip.getAttribute('data-active'), { timeout: 15_000 }).toBe('true');
    expect(await chip.locator('input').isChecked()).toBe(true);
    await chip.locator('label').click();
    await expect.poll(active).toBe(false);
    await expect.poll(() => chip.getAttribute('data-active'), { timeout: 15_000 }).toBe('false');

    // Started by name from its row, though its profile is off.
    await row.getByTestId('start-by-name').click();
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 60_000 }).toBe('running');
    expect(await podman(info, 'inspect', '--format', '{{.State.Status}}', `${id}-debug-1`)).toBe('running');
    expect(await ui.page.locator('[data-testid="service-row"][data-service="app"]').getAttribute('data-state')).toBe('missing');
    await ui.screenshot('stacks-profile-started-by-name');
    await app.dispatcher.call('stacks.remove', { id, deleteVolumes: true, confirmName: id });
  });

  it('offers "Use the GPU" on the Ollama stack, and keeps the choice', async () => {
    await ui.page.evaluate(() => (window.location.hash = '/stacks/ollama'));
    const choice = ui.page.getByTestId('gpu-choice');
    await choice.waitFor();
    // The choice shows once saved: click, then wait for it.
    await choice.getByLabel('NVIDIA').click();
    await expect
      .poll(
        async () =>
          ((await app.dispatcher.call('stacks.get', { id: 'ollama' })) as { data: { gpu?: { chosen?: string } } }).data.gpu
            ?.chosen,
      )
      .toBe('nvidia');
    await expect.poll(() => choice.getByLabel('NVIDIA').isChecked(), { timeout: 15_000 }).toBe(true);
    await ui.screenshot('stacks-gpu-choice');
    await choice.getByLabel('No (CPU only)').click();
    await expect
      .poll(
        async () =>
          ((await app.dispatcher.call('stacks.get', { id: 'ollama' })) as { data: { gpu?: { chosen?: string } } }).data.gpu
            ?.chosen,
      )
      .toBeUndefined();
  });

  it('names the containers as podman-compose does, and then gives podman-compose’s down to remove the stack', async () => {
    const named = uniqueName('names');
    await importStack(app, `services:\n  app: {image: ${info.busybox}, command: sleep 600, stop_grace_period: 0s}\n`, named);
    expect((await launch(app, { id: named })).error).toBeUndefined();
    await ui.page.evaluate((stack) => (window.location.hash = `/stacks/${stack}`), named);
    const choice = ui.page.getByTestId('container-names');
    await choice.waitFor();
    expect(await choice.inputValue()).toBe('docker-compose');
    expect(await choice.locator('option:checked').textContent()).toBe(`Like docker compose: ${named}-app-1`);
    await ui.page.getByLabel('Container names').selectOption({ label: `Like podman-compose: ${named}_app_1` });
    const naming = async () =>
      ((await app.dispatcher.call('stacks.get', { id: named })) as { data: { containerNames?: string } }).data.containerNames;
    await expect.poll(naming).toBe('podman-compose');
    await expect.poll(() => choice.inputValue(), { timeout: 15_000 }).toBe('podman-compose');
    await ui.screenshot('stacks-container-names');

    // The relaunch recreates the container under its new name.
    expect((await launch(app, { id: named })).error).toBeUndefined();
    expect(
      await podman(info, 'ps', '-a', '--filter', `label=com.docker.compose.project=${named}`, '--format', '{{.Names}}'),
    ).toBe(`${named}_app_1`);
    await ui.page.getByTestId('stack-menu').click();
    await ui.page.getByTestId('remove-stack').click();
    const preview = ui.page.getByTestId('compose-down-preview');
    await preview.waitFor();
    await expect
      .poll(async () => ((await preview.textContent()) ?? '').replace(/ \\\s*/g, ' '))
      .toMatch(new RegExp(`podman-compose -p ${named} down`));
    // A pasted stack's file is PodDesk's: the note says to save it for -f.
    expect(await preview.textContent()).toMatch(/save it \(Compose file tab\) as compose.yaml/);
    await ui.screenshot('stacks-remove-compose-down');
    await ui.page.keyboard.press('Escape');
    await app.dispatcher.call('stacks.remove', { id: named, deleteVolumes: true, confirmName: named });
    expect(ui.errors).toEqual([]);
  });
});
