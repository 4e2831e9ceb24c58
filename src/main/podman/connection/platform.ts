import { posix, win32 } from 'node:path';
import type { InstallHint, Platform } from '../../../shared/contract';
import type { Env, FileSystem } from '../../system/types';

/** Linux inside WSL behaves like Linux but finds Podman, and installs it, differently. */
export async function detectPlatform(nodePlatform: NodeJS.Platform, env: Env, fs: FileSystem): Promise<Platform> {
  if (nodePlatform === 'win32' || nodePlatform === 'darwin') return nodePlatform;
  if (nodePlatform !== 'linux') return 'other';
  if (env.WSL_DISTRO_NAME || env.WSL_INTEROP) return 'wsl';
  const version = await fs.readFile('/proc/version').then(
    (b) => b.toString('utf8'),
    () => '',
  );
  return /microsoft/i.test(version) ? 'wsl' : 'linux';
}

/**
 * Where the podman binary is, found by looking at files only (no process is spawned). Apps
 * started with a double-click on macOS do not get the shell's PATH, so the usual install
 * folders are looked at too.
 */
export async function findPodmanBinary(platform: Platform, env: Env, fs: FileSystem): Promise<string | null> {
  const windows = platform === 'win32';
  const path = windows ? win32 : posix;
  const name = windows ? 'podman.exe' : 'podman';
  const pathVar = env.PATH ?? env.Path ?? '';
  const dirs = pathVar.split(windows ? ';' : ':').filter(Boolean);
  if (windows) {
    const programFiles = env.ProgramFiles ?? 'C:\\Program Files';
    dirs.push(path.join(programFiles, 'RedHat', 'Podman'));
  } else if (platform === 'darwin') {
    dirs.push('/opt/podman/bin', '/opt/homebrew/bin', '/usr/local/bin');
  } else {
    dirs.push('/usr/bin', '/usr/local/bin');
  }
  for (const dir of [...new Set(dirs)]) {
    const candidate = path.join(dir, name);
    if (await fs.exists(candidate)) return candidate;
  }
  return null;
}

export function installHint(platform: Platform): InstallHint {
  switch (platform) {
    case 'win32':
      return {
        title: 'Install Podman for Windows',
        steps: [
          'winget install RedHat.Podman (or the installer from podman.io)',
          'podman machine init',
          'podman machine start',
          'Already use Podman inside your own WSL distro? Choose it under Settings → Connection.',
        ],
        url: 'https://podman.io/docs/installation#windows',
      };
    case 'darwin':
      return {
        title: 'Install Podman for macOS',
        steps: ['brew install podman (or the installer from podman.io)', 'podman machine init', 'podman machine start'],
        url: 'https://podman.io/docs/installation#macos',
      };
    case 'wsl':
      return {
        title: 'Install Podman in this WSL distro',
        steps: [
          'sudo apt install podman (Debian, Ubuntu) or sudo dnf install podman (Fedora)',
          'systemctl --user enable --now podman.socket (with systemd), or press Start here',
        ],
        url: 'https://podman.io/docs/installation#installing-on-linux',
      };
    default:
      return {
        title: 'Install Podman',
        steps: [
          'sudo apt install podman (Debian, Ubuntu), sudo dnf install podman (Fedora), sudo pacman -S podman (Arch)',
          'systemctl --user enable --now podman.socket, or press Start here',
        ],
        url: 'https://podman.io/docs/installation#installing-on-linux',
      };
  }
}

/** What the Start button runs, in the words a user would type. */
export function startAction(platform: Platform): string {
  return platform === 'win32' || platform === 'darwin' ? 'podman machine start' : 'podman system service --time=0';
}
