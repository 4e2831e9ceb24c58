import type { Runner } from '../system/types';

export interface WindowsFolder {
  /** As Windows shows it: C:\Users\ana\Desktop. */
  windows: string;
  /** The same folder seen from the distro: /mnt/c/Users/ana/Desktop. */
  linux: string;
}

export type DesktopLookup = { ok: true; folder: WindowsFolder } | { ok: false; reason: string };

const windowsPath = (text: string) => {
  const line =
    text
      .split(/\r?\n/)
      .find((l) => l.trim() !== '')
      ?.trim() ?? '';
  return /^[A-Za-z]:\\|^\\\\[^\\]/.test(line) ? line : null;
};

/**
 * The Windows user's desktop folder, asked of Windows through WSL interop. PowerShell first: it
 * knows a desktop that OneDrive (or a policy) has moved, which is common on Windows 11. If
 * PowerShell cannot start, %USERPROFILE%\Desktop from cmd.exe is the usual place. wslpath then
 * gives the folder as the distro sees it.
 */
export async function findWindowsDesktop(run: Runner): Promise<DesktopLookup> {
  let windows: string | null = null;
  const shell = await run(
    'powershell.exe',
    ['-NoProfile', '-NonInteractive', '-Command', "[Environment]::GetFolderPath('Desktop')"],
    { timeoutMs: 20_000 },
  );
  if (shell.code === 0) windows = windowsPath(shell.stdout);
  if (!windows) {
    // cmd.exe warns on stderr when started from a Linux folder; its answer on stdout is still right.
    const cmd = await run('cmd.exe', ['/d', '/c', 'echo %USERPROFILE%'], { timeoutMs: 20_000 });
    const profile = cmd.code === 0 ? windowsPath(cmd.stdout) : null;
    if (!profile) {
      return {
        ok: false,
        reason:
          'Windows did not answer from this distro (powershell.exe and cmd.exe could not be started). ' +
          'Is Windows interop turned off in /etc/wsl.conf?',
      };
    }
    windows = `${profile.replace(/\\+$/, '')}\\Desktop`;
  }
  const converted = await run('wslpath', ['-u', windows], { timeoutMs: 10_000 });
  const linux = converted.code === 0 ? converted.stdout.trim() : '';
  if (!linux.startsWith('/')) {
    return { ok: false, reason: `wslpath could not find ${windows} from this distro: ${converted.stderr.trim() || 'no answer'}` };
  }
  return { ok: true, folder: { windows, linux } };
}
