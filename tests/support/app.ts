import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App, type AppDeps } from '../../src/main/app';
import type { Endpoint } from '../../src/shared/contract';
import { memorySettings } from '../../src/main/store/settings';
import { terminalConsent, type TerminalConsent } from './consent';
import type { PodmanInfo } from './podman';

/** The consent each test app asks with: the browser host's terminal code, printed into a list. */
const consents = new WeakMap<App, TerminalConsent>();

/** What the app printed for the user to read (codes to type), as the terminal would show it. */
export function terminalOf(app: App): TerminalConsent {
  const consent = consents.get(app);
  if (!consent) throw new Error('this app was given a consent of its own: read the code from that');
  return consent;
}

/**
 * Settings of a learner past the first hour's volume step: the checklist's tracker then follows no
 * container wiring (it does while that step is open, at one filtered list per container event), so
 * a test can count what the caches themselves cost.
 */
export function settingsPastVolumeStep(info: PodmanInfo) {
  return memorySettings({
    connection: { endpoint: { kind: 'unix', path: info.socketPath }, label: 'test podman' },
    firstHour: { reached: { volume: 1 }, hidden: false, outlived: [] },
  });
}

/** The app's back end, as main starts it, pointed at the test Podman (saved connection). */
export async function startApp(info: PodmanInfo, overrides: Partial<AppDeps> & { endpoint?: Endpoint } = {}): Promise<App> {
  const ownDataDir = overrides.dataDir === undefined;
  const dataDir = overrides.dataDir ?? (await mkdtemp(join(tmpdir(), 'poddesk-app-')));
  const endpoint = overrides.endpoint ?? { kind: 'unix', path: info.socketPath };
  const terminal = overrides.consent ? undefined : terminalConsent();
  const app = await createApp({
    settings: memorySettings({ connection: { endpoint, label: 'test podman' } }),
    dataDir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...info.env },
    podmanGlobalArgs: info.args,
    backoff: { initialMs: 100, maxMs: 1_000 },
    log: () => undefined,
    ...(terminal ? { consent: terminal } : {}),
    ...overrides,
  });
  // The data folder made here goes with the app.
  const close = app.close;
  const started = ownDataDir
    ? { ...app, close: () => close().finally(() => rm(dataDir, { recursive: true, force: true })) }
    : app;
  if (terminal) consents.set(started, terminal);
  return started;
}

export async function connectedApp(info: PodmanInfo, overrides: Partial<AppDeps> & { endpoint?: Endpoint } = {}): Promise<App> {
  const app = await startApp(info, overrides);
  const status = await app.connection.connect();
  if (status.state !== 'connected') throw new Error(`expected a connection, got ${JSON.stringify(status)}`);
  return app;
}

let counter = 0;
/** A container name unique to this run, so test files never collide. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 6)}`;
}

/** Files "dropped on the window": registered in main as the preload would, named by handle. */
export function dropped(app: App, ...paths: string[]): { kind: 'handles'; handles: string[] } {
  return { kind: 'handles', handles: paths.map((p) => app.hostPaths.issue(p, 'drop').handle) };
}
