import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, type WebContents } from 'electron';
import { createApp, type App } from './app';
import { dialogConsent } from './electron/consent';
import { dialogHostFiles } from './electron/dialogs';
import { electronSettings } from './electron/settings-store';
import { registerAppScheme, serveRenderer } from './electron/protocol';
import { safeStorageCredentials } from './electron/safe-storage';
import { createMainWindow, hardenContents, hardenSession } from './electron/window';
import { bindIpc } from './ipc';
import { chooseLaunchTarget, electronArgv } from './launcher/target';
import { appResourcesDir } from './resources-dir';
import { APP_ORIGIN, isAppUrl } from './security';

/**
 * The Electron shell: one window, one instance, the back end started once. Everything else lives
 * in plain Node modules (app.ts and below).
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const devServer = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  let backEnd: App | null = null;
  let window: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.on('web-contents-created', (_event, contents: WebContents) => hardenContents(contents, devServer));

  const openWindow = (store: ReturnType<typeof electronSettings>) => {
    window = createMainWindow({
      preloadPath: join(here, '../preload/index.cjs'),
      url: devServer ?? `${APP_ORIGIN}/index.html`,
      devServer,
      savedState: store.windowState(),
      saveState: store.saveWindowState,
    });
    window.on('closed', () => (window = null));
  };

  void app.whenReady().then(async () => {
    hardenSession(devServer);
    serveRenderer(join(here, '../renderer'));
    const store = electronSettings();
    backEnd = await createApp({
      settings: store.settings,
      dataDir: app.getPath('userData'),
      hostFiles: dialogHostFiles(),
      consent: dialogConsent(() => window),
      credentials: safeStorageCredentials(),
      resourcesDir: appResourcesDir({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath }),
      // Inside WSL, Settings can put a shortcut on the Windows desktop that starts this app again.
      launchTarget: chooseLaunchTarget({
        env: process.env,
        desktop: electronArgv({
          execPath: process.execPath,
          isPackaged: app.isPackaged,
          appPath: app.getAppPath(),
          env: process.env,
        }),
      }),
    });
    bindIpc(ipcMain, backEnd.dispatcher, (url) => isAppUrl(url, devServer), backEnd.hostPaths);
    openWindow(store);
    void backEnd.connection.connect();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow(store);
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // The Podman service the app may have started is its child: end it before leaving.
  let quitting = false;
  app.on('will-quit', (event) => {
    if (quitting || !backEnd) return;
    event.preventDefault();
    quitting = true;
    void backEnd.close().finally(() => app.quit());
  });
}
