import type { Configuration } from 'electron-builder';
import { afterPack } from './scripts/packaging/after-pack';

/**
 * How PodDesk is packaged (README, "Packaging"). `npm run dist` builds the installers for the
 * system it runs on; `npm run dist:check` checks this configuration offline.
 *
 * A .deb must name a homepage and a maintainer: the release workflow passes its repository's.
 */
const homepage = process.env.PODDESK_HOMEPAGE;
const maintainer = process.env.PODDESK_MAINTAINER;

const config: Configuration = {
  appId: 'org.poddesk.PodDesk',
  productName: 'PodDesk',
  directories: { output: 'dist', buildResources: 'build' },
  // The built app only; electron-builder adds the production dependencies, less what no running
  // app reads (type declarations, sources, source maps, docs, tests). The browser host's entry and
  // its page bridge stay out too: the desktop app never loads them.
  files: [
    'out/**',
    '!out/main/serve.js',
    '!out/renderer/ws-bridge.js',
    'package.json',
    '!**/node_modules/**/*.{ts,mts,cts,tsx,map,md,markdown}',
    '!**/node_modules/**/{test,tests,__tests__}/**',
    '!**/node_modules/**/*.{spec,test}.{js,cjs,mjs}',
    // Modules of the Bare runtime, with native builds for a dozen systems: tar-stream lists them,
    // and its package imports map them to Node's own modules under Node and Electron.
    '!**/node_modules/bare-*/**',
  ],
  asar: true,
  // Read at run time from process.resourcesPath (src/main/resources-dir.ts).
  extraResources: [{ from: 'resources', to: 'resources', filter: ['stacks/**', 'templates/**'] }],
  // Nothing native to rebuild: ssh2's optional cpu-features is never built (allowScripts keeps its
  // install script off) and ssh2 runs without it.
  npmRebuild: false,
  afterPack,
  ...(homepage ? { extraMetadata: { homepage } } : {}),

  win: {
    target: [
      { target: 'nsis', arch: ['x64'] },
      { target: 'portable', arch: ['x64'] },
    ],
    icon: 'build/icon.ico',
  },
  nsis: {
    // One click, for this user only: no administrator rights asked, installed under %LOCALAPPDATA%.
    oneClick: true,
    perMachine: false,
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
    shortcutName: 'PodDesk',
    // Settings, connections and chat history stay unless the person asks (the include asks).
    deleteAppDataOnUninstall: false,
    include: 'scripts/packaging/uninstaller.nsh',
    artifactName: '${productName}-Setup-${version}-${arch}.${ext}',
  },
  portable: { artifactName: '${productName}-${version}-portable-${arch}.${ext}' },

  linux: {
    target: ['AppImage', 'deb', 'tar.gz'],
    executableName: 'poddesk',
    icon: 'build/icons',
    category: 'Development',
    synopsis: 'Podman and local LLMs, made easy',
    ...(maintainer ? { maintainer } : {}),
    // The .deb's desktop entry and hicolor icons are what WSLg reads to add PodDesk to the
    // Windows Start menu when it is installed inside a WSL distro.
    desktop: { entry: { StartupWMClass: 'PodDesk', Keywords: 'podman;containers;compose;ollama;llm;' } },
    artifactName: '${productName}-${version}-${arch}.${ext}',
  },
  deb: { artifactName: '${name}_${version}_${arch}.${ext}' },

  mac: {
    target: [{ target: 'dmg', arch: ['x64', 'arm64'] }],
    icon: 'build/icon.icns',
    category: 'public.app-category.developer-tools',
    // Ad-hoc signed after the fuses are flipped (Apple Silicon runs nothing unsigned); not
    // notarized, so Gatekeeper asks before the first start of a downloaded copy.
    identity: '-',
    hardenedRuntime: false,
    artifactName: '${productName}-${version}-${arch}.${ext}',
  },
};

export default config;
