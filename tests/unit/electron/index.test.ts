import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeElectron, type FakeElectron } from '../../support/fake-electron';

/** The app's lifecycle with a fake Electron and a stand-in back end. */
const state = vi.hoisted(() => ({
  fake: null as unknown as FakeElectron,
  backEnd: null as unknown as {
    connection: { connect: ReturnType<typeof vi.fn> };
    close: ReturnType<typeof vi.fn>;
    dispatcher: unknown;
    hostPaths: unknown;
  },
}));

// Each test gets a fresh fake; mocked modules are cached across resetModules, so delegate.
vi.mock('electron', () => {
  const current = () => state.fake.electron as unknown as Record<string | symbol, unknown>;
  return new Proxy({}, { get: (_, key) => (key === 'default' ? current() : current()[key]), has: (_, key) => key in current() });
});
vi.mock('../../../src/main/app', () => ({ createApp: vi.fn(async () => state.backEnd) }));
vi.mock('../../../src/main/electron/settings-store', () => ({
  electronSettings: () => ({ settings: {}, windowState: () => null, saveWindowState: () => undefined }),
}));

async function start(lock = true) {
  state.fake = createFakeElectron();
  state.fake.setLock(lock);
  state.backEnd = {
    dispatcher: { call: vi.fn(), session: vi.fn() },
    connection: { connect: vi.fn(async () => undefined) },
    close: vi.fn(async () => undefined),
    hostPaths: { issue: vi.fn(), take: vi.fn(), use: vi.fn(), size: () => 0 },
  };
  vi.resetModules();
  await import('../../../src/main/index');
  return state.fake;
}

const settle = () => new Promise((r) => setTimeout(r, 10));

describe('the app’s lifecycle', () => {
  beforeEach(() => vi.clearAllMocks());

  it('quits at once when another instance holds the lock, opening nothing', async () => {
    const fake = await start(false);
    fake.ready();
    await settle();
    expect(fake.quitCalls()).toBe(1);
    expect(fake.windows).toHaveLength(0);
    expect(fake.privileged).toHaveLength(0);
  });

  it('registers the app scheme before ready, then opens one hardened window on the app URL', async () => {
    const fake = await start();
    expect(fake.privileged).toHaveLength(1);
    expect(fake.windows).toHaveLength(0);
    fake.ready();
    await settle();
    expect(fake.windows).toHaveLength(1);
    const window = fake.windows[0]!;
    expect(window.loadedUrl).toBe('poddesk://app/index.html');
    expect(window.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(String((window.options.webPreferences as { preload: string }).preload)).toMatch(/preload[/\\]index\.cjs$/);
    expect(fake.session.permissionRequestHandler).toBeTypeOf('function');
    expect(fake.protocolHandler()).toBeTypeOf('function');
    expect(fake.ipcHandlers.size).toBeGreaterThan(0);
    // The preload's one extra channel, for dropped files, is bound to the back end's handles.
    expect(fake.ipcHandlers.has('poddesk:host-paths:drop')).toBe(true);
    expect(state.backEnd.connection.connect).toHaveBeenCalledTimes(1);
    // The hardening reaches the window's contents through web-contents-created.
    expect(window.webContents.windowOpenHandler).toBeTypeOf('function');
  });

  it('focuses the existing window when a second instance starts', async () => {
    const fake = await start();
    fake.ready();
    await settle();
    const focus = vi.spyOn(fake.windows[0]!, 'focus');
    fake.appEvents.emit('second-instance');
    expect(focus).toHaveBeenCalled();
    expect(fake.windows).toHaveLength(1);
  });

  it('asks the user’s consent in a native box attached to its window, never through the page', async () => {
    const fake = await start();
    fake.ready();
    await settle();
    const { createApp } = await import('../../../src/main/app');
    const deps = vi.mocked(createApp).mock.calls[0]![0];
    expect(deps.consent?.how).toBe('dialog');
    const answer = deps.consent!.ask({
      subject: 's',
      title: 'Allow?',
      intro: 'Because.',
      lines: ['Device: /dev/kvm'],
      allowLabel: 'Allow',
    });
    await vi.waitFor(() => expect(fake.messageBoxes).toHaveLength(1));
    expect(fake.messageBoxes[0]!.parent).toBe(fake.windows[0]);
    fake.messageBoxes[0]!.answer(0);
    expect((await answer).answer).toBe('refused');
  });

  it('ends the back end (and the Podman service it may own) before quitting', async () => {
    const fake = await start();
    fake.ready();
    await settle();
    const preventDefault = vi.fn();
    fake.appEvents.emit('will-quit', { preventDefault });
    expect(preventDefault).toHaveBeenCalled();
    await settle();
    expect(state.backEnd.close).toHaveBeenCalledTimes(1);
    expect(fake.quitCalls()).toBe(1);
  });
});
