import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../src/main/rpc/dispatcher';
import type { Handlers } from '../../../src/main/rpc/handlers';
import { announceHost } from '../../../src/main/serve/announce';
import { startHost, type Host } from '../../../src/main/serve/host';
import { browserOpener } from '../../../src/main/serve/open-url';
import type { Runner } from '../../../src/main/system/types';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0)) await step();
});

async function listen(): Promise<Host> {
  const dir = await mkdtemp(join(tmpdir(), 'poddesk-announce-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>PodDesk</title>');
  const host = await startHost({
    dispatcher: createDispatcher({ calls: {}, streams: {} } as unknown as Handlers, { calls: {}, streams: {} }),
    rendererDir: dir,
    log: () => undefined,
  });
  cleanup.push(async () => {
    await host.close();
    await rm(dir, { recursive: true, force: true });
  });
  return host;
}

describe('starting the browser host from a shortcut', () => {
  it('prints the tokened link, then opens it once the host answers there', async () => {
    const printed: string[] = [];
    const opened: { url: string; status: number }[] = [];
    const host = await announceHost({
      listen,
      print: (line) => printed.push(line),
      // The opener is the browser: it follows the link at once, so the host must already listen.
      open: async (url) => {
        const response = await fetch(url, { redirect: 'manual' });
        opened.push({ url, status: response.status });
      },
    });
    expect(printed).toEqual([`PodDesk is at ${host.entryUrl}`]);
    expect(host.entryUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.*token=/);
    // 302: the token was taken and traded for the page's credentials.
    expect(opened).toEqual([{ url: host.entryUrl, status: 302 }]);
  });

  it('only prints without --open', async () => {
    const printed: string[] = [];
    await announceHost({ listen, print: (line) => printed.push(line) });
    expect(printed).toHaveLength(1);
  });

  it('keeps running with the printed link when no browser can be opened', async () => {
    const printed: string[] = [];
    const host = await announceHost({
      listen,
      print: (line) => printed.push(line),
      open: () => Promise.reject(new Error('explorer.exe could not be started')),
    });
    expect(printed[1]).toBe('Could not open your browser (explorer.exe could not be started): open the link above.');
    expect((await fetch(host.url)).status).toBeLessThan(500);
  });
});

describe('the browser opener', () => {
  const recording = (code: number | null) => {
    const calls: { file: string; args: readonly string[] }[] = [];
    const run: Runner = async (file, args) => {
      calls.push({ file, args });
      return { code, stdout: '', stderr: code === null ? `spawn ${file} ENOENT` : '' };
    };
    return { run, calls };
  };
  const url = 'http://127.0.0.1:41234/?token=abc';

  it('hands the link to the Windows browser from WSL, whatever explorer.exe exits with', async () => {
    const r = recording(1);
    await browserOpener('wsl', r.run)(url);
    expect(r.calls).toEqual([{ file: 'explorer.exe', args: [url] }]);
  });

  it('uses xdg-open on Linux and says when it fails', async () => {
    const r = recording(3);
    await expect(browserOpener('linux', r.run)(url)).rejects.toThrow(/xdg-open failed/);
    expect(r.calls[0]!.file).toBe('xdg-open');
  });

  it('says when explorer.exe cannot be started (interop off)', async () => {
    await expect(browserOpener('wsl', recording(null).run)(url)).rejects.toThrow(/could not be started/);
  });

  it('opens nothing but a link to this computer', async () => {
    const r = recording(0);
    await expect(browserOpener('wsl', r.run)('https://example.com/')).rejects.toThrow(/not a link to this computer/);
    await expect(browserOpener('wsl', r.run)('file:///etc/passwd')).rejects.toThrow();
    expect(r.calls).toEqual([]);
  });
});
