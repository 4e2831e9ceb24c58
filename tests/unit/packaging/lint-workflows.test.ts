import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lintWorkflows } from '../../../scripts/lint-workflows';

/** The release workflow never runs here; actionlint is what checks it, so check that it checks. */
describe('actionlint over .github/workflows', { timeout: 60_000 }, () => {
  const own = join(process.cwd(), '.github', 'workflows');
  let result: Awaited<ReturnType<typeof lintWorkflows>>;
  // The first call compiles 9.5 MB of WebAssembly: seconds on a loaded machine, so a minute's guard.
  beforeAll(async () => {
    result = await lintWorkflows(own);
  }, 60_000);

  it('catches what would break the release workflow on its runners', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'workflows-'));
    const release = await readFile(join(own, 'release.yml'), 'utf8');
    // A misspelt matrix key and a runner label that does not exist.
    const broken = release.replace('name: ${{ matrix.name }}', 'name: ${{ matrix.nmae }}').replace('macos-14', 'macos-41');
    expect(broken).not.toBe(release);
    await writeFile(join(dir, 'release.yml'), broken);
    const { findings } = await lintWorkflows(dir);
    expect(findings.map((f) => f.kind).sort()).toEqual(['expression', 'runner-label']);
    expect(findings.find((f) => f.kind === 'expression')!.message).toMatch(/nmae/);
  });

  it('finds nothing wrong with the project’s own workflows', () => {
    const { files, findings } = result;
    expect(files.map((file) => file.split(/[\\/]/).pop())).toContain('release.yml');
    expect(findings).toEqual([]);
  });

  it('refuses to pass when there is nothing to check', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'workflows-'));
    await mkdir(join(empty, 'sub'));
    await expect(lintWorkflows(empty)).rejects.toThrow(/No workflows/);
  });
});
