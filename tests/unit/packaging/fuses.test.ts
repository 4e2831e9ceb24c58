import { mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { Arch, type AfterPackContext } from 'electron-builder';
import { describe, expect, it } from 'vitest';
import { afterPack, electronBinary } from '../../../scripts/packaging/after-pack';
import { fuseConfig } from '../../../scripts/packaging/fuses';
import { DEFAULT_FUSE_WIRE, writeStandInElectron } from '../../../scripts/packaging/stand-in-electron';

const SHIPPED = {
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

function context(platform: string, arch: Arch, appOutDir = '/out'): AfterPackContext {
  const packager = { appInfo: { productFilename: 'PodDesk' }, executableName: 'poddesk' };
  return { appOutDir, electronPlatformName: platform, arch, packager } as unknown as AfterPackContext;
}

describe('the fuses every packaged binary gets', () => {
  it('turns off running as Node, NODE_OPTIONS and --inspect; turns on cookie encryption, asar integrity and asar-only', () => {
    for (const [platform, arch] of [
      ['linux', 'x64'],
      ['win32', 'x64'],
      ['darwin', 'x64'],
      ['darwin', 'arm64'],
    ] as const) {
      expect(fuseConfig(platform, arch)).toMatchObject({ version: '1', ...SHIPPED });
    }
  });

  it('leaves the rest as Electron builds them, and re-signs ad hoc only on Apple Silicon', () => {
    expect(fuseConfig('linux', 'x64')).not.toHaveProperty(String(FuseV1Options.LoadBrowserProcessSpecificV8Snapshot));
    expect(fuseConfig('darwin', 'arm64').resetAdHocDarwinSignature).toBe(true);
    expect(fuseConfig('darwin', 'x64').resetAdHocDarwinSignature).toBe(false);
    expect(fuseConfig('win32', 'x64').resetAdHocDarwinSignature).toBe(false);
  });

  it('finds the binary that holds the fuse wire on each platform', () => {
    expect(electronBinary(context('linux', Arch.x64))).toBe(join('/out', 'poddesk'));
    expect(electronBinary(context('win32', Arch.x64))).toBe(join('/out', 'PodDesk.exe'));
    expect(electronBinary(context('darwin', Arch.arm64))).toBe(join('/out', 'PodDesk.app'));
  });
});

describe('the afterPack hook', () => {
  it('flips the fuse wire of a binary in Electron’s format, leaving the unset fuses as they were', async () => {
    const dir = await writeStandInElectron(await mkdtemp(join(tmpdir(), 'fuses-')), '45.5.0');
    await rename(join(dir, 'electron'), join(dir, 'poddesk'));
    await afterPack(context('linux', Arch.x64, dir));
    const wire = await getCurrentFuseWire(join(dir, 'poddesk'));
    const on = (fuse: FuseV1Options) => String.fromCharCode(Number(wire[fuse])) === '1'; // the wire is '0'/'1' bytes
    for (const [fuse, value] of Object.entries(SHIPPED)) expect(on(Number(fuse)), FuseV1Options[Number(fuse)]).toBe(value);
    expect(on(FuseV1Options.LoadBrowserProcessSpecificV8Snapshot)).toBe(DEFAULT_FUSE_WIRE[6] === '1');
    expect((await readFile(join(dir, 'poddesk'), 'latin1')).startsWith('#!/bin/sh')).toBe(true);
  });

  it('fails on a binary with no fuse wire rather than ship one without fuses', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fuses-'));
    await writeFile(join(dir, 'poddesk'), '#!/bin/sh\nexit 0\n');
    await expect(afterPack(context('linux', Arch.x64, dir))).rejects.toThrow(/sentinel/);
  });
});
