import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The e2e layer drives the built renderer (out/renderer): `npm test` builds it first. Running
 * e2e alone against a stale or missing build would test the wrong thing, so say so plainly.
 */
export default function setup() {
  const index = join(process.cwd(), 'out', 'renderer', 'index.html');
  if (!existsSync(index)) throw new Error('out/renderer is missing: run `npm run build` before `npm run test:e2e`');
  if (!existsSync('/usr/bin/chromium')) throw new Error('Debian’s Chromium is missing: `apt install chromium` (see .ci/run)');
}
