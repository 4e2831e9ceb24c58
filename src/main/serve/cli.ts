import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../app';
import { fileSettings } from '../store/settings';
import { startHost } from './host';
import { terminalCodeConsent } from './terminal-consent';

/**
 * `npm run serve`: PodDesk in a browser, for machines without a desktop (a WSL distro, a
 * server over an ssh tunnel). Loopback only; the printed link carries the access token, which
 * the host trades for a cookie and a page key (see host.ts).
 */
// Milliseconds since the process began: Node's start plus loading every module (imports run first).
const modulesLoadedAt = performance.now();
const dataDir =
  process.env.PODDESK_DATA_DIR ?? join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'poddesk-browser');
const here = fileURLToPath(new URL('.', import.meta.url));

const app = await createApp({
  settings: fileSettings(join(dataDir, 'settings.json')),
  dataDir,
  // What the page cannot allow by itself is asked here, in this terminal, with a code to type back.
  consent: terminalCodeConsent({ print: (text) => process.stdout.write(text) }),
});
const backEndReadyAt = performance.now();
const host = await startHost({
  dispatcher: app.dispatcher,
  rendererDir: join(here, '../renderer'),
  uploads: app.uploads,
  port: process.env.PODDESK_PORT ? Number(process.env.PODDESK_PORT) : 0,
  log: (message) => console.error(message),
});
void app.connection.connect();
console.log(`PodDesk is at ${host.entryUrl}`);
if (process.env.PODDESK_STARTUP_TRACE) {
  // bench/startup reads this: where the time to a served contract goes.
  const ms = (n: number) => Math.round(n * 10) / 10;
  console.log(
    `startup ${JSON.stringify({ modulesMs: ms(modulesLoadedAt), backEndMs: ms(backEndReadyAt - modulesLoadedAt), servingMs: ms(performance.now()) })}`,
  );
}

const stop = async () => {
  await host.close();
  await app.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
