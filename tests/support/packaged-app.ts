import { join } from 'node:path';

/** The app binary in the folder electron-builder unpacks it to, under dist/, as it names them. */
export function packagedExecutable(dist: string, platform: string = process.platform, arch: string = process.arch): string {
  const suffix = arch === 'x64' ? '' : `-${arch}`;
  if (platform === 'win32') return join(dist, `win${suffix}-unpacked`, 'PodDesk.exe');
  if (platform === 'darwin') return join(dist, `mac${suffix}`, 'PodDesk.app', 'Contents', 'MacOS', 'PodDesk');
  return join(dist, `linux${suffix}-unpacked`, 'poddesk');
}
