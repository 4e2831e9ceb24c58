import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import type { Conversation } from '../../src/shared/contract';
import { memorySettings } from '../../src/main/store/settings';
import { openUi, type UiSession } from '../support/browser';
import { connectedApp, uniqueName } from '../support/app';
import { describeViolations, runAxe } from '../support/axe';
import { contrast } from '../../src/renderer/src/lib/contrast';
import { podman } from '../support/podman';
import { ok, settled } from '../support/ollama';
import { importStack, launch } from '../support/stacks';
import { startOllamaServer, type OllamaTestServer } from '../fixtures/ollama-server/server';

/**
 * Every page and the main dialogs, with realistic data, checked by axe-core against the WCAG 2.1
 * A and AA rules in the light and the dark theme. The theme follows the system here (the
 * setting's default), so one page switches between them without a reload.
 */
const info = inject('podman');
let server: OllamaTestServer;
let app: App;
let ui: UiSession;

const network = uniqueName('a11y-net');
const volume = uniqueName('a11y-data');
const web = uniqueName('a11y-web');
const db = uniqueName('a11y-db');
const pod = uniqueName('a11y-pod');
const stack = uniqueName('a11y-stack');
let conversationId = '';

beforeAll(async () => {
  // A pull outlasts any test (the Models test cancels its own): it is still running when a slow
  // machine gets to it.
  server = await startOllamaServer({ tokensPerSecond: 0, pullMs: 3_600_000 });
  app = await connectedApp(info, {
    settings: memorySettings({
      connection: { endpoint: { kind: 'unix', path: info.socketPath }, label: 'test podman' },
      ollamaHost: server.url,
    }),
  });
  await podman(info, 'network', 'create', network);
  await podman(info, 'volume', 'create', '--label', 'com.docker.compose.project=shop', volume);
  // A web server of a stack with a published port and a volume with files, and its stopped database.
  await podman(
    info,
    'run',
    '-d',
    '--name',
    web,
    '--label',
    'com.docker.compose.project=shop',
    '--network',
    network,
    '-p',
    '127.0.0.1::80',
    '-v',
    `${volume}:/www`,
    info.busybox,
    'sh',
    '-c',
    [
      'mkdir -p /www/css /www/logs',
      'echo "<h1>hello</h1>" > /www/index.html',
      'echo "body { color: teal; }" > /www/css/main.css',
      'for i in 1 2 3; do echo "line $i" >> /www/logs/access.log; done',
      'echo "serving /www on port 80"',
      'exec httpd -f -vv -p 80 -h /www',
    ].join(' && '),
  );
  await podman(
    info,
    'create',
    '--name',
    db,
    '--label',
    'com.docker.compose.project=shop',
    '--network',
    network,
    info.busybox,
    'sleep',
    '600',
  );
  await podman(info, 'pod', 'create', '--name', pod);
  await podman(info, 'run', '-d', '--pod', pod, '--name', `${pod}-app`, info.busybox, 'sleep', '600');
  await importStack(
    app,
    `services:\n  api:\n    image: ${info.busybox}\n    command: sleep 600\n    stop_grace_period: 0s\n  worker:\n    image: ${info.busybox}\n    command: sleep 600\n    stop_grace_period: 0s\n    depends_on: [api]\n`,
    stack,
  );
  const launched = await launch(app, { id: stack });
  if (launched.error) throw new Error(launched.error.message);
  const conversation = await ok<Conversation>(app.dispatcher.call('chat.create', { model: 'llama3.2:latest' }));
  conversationId = conversation.id;
  await ok(app.dispatcher.call('chat.send', { conversationId, content: 'Show me some code, please' }));
  await settled(app, conversationId);
  ui = await openUi(app, { path: '/containers' });
  // Colours are measured once settled: a transition caught halfway has colours of neither theme.
  await ui.page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; }' });
}, 240_000);
afterAll(async () => {
  await ui?.close();
  await app?.close();
  await server?.close();
  await podman(info, 'pod', 'rm', '-f', '-t', '0', pod).catch(() => undefined);
  await podman(info, 'rm', '-f', '-t', '0', web, db).catch(() => undefined);
  await app?.dispatcher.call('stacks.remove', { id: stack, timeoutSeconds: 0 }).catch(() => undefined);
  await podman(info, 'volume', 'rm', '-f', volume).catch(() => undefined);
  await podman(info, 'network', 'rm', '-f', network).catch(() => undefined);
});

const THEMES = ['light', 'dark'] as const;

/**
 * axe leaves SVG text alone, and the topology's edge labels are SVG: their fill against their
 * label background, measured the same way.
 */
async function edgeLabels(where: string): Promise<string[]> {
  const pairs = await ui.page.locator('.react-flow__edge-textwrapper').evaluateAll((wrappers) =>
    wrappers.map((w) => {
      const text = w.querySelector('.react-flow__edge-text')!;
      const bg = w.querySelector('.react-flow__edge-textbg');
      return { text: text.textContent ?? '', fg: getComputedStyle(text).fill, bg: bg ? getComputedStyle(bg).fill : '' };
    }),
  );
  return pairs
    .map((p) => ({ ...p, ratio: contrast(rgbHex(p.fg), rgbHex(p.bg)) }))
    .filter((p) => p.ratio < 4.5)
    .map((p) => `${where}: edge label "${p.text}" — ${p.ratio.toFixed(2)}:1 (needs 4.5:1), ${p.fg} on ${p.bg}`);
}

const rgbHex = (css: string) => {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? ['0', '0', '0']).map(Number);
  return `#${[r, g, b].map((v) => Math.round(v!).toString(16).padStart(2, '0')).join('')}`;
};

/** Both themes of what is on screen now: a screenshot of each, and axe's findings as lines. */
async function check(name: string, extra?: (where: string) => Promise<string[]>): Promise<string[]> {
  const page = ui.page;
  const found: string[] = [];
  for (const theme of THEMES) {
    await page.emulateMedia({ colorScheme: theme });
    await page.waitForFunction((t) => document.documentElement.dataset.mantineColorScheme === t, theme);
    // From the top: a full-page screenshot of a scrolled document draws the fixed header (and
    // the skip link above it) where the scroll left them.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await ui.screenshot(`a11y-${name}-${theme}`);
    found.push(...describeViolations(`${name} (${theme})`, await runAxe(page)));
    if (extra) found.push(...(await extra(`${name} (${theme})`)));
  }
  return found;
}

const go = (path: string) => ui.page.evaluate((p) => (window.location.hash = p), path);

const rowOf = (name: string) => ui.page.locator(`[data-testid="container-row"][data-name="${name}"]`);

describe('WCAG 2.1 AA in both themes', () => {
  it('Home and the Clean up dialog', async () => {
    const found: string[] = [];
    await go('/home');
    await ui.page.getByTestId('first-hour').waitFor();
    await ui.page.getByTestId('disk-usage').waitFor({ timeout: 30_000 });
    found.push(...(await check('home')));
    await ui.page.getByTestId('open-cleanup').click();
    await ui.page.getByTestId('cleanup-total').waitFor({ timeout: 30_000 });
    found.push(...(await check('home-cleanup')));
    await ui.page.keyboard.press('Escape');
    await ui.page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(found).toEqual([]);
  });

  it('Containers', async () => {
    await go('/containers');
    await rowOf(web).waitFor();
    const found = await check('containers');
    // Grouped by stack, two selected: group rows and the selection bar.
    await ui.page.getByLabel('Group containers').first().click();
    await ui.page.getByRole('option', { name: 'Group by stack' }).click();
    await ui.page.locator('[data-testid="container-group"][data-group="shop"]').waitFor();
    await ui.page.getByLabel(`Select ${web}`).check();
    await ui.page.getByLabel(`Select ${db}`).check();
    await ui.page.getByTestId('bulk-bar').waitFor();
    found.push(...(await check('containers-grouped')));
    await ui.page.getByTestId('bulk-bar').getByRole('button', { name: 'Clear' }).click();
    await ui.page.getByLabel('Group containers').first().click();
    await ui.page.getByRole('option', { name: 'No grouping' }).click();
    expect(found).toEqual([]);
  });

  it('Run a container', async () => {
    await ui.page.getByTestId('run-container').click();
    await ui.page.getByTestId('run-form').waitFor();
    await ui.page.getByTestId('run-image').fill(info.busybox);
    await ui.page.keyboard.press('Escape');
    await ui.page.getByTestId('add-port').click();
    await ui.page.getByTestId('port-host').fill('8080');
    await ui.page.getByTestId('port-container').fill('80');
    await ui.page.getByTestId('run-name').fill('bad name');
    // Run refuses the name: the form with its error message.
    await ui.page.getByTestId('run-submit').click();
    await ui.page.getByText('Letters, digits, _ . - only', { exact: false }).first().waitFor();
    expect(await check('run-form')).toEqual([]);
  });

  it('a confirm dialog', async () => {
    await go('/containers');
    await ui.page.getByRole('button', { name: `Remove ${db}` }).click();
    await ui.page.getByRole('dialog').waitFor();
    expect(await check('confirm-remove')).toEqual([]);
    await ui.page.keyboard.press('Escape');
    await ui.page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('a container’s details, tab by tab', async () => {
    const found: string[] = [];
    await go(`/containers/${web}/logs`);
    await ui.page.getByTestId('log-line').first().waitFor();
    found.push(...(await check('details-logs')));
    await ui.page.getByRole('tab', { name: 'Inspect' }).click();
    await ui.page.getByTestId('json-view').waitFor();
    found.push(...(await check('details-inspect')));
    await ui.page.getByRole('tab', { name: 'Stats' }).click();
    await expect.poll(() => ui.page.getByTestId('stats-cpu-value').textContent(), { timeout: 20_000 }).toMatch(/%$/);
    found.push(...(await check('details-stats')));
    await ui.page.getByRole('tab', { name: 'Terminal' }).click();
    await expect.poll(() => ui.page.getByTestId('terminal-phase').textContent(), { timeout: 20_000 }).toMatch(/Connected/);
    found.push(...(await check('details-terminal')));
    await ui.page.getByRole('tab', { name: 'Files' }).click();
    await ui.page.locator('[data-testid="file-row"][data-name="www"]').waitFor();
    found.push(...(await check('details-files')));
    expect(found).toEqual([]);
  });

  it('Images and the Pull dialog', async () => {
    const found: string[] = [];
    await go('/images');
    await ui.page.getByTestId('image-row').first().waitFor();
    found.push(...(await check('images')));
    await ui.page.getByTestId('open-pull').click();
    await ui.page.getByTestId('pull-reference').fill('docker.io/library/alpine:3.20');
    found.push(...(await check('pull-dialog')));
    await ui.page.keyboard.press('Escape');
    await ui.page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(found).toEqual([]);
  });

  it('Pods', async () => {
    await go('/pods');
    await ui.page.locator(`[data-testid="pod-row"][data-name="${pod}"]`).waitFor();
    expect(await check('pods')).toEqual([]);
  });

  it('Stacks and a stack', async () => {
    const found: string[] = [];
    await go('/stacks');
    await ui.page.locator(`[data-testid="stack-card"][data-id="${stack}"]`).waitFor();
    found.push(...(await check('stacks')));
    await go(`/stacks/${stack}`);
    await expect.poll(() => ui.page.getByTestId('stack-detail').getAttribute('data-status')).toBe('running');
    found.push(...(await check('stack-detail')));
    await ui.page.getByRole('tab', { name: 'What launch does' }).click();
    await ui.page.getByTestId('plan').waitFor();
    found.push(...(await check('stack-plan')));
    await ui.page.getByRole('tab', { name: 'Variables' }).click();
    await ui.page.getByRole('tab', { name: 'Variables', selected: true }).waitFor();
    found.push(...(await check('stack-variables')));
    expect(found).toEqual([]);
  });

  it('Volumes and the file browser', async () => {
    const found: string[] = [];
    await go('/volumes');
    await ui.page.locator(`[data-testid="volume-row"][data-name="${volume}"]`).waitFor();
    found.push(...(await check('volumes')));
    await ui.page.getByRole('button', { name: `Browse ${volume}` }).click();
    await ui.page.locator('[data-testid="file-row"][data-name="index.html"]').click();
    await ui.page.getByText('<h1>hello</h1>').first().waitFor();
    found.push(...(await check('volume-browser')));
    expect(found).toEqual([]);
  });

  it('Networks', async () => {
    await go('/networks');
    await ui.page.locator(`[data-testid="network-row"][data-name="${network}"]`).waitFor();
    expect(await check('networks')).toEqual([]);
  });

  it('Topology', async () => {
    await go('/topology');
    await ui.page.locator('.react-flow__node').first().waitFor();
    await ui.page.locator('.react-flow__edge-text').first().waitFor();
    const found = await check('topology', edgeLabels);
    await ui.page.locator('.react-flow__node', { hasText: web }).click();
    await ui.page.getByTestId('topology-details').waitFor();
    found.push(...(await check('topology-details')));
    await ui.page.keyboard.press('Escape');
    expect(found).toEqual([]);
  });

  it('Chat, with a code block and a table', async () => {
    await go(`/chat/${conversationId}`);
    await ui.page.locator('[data-testid="message"][data-role="assistant"] table').waitFor();
    const found = await check('chat');
    await ui.page.getByRole('button', { name: 'Conversation settings' }).click();
    await ui.page.getByTestId('conversation-settings').waitFor();
    found.push(...(await check('chat-settings')));
    await ui.page.keyboard.press('Escape');
    expect(found).toEqual([]);
  });

  it('Models', async () => {
    await go('/models');
    await ui.page.locator('[data-testid="model-row"]').first().waitFor();
    await ui.page.getByTestId('pull-name').fill('tinyllama');
    await ui.page.getByTestId('pull-button').click();
    const pull = ui.page.locator('[data-testid="pull"][data-name="tinyllama"]');
    await expect.poll(async () => (await pull.getByTestId('pull-status').textContent()) ?? '').toMatch(/[KMG]B of /);
    const found = await check('models');
    await pull.getByRole('button', { name: 'Cancel' }).click();
    await ui.page.getByRole('button', { name: 'Details of qwen3:0.6b' }).click();
    await ui.page.getByTestId('model-details').waitFor();
    found.push(...(await check('model-details')));
    await ui.page.keyboard.press('Escape');
    expect(found).toEqual([]);
  });

  it('Settings', async () => {
    await go('/settings');
    await ui.page.getByTestId('settings-ollama-status').waitFor();
    expect(await check('settings')).toEqual([]);
  });

  it('logged no errors in the page', () => {
    expect(ui.errors).toEqual([]);
  });
});
