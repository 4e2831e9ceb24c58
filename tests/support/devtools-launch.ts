import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { type Browser, chromium, type Page } from 'playwright-core';

/**
 * Starts a Chromium-based program with DevTools on a free port and connects Playwright to it.
 *
 * Playwright's own `_electron.launch` cannot start the packaged PodDesk: it drives the main
 * process through Node's inspector (`--inspect=0`), which the EnableNodeCliInspectArguments fuse
 * turns off in every build we ship. Chromium's DevTools port is a different switch that the fuse
 * leaves alone, so the smoke test drives the very binary users get, through its window.
 */
export interface Launched {
  browser: Browser;
  child: ChildProcess;
  /** Resolves when the program has exited, however it ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What it printed so far, for failure messages. */
  output(): string;
}

export async function launchWithDevTools(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Launched> {
  const child = spawn(command, ['--remote-debugging-port=0', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  child.stdout!.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
  const endpoint = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stderr! }).on('line', (line) => {
      lines.push(line);
      const found = /DevTools listening on (ws:\/\/\S+)/.exec(line);
      if (found) resolve(found[1]!);
    });
    child.once('error', reject);
    void exited.then(({ code, signal }) =>
      reject(new Error(`${command} ended (${signal ?? code}) before DevTools listened:\n${lines.join('\n')}`)),
    );
  });
  const browser = await chromium.connectOverCDP(endpoint);
  return { browser, child, exited, output: () => lines.join('\n') };
}

/** The first page whose address starts with `prefix`, waiting for it to open. */
export async function pageAt(browser: Browser, prefix: string): Promise<Page> {
  for (;;) {
    const page = browser
      .contexts()
      .flatMap((context) => context.pages())
      .find((candidate) => candidate.url().startsWith(prefix));
    if (page) return page;
    const context = browser.contexts()[0];
    if (context) await context.waitForEvent('page', { timeout: 5_000 }).catch(() => undefined);
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The smoke check itself, run in the page: `window.poddesk` is there, and one contract call goes
 * to main and back. stacks.list needs no engine, and its built-in stacks come from resources/, so
 * an answer with them also shows the app found its resources folder.
 */
export async function builtInStackIds(page: Page): Promise<string[]> {
  await page.waitForFunction(() => 'poddesk' in window);
  const result = await page.evaluate(async () => {
    const bridge = (window as unknown as { poddesk: { calls: Record<string, () => Promise<unknown>> } }).poddesk;
    return (await bridge.calls['stacks.list']!()) as {
      ok: boolean;
      data?: Array<{ id: string; source: string }>;
      error?: unknown;
    };
  });
  if (!result.ok) throw new Error(`stacks.list failed: ${JSON.stringify(result.error)}`);
  return result.data!.filter((stack) => stack.source === 'builtin').map((stack) => stack.id);
}

/** Closes the page's window as its close button would; resolves once the window is gone. */
export async function closeWindow(page: Page): Promise<void> {
  const closed = new Promise<void>((resolve) => page.once('close', () => resolve()));
  // Closed from a timer, so the evaluate call has its answer before the page goes.
  await page.evaluate(() => void setTimeout(() => window.close(), 0));
  await closed;
}
