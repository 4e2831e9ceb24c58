import { EventEmitter } from 'node:events';

/**
 * Enough of Electron's main-process and preload API to run the app's Electron glue in Node and
 * check what it asked for: every window's web preferences, every handler, every permission answer.
 */
export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  id = FakeWebContents.nextId++;
  url = 'poddesk://app/index.html';
  sent: { channel: string; payload: unknown }[] = [];
  destroyed = false;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  getURL() {
    return this.url;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  isDestroyed() {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  destroy() {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

export interface MessageBoxOptions {
  type?: string;
  title?: string;
  message: string;
  detail?: string;
  buttons?: string[];
  defaultId?: number;
  cancelId?: number;
  noLink?: boolean;
}

export function createFakeElectron() {
  const windows: FakeBrowserWindow[] = [];
  const appEvents = new EventEmitter();
  const ipcHandlers = new Map<string, (...args: unknown[]) => unknown>();
  const ipcListeners = new Map<string, (...args: unknown[]) => unknown>();
  const exposed: Record<string, unknown> = {};
  const rendererListeners = new Map<string, (...args: unknown[]) => void>();
  const invoked: { channel: string; args: unknown[] }[] = [];
  /** What main answers on a channel the renderer invokes (by default `{ ok: true, data: null }`). */
  const answers = new Map<string, unknown>();
  const sentFromRenderer: { channel: string; args: unknown[] }[] = [];
  const opened: string[] = [];
  /** Message boxes shown and not answered yet: the test clicks a button with `answer(index)`. */
  const messageBoxes: { parent: FakeBrowserWindow | null; options: MessageBoxOptions; answer: (response: number) => void }[] = [];
  const privileged: unknown[] = [];
  let protocolHandler: ((request: { url: string }) => Promise<Response>) | null = null;
  const session = {
    permissionRequestHandler: null as null | ((...args: unknown[]) => void),
    permissionCheckHandler: null as null | ((...args: unknown[]) => boolean),
    headersHandler: null as null | ((...args: unknown[]) => void),
  };
  let readyResolve: () => void = () => undefined;
  const ready = new Promise<void>((r) => (readyResolve = r));
  let lock = true;
  let quitCalls = 0;
  // The OS keychain: a secret service on Linux by default; "basic_text" when there is none.
  const keychain = { available: true, backend: 'gnome_libsecret' as string };

  class FakeBrowserWindow extends EventEmitter {
    options: Record<string, unknown>;
    webContents = new FakeWebContents();
    loadedUrl = '';
    maximized = false;
    constructor(options: Record<string, unknown>) {
      super();
      this.options = options;
      windows.push(this);
      appEvents.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string) {
      this.loadedUrl = url;
      this.webContents.url = url;
      return Promise.resolve();
    }
    show() {}
    maximize() {
      this.maximized = true;
    }
    isMaximized() {
      return this.maximized;
    }
    getNormalBounds() {
      return { x: 10, y: 20, width: 1000, height: 700 };
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {}
    static getAllWindows() {
      return windows;
    }
    static getFocusedWindow() {
      return windows[0] ?? null;
    }
  }

  const electron = {
    app: {
      isPackaged: true,
      requestSingleInstanceLock: () => lock,
      quit: () => void quitCalls++,
      on: (event: string, fn: (...args: unknown[]) => void) => appEvents.on(event, fn),
      whenReady: () => ready,
      getPath: () => '/tmp/poddesk-fake-user-data',
      getAppPath: () => '/tmp/poddesk-fake-app',
      getVersion: () => '0.0.0-test',
    },
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handle: (channel: string, fn: (...args: unknown[]) => unknown) => {
        if (ipcHandlers.has(channel)) throw new Error(`second handler for ${channel}`);
        ipcHandlers.set(channel, fn);
      },
      removeHandler: (channel: string) => ipcHandlers.delete(channel),
      on: (channel: string, fn: (...args: unknown[]) => unknown) => ipcListeners.set(channel, fn),
      removeListener: (channel: string) => ipcListeners.delete(channel),
    },
    ipcRenderer: {
      invoke: async (channel: string, ...args: unknown[]) => {
        invoked.push({ channel, args });
        return answers.get(channel) ?? { ok: true, data: null };
      },
      send: (channel: string, ...args: unknown[]) => void sentFromRenderer.push({ channel, args }),
      on: (channel: string, fn: (...args: unknown[]) => void) => void rendererListeners.set(channel, fn),
    },
    contextBridge: {
      exposeInMainWorld: (key: string, value: unknown) => {
        exposed[key] = value;
      },
    },
    // Electron answers the path a dropped File came from (and throws for anything that is not a File); here the fake file carries it.
    webUtils: {
      getPathForFile: (file: { fakePath?: string }) => {
        if (typeof file !== 'object' || file === null)
          throw new TypeError('Error processing argument at index 0, conversion failure');
        return file.fakePath ?? '';
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => void privileged.push(...schemes),
      handle: (_scheme: string, fn: (request: { url: string }) => Promise<Response>) => {
        protocolHandler = fn;
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: (...args: unknown[]) => void) => (session.permissionRequestHandler = fn),
        setPermissionCheckHandler: (fn: (...args: unknown[]) => boolean) => (session.permissionCheckHandler = fn),
        webRequest: { onHeadersReceived: (fn: (...args: unknown[]) => void) => (session.headersHandler = fn) },
      },
    },
    shell: { openExternal: async (url: string) => void opened.push(url) },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    dialog: {
      showSaveDialog: async () => ({ canceled: false, filePath: '/tmp/chosen' }),
      showOpenDialog: async () => ({ canceled: false, filePaths: ['/tmp/a'] }),
      // Electron's two forms: (window, options) for a box attached to a window, (options) for a free one.
      showMessageBox: (...args: unknown[]) => {
        const [parent, options] = args.length > 1 ? args : [null, args[0]];
        return new Promise<{ response: number; checkboxChecked: boolean }>((resolve) => {
          messageBoxes.push({
            parent: parent as FakeBrowserWindow | null,
            options: options as MessageBoxOptions,
            answer: (response) => resolve({ response, checkboxChecked: false }),
          });
        });
      },
    },
    // Reversible, and never the clear text: enough to see that only ciphertext reaches the disk.
    safeStorage: {
      isEncryptionAvailable: () => keychain.available,
      getSelectedStorageBackend: () => keychain.backend,
      encryptString: (text: string) => Buffer.from(Buffer.from(text).map((b) => b ^ 0xa5)),
      decryptString: (data: Buffer) => Buffer.from(data.map((b) => b ^ 0xa5)).toString(),
    },
  };

  return {
    electron,
    keychain,
    windows,
    appEvents,
    ipcHandlers,
    ipcListeners,
    exposed,
    rendererListeners,
    invoked,
    answers,
    sentFromRenderer,
    opened,
    messageBoxes,
    privileged,
    session,
    protocolHandler: () => protocolHandler,
    ready: () => readyResolve(),
    setLock: (value: boolean) => (lock = value),
    quitCalls: () => quitCalls,
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
