import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { openUi, type UiSession } from '../support/browser';
import { podman } from '../support/podman';
import { connectedApp, uniqueName } from '../support/app';
import { freePort } from '../support/registry';
import { runComposeProject } from '../support/stacks';

/**
 * The podman command behind an action, as a learner sees it: live in the Run form, for bash and
 * PowerShell, copied as shown; "Show as podman run" of a container made with the CLI; a stack's
 * commands. In the light theme and the dark one.
 */
const info = inject('podman');
let app: App;
const sessions: UiSession[] = [];
const made: string[] = [];

beforeAll(async () => {
  app = await connectedApp(info);
});
afterAll(async () => {
  for (const s of sessions) await s.close();
  for (const name of made) await podman(info, 'rm', '-f', '-t', '0', name).catch(() => undefined);
  await app?.close();
});

async function session(colorScheme: 'light' | 'dark', path: string): Promise<UiSession> {
  const ui = await openUi(app, { path, colorScheme });
  await ui.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  sessions.push(ui);
  return ui;
}

const text = (ui: UiSession, testId: string) =>
  ui.page
    .getByTestId(testId)
    .getByTestId(`${testId}-text`)
    .allTextContents()
    .then((t) => t.join('\n'));

describe.each(['light', 'dark'] as const)('commands in the %s theme', (scheme) => {
  let ui: UiSession;
  beforeAll(async () => {
    ui = await session(scheme, '/containers');
  });

  it('the Run form writes its command as the form is filled, for bash and PowerShell, and Copy copies it', async () => {
    const { page } = ui;
    await page.getByTestId('run-container').click();
    await page.getByTestId('run-form').waitFor();
    const preview = page.getByTestId('run-command-preview');
    await page.getByTestId('run-image').fill(info.busybox);
    await page.getByTestId('run-name').fill('my web');
    await page.getByTestId('run-command').fill(`httpd -f -h '/www root'`);
    await expect.poll(() => text(ui, 'run-command-preview')).toContain("--name 'my web'");
    const bash = await text(ui, 'run-command-preview');
    expect(bash).toContain(`httpd -f -h '/www root'`);
    expect(bash).toMatch(/\\\n/); // one option per line, continued with a backslash

    await preview.getByTestId('run-command-preview-copy').click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(bash);
    await ui.screenshot(`commands-run-form-bash-${scheme}`);

    await preview.getByText('PowerShell').click();
    await expect.poll(() => preview.getAttribute('data-shell')).toBe('powershell');
    const ps = await text(ui, 'run-command-preview');
    expect(ps).toMatch(/ `\n/); // PowerShell continues a line with a backtick
    expect(ps).toContain("--name 'my web'");
    await preview.getByTestId('run-command-preview-copy').click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(ps);
    await ui.screenshot(`commands-run-form-powershell-${scheme}`);
    // Back to bash for the next tests (the choice is remembered).
    await preview.getByText('bash').click();
  });

  it('shows a container made with the CLI as podman run', async () => {
    const name = uniqueName(`cli-${scheme}`);
    made.push(name);
    const port = await freePort();
    await podman(
      info,
      'run',
      '-d',
      '--name',
      name,
      '-e',
      'GREETING=hello world',
      '-p',
      `127.0.0.1:${port}:80`,
      '--restart',
      'always',
      info.busybox,
      'sleep',
      '600',
    );
    // From its details page (the row's menu has the same item).
    const id = (await podman(info, 'inspect', '--format', '{{.Id}}', name)).trim();
    await ui.page.evaluate((path) => (window.location.hash = path), `/containers/${id}`);
    await ui.page.getByTestId('details-commands').click();
    await ui.page.getByTestId('rebuilt-run-text').waitFor();
    const shown = await text(ui, 'rebuilt-run');
    expect(shown).toContain(`--name ${name}`);
    expect(shown).toContain("-e 'GREETING=hello world'");
    expect(shown).toContain(`-p 127.0.0.1:${port}:80`);
    expect(shown).toContain('--restart always');
    expect(shown).toContain(`${info.busybox} sleep 600`);
    expect(await text(ui, 'everyday-commands')).toContain(`podman logs -f ${name}`);
    await ui.screenshot(`commands-show-as-run-${scheme}`);
    await ui.page.keyboard.press('Escape');
  });

  it('shows a stack’s commands: podman-compose to launch, plain podman for the rest', async () => {
    await ui.page.evaluate(() => (window.location.hash = '/stacks/jupyter'));
    await ui.page.getByTestId('stack-menu').click();
    await ui.page.getByTestId('stack-show-commands').click();
    const dialog = ui.page.getByTestId('stack-commands');
    await dialog.waitFor();
    await expect
      .poll(() => text(ui, 'command-preview').then((t) => t.replace(/ \\\n\s*/g, ' ')))
      .toMatch(/^podman-compose -f \S+jupyter.yaml -p jupyter up -d$/);
    // Its token is a secret: not written into the command, the note says where to find it.
    expect(await dialog.textContent()).toMatch(/JUPYTER_TOKEN.*Variables tab/);
    await ui.screenshot(`commands-stack-${scheme}`);
    await ui.page.keyboard.press('Escape');
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});

describe('a stack another tool started', () => {
  it('has its stop and remove commands by container name', async () => {
    const project = uniqueName('ext');
    await runComposeProject(info, project, ['web', 'db']);
    made.push(`${project}_web_1`, `${project}_db_1`);
    const ui = await session('light', `/stacks/${encodeURIComponent(`project:${project}`)}`);
    await ui.page.getByTestId('stack-detail').waitFor({ timeout: 15_000 });
    await ui.page.getByTestId('stack-menu').click();
    await ui.page.getByTestId('stack-show-commands').click();
    await ui.page.getByTestId('stack-commands').waitFor();
    const all = await text(ui, 'command-preview');
    expect(all).toMatch(new RegExp(`podman stop (${project}_db_1 ${project}_web_1|${project}_web_1 ${project}_db_1)`));
    expect(all).toContain('podman rm -f');
    expect(all).not.toContain('podman-compose');
    await ui.screenshot('commands-stack-external-light');
    expect(ui.errors).toEqual([]);
  });
});
