import type { Platform } from '../../shared/contract';
import type { Runner } from '../system/types';

/**
 * Opens a link in the user's browser. Inside WSL that is the Windows browser: explorer.exe hands
 * an http link to the default browser (and exits with 1 even when it did, so its code is not
 * read); WSL forwards Windows' 127.0.0.1 to the distro, so the host's loopback link works there.
 */
export function browserOpener(platform: Platform, run: Runner): (url: string) => Promise<void> {
  return async (url) => {
    if (!/^http:\/\/(127\.0\.0\.1|localhost):\d+\//.test(url)) throw new Error(`not a link to this computer: ${url}`);
    if (platform === 'wsl') {
      const result = await run('explorer.exe', [url], { timeoutMs: 15_000 });
      if (result.code === null) throw new Error(`explorer.exe could not be started: ${result.stderr.trim()}`);
      return;
    }
    const program = platform === 'darwin' ? 'open' : platform === 'win32' ? 'explorer.exe' : 'xdg-open';
    const result = await run(program, [url], { timeoutMs: 15_000 });
    if (program !== 'explorer.exe' && result.code !== 0) {
      throw new Error(`${program} failed: ${result.stderr.trim() || `exit code ${String(result.code)}`}`);
    }
  };
}
