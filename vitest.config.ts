import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { contractNames } from './scripts/contract-names-plugin';

/**
 * Three layers (docs/architecture.md §6): unit (pure logic, fakes), integration (a real Podman service the
 * setup starts on a private socket with private storage), e2e (the built renderer in Debian's
 * Chromium through the browser host, against real services).
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
    ],
  },
});
