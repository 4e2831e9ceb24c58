import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge, type BridgeTransport, type PodDeskBridge, type StreamEvent } from '../shared/bridge';
import { callNames, streamNames } from 'virtual:poddesk-contract-names';
import { channels } from '../shared/ipc-channels';
import type { Result } from '../shared/errors';

/**
 * The whole preload: `window.poddesk`, one function per contract name, plus `getPathForFile`
 * for drag and drop. The page never sees ipcRenderer or an IPC event object.
 */
const transport: BridgeTransport = {
  invoke: (name, input) => ipcRenderer.invoke(channels.call(name), input) as Promise<Result<unknown>>,
  open: (id, name, input) => ipcRenderer.invoke(channels.streamOpen, { id, name, input }) as Promise<Result<null>>,
  close: (id) => ipcRenderer.send(channels.streamClose, id),
  onEvent: (listener) => {
    ipcRenderer.on(channels.streamEvent, (_event, payload: StreamEvent) => listener(payload));
  },
};

const bridge: PodDeskBridge = {
  ...createBridge(transport, callNames, streamNames),
  // The one extra: a dropped file's path, so uploads stream from disk in main (nothing in memory here).
  getPathForFile: (file: File) => webUtils.getPathForFile(file),
};
contextBridge.exposeInMainWorld('poddesk', bridge);
