import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { contractNames } from './scripts/contract-names-plugin';
import { cspMeta } from './scripts/csp-meta-plugin';

/**
 * Three builds: main (plus the browser host, `serve`, which is plain Node), the preload (one
 * CommonJS file: sandboxed preloads cannot load modules), and the renderer (plus the WebSocket
 * bridge the browser host injects; the Electron app never loads it).
 */
export default defineConfig({
  main: {
    build: {
      // Main's pure-JavaScript dependencies are bundled in (they are devDependencies, so app.asar
      // does not carry them twice): Node then reads, resolves and links one file instead of some
      // three hundred, which was most of main's start. Left outside, as production dependencies:
      // electron-store, and dockerode and ssh2, which read files beside their code (gRPC .proto
      // files, pageant.exe, an optional native binding) and load on first use.
      externalizeDeps: { exclude: ['@balena/dockerignore', 'ollama', 'tar-stream', 'ws', 'yaml', 'yazl', 'zod'] },
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          serve: resolve('src/main/serve/cli.ts'),
        },
      },
    },
  },
  preload: {
    plugins: [contractNames()],
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [react(), contractNames(), cspMeta()],
    build: {
      // electron-vite leaves the renderer unminified; parsing less is a faster start.
      minify: true,
      rollupOptions: {
        input: {
          index: resolve('src/renderer/index.html'),
          'ws-bridge': resolve('src/renderer/ws-bridge.ts'),
        },
        output: {
          entryFileNames: (chunk) => (chunk.name === 'ws-bridge' ? 'ws-bridge.js' : 'assets/[name]-[hash].js'),
        },
      },
    },
  },
});
