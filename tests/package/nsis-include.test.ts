import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The one piece of NSIS script PodDesk owns (scripts/packaging/uninstaller.nsh), compiled with
 * Debian's makensis inside the frame electron-builder gives it: the same defines, the same
 * warnings-as-errors. The real installer is built on the release workflow's Windows runner only.
 */
const run = promisify(execFile);
const include = join(process.cwd(), 'scripts', 'packaging', 'uninstaller.nsh');

function frame(includePath: string, outFile: string): string {
  return `Unicode true
!define APP_FILENAME "PodDesk"
!define APP_PACKAGE_NAME "poddesk"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "${includePath}"
Name "PodDesk"
OutFile "${outFile}"
RequestExecutionLevel user
Section "Install"
  WriteUninstaller "$TEMP\\uninstall.exe"
SectionEnd
Function un.onInit
  !insertmacro customUnInit
FunctionEnd
Section "un.Uninstall"
  !insertmacro customUnInstall
SectionEnd
`;
}

async function compile(includeText: string): Promise<{ ok: boolean; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'nsis-'));
  await writeFile(join(dir, 'uninstaller.nsh'), includeText);
  await writeFile(join(dir, 'frame.nsi'), frame(join(dir, 'uninstaller.nsh'), join(dir, 'poddesk-frame.exe')));
  try {
    const { stdout } = await run('makensis', ['-V2', '-WX', join(dir, 'frame.nsi')]);
    return { ok: true, output: stdout };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${stdout}${stderr}` };
  }
}

describe('the uninstaller’s question about the person’s data', () => {
  it('compiles with warnings as errors, as electron-builder builds it', async () => {
    const result = await compile(await readFile(include, 'utf8'));
    expect(result.ok, result.output).toBe(true);
  });

  it('would be caught if it broke (a misspelt instruction fails the same compile)', async () => {
    const broken = (await readFile(include, 'utf8')).replace('RMDir /r', 'RMDri /r');
    const result = await compile(broken);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/RMDri/);
  });
});
