import type { StreamEvent } from '../src/shared/bridge';
import type { LogLine } from '../src/shared/contract';
import { createDispatcher, type Dispatcher } from '../src/main/rpc/dispatcher';
import type { Handlers } from '../src/main/rpc/handlers';
import { openUi } from '../tests/support/browser';
import { podman } from '../tests/support/podman';
import { round, startBenchEnv } from './lib/env';

/**
 * The log view under load, in Chromium, through the real path: stream handler → dispatcher
 * (coalesced, ≤30 batches/s) → WebSocket → bridge → LogsTab (bounded buffer, virtualized).
 *   1. flat out: 200,000 lines as fast as main can produce them → lines/s the renderer takes,
 *      its JS heap after them (the view keeps 50,000), the longest main-thread task;
 *   2. paced at 10,000 lines/s for 10 s → whether the page keeps painting (long tasks, frames);
 *   3. end to end from Podman: a container that prints 200,000 lines, followed live.
 * 1 and 2 feed synthetic lines (so the renderer, not Podman's log reader, is measured); 3 is real.
 */
const TOTAL = 200_000;

function line(i: number): LogLine {
  const colour = i % 10 === 0 ? '\u001b[31mERROR\u001b[0m' : i % 3 === 0 ? '\u001b[32mINFO\u001b[0m' : 'DEBUG';
  return {
    stream: i % 7 === 0 ? 'stderr' : 'stdout',
    time: new Date(1_800_000_000_000 + i).toISOString(),
    text: `${colour} request ${i} handled in ${(i % 97) + 3} ms path=/api/items/${i % 1000} status=200`,
  };
}

let mode: { kind: 'flat' } | { kind: 'paced'; perSecond: number; seconds: number } = { kind: 'flat' };

/** A `containers.logs` that produces lines instead of reading Podman. */
async function syntheticLogs(_args: unknown, emit: (l: LogLine) => void, signal: AbortSignal): Promise<void> {
  const current = mode;
  if (current.kind === 'flat') {
    for (let i = 0; i < TOTAL && !signal.aborted; i++) {
      emit(line(i));
      if (i % 5_000 === 4_999) await new Promise((r) => setImmediate(r));
    }
  } else {
    const perTick = current.perSecond / 100;
    const start = performance.now();
    let sent = 0;
    while (!signal.aborted && sent < current.perSecond * current.seconds) {
      const due = Math.min(
        current.perSecond * current.seconds,
        Math.floor(((performance.now() - start) / 1000) * current.perSecond) + perTick,
      );
      while (sent < due) emit(line(sent++));
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** The app's dispatcher, with `containers.logs` answered by the synthetic source. */
function withSyntheticLogs(real: Dispatcher): Dispatcher {
  const fake = createDispatcher({ calls: {}, streams: { 'containers.logs': syntheticLogs } } as unknown as Handlers);
  return {
    call: real.call,
    session(send: (event: StreamEvent) => void) {
      const a = real.session(send);
      const b = fake.session(send);
      return {
        call: a.call,
        open: (id, name, input) => (name === 'containers.logs' ? b.open(id, name, input) : a.open(id, name, input)),
        close: (id) => (a.close(id), b.close(id)),
        closeAll: () => (a.closeAll(), b.closeAll()),
      };
    },
  };
}

export default async function bench() {
  const env = await startBenchEnv();
  try {
    await podman(env.info, 'run', '-d', '--name', 'bench-logs', env.info.busybox, 'sleep', '100000');
    await env.app.containers.reload();
    const id = env.app.containers.items().find((c) => c.name === 'bench-logs')!.id;
    const app = { ...env.app, dispatcher: withSyntheticLogs(env.app.dispatcher) };
    const ui = await openUi(app, { path: '/settings' });
    const page = ui.page;
    // tsx names functions with a __name helper the page lacks: give the page a no-op one.
    await page.evaluate('window.__name = (f) => f');
    const cdp = await page.context().newCDPSession(page);
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
    };
    await page.getByText('Settings').first().waitFor();
    const heapBefore = await heap();

    // Long tasks (> 50 ms) block input and painting: collect them while lines arrive.
    await page.evaluate(() => {
      const w = window as unknown as { __long: number[] };
      w.__long = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__long.push(e.duration);
      }).observe({ type: 'longtask', buffered: false });
    });
    const count = () =>
      page.evaluate(() => Number(document.querySelector('[data-testid="log-count"]')?.textContent?.replace(/\D/g, '') ?? 0));

    // 1. Flat out.
    mode = { kind: 'flat' };
    const flat = await page.evaluate(
      async ({ id, total }) => {
        const t0 = performance.now();
        window.location.hash = `/containers/${id}/logs`;
        let first = 0;
        await new Promise<void>((resolve) => {
          const check = () => {
            const n = Number(document.querySelector('[data-testid="log-count"]')?.textContent?.replace(/\D/g, '') ?? 0);
            if (n > 0 && !first) first = performance.now();
            if (n >= total) resolve();
            else requestAnimationFrame(check);
          };
          check();
        });
        return { firstLineMs: first - t0, allLinesMs: performance.now() - t0, spanMs: performance.now() - first };
      },
      { id, total: TOTAL },
    );
    const shownLines = await page.getByTestId('log-line').count();
    await ui.screenshot('bench-log-view');
    await page.getByTestId('log-view').evaluate((el) => el.scrollTo(0, 0));
    const dropped = await page.getByTestId('log-dropped').textContent({ timeout: 5_000 });
    const heapAfter = await heap();
    const longFlat = await page.evaluate(() => (window as unknown as { __long: number[] }).__long.splice(0));

    // 2. Paced at 10,000 lines/s for 10 s, in a fresh view.
    mode = { kind: 'paced', perSecond: 10_000, seconds: 10 };
    await page.evaluate(() => (window.location.hash = '/settings'));
    await page.waitForTimeout(500);
    const paced = await page.evaluate(
      async ({ id }) => {
        window.location.hash = `/containers/${id}/logs`;
        let frames = 0;
        let worstGap = 0;
        let last = performance.now();
        const t0 = last;
        await new Promise<void>((resolve) => {
          const tick = () => {
            const now = performance.now();
            worstGap = Math.max(worstGap, now - last);
            last = now;
            frames++;
            const n = Number(document.querySelector('[data-testid="log-count"]')?.textContent?.replace(/\D/g, '') ?? 0);
            if (n >= 100_000 || now - t0 > 20_000) resolve();
            else requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        });
        const seconds = (performance.now() - t0) / 1000;
        return { seconds, fps: frames / seconds, worstFrameGapMs: worstGap };
      },
      { id },
    );
    const pacedCount = await count();
    const longPaced = await page.evaluate(() => (window as unknown as { __long: number[] }).__long.splice(0));
    await page.evaluate(() => (window.location.hash = '/settings'));
    await ui.close();

    // 3. End to end from Podman: 200,000 lines printed at once, followed from the start.
    const real = await podman(
      env.info,
      'run',
      '-d',
      '--name',
      'bench-print',
      env.info.busybox,
      'sh',
      '-c',
      `seq 1 ${TOTAL}; sleep 100000`,
    );
    const since = Math.floor(Date.now() / 1000) - 60;
    const realUi = await openUi(env.app, { path: '/settings' });
    await realUi.page.evaluate('window.__name = (f) => f');
    await realUi.page.getByText('Settings').first().waitFor();
    const realRun = await realUi.page.evaluate(
      async ({ id, total }) => {
        window.location.hash = `/containers/${id}/logs`;
        await new Promise((r) => setTimeout(r, 300));
        // "Everything" = since the start, so all 200,000 lines come (the default is the last 5,000).
        const select = document.querySelector('[aria-label="Since"]') as HTMLInputElement | null;
        select?.click();
        await new Promise((r) => setTimeout(r, 300));
        const option = [...document.querySelectorAll('[role="option"]')].find((o) => o.textContent === 'Everything') as
          HTMLElement | undefined;
        const t0 = performance.now();
        option?.click();
        const limit = 120_000;
        await new Promise<void>((resolve) => {
          const check = () => {
            const n = Number(document.querySelector('[data-testid="log-count"]')?.textContent?.replace(/\D/g, '') ?? 0);
            if (n >= total || performance.now() - t0 > limit) resolve();
            else setTimeout(check, 50);
          };
          check();
        });
        const n = Number(document.querySelector('[data-testid="log-count"]')?.textContent?.replace(/\D/g, '') ?? 0);
        return { lines: n, seconds: (performance.now() - t0) / 1000 };
      },
      { id: real.trim(), total: TOTAL },
    );
    await realUi.close();
    void since;

    return {
      lines: TOTAL,
      flatOut: {
        linesPerSecond: Math.round(TOTAL / (flat.spanMs / 1000)),
        firstLineMs: round(flat.firstLineMs),
        allLinesMs: round(flat.allLinesMs),
        heapBeforeMB: round(heapBefore / 1e6),
        heapAfter200kLinesMB: round(heapAfter / 1e6),
        rowsInDom: shownLines,
        droppedMarker: dropped?.trim(),
        longTasks: longFlat.length,
        longestTaskMs: round(Math.max(0, ...longFlat)),
      },
      paced10kPerSecond: {
        linesShown: pacedCount,
        seconds: round(paced.seconds),
        framesPerSecond: round(paced.fps),
        worstFrameGapMs: round(paced.worstFrameGapMs),
        longTasks: longPaced.length,
        longestTaskMs: round(Math.max(0, ...longPaced)),
      },
      fromPodman: {
        lines: realRun.lines,
        seconds: round(realRun.seconds),
        linesPerSecond: Math.round(realRun.lines / realRun.seconds),
        note: 'End to end: Podman reads its log file, main parses and coalesces, the page shows (since the start, with follow).',
      },
    };
  } finally {
    await env.close();
  }
}
