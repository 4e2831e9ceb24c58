import { BrowserWindow, screen, session, shell, type WebContents } from 'electron';
import { contentSecurityPolicy, isAppUrl, isPermissionAllowed, isSafeExternalUrl } from '../security';
import { minimumSize, restoreWindowState, type WindowState } from '../store/window-state';

export interface WindowOptions {
  preloadPath: string;
  /** poddesk://app/index.html, or the dev server's URL. */
  url: string;
  devServer?: string;
  savedState: unknown;
  saveState(state: WindowState): void;
}

/**
 * Navigation, new windows, webviews and permissions, all refused for every web contents the app
 * ever creates (checklist 5, 12, 13, 14). Links the user clicks open in the system browser when
 * they are http(s).
 */
export function hardenContents(contents: WebContents, devServer?: string): void {
  // The app is one page with hash routes, which never fire will-navigate: any navigation is foreign.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAppUrl(contents.getURL(), devServer) && isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

export function hardenSession(devServer?: string): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((contents, permission, callback, details) =>
    callback(isPermissionAllowed(permission, details.requestingUrl ?? contents?.getURL(), devServer)),
  );
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, devServer),
  );
  if (devServer) {
    // The dev server serves without our protocol handler; give its pages the same policy.
    ses.webRequest.onHeadersReceived((details, callback) => {
      const headers = { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy({ devServer })] };
      callback({ responseHeaders: headers });
    });
  }
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const workAreas = screen.getAllDisplays().map((d) => d.workArea);
  const restored = restoreWindowState(options.savedState, workAreas);
  const window = new BrowserWindow({
    ...restored.bounds,
    minWidth: minimumSize.width,
    minHeight: minimumSize.height,
    show: false,
    title: 'PodDesk',
    backgroundColor: '#1a1b1e',
    // The checklist's web preferences, written out where the window is made (2–4, 6, 8–10).
    webPreferences: {
      preload: options.preloadPath,
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
      // A middle click on a link would ask for a new window; none is ever wanted.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  if (restored.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());

  const save = () => {
    if (window.isDestroyed()) return;
    options.saveState({ bounds: window.getNormalBounds(), maximized: window.isMaximized() });
  };
  window.on('close', save);

  void window.loadURL(options.url);
  return window;
}
