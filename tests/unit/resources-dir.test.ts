import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appResourcesDir, findResourcesDir } from '../../src/main/resources-dir';

describe('finding resources/', () => {
  it('walks up from a bundled chunk (out/main/chunks) as from the source (src/main)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'res-'));
    await mkdir(join(root, 'resources', 'stacks'), { recursive: true });
    await mkdir(join(root, 'out', 'main', 'chunks'), { recursive: true });
    expect(findResourcesDir(join(root, 'out', 'main', 'chunks'))).toBe(join(root, 'resources'));
    expect(findResourcesDir(join(root, 'out', 'main'))).toBe(join(root, 'resources'));
    expect(() => findResourcesDir(join(tmpdir()))).toThrow(/not found/);
  });

  it('finds the project’s own from src/main', () => {
    expect(findResourcesDir()).toBe(join(process.cwd(), 'resources'));
  });
});

describe('resources/ for the running app', () => {
  const never = () => {
    throw new Error('a packaged app must not walk up from inside its app.asar');
  };

  it('is beside app.asar in a packaged app, under process.resourcesPath', () => {
    const resourcesPath = join('/opt', 'PodDesk', 'resources');
    expect(appResourcesDir({ isPackaged: true, resourcesPath }, never)).toBe(join(resourcesPath, 'resources'));
  });

  it('is found by walking up when run from source, or outside Electron (no resourcesPath)', () => {
    const walked = join('/src', 'poddesk', 'resources');
    expect(appResourcesDir({ isPackaged: false, resourcesPath: '/opt/electron/resources' }, () => walked)).toBe(walked);
    expect(appResourcesDir({ isPackaged: true, resourcesPath: undefined }, () => walked)).toBe(walked);
  });
});
