import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { App } from '../src/main/app';
import { connectedApp } from '../tests/support/app';
import { openUi } from '../tests/support/browser';
import { buildBusyboxImage, podman, preparePodman, startService, type PodmanInfo } from '../tests/support/podman';
import { freePort } from '../tests/support/registry';
import { launch } from '../tests/support/stacks';

/**
 * Click to all-healthy for a 3-service stack whose images are local (db ← api ← web, each gated
 * on the one before being healthy), against the same containers made with the podman CLI the
 * way a user would script it — create, then run `podman healthcheck run` until it passes
 * (no systemd timers here), then the next — in the same run, on a private Podman.
 *
 *   ui:      Launch clicked in Chromium (the built renderer) → the launch panel says done
 *   backend: the stacks.launch stream opened → its `done` event
 *   cli:     the CLI sequence, start to the web port answering
 */
const RUNS = 3;
const POLL_MS = 250;

function stackYaml(image: string, port: number): string {
  const check = (p: number) =>
    `{test: [CMD, wget, -q, -O, /dev/null, "http://127.0.0.1:${p}/"], interval: 1s, timeout: 2s, retries: 30, start_interval: ${POLL_MS}ms}`;
  return [
    'services:',
    '  db:',
    `    image: ${image}`,
    '    command: httpd -f -p 5432 -h /www',
    '    stop_grace_period: 0s',
    '    volumes: [data:/data]',
    `    healthcheck: ${check(5432)}`,
    '  api:',
    `    image: ${image}`,
    '    command: httpd -f -p 8000 -h /www',
    '    stop_grace_period: 0s',
    `    healthcheck: ${check(8000)}`,
    '    depends_on: {db: {condition: service_healthy}}',
    '  web:',
    `    image: ${image}`,
    '    command: httpd -f -p 80 -h /www',
    '    stop_grace_period: 0s',
    `    ports: ["${port}:80"]`,
    '    depends_on: {api: {condition: service_healthy}}',
    'volumes:',
    '  data:',
    '',
  ].join('\n');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function answers(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1_000) }).then(
    (r) => r.status > 0,
    () => false,
  );
}

function healthcheckPasses(info: PodmanInfo, name: string): Promise<boolean> {
  return new Promise((resolve) =>
    execFile('podman', [...info.args, 'healthcheck', 'run', name], { env: { ...process.env, ...info.env } }, (error) =>
      resolve(!error),
    ),
  );
}

async function untilTrue(check: () => Promise<boolean>): Promise<void> {
  for (;;) {
    if (await check()) return;
    await sleep(POLL_MS);
  }
}

async function byCli(info: PodmanInfo, project: string, port: number): Promise<number> {
  const started = performance.now();
  const health = (p: number) => [
    '--health-cmd',
    `["wget","-q","-O","/dev/null","http://127.0.0.1:${p}/"]`,
    '--health-interval',
    '1s',
    '--health-timeout',
    '2s',
    '--health-retries',
    '30',
  ];
  const common = (service: string) => [
    'run',
    '-d',
    '--name',
    `${project}-${service}-1`,
    '--network',
    `${project}_default`,
    '--network-alias',
    service,
    '--label',
    `com.docker.compose.project=${project}`,
    '--label',
    `com.docker.compose.service=${service}`,
  ];
  await podman(info, 'network', 'create', `${project}_default`);
  await podman(info, 'volume', 'create', `${project}_data`);
  await podman(
    info,
    ...common('db'),
    '-v',
    `${project}_data:/data`,
    ...health(5432),
    info.busybox,
    'httpd',
    '-f',
    '-p',
    '5432',
    '-h',
    '/www',
  );
  await untilTrue(() => healthcheckPasses(info, `${project}-db-1`));
  await podman(info, ...common('api'), ...health(8000), info.busybox, 'httpd', '-f', '-p', '8000', '-h', '/www');
  await untilTrue(() => healthcheckPasses(info, `${project}-api-1`));
  await podman(info, ...common('web'), '-p', `${port}:80`, info.busybox, 'httpd', '-f', '-p', '80', '-h', '/www');
  await untilTrue(() => answers(port));
  return performance.now() - started;
}

async function cleanCli(info: PodmanInfo, project: string): Promise<void> {
  await podman(info, 'rm', '-f', '-t', '0', `${project}-web-1`, `${project}-api-1`, `${project}-db-1`).catch(() => undefined);
  await podman(info, 'network', 'rm', `${project}_default`).catch(() => undefined);
  await podman(info, 'volume', 'rm', `${project}_data`).catch(() => undefined);
}

async function removeStack(app: App, id: string): Promise<void> {
  const result = await app.dispatcher.call('stacks.remove', { id, deleteVolumes: true, confirmName: id, timeoutSeconds: 0 });
  if (!result.ok) throw new Error(result.error.message);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (values: number[]) => values.map((v) => Math.round(v));

export default async function run() {
  const base = await preparePodman();
  const info: PodmanInfo = { ...base, socketPath: join(base.dir, 'podman.sock') };
  await buildBusyboxImage(info);
  const service = await startService(info, info.socketPath);
  const app = await connectedApp(info);
  const pid = process.pid;
  const ui = existsSync(join(process.cwd(), 'out', 'renderer', 'index.html')) ? await openUi(app) : null;
  const times = { ui: [] as number[], backend: [] as number[], cli: [] as number[] };
  try {
    for (let i = 0; i < RUNS; i++) {
      // The same stack file each time, under a name of its own; the modes take turns.
      const backendId = `bench-b-${pid}-${i}`;
      const imported = await app.dispatcher.call('stacks.import', {
        yaml: stackYaml(info.busybox, await freePort()),
        name: backendId,
      });
      if (!imported.ok) throw new Error(imported.error.message);
      let started = performance.now();
      const outcome = await launch(app, { id: backendId });
      if (outcome.error) throw new Error(outcome.error.message);
      times.backend.push(performance.now() - started);
      await removeStack(app, backendId);

      const cliProject = `bench-c-${pid}-${i}`;
      times.cli.push(await byCli(info, cliProject, await freePort()));
      await cleanCli(info, cliProject);

      if (ui) {
        const uiId = `bench-u-${pid}-${i}`;
        const created = await app.dispatcher.call('stacks.import', {
          yaml: stackYaml(info.busybox, await freePort()),
          name: uiId,
        });
        if (!created.ok) throw new Error(created.error.message);
        await ui.page.evaluate((id) => (window.location.hash = `/stacks/${id}`), uiId);
        const button = ui.page.getByTestId('launch');
        await button.waitFor();
        started = performance.now();
        await button.click();
        await ui.page.locator('[data-testid="launch-panel"][data-outcome="done"]').waitFor({ timeout: 120_000 });
        times.ui.push(performance.now() - started);
        await removeStack(app, uiId);
      }
    }
  } finally {
    await ui?.close();
    await app.close();
    await podman(info, 'rm', '--all', '--force', '--time', '0').catch(() => undefined);
    await podman(info, 'network', 'prune', '--force').catch(() => undefined);
    await service.stop();
    await podman(info, 'system', 'reset', '--force').catch(() => undefined);
    await rm(info.dir, { recursive: true, force: true }).catch(() => undefined);
  }

  const cli = median(times.cli);
  return {
    what: 'click to all-healthy, 3 services (db ← api ← web, health-gated), local images, vs the podman CLI doing the same',
    runs: RUNS,
    healthPollMs: POLL_MS,
    uiClickToHealthyMs: ui
      ? { median: Math.round(median(times.ui)), runs: round(times.ui) }
      : 'skipped: run `npm run build` first',
    backendLaunchMs: { median: Math.round(median(times.backend)), runs: round(times.backend) },
    cliMs: { median: Math.round(cli), runs: round(times.cli) },
    ratioUiToCli: ui ? Number((median(times.ui) / cli).toFixed(2)) : null,
    ratioBackendToCli: Number((median(times.backend) / cli).toFixed(2)),
  };
}
