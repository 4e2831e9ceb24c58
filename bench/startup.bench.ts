import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../tests/support/browser';
import { stats } from './support';

/**
 * Start-up, from a cold process (`npm run build` first):
 * - main: from spawning `node out/main/serve.js` (the back end plus the browser host) to the
 *   contract being served — the line with the address — against a bare `node -e ''` in the same
 *   run, so Node's own start is visible; no Podman here, as on a first start;
 * - the renderer: from navigation to the first paint, and to interactive (the navigation and the
 *   first page's header in place), in Chromium through that host;
 * - the JavaScript loaded by then, gzipped, and the heavy parts (terminal, charts, topology,
 *   Markdown/KaTeX) that must not be among it.
 */
const RUNS = 5;
const root = join(import.meta.dirname, '..');
const HEAVY = [/TopologyPage/, /markdown/, /xterm|TerminalTab/, /ChatPage/, /katex/i, /Sparkline|charts/i];

function timeUntilLine(
  args: string[],
  env: NodeJS.ProcessEnv,
  pattern: RegExp,
): Promise<{ ms: number; out: string; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.split('\n').some((l) => pattern.test(l)))
        resolve({ ms: performance.now() - start, out, stop: () => child.kill('SIGTERM') });
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before printing ${pattern}: ${out}`)));
  });
}

async function bareNode(): Promise<number> {
  const start = performance.now();
  await new Promise<void>((resolve) => spawn(process.execPath, ['-e', ''], { stdio: 'ignore' }).once('exit', () => resolve()));
  return performance.now() - start;
}

export default async function run() {
  const mainMs: number[] = [];
  const trace: { modulesMs: number[]; backEndMs: number[]; servingMs: number[]; cpuMs: number[] } = {
    modulesMs: [],
    backEndMs: [],
    servingMs: [],
    cpuMs: [],
  };
  const nodeMs: number[] = [];
  const firstPaintMs: number[] = [];
  const interactiveMs: number[] = [];
  let initialJs: { file: string; bytes: number; gzip: number }[] = [];
  const browser = await launchChromium();
  try {
    for (let i = 0; i < RUNS; i++) {
      nodeMs.push(await bareNode());
      const dataDir = await mkdtemp(join(tmpdir(), 'poddesk-bench-start-'));
      // No Podman on PATH and no socket: the first start of a machine that has none yet.
      const env = {
        PATH: '/nonexistent',
        HOME: dataDir,
        PODDESK_DATA_DIR: dataDir,
        PODDESK_PORT: '0',
        PODDESK_STARTUP_TRACE: '1',
      };
      const started = await timeUntilLine([join(root, 'out/main/serve.js')], env, /^startup \{/);
      mainMs.push(started.ms);
      const parts = JSON.parse(
        started.out
          .split('\n')
          .find((l) => l.startsWith('startup '))!
          .slice('startup '.length),
      ) as Record<keyof typeof trace, number>;
      for (const key of Object.keys(trace) as (keyof typeof trace)[]) trace[key].push(parts[key]);
      try {
        const url = /PodDesk is at (http\S+)/.exec(started.out)![1]!;
        const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
        const page = await context.newPage();
        // Through the token link once (a redirect to the page), then measured on a fresh load.
        await page.goto(url);
        await page.waitForSelector('nav a');
        await page.reload();
        await page.waitForSelector('nav a');
        await page.waitForSelector('main h1, main h2, [data-page-header]');
        const timing = await page.evaluate(() => {
          const paint = performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint');
          const scripts = performance
            .getEntriesByType('resource')
            .filter((r) => (r as PerformanceResourceTiming).initiatorType === 'script' || r.name.endsWith('.js'))
            .map((r) => new URL(r.name).pathname);
          return { fcp: paint?.startTime ?? NaN, now: performance.now(), scripts };
        });
        firstPaintMs.push(timing.fcp);
        interactiveMs.push(timing.now);
        if (i === 0) {
          initialJs = await Promise.all(
            [...new Set(timing.scripts)].map(async (path) => {
              const body = await readFile(join(root, 'out/renderer', path));
              return { file: path, bytes: body.length, gzip: gzipSync(body).length };
            }),
          );
        }
        await context.close();
      } finally {
        started.stop();
        await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
      }
    }
  } finally {
    await browser.close();
  }
  const gzipTotal = initialJs.reduce((sum, f) => sum + f.gzip, 0);
  return {
    runs: RUNS,
    mainReadyMs: stats(mainMs),
    // Inside the process, from its start: Node plus every module loaded; createApp; the host listening.
    mainModulesMs: stats(trace.modulesMs),
    mainBackEndMs: stats(trace.backEndMs),
    mainServingMs: stats(trace.servingMs),
    // Processor time (all threads) by then: less inflated than the wall clock on a busy machine.
    mainCpuMs: stats(trace.cpuMs),
    bareNodeMs: stats(nodeMs),
    // Each run's main less the bare Node just before it: Node's own start taken out, in pairs.
    mainOverBareNodeMs: stats(mainMs.map((ms, i) => ms - nodeMs[i]!)),
    firstContentfulPaintMs: stats(firstPaintMs),
    interactiveMs: stats(interactiveMs),
    initialJs: {
      files: initialJs.length,
      bytes: initialJs.reduce((sum, f) => sum + f.bytes, 0),
      gzipBytes: gzipTotal,
      gzipKB: Math.round(gzipTotal / 102.4) / 10,
      heavyPartsLoaded: initialJs.filter((f) => HEAVY.some((h) => h.test(f.file))).map((f) => f.file),
      largest: [...initialJs].sort((a, b) => b.gzip - a.gzip).slice(0, 5),
    },
    targets: { mainReadyMs: 300, firstPaintMs: 1000, initialJsGzipKB: 500 },
  };
}
