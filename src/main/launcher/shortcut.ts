import { AppError } from '../../shared/errors';

/**
 * The Windows desktop shortcut for a WSL distro, as a small VBScript file.
 *
 * Why a .vbs and not a .lnk: wsl.exe is a console program, so a .lnk that points at it always
 * opens a console window (minimised at best) for as long as PodDesk runs. wscript.exe, which
 * Windows runs for a double-clicked .vbs, has no console of its own, and `Run …, 0` starts wsl.exe
 * with its window hidden: nothing but PodDesk appears. It is one plain text file, written and
 * removed through the distro's /mnt view of the Windows disk, with no PowerShell call and no
 * binary format. (A .lnk would still need such a script behind it to hide the console.)
 *
 * The file is UTF-16LE with a byte order mark and CRLF lines, which wscript reads whatever the
 * Windows code page, so a distro or user name beyond ASCII survives.
 */
export const MARKER = "' poddesk-launcher v1";

export function shortcutFileName(distro: string): string {
  return `PodDesk (${distro}).vbs`;
}

/** WSL distro names are letters, digits, dots, dashes and underscores; anything else is not one. */
export function checkDistroName(distro: string): string {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(distro)) {
    throw new AppError('INVALID_INPUT', `“${distro}” does not look like a WSL distro name`);
  }
  return distro;
}

/**
 * One argument for wsl.exe's command line (split by Windows' usual rules). Quotes cannot be
 * written safely through both VBScript and wsl.exe, and WScript.Shell.Run expands %NAME%, so an
 * argument holding either is refused rather than mangled.
 */
function windowsArgument(arg: string): string {
  // eslint-disable-next-line no-control-regex
  if (arg === '' || /["%\u0000-\u001f\u007f]/.test(arg)) {
    throw new AppError(
      'INVALID_INPUT',
      `PodDesk cannot write a shortcut that runs “${arg}” (quotes, % and control characters are not supported)`,
    );
  }
  // Backslashes are literal except before the closing quote, where they must be doubled.
  return `"${arg.replace(/(\\+)$/, '$1$1')}"`;
}

/** The Windows command line the shortcut runs: the program in the distro, with no Linux shell. */
export function wslCommandLine(distro: string, argv: readonly string[]): string {
  if (argv.length === 0) throw new AppError('INVALID_INPUT', 'The shortcut needs a program to start');
  return ['wsl.exe', '-d', windowsArgument(checkDistroName(distro)), '--exec', ...argv.map(windowsArgument)].join(' ');
}

export function shortcutScript(distro: string, argv: readonly string[], starts: 'desktop' | 'browser'): string {
  const command = wslCommandLine(distro, argv);
  const what = starts === 'desktop' ? 'the PodDesk app (WSLg)' : 'PodDesk in your Windows browser';
  return [
    MARKER,
    `' Starts ${what} in the WSL distro ${distro}. PodDesk wrote this file;`,
    `' remove it from PodDesk's Settings, or delete it.`,
    `' wscript runs this without a console window, and the 0 below keeps wsl.exe's window hidden.`,
    `CreateObject("WScript.Shell").Run "${command.replaceAll('"', '""')}", 0, False`,
    '',
  ].join('\r\n');
}

const BOM = Buffer.from([0xff, 0xfe]);

export function encodeScript(text: string): Buffer {
  return Buffer.concat([BOM, Buffer.from(text, 'utf16le')]);
}

/** Whether a file's bytes are a shortcut PodDesk wrote (so it may replace or remove it). */
export function isOurScript(bytes: Buffer): boolean {
  const text = bytes.subarray(0, 2).equals(BOM) ? bytes.subarray(2).toString('utf16le') : bytes.toString('utf8');
  return text.startsWith(MARKER);
}
