import { LIBPOD } from '../src/main/podman/engine';
import { openUi } from '../tests/support/browser';
import { median, round, startBenchEnv } from './lib/env';

/**
 * The containers table with 1,000 containers, in Chromium: how long until the rows show after
 * opening the page, how long a re-sort and a search take to paint, how many rows the DOM holds
 * (virtualized), and, in the same run, how long Podman itself takes to list the same 1,000.
 */
const COUNT = 1_000;
const RUNNING = 20;

export default async function bench() {
  const env = await startBenchEnv();
  try {
    const engine = env.app.connection.engine();
    const started = Date.now();
    // Created (not started) containers cost the engine little; a few run, so the CPU column has values.
    const stacks = ['shop', 'blog', 'lab', 'ml', 'ci'];
    let next = 0;
    const worker = async () => {
      while (next < COUNT) {
        const i = next++;
        const body = {
          name: `bench-${String(i).padStart(4, '0')}`,
          image: env.info.busybox,
          command: ['sleep', '100000'],
          labels:
            i % 3 === 0
              ? {}
              : { 'com.docker.compose.project': stacks[i % stacks.length]!, 'com.docker.compose.service': `svc${i % 7}` },
        };
        const created = await engine.json<{ Id: string }>('POST', `${LIBPOD}/containers/create`, { body });
        if (i < RUNNING) await engine.json('POST', `${LIBPOD}/containers/${created.Id}/start`);
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    const createSeconds = (Date.now() - started) / 1000;
    await env.app.containers.reload();

    // The engine's own list time (what every full reload costs), median of 7.
    const apiTimes: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      const list = await engine.json<unknown[]>('GET', `${LIBPOD}/containers/json`, { query: { all: true } });
      apiTimes.push(performance.now() - t0);
      if (list.length < COUNT) throw new Error(`listed ${list.length}`);
    }

    const ui = await openUi(env.app, { path: '/settings' });
    const page = ui.page;
    // tsx names functions with a __name helper the page lacks: give the page a no-op one.
    await page.evaluate('window.__name = (f) => f');
    await page.getByText('Settings').first().waitFor();
    const openTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      // From the route change to the first rows painted with all 1,000 known.
      const ms = await page.evaluate(async (count) => {
        const t0 = performance.now();
        window.location.hash = '/containers';
        await new Promise<void>((resolve) => {
          const check = () => {
            const rows = document.querySelectorAll('[data-testid="container-row"]').length;
            const all = document.body.textContent?.includes(`of ${count}`);
            if (rows > 0 && all) requestAnimationFrame(() => resolve());
            else requestAnimationFrame(check);
          };
          check();
        });
        return performance.now() - t0;
      }, COUNT);
      openTimes.push(ms);
      await page.evaluate(() => (window.location.hash = '/settings'));
      await page.waitForTimeout(300);
    }
    await page.evaluate(() => (window.location.hash = '/containers'));
    await page.locator('[data-testid="container-row"]').first().waitFor();
    const domRows = await page.locator('[data-testid="container-row"]').count();

    // Re-sort by name, then by created: the click to the next painted frame with a new first row.
    const sortTimes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const label = i % 2 === 0 ? 'Sort by Name' : 'Sort by Created';
      const ms = await page.evaluate(async (aria) => {
        const first = () => document.querySelector('[data-testid="container-row"]')?.getAttribute('data-name');
        const before = first();
        const t0 = performance.now();
        (document.querySelector(`[aria-label="${aria}"]`) as HTMLElement).click();
        await new Promise<void>((resolve) => {
          const check = () => (first() !== before ? requestAnimationFrame(() => resolve()) : requestAnimationFrame(check));
          check();
        });
        return performance.now() - t0;
      }, label);
      sortTimes.push(ms);
    }

    // A search that narrows 1,000 to 10.
    const search = page.getByLabel('Search containers');
    const searchMs = await (async () => {
      await search.fill('');
      const t0 = Date.now();
      await search.fill('bench-099');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="container-row"]').length === 10);
      return Date.now() - t0;
    })();

    // Scrolling to the end: the virtualizer keeps the DOM small all the way down.
    await search.fill('');
    await page.locator('[data-testid="containers-table"]').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.waitForTimeout(300);
    const lastRowShown = await page.locator('[data-testid="container-row"]').last().getAttribute('data-name');
    const domRowsAtEnd = await page.locator('[data-testid="container-row"]').count();
    const errors = [...ui.errors];
    await ui.close();

    return {
      containers: COUNT,
      running: RUNNING,
      createSeconds: round(createSeconds),
      podmanListMs: { median: round(median(apiTimes)), all: apiTimes.map((t) => round(t)) },
      tableOpenMs: { median: round(median(openTimes)), all: openTimes.map((t) => round(t)) },
      tableOpenVsPodmanList: round(median(openTimes) / median(apiTimes), 2),
      resortMs: { median: round(median(sortTimes)), all: sortTimes.map((t) => round(t)) },
      searchTo10Ms: searchMs,
      domRows,
      domRowsAtEnd,
      lastRowShown,
      pageErrors: errors,
      notes:
        'tableOpenMs: route change → first painted frame with all 1,000 rows known (live stream from the cache, WebSocket, React render). podmanListMs: GET /libpod/containers/json?all=true on the same engine, same run.',
    };
  } finally {
    await env.close();
  }
}
