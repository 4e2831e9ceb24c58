import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeElectron, FakeWebContents, type FakeElectron } from '../../support/fake-electron';

const fake: { current: FakeElectron } = vi.hoisted(() => ({ current: null as unknown as FakeElectron }));
vi.mock('electron', () => {
  fake.current = createFakeElectron();
  return { ...fake.current.electron, default: fake.current.electron };
});

const { createMainWindow, hardenContents, hardenSession } = await import('../../../src/main/electron/window');
const { registerAppScheme, serveRenderer } = await import('../../../src/main/electron/protocol');

describe('the main window', () => {
  beforeEach(() => fake.current.windows.splice(0));

  it('is created with the secure web preferences and the app’s URL', () => {
    const window = createMainWindow({
      preloadPath: '/out/preload/index.cjs',
      url: 'poddesk://app/index.html',
      savedState: null,
      saveState: () => undefined,
    });
    const options = (window as unknown as { options: { webPreferences: Record<string, unknown> } }).options;
    expect(options.webPreferences).toEqual({
      preload: '/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect((window as unknown as { loadedUrl: string }).loadedUrl).toBe('poddesk://app/index.html');
  });

  it('opens where the user left it, and remembers where it is on close', () => {
    const saved: unknown[] = [];
    const window = createMainWindow({
      preloadPath: 'p',
      url: 'poddesk://app/index.html',
      savedState: { bounds: { x: 100, y: 50, width: 1200, height: 800 }, maximized: true },
      saveState: (s) => saved.push(s),
    });
    const w = window as unknown as { options: Record<string, number>; maximized: boolean; emit(e: string): void };
    expect(w.options).toMatchObject({ x: 100, y: 50, width: 1200, height: 800 });
    expect(w.maximized).toBe(true);
    w.emit('close');
    expect(saved).toEqual([{ bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: true }]);
  });
});

describe('every web contents', () => {
  it('refuses navigation, redirects and webviews', () => {
    const contents = new FakeWebContents();
    hardenContents(contents as never);
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      contents.emit(event, { preventDefault }, 'https://evil.example');
      expect(preventDefault, event).toHaveBeenCalled();
    }
  });

  it('denies new windows; http(s) links go to the system browser, others nowhere', () => {
    const contents = new FakeWebContents();
    hardenContents(contents as never);
    const handler = contents.windowOpenHandler!;
    expect(handler({ url: 'https://podman.io' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(fake.current.opened).toEqual(['https://podman.io']);
  });

  it('does not let a foreign page open links through the app', () => {
    const contents = new FakeWebContents();
    contents.url = 'https://evil.example/';
    hardenContents(contents as never);
    fake.current.opened.splice(0);
    contents.windowOpenHandler!({ url: 'https://phish.example' });
    expect(fake.current.opened).toEqual([]);
  });
});

describe('the session', () => {
  it('answers permission requests and checks with the allow-list', () => {
    hardenSession();
    const answers: boolean[] = [];
    const request = fake.current.session.permissionRequestHandler!;
    request(null, 'media', (ok: boolean) => answers.push(ok), { requestingUrl: 'poddesk://app/index.html' });
    request(null, 'clipboard-sanitized-write', (ok: boolean) => answers.push(ok), { requestingUrl: 'poddesk://app/index.html' });
    expect(answers).toEqual([false, true]);
    expect(fake.current.session.permissionCheckHandler!(null, 'geolocation', 'poddesk://app')).toBe(false);
  });
});

describe('the app protocol', () => {
  it('is registered as standard and secure', () => {
    registerAppScheme();
    expect(fake.current.privileged).toContainEqual({
      scheme: 'poddesk',
      privileges: expect.objectContaining({ standard: true, secure: true }),
    });
  });

  it('serves the renderer with the CSP and refuses paths outside it', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'renderer-'));
    await writeFile(join(dir, 'index.html'), '<html></html>');
    serveRenderer(dir);
    const handle = fake.current.protocolHandler()!;
    const ok = await handle({ url: 'poddesk://app/index.html' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await handle({ url: 'poddesk://app/../../etc/passwd' })).status).toBe(404);
    expect((await handle({ url: 'poddesk://app/missing.js' })).status).toBe(404);
  });
});
