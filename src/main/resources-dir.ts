import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's `resources/` (built-in stacks, the Flask template), found by walking up from this
 * module: it is src/main/ when run from source, out/main/ or out/main/chunks/ once bundled.
 */
export function findResourcesDir(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from, up = 0; up < 5; up++, dir = dirname(dir)) {
    const candidate = join(dir, 'resources');
    if (existsSync(join(candidate, 'stacks'))) return candidate;
  }
  throw new Error(`PodDesk's resources folder was not found above ${from}`);
}

/**
 * Where the running app reads resources/ from. A packaged app has it beside its app.asar, in
 * Electron's process.resourcesPath (electron-builder's extraResources put it there; the package
 * test checks the layout). From source, and outside Electron, it is found by walking up.
 */
export function appResourcesDir(
  runtime: { isPackaged: boolean; resourcesPath: string | undefined },
  find: () => string = findResourcesDir,
): string {
  return runtime.isPackaged && runtime.resourcesPath ? join(runtime.resourcesPath, 'resources') : find();
}
