import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { openUi, type UiSession } from '../support/browser';
import { connectedApp, terminalOf, uniqueName } from '../support/app';
import { podman } from '../support/podman';

/**
 * The "This computer" confirmation, as a user meets it in a browser: a pasted Compose file that
 * mounts a folder of this computer shows it in the plan, its launch is refused (nothing created)
 * until the user types the code PodDesk printed in its terminal (here, the app's terminal consent
 * prints into a list the test reads), and a change to the list asks again. Then the built-ins'
 * "reachable from other computers" switch, with its warning.
 */
const info = inject('podman');
let app: App;
let ui: UiSession;
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'pdt-hostdir-'));
  await writeFile(join(folder, 'note.txt'), 'from this computer');
  app = await connectedApp(info);
  ui = await openUi(app, { path: '/stacks' });
});
afterAll(async () => {
  await ui?.close();
  await app?.close();
  await rm(folder, { recursive: true, force: true });
});

const file = (mode: string) =>
  [
    'services:',
    '  box:',
    `    image: ${info.busybox}`,
    '    command: sleep 600',
    '    stop_grace_period: 0s',
    '    volumes:',
    `      - ${folder}:/host${mode}`,
    '',
  ].join('\n');

const containers = async (project: string) =>
  podman(info, 'ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Names}}');

describe('what a stack touches on this computer, in Chromium', () => {
  const name = uniqueName('hostdir');
  const panel = () => ui.page.getByTestId('launch-panel');

  it('shows an imported stack’s host folder in the plan, not yet confirmed', async () => {
    await ui.page.getByTestId('import-stack').click();
    await ui.page.getByTestId('import-text').fill(file(''));
    await ui.page.getByTestId('import-name').fill(name);
    await ui.page.getByTestId('import-confirm').click();
    await expect.poll(() => ui.page.evaluate(() => window.location.hash)).toBe(`#/stacks/${name}`);

    await ui.page.getByRole('tab', { name: 'What launch does' }).click();
    const section = ui.page.getByTestId('plan').getByTestId('host-access');
    await section.waitFor();
    expect(await section.getAttribute('data-needs-confirmation')).toBe('true');
    const items = await section
      .getByTestId('host-access-item')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-kind'), e.getAttribute('data-subject')]));
    expect(items).toEqual([['mount', folder]]);
    const text = await section.textContent();
    expect(text).toContain(`${folder} → /host`);
    expect(text).toMatch(/read-write/);
    expect(text).toMatch(/Not confirmed yet/);
    await ui.screenshot('stacks-host-access-plan');
  });

  it('refuses the launch until confirmed, creating nothing; the page’s own call confirms nothing', async () => {
    await ui.page.getByTestId('launch').click();
    await expect.poll(() => panel().getAttribute('data-outcome'), { timeout: 30_000 }).toBe('needs-confirmation');
    const asked = ui.page.getByTestId('launch-needs-confirmation');
    expect(await asked.textContent()).toMatch(/Nothing was created: this stack uses one thing on this computer/);
    expect(await asked.getByTestId('host-access-item').getAttribute('data-subject')).toBe(folder);
    expect(await containers(name)).toBe('');
    expect(await ui.page.getByTestId('stack-detail').getAttribute('data-status')).toBe('not-created');
    // In a browser, the button says what comes next: a code in the terminal.
    expect(await asked.getByTestId('confirm-host-access').textContent()).toBe('Confirm and launch with a code');
    expect(await asked.getByTestId('host-access-how').textContent()).toMatch(
      /prints a code in the terminal where you started it/,
    );
    await ui.screenshot('stacks-host-access-refused');

    // A page that calls main itself, with a code it made up, gets no yes.
    const pageCall = (code?: string) =>
      ui.page.evaluate(
        async ([id, code]) => {
          const plan = (await window.poddesk!.calls['stacks.plan']!({ id })) as { data: { hostAccess: { fingerprint: string } } };
          const fingerprint = plan.data.hostAccess.fingerprint;
          const answer = await window.poddesk!.calls['stacks.confirmHostAccess']!({ id, fingerprint, ...(code ? { code } : {}) });
          return (answer as { data: { state: string } }).data.state;
        },
        [name, code] as const,
      );
    expect(await pageCall()).toBe('code-required');
    expect(await pageCall(terminalOf(app).lastCode() === '000000' ? '111111' : '000000')).toBe('code-required');
    const plan = (await app.dispatcher.call('stacks.plan', { id: name })) as {
      data: { hostAccess: { needsConfirmation: boolean } };
    };
    expect(plan.data.hostAccess.needsConfirmation).toBe(true);
  });

  it('confirms with the code PodDesk printed in its terminal, after a wrong one, then launches', async () => {
    const asked = ui.page.getByTestId('launch-needs-confirmation');
    const printedBefore = terminalOf(app).printed.length;
    await asked.getByTestId('confirm-host-access').click();
    const input = asked.getByTestId('host-access-code');
    await input.waitFor();
    // Main printed the list and a new code; the field has the focus.
    const printed = terminalOf(app).printed.slice(printedBefore).join('');
    expect(printed).toContain(`Folder or file: ${folder} → /host, read-write — box`);
    const code = terminalOf(app).lastCode();
    expect(await ui.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('host-access-code');
    expect(await asked.getByText('Code from the terminal').count()).toBe(1);

    const wrong = code === '000000' ? '111111' : '000000';
    await ui.page.keyboard.type(wrong);
    await ui.page.keyboard.press('Enter');
    await expect.poll(() => asked.textContent()).toMatch(/That is not the code PodDesk printed: 2 tries left/);
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await asked.getByRole('alert').textContent()).toMatch(/not the code/);
    expect(await containers(name)).toBe('');
    await ui.screenshot('stacks-host-access-code');

    await input.fill(code);
    await ui.page.keyboard.press('Enter');
    await expect.poll(() => panel().getAttribute('data-outcome'), { timeout: 60_000 }).toBe('done');
    expect(await podman(info, 'exec', `${name}-box-1`, 'cat', '/host/note.txt')).toBe('from this computer');
    await expect.poll(() => ui.page.getByTestId('stack-detail').getAttribute('data-status')).toBe('running');
    // The plan now says the list is confirmed.
    const section = ui.page.getByTestId('plan').getByTestId('host-access');
    await expect.poll(() => section.getAttribute('data-needs-confirmation')).toBe('false');
    expect(await section.textContent()).toMatch(/Confirmed/);
    await ui.screenshot('stacks-host-access-confirmed');
  });

  it('asks again after an edit changes the list, and the spent code no longer works', async () => {
    const spent = terminalOf(app).lastCode();
    await ui.page.getByRole('tab', { name: 'Compose file' }).click();
    await ui.page.getByTestId('compose-editor').fill(file(':ro'));
    await expect.poll(() => ui.page.getByTestId('save-relaunch').isDisabled()).toBe(false);
    await ui.page.getByTestId('save-relaunch').click();
    await expect.poll(() => panel().getAttribute('data-outcome'), { timeout: 30_000 }).toBe('needs-confirmation');
    const asked = ui.page.getByTestId('launch-needs-confirmation');
    expect(await asked.textContent()).toMatch(/read-only/);
    await asked.getByTestId('confirm-host-access').click();
    await asked.getByTestId('host-access-code').waitFor();
    const code = terminalOf(app).lastCode();
    expect(code === spent ? 'the same code twice (one in a million)' : 'a new code').toBe('a new code');
    await asked.getByTestId('host-access-code').fill(spent);
    await asked.getByTestId('host-access-code-submit').click();
    await expect.poll(() => asked.textContent()).toMatch(/not the code/);
    await asked.getByTestId('host-access-code').fill(code);
    await asked.getByTestId('host-access-code-submit').click();
    await expect.poll(() => panel().getAttribute('data-outcome'), { timeout: 60_000 }).toBe('done');
    await expect(podman(info, 'exec', `${name}-box-1`, 'touch', '/host/new')).rejects.toThrow(/Read-only/i);
    expect((await app.dispatcher.call('stacks.remove', { id: name, timeoutSeconds: 0 })).ok).toBe(true);
  });

  it('says a built-in stack touches nothing here, and warns when it is made reachable from other computers', async () => {
    await ui.page.evaluate(() => (window.location.hash = '/stacks/ollama'));
    await ui.page.getByRole('tab', { name: 'What launch does' }).click();
    const section = ui.page.getByTestId('plan').getByTestId('host-access');
    await section.waitFor();
    expect(await section.getAttribute('data-items')).toBe('0');
    expect(await section.textContent()).toMatch(/nothing beyond the stack’s own volumes/);
    expect(await ui.page.getByTestId('plan').textContent()).toMatch(/127\.0\.0\.1:11434→11434/);

    const toggle = ui.page.getByRole('switch', { name: 'Reachable from other computers' });
    expect(await toggle.isChecked()).toBe(false);
    expect(await ui.page.getByTestId('reachable-warning').count()).toBe(0);
    await toggle.focus();
    await ui.page.keyboard.press('Space');
    await ui.page.getByTestId('reachable-warning').waitFor();
    expect(await ui.page.getByTestId('reachable-warning').textContent()).toMatch(/Ollama’s API has no password/);
    await expect.poll(() => ui.page.getByTestId('plan').textContent()).toMatch(/\s11434→11434/);
    await ui.screenshot('stacks-reachable-on');
    await ui.page.keyboard.press('Space');
    await expect.poll(() => ui.page.getByTestId('reachable-warning').count()).toBe(0);
    await expect.poll(() => ui.page.getByTestId('plan').textContent()).toMatch(/127\.0\.0\.1:11434→11434/);
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
