import { describe, expect, it, vi } from 'vitest';
import { callNames } from '../../../src/shared/contract';
import { channels } from '../../../src/shared/ipc-channels';
import type { Dispatcher, Session } from '../../../src/main/rpc/dispatcher';
import { bindIpc } from '../../../src/main/ipc';
import { isAppUrl } from '../../../src/main/security';
import { createFakeElectron, FakeWebContents } from '../../support/fake-electron';

function setup() {
  const fake = createFakeElectron();
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
  bindIpc(fake.electron.ipcMain as never, dispatcher, (url) => isAppUrl(url));
  const event = (url: string, sender = new FakeWebContents()) => ({ senderFrame: { url }, sender });
  return { fake, dispatcher, sessions, event };
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
});
