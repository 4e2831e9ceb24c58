import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * `npm run bench [name …]`: runs every bench/*.bench.ts (or the named ones) one after the other,
 * prints each result as JSON and keeps it in bench/results/<name>.json. A benchmark is a module
 * whose default export resolves to a JSON-able object of figures; ratios are computed inside one
 * run, since the machines are noisy.
 */
const here = import.meta.dirname;
const wanted = process.argv.slice(2);
const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).sort();
const chosen = wanted.length ? files.filter((f) => wanted.some((w) => f.startsWith(w))) : files;
if (chosen.length === 0) {
  console.error(`No benchmark matches ${wanted.join(', ')}. Available: ${files.join(', ')}`);
  process.exit(1);
}
await mkdir(join(here, 'results'), { recursive: true });
const all: Record<string, unknown> = {};
for (const file of chosen) {
  const name = file.replace(/\.bench\.ts$/, '');
  const module = (await import(join(here, file))) as { default: () => Promise<unknown> };
  const started = Date.now();
  const result = {
    benchmark: name,
    date: new Date().toISOString(),
    ...((await module.default()) as object),
    wallSeconds: (Date.now() - started) / 1000,
  };
  all[name] = result;
  await writeFile(join(here, 'results', `${name}.json`), JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 2));
}
