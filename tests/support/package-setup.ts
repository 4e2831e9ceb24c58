import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archFromString, build, Platform } from 'electron-builder';
import type { TestProject } from 'vitest/node';
import { writeStandInElectron } from '../../scripts/packaging/stand-in-electron';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The unpacked Linux app electron-builder made: the folder the .deb, AppImage and tar.gz hold. */
    unpackedDir: string;
  }
}

/**
 * Packs the built app the way `npm run dist` does on Linux, with the project's own
 * electron-builder.ts (validated against electron-builder's schema on the way), but for the `dir`
 * target only and with a stand-in Electron (no binary can be downloaded here). Nothing else differs.
 */
export default async function setup(project: TestProject) {
  const root = process.cwd();
  if (!existsSync(join(root, 'out', 'main', 'index.js'))) {
    throw new Error('out/ is missing: the package tests pack the built app, run `npm run build` first');
  }
  const work = await mkdtemp(join(tmpdir(), 'poddesk-package-'));
  const electron = JSON.parse(await readFile(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as {
    version: string;
  };
  const standIn = await writeStandInElectron(join(work, 'electron'), electron.version);
  const output = join(work, 'dist');
  await build({
    projectDir: root,
    targets: Platform.LINUX.createTarget('dir', archFromString(process.arch)),
    config: { electronDist: standIn, directories: { output } },
    publish: 'never',
  });
  const unpacked = (await readdir(output)).find((name) => /^linux(-\w+)?-unpacked$/.test(name));
  if (!unpacked) throw new Error(`electron-builder left no unpacked app in ${output}`);
  project.provide('unpackedDir', join(output, unpacked));
  return () => rm(work, { recursive: true, force: true });
}
