import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { launcherHandlers } from '../../../src/main/handlers/launcher';
import { createLauncher } from '../../../src/main/launcher/service';
import { encodeScript, shortcutScript, wslCommandLine } from '../../../src/main/launcher/shortcut';
import { chooseLaunchTarget, electronArgv, type LaunchTarget } from '../../../src/main/launcher/target';
import { createDispatcher } from '../../../src/main/rpc/dispatcher';
import type { Handlers } from '../../../src/main/rpc/handlers';
import type { Platform } from '../../../src/shared/contract';
import { launcherCalls } from '../../../src/shared/contract/launcher';
import type { Runner, RunResult } from '../../../src/main/system/types';

const BROWSER: LaunchTarget = {
  starts: 'browser',
  argv: ['/home/ana/.nvm/versions/node/v22.11.0/bin/node', '/home/ana/poddesk/out/main/serve.js', '--open'],
};

/** Stand-ins for powershell.exe, cmd.exe and wslpath: answers by program, every call recorded. */
function fakeWindows(answers: Record<string, RunResult | ((args: readonly string[]) => RunResult)>) {
  const calls: { file: string; args: readonly string[] }[] = [];
  const run: Runner = async (file, args) => {
    calls.push({ file, args });
    const answer = answers[file];
    if (!answer) return { code: null, stdout: '', stderr: `spawn ${file} ENOENT` };
    return typeof answer === 'function' ? answer(args) : answer;
  };
  return { run, calls };
}

let desktop: string;
beforeEach(async () => {
  desktop = await mkdtemp(join(tmpdir(), 'poddesk-windows-desktop-'));
});
afterEach(async () => {
  await rm(desktop, { recursive: true, force: true });
});

const ok = (stdout: string): RunResult => ({ code: 0, stdout, stderr: '' });
const wslpathTo = (dir: string) => (args: readonly string[]) =>
  args[0] === '-u' ? ok(`${dir}\n`) : { code: 1, stdout: '', stderr: 'wslpath: bad arguments' };

function launcher(options: { platform?: Platform; run: Runner; target?: LaunchTarget | null; distro?: string }) {
  return createLauncher({
    platform: async () => options.platform ?? 'wsl',
    env: options.distro === undefined ? { WSL_DISTRO_NAME: 'Ubuntu-24.04' } : { WSL_DISTRO_NAME: options.distro },
    run: options.run,
    target: options.target === undefined ? BROWSER : options.target,
  });
}

const decode = (bytes: Buffer) => {
  expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
  return bytes.subarray(2).toString('utf16le');
};

describe('the Windows desktop shortcut', () => {
  it('is a hidden wscript run of wsl.exe --exec in this distro, with no shell and no console window', () => {
    const script = shortcutScript('Ubuntu-24.04', BROWSER.argv, 'browser');
    const lines = script.split('\r\n');
    expect(lines[0]).toBe("' poddesk-launcher v1");
    expect(lines.at(-2)).toBe(
      'CreateObject("WScript.Shell").Run "wsl.exe -d ""Ubuntu-24.04"" --exec ' +
        '""/home/ana/.nvm/versions/node/v22.11.0/bin/node"" ""/home/ana/poddesk/out/main/serve.js"" ""--open""", 0, False',
    );
    // Every line ends in CRLF, as wscript expects.
    expect(script.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });

  it('keeps names beyond ASCII through UTF-16 with a byte order mark', () => {
    const bytes = encodeScript(shortcutScript('Debian', ['/home/josé/poddesk/PodDesk.AppImage'], 'desktop'));
    expect(decode(bytes)).toContain('""/home/josé/poddesk/PodDesk.AppImage""');
  });

  it('refuses what cannot be passed through intact: quotes, %VAR%, newlines, odd distro names', () => {
    expect(() => wslCommandLine('Ubuntu', ['/opt/a"b'])).toThrow(/quotes, %/);
    expect(() => wslCommandLine('Ubuntu', ['/home/ana/100%/serve.js'])).toThrow(/quotes, %/);
    expect(() => wslCommandLine('Ubuntu', ['/opt/a\nb'])).toThrow(/control characters/);
    expect(() => wslCommandLine('Ubuntu & calc', ['/bin/true'])).toThrow(/WSL distro name/);
    expect(() => wslCommandLine('Ubuntu', [])).toThrow(/program/);
    // A trailing backslash would escape the closing quote on Windows: it is doubled.
    expect(wslCommandLine('Ubuntu', ['/odd\\'])).toBe('wsl.exe -d "Ubuntu" --exec "/odd\\\\"');
  });
});

describe('where the shortcut goes', () => {
  it('asks PowerShell for the desktop (OneDrive may have moved it) and wslpath for its /mnt path', async () => {
    const windows = fakeWindows({
      'powershell.exe': ok('C:\\Users\\ana\\OneDrive\\Desktop\r\n'),
      wslpath: wslpathTo(desktop),
    });
    const status = await launcher({ run: windows.run }).status();
    expect(status).toEqual({
      state: 'ready',
      distro: 'Ubuntu-24.04',
      starts: 'browser',
      folder: 'C:\\Users\\ana\\OneDrive\\Desktop',
      fileName: 'PodDesk (Ubuntu-24.04).vbs',
      added: false,
    });
    expect(windows.calls.map((c) => c.file)).toEqual(['powershell.exe', 'wslpath']);
    expect(windows.calls[1]!.args).toEqual(['-u', 'C:\\Users\\ana\\OneDrive\\Desktop']);
  });

  it('falls back to %USERPROFILE%\\Desktop from cmd.exe when PowerShell cannot start', async () => {
    const windows = fakeWindows({
      'cmd.exe': {
        code: 0,
        stdout: 'C:\\Users\\ana\r\n',
        stderr: 'UNC paths are not supported.  Defaulting to Windows directory.',
      },
      wslpath: wslpathTo(desktop),
    });
    const status = await launcher({ run: windows.run }).status();
    expect(status).toMatchObject({ state: 'ready', folder: 'C:\\Users\\ana\\Desktop' });
    expect(windows.calls.find((c) => c.file === 'cmd.exe')!.args).toEqual(['/d', '/c', 'echo %USERPROFILE%']);
    expect(windows.calls.at(-1)!.args).toEqual(['-u', 'C:\\Users\\ana\\Desktop']);
  });

  it('says why when Windows cannot be asked, writes nothing, and asks again next time', async () => {
    const answers: Parameters<typeof fakeWindows>[0] = {};
    const windows = fakeWindows(answers);
    const l = launcher({ run: windows.run });
    const status = await l.status();
    expect(status).toMatchObject({ state: 'unavailable', distro: 'Ubuntu-24.04', reason: expect.stringMatching(/interop/) });
    await expect(l.add()).rejects.toMatchObject({ code: 'UNREACHABLE' });
    expect(await readdir(desktop)).toEqual([]);
    answers['powershell.exe'] = ok('C:\\Users\\ana\\Desktop\r\n');
    answers.wslpath = wslpathTo(desktop);
    expect(await l.status()).toMatchObject({ state: 'ready' });
  });

  it('is not offered outside WSL, and Windows is never asked', async () => {
    const windows = fakeWindows({ 'powershell.exe': ok('C:\\Users\\ana\\Desktop'), wslpath: wslpathTo(desktop) });
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const l = launcher({ platform, run: windows.run });
      expect(await l.status()).toEqual({ state: 'not-offered' });
      await expect(l.add()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    expect(windows.calls).toEqual([]);
    expect(await readdir(desktop)).toEqual([]);
  });
});

describe('adding and removing it', () => {
  const windows = () => fakeWindows({ 'powershell.exe': ok('C:\\Users\\ana\\Desktop\r\n'), wslpath: wslpathTo(desktop) });

  it('writes one file on the desktop, and one click removes it', async () => {
    const l = launcher({ run: windows().run });
    expect(await l.add()).toMatchObject({ state: 'ready', added: true });
    expect(await readdir(desktop)).toEqual(['PodDesk (Ubuntu-24.04).vbs']);
    const text = decode(await readFile(join(desktop, 'PodDesk (Ubuntu-24.04).vbs')));
    expect(text).toBe(shortcutScript('Ubuntu-24.04', BROWSER.argv, 'browser'));
    expect(await l.status()).toMatchObject({ added: true });
    // Adding again rewrites PodDesk's own file.
    expect(await l.add()).toMatchObject({ added: true });
    expect(await l.remove()).toMatchObject({ state: 'ready', added: false });
    expect(await readdir(desktop)).toEqual([]);
    // Removing what is not there is not an error.
    expect(await l.remove()).toMatchObject({ added: false });
  });

  it('leaves alone a file of the same name that PodDesk did not write', async () => {
    const mine = join(desktop, 'PodDesk (Ubuntu-24.04).vbs');
    await writeFile(mine, 'MsgBox "my own script"\r\n');
    const l = launcher({ run: windows().run });
    expect(await l.status()).toMatchObject({ added: false });
    await expect(l.add()).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/did not write/) });
    await expect(l.remove()).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await readFile(mine, 'utf8')).toBe('MsgBox "my own script"\r\n');
  });

  it('starts the desktop app where the shell that started PodDesk gave one', async () => {
    const target: LaunchTarget = { starts: 'desktop', argv: ['/opt/PodDesk/poddesk'] };
    const l = launcher({ run: windows().run, target });
    expect(await l.add()).toMatchObject({ starts: 'desktop' });
    const text = decode(await readFile(join(desktop, 'PodDesk (Ubuntu-24.04).vbs')));
    expect(text).toContain('Run "wsl.exe -d ""Ubuntu-24.04"" --exec ""/opt/PodDesk/poddesk""", 0, False');
    expect(text).toContain('the PodDesk app (WSLg)');
  });

  it('takes no input from the page: no path, no argv', async () => {
    const l = launcher({ run: windows().run });
    const dispatcher = createDispatcher({ calls: launcherHandlers(l).calls, streams: {} } as unknown as Handlers, {
      calls: launcherCalls,
      streams: {},
    });
    const sneaky = await dispatcher.call('launcher.add', { folder: '/etc', argv: ['/bin/sh'] });
    expect(sneaky).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await readdir(desktop)).toEqual([]);
    expect(await dispatcher.call('launcher.add', undefined)).toMatchObject({ ok: true, data: { added: true } });
  });
});

describe('what the shortcut starts', () => {
  const desktopArgv = ['/opt/PodDesk/poddesk'];
  const browserArgv = ['/usr/bin/node', '/srv/poddesk/out/main/serve.js', '--open'];

  it('is the desktop app where WSLg gives a display, otherwise the browser host', () => {
    expect(chooseLaunchTarget({ env: { WAYLAND_DISPLAY: 'wayland-0' }, desktop: desktopArgv, browser: browserArgv })).toEqual({
      starts: 'desktop',
      argv: desktopArgv,
    });
    expect(chooseLaunchTarget({ env: {}, desktop: desktopArgv, browser: browserArgv })).toEqual({
      starts: 'browser',
      argv: browserArgv,
    });
    expect(chooseLaunchTarget({ env: { DISPLAY: ':0' }, browser: browserArgv })).toMatchObject({ starts: 'browser' });
    expect(chooseLaunchTarget({ env: {} })).toBeNull();
  });

  it('starts an AppImage from its file, not from the mount that ends with the app', () => {
    const base = {
      execPath: '/tmp/.mount_PodDesXYZ/poddesk',
      isPackaged: true,
      appPath: '/tmp/.mount_PodDesXYZ/resources/app.asar',
    };
    expect(electronArgv({ ...base, env: { APPIMAGE: '/home/ana/PodDesk.AppImage' } })).toEqual(['/home/ana/PodDesk.AppImage']);
    expect(electronArgv({ ...base, execPath: '/opt/PodDesk/poddesk', env: {} })).toEqual(['/opt/PodDesk/poddesk']);
    expect(
      electronArgv({ execPath: '/src/node_modules/electron/dist/electron', isPackaged: false, appPath: '/src', env: {} }),
    ).toEqual(['/src/node_modules/electron/dist/electron', '/src']);
  });
});
