import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../app';
import { chooseLaunchTarget } from '../launcher/target';
import { detectPlatform } from '../podman/connection/platform';
import { fileSettings } from '../store/settings';
import { nodeFileSystem, nodeRunner } from '../system/node';
import { announceHost } from './announce';
import { startHost } from './host';
import { browserOpener } from './open-url';
import { terminalCodeConsent } from './terminal-consent';

/**
 * `npm run serve`: PodDesk in a browser, for machines without a desktop (a WSL distro, a
 * server over an ssh tunnel). Loopback only; the printed link carries the access token, which
 * the host trades for a cookie and a page key (see host.ts). `--open` also opens the link in the
 * user's browser (the Windows one inside WSL): the desktop shortcut starts the host that way.
 */
// Milliseconds since the process began: Node's start plus loading every module (imports run first).
const modulesLoadedAt = performance.now();
const dataDir =
  process.env.PODDESK_DATA_DIR ?? join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'poddesk-browser');
const here = fileURLToPath(new URL('.', import.meta.url));
const openBrowser = process.argv.includes('--open');

/** The Electron binary of this source tree, if it was downloaded (never downloads it: no network at start). */
function sourceTreeElectron(): string[] | undefined {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const binary = join(dir, 'dist', readFileSync(join(dir, 'path.txt'), 'utf8').trim());
    return existsSync(binary) ? [binary, join(here, '../..')] : undefined;
  } catch {
    return undefined;
  }
}

const app = await createApp({
  settings: fileSettings(join(dataDir, 'settings.json')),
  dataDir,
  // What the page cannot allow by itself is asked here, in this terminal, with a code to type back.
  consent: terminalCodeConsent({ print: (text) => process.stdout.write(text) }),
  launchTarget: chooseLaunchTarget({
    env: process.env,
    desktop: sourceTreeElectron(),
    browser: [process.execPath, fileURLToPath(import.meta.url), '--open'],
  }),
});
const backEndReadyAt = performance.now();
const platform = await detectPlatform(process.platform, process.env, nodeFileSystem);
const host = await announceHost({
  listen: () =>
    startHost({
      dispatcher: app.dispatcher,
      rendererDir: join(here, '../renderer'),
      uploads: app.uploads,
      port: process.env.PODDESK_PORT ? Number(process.env.PODDESK_PORT) : 0,
      log: (message) => console.error(message),
    }),
  print: (line) => console.log(line),
  open: openBrowser ? browserOpener(platform, nodeRunner) : undefined,
});
if (process.env.PODDESK_STARTUP_TRACE) {
  // bench/startup reads this: where the time to a served contract goes, and the processor time
  // spent by then (which other work on a busy machine inflates less than the wall clock).
  const ms = (n: number) => Math.round(n * 10) / 10;
  const cpu = process.cpuUsage();
  console.log(
    `startup ${JSON.stringify({ modulesMs: ms(modulesLoadedAt), backEndMs: ms(backEndReadyAt - modulesLoadedAt), servingMs: ms(performance.now()), cpuMs: ms((cpu.user + cpu.system) / 1000) })}`,
  );
}
// The engine connects behind the page, as in the desktop app: the link is printed (and opened)
// first, and looking for Podman (which runs `podman`) does not hold it up.
void app.connection.connect();

const stop = async () => {
  await host.close();
  await app.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
