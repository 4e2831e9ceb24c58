import { join } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type TestProjectConfiguration } from 'vitest/config';
import { contractNames } from './scripts/contract-names-plugin';

/**
 * The core of the integration suite, run a second time as an unprivileged user with rootless
 * Podman: the connection, containers (lifecycle, run, logs, exec), a stack launch (a user network,
 * published ports, a build) and the volume browser; then tests/rootless/, what only rootless has.
 */
const ROOTLESS_CORE = [
  'tests/integration/connection.test.ts',
  'tests/integration/container-lifecycle.test.ts',
  'tests/integration/container-run.test.ts',
  'tests/integration/container-logs-stats.test.ts',
  'tests/integration/container-exec.test.ts',
  'tests/integration/stacks-launch.test.ts',
  'tests/integration/volume-files.test.ts',
  'tests/rootless/**/*.test.ts',
];

/**
 * Only scripts/test-rootless.sh sets PODDESK_ROOTLESS: it runs this project as the user it set up,
 * with a runtime dir of that user's, and a TMPDIR it may write (the repository is root's). Left
 * out otherwise, so a plain `vitest run` as root never starts it.
 */
const rootless: TestProjectConfiguration[] = process.env.PODDESK_ROOTLESS
  ? [
      {
        extends: true,
        cacheDir: join(process.env.TMPDIR ?? '/tmp', 'vitest-cache'),
        test: {
          name: 'rootless',
          include: ROOTLESS_CORE,
          globalSetup: ['tests/support/rootless-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ]
  : [];

/**
 * Three layers (docs/architecture.md §6): unit (pure logic, fakes), integration (a real Podman service the
 * setup starts on a private socket with private storage), e2e (the built renderer in Debian's
 * Chromium through the browser host, against real services). Beside them, package: the built app
 * packed by electron-builder with a stand-in Electron, and the app.asar it made opened and checked;
 * smoke, which needs a real Electron and runs only on the release workflow; and the rootless run above.
 */
export default defineConfig({
  plugins: [react(), contractNames()],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          // Let vi.mock('electron') reach electron-store too, which imports electron itself.
          server: { deps: { inline: ['electron-store'] } },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/support/podman-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/support/podman-setup.ts', 'tests/support/e2e-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'package',
          include: ['tests/package/**/*.test.ts'],
          globalSetup: ['tests/support/package-setup.ts'],
          testTimeout: 60_000,
        },
      },
      {
        // The packaged app started once, on the release workflow's runners (after `npm run dist`).
        extends: true,
        test: { name: 'smoke', include: ['tests/smoke/**/*.test.ts'], testTimeout: 120_000 },
      },
      ...rootless,
    ],
  },
});
