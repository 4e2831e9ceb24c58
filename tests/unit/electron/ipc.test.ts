import { describe, expect, it, vi } from 'vitest';
import { callNames } from '../../../src/shared/contract';
import { channels } from '../../../src/shared/ipc-channels';
import type { Dispatcher, Session } from '../../../src/main/rpc/dispatcher';
import { createHostPaths } from '../../../src/main/host-paths';
import { bindIpc } from '../../../src/main/ipc';
import { isAppUrl } from '../../../src/main/security';
import { createFakeElectron, FakeWebContents } from '../../support/fake-electron';

function setup() {
  const fake = createFakeElectron();
  const hostPaths = createHostPaths();
  const sessions: (Session & { closed: number })[] = [];
  const dispatcher: Dispatcher = {
    call: vi.fn(async (name: string, input: unknown) => ({ ok: true as const, data: { name, input } })),
    session: (send) => {
      const session = {
        closed: 0,
        call: vi.fn(),
        open: vi.fn((id: string) => {
          send({ id, type: 'batch', items: [1] });
          return { ok: true as const, data: null };
        }),
        close: vi.fn(),
        closeAll: vi.fn(() => void session.closed++),
      } as unknown as Session & { closed: number };
      sessions.push(session);
      return session;
    },
  };
  const unbind = bindIpc(fake.electron.ipcMain as never, dispatcher, (url) => isAppUrl(url), hostPaths);
  const event = (url: string, sender = new FakeWebContents()) => ({ senderFrame: { url }, sender });
  return { fake, dispatcher, sessions, event, hostPaths, unbind };
}

describe('binding the contract to IPC', () => {
  it('handles every call name of the contract, each on its own channel', () => {
    const { fake } = setup();
    for (const name of callNames) expect(fake.ipcHandlers.has(channels.call(name)), name).toBe(true);
  });

  it('passes calls from the app’s page to the dispatcher', async () => {
    const { fake, event, dispatcher } = setup();
    const result = await fake.ipcHandlers.get(channels.call('containers.list'))!(event('poddesk://app/index.html'), undefined);
    expect(result).toEqual({ ok: true, data: { name: 'containers.list', input: undefined } });
    expect(dispatcher.call).toHaveBeenCalledTimes(1);
  });

  it('refuses calls and streams from any other frame', async () => {
    const { fake, event, dispatcher, sessions } = setup();
    for (const url of ['https://evil.example/', 'file:///x/index.html', 'poddesk://evil/index.html', '']) {
      expect(await fake.ipcHandlers.get(channels.call('containers.remove'))!(event(url), { id: 'x' })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      expect(await fake.ipcHandlers.get(channels.streamOpen)!(event(url), { id: 's', name: 'containers.watch' })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    expect(
      await fake.ipcHandlers.get(channels.call('containers.list'))!(
        { senderFrame: null, sender: new FakeWebContents() },
        undefined,
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(dispatcher.call).not.toHaveBeenCalled();
    expect(sessions).toHaveLength(0);
  });

  it('gives each page its own session, pushes its events to it, and ends its streams when it goes', async () => {
    const { fake, event, sessions } = setup();
    const page = new FakeWebContents();
    const open = fake.ipcHandlers.get(channels.streamOpen)!;
    expect(await open(event('poddesk://app/index.html', page), { id: 's1', name: 'containers.watch' })).toEqual({
      ok: true,
      data: null,
    });
    await open(event('poddesk://app/index.html', page), { id: 's2', name: 'connection.watch' });
    expect(sessions).toHaveLength(1);
    expect(page.sent).toEqual([
      { channel: channels.streamEvent, payload: { id: 's1', type: 'batch', items: [1] } },
      { channel: channels.streamEvent, payload: { id: 's2', type: 'batch', items: [1] } },
    ]);
    fake.ipcListeners.get(channels.streamClose)!(event('poddesk://app/index.html', page), 's1');
    expect(sessions[0]!.close).toHaveBeenCalledWith('s1');
    page.destroy();
    expect(sessions[0]!.closed).toBe(1);
  });

  it('ends a page’s streams when it reloads', async () => {
    const { fake, event, sessions } = setup();
    const page = new FakeWebContents();
    await fake.ipcHandlers.get(channels.streamOpen)!(event('poddesk://app/index.html', page), {
      id: 's1',
      name: 'containers.watch',
    });
    page.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false });
    expect(sessions[0]!.closed).toBe(1);
  });

  it('refuses a malformed stream request', async () => {
    const { fake, event } = setup();
    expect(await fake.ipcHandlers.get(channels.streamOpen)!(event('poddesk://app/index.html'), { name: 42 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });

  it('registers the preload’s dropped files in main: a handle each, good once, for what a drop can start', async () => {
    const { fake, event, hostPaths } = setup();
    const register = fake.ipcHandlers.get(channels.registerDrops)!;
    const result = (await register(event('poddesk://app/index.html'), ['/home/me/site', '/home/me/backup.tar.gz'])) as {
      ok: true;
      data: { handle: string; name: string }[];
    };
    expect(result.ok).toBe(true);
    expect(result.data.map((h) => h.name)).toEqual(['site', 'backup.tar.gz']);
    const [site, backup] = result.data.map((h) => h.handle);
    expect(hostPaths.take([site!], ['upload', 'drop'])).toEqual(['/home/me/site']);
    expect(() => hostPaths.take([site!], ['upload', 'drop'])).toThrow(/no longer valid/);
    // A drop is no ssh key and no folder to mount.
    expect(() => hostPaths.take([backup!], ['ssh-identity'])).toThrow(/chosen for something else/);
    expect(() => hostPaths.take([backup!], ['bind-mount'])).toThrow(/chosen for something else/);
  });

  it('refuses drops from any other frame, and anything that is not a dropped file’s path', async () => {
    const { fake, event, hostPaths } = setup();
    const register = fake.ipcHandlers.get(channels.registerDrops)!;
    for (const url of ['https://evil.example/', 'poddesk://evil/index.html', '']) {
      expect(await register(event(url), ['/etc/shadow'])).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    for (const bad of [[], [''], ['relative/path'], ['/x\0y'], [42], 'not a list', null, Array(10_001).fill('/x')]) {
      expect(await register(event('poddesk://app/index.html'), bad)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT' },
      });
    }
    expect(hostPaths.size()).toBe(0);
  });

  it('takes its handlers away again', () => {
    const { fake, unbind } = setup();
    unbind();
    expect(fake.ipcHandlers.has(channels.registerDrops)).toBe(false);
    expect(fake.ipcHandlers.size).toBe(0);
  });
});
