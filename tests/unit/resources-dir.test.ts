import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findResourcesDir } from '../../src/main/resources-dir';

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
