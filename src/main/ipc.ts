import { basename, posix, win32 } from 'node:path';
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import type { HostHandle } from '../shared/contract';
import { callNames } from '../shared/contract';
import type { StreamEvent } from '../shared/bridge';
import { channels } from '../shared/ipc-channels';
import type { Result } from '../shared/errors';
import type { HostPaths } from './host-paths';
import type { Dispatcher, Session } from './rpc/dispatcher';

const forbidden: Result<never> = {
  ok: false,
  error: { code: 'FORBIDDEN', message: 'Calls are accepted only from the app’s own page' },
};

/**
 * Files dropped on the window, as the preload found their paths: each gets a handle. Only what
 * looks like a dropped file's path is taken (webUtils answers '' for anything else).
 */
export function registerDrops(hostPaths: HostPaths, paths: unknown): Result<HostHandle[]> {
  const refuse = (message: string): Result<never> => ({ ok: false, error: { code: 'INVALID_INPUT', message } });
  if (!Array.isArray(paths) || paths.length === 0 || paths.length > 10_000) return refuse('Drop between 1 and 10,000 files');
  const absolute = (p: string) => posix.isAbsolute(p) || win32.isAbsolute(p);
  if (!paths.every((p) => typeof p === 'string' && p.length <= 4096 && !p.includes('\0') && absolute(p))) {
    return refuse('Only files and folders of this computer can be dropped here');
  }
  return { ok: true, data: (paths as string[]).map((p) => hostPaths.issue(p, 'drop', basename(p))) };
}

/**
 * Binds the contract to Electron IPC: one `handle` per call name, one pair of channels for
 * streams, and the preload's channel for dropped files. Every message's sender frame must be the
 * app's own page; every stream belongs to the page that opened it and ends when that page goes away.
 */
export function bindIpc(
  ipcMain: IpcMain,
  dispatcher: Dispatcher,
  isAppUrl: (url: string | undefined) => boolean,
  hostPaths?: HostPaths,
): () => void {
  const sessions = new Map<WebContents, Session>();
  const trusted = (event: IpcMainEvent | IpcMainInvokeEvent) => isAppUrl(event.senderFrame?.url);

  const sessionOf = (sender: WebContents): Session => {
    let session = sessions.get(sender);
    if (!session) {
      const created = dispatcher.session((event: StreamEvent) => {
        if (!sender.isDestroyed()) sender.send(channels.streamEvent, event);
      });
      session = created;
      sessions.set(sender, created);
      const end = () => {
        created.closeAll();
        sessions.delete(sender);
      };
      sender.once('destroyed', end);
      // A reload starts a new page: the old page's streams have nobody left to read them.
      sender.on('did-start-navigation', (details: { isMainFrame?: boolean; isSameDocument?: boolean }) => {
        if (details?.isMainFrame && !details.isSameDocument) created.closeAll();
      });
    }
    return session;
  };

  for (const name of callNames) {
    ipcMain.handle(channels.call(name), (event, input: unknown) => (trusted(event) ? dispatcher.call(name, input) : forbidden));
  }
  ipcMain.handle(channels.streamOpen, (event, message: { id?: unknown; name?: unknown; input?: unknown }) => {
    if (!trusted(event)) return forbidden;
    if (typeof message?.id !== 'string' || typeof message.name !== 'string') {
      return { ok: false, error: { code: 'INVALID_INPUT', message: 'A stream needs an id and a name' } };
    }
    return sessionOf(event.sender).open(message.id, message.name, message.input);
  });
  const onClose = (event: IpcMainEvent, id: unknown) => {
    if (trusted(event) && typeof id === 'string') sessions.get(event.sender)?.close(id);
  };
  ipcMain.on(channels.streamClose, onClose);
  if (hostPaths) {
    ipcMain.handle(channels.registerDrops, (event, paths: unknown) =>
      trusted(event) ? registerDrops(hostPaths, paths) : forbidden,
    );
  }

  return () => {
    for (const name of callNames) ipcMain.removeHandler(channels.call(name));
    ipcMain.removeHandler(channels.streamOpen);
    if (hostPaths) ipcMain.removeHandler(channels.registerDrops);
    ipcMain.removeListener(channels.streamClose, onClose);
    for (const session of sessions.values()) session.closeAll();
    sessions.clear();
  };
}
