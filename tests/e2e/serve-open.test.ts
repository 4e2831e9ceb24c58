import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../support/browser';
import type { Browser } from 'playwright-core';

const info = inject('podman');

/**
 * What the Windows desktop shortcut runs, as it runs it: the built browser host with --open,
 * inside "WSL" (WSL_DISTRO_NAME set), where explorer.exe, powershell.exe and wslpath are
 * stand-in scripts on PATH. The host hands its link to explorer.exe, and the shortcut Settings
 * writes starts that same host again.
 */
describe('npm run serve -- --open inside WSL', () => {
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;
  let dir = '';
  afterAll(async () => {
    await browser?.close();
    if (child && child.exitCode === null) {
      const gone = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('opens the Windows browser at its link, and a shortcut can start it again', async () => {
    dir = await mkdtemp(join(tmpdir(), 'poddesk-serve-open-'));
    const bin = join(dir, 'bin');
    const desktop = join(dir, 'desktop');
    await mkdir(bin);
    await mkdir(desktop);
    const script = async (name: string, body: string) => {
      await writeFile(join(bin, name), `#!/bin/sh\n${body}\n`);
      await chmod(join(bin, name), 0o755);
    };
    // explorer.exe exits with 1 even when it opened the link.
    await script('explorer.exe', `printf '%s\\n' "$@" > '${dir}/opened'; exit 1`);
    await script('powershell.exe', `printf 'C:\\\\Users\\\\ana\\\\Desktop\\r\\n'`);
    await script('wslpath', `printf '%s\\n' '${desktop}'`);

    child = spawn(process.execPath, ['out/main/serve.js', '--open'], {
      env: {
        ...process.env,
        ...info.env,
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        WSL_DISTRO_NAME: 'Test-Distro',
        WAYLAND_DISPLAY: '',
        DISPLAY: '',
        PODDESK_DATA_DIR: join(dir, 'data'),
        CONTAINER_HOST: `unix://${info.socketPath}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const printed = await new Promise<string>((resolveLink, reject) => {
      let out = '';
      child!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(out);
        if (match) resolveLink(match[0]);
      });
      child!.once('exit', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
    });
    await expect.poll(() => readFile(join(dir, 'opened'), 'utf8').catch(() => ''), { timeout: 20_000 }).toBe(`${printed}\n`);

    // The browser follows the link explorer.exe was given.
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(printed);
    await page.evaluate(() => (window.location.hash = '/settings'));
    const card = page.getByTestId('windows-shortcut');
    await card.waitFor({ timeout: 30_000 });
    expect(await card.textContent()).toContain('opens it in your Windows browser');
    await page.getByRole('button', { name: 'Add to Windows desktop' }).click();
    await page.getByRole('button', { name: 'Remove from Windows desktop' }).waitFor();

    expect(await readdir(desktop)).toEqual(['PodDesk (Test-Distro).vbs']);
    const vbs = (await readFile(join(desktop, 'PodDesk (Test-Distro).vbs'))).subarray(2).toString('utf16le');
    const serveJs = resolve('out/main/serve.js');
    expect(vbs).toContain(`Run "wsl.exe -d ""Test-Distro"" --exec ""${process.execPath}"" ""${serveJs}"" ""--open""", 0, False`);
  });
});
