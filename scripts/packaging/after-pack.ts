import { join } from 'node:path';
import { flipFuses } from '@electron/fuses';
import { Arch, type AfterPackContext, type LinuxPackager } from 'electron-builder';
import { fuseConfig } from './fuses';

/** The file that holds the fuse wire, as electron-builder lays out each platform. */
export function electronBinary(context: AfterPackContext): string {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${name}.exe`);
  return join(appOutDir, (packager as LinuxPackager).executableName);
}

/**
 * electron-builder's afterPack hook: runs once per platform and arch, after the app is laid out
 * and before it is signed, so the signature covers the flipped fuses. A binary without a fuse wire
 * is an error here, never skipped: an app that shipped without its fuses would look the same.
 */
export async function afterPack(context: AfterPackContext): Promise<void> {
  const binary = electronBinary(context);
  const config = fuseConfig(context.electronPlatformName, Arch[context.arch]);
  await flipFuses(binary, config);
}
