import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { contractNames } from './scripts/contract-names-plugin';

/**
 * Three layers (docs/architecture.md §6): unit (pure logic, fakes), integration (a real Podman service the
 * setup starts on a private socket with private storage), e2e (the built renderer in Debian's
 * Chromium through the browser host, against real services). Beside them, package: the built app
 * packed by electron-builder with a stand-in Electron, and the app.asar it made opened and checked;
 * and smoke, which needs a real Electron and runs only on the release workflow.
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
    ],
  },
});
