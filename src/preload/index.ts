import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge, type BridgeTransport, type PodDeskBridge, type StreamEvent } from '../shared/bridge';
import { callNames, streamNames } from 'virtual:poddesk-contract-names';
import { channels } from '../shared/ipc-channels';
import type { Result } from '../shared/errors';
import type { HostHandle } from '../shared/contract/kinds';

/**
 * The whole preload: `window.poddesk`, one function per contract name, plus
 * `registerDroppedFiles` for drag and drop. The page never sees ipcRenderer, an IPC event object,
 * or a path of this computer.
 */
const transport: BridgeTransport = {
  invoke: (name, input) => ipcRenderer.invoke(channels.call(name), input) as Promise<Result<unknown>>,
  open: (id, name, input) => ipcRenderer.invoke(channels.streamOpen, { id, name, input }) as Promise<Result<null>>,
  close: (id) => ipcRenderer.send(channels.streamClose, id),
  onEvent: (listener) => {
    ipcRenderer.on(channels.streamEvent, (_event, payload: StreamEvent) => listener(payload));
  },
};

/**
 * The one extra: dropped files become handles. Their paths are found here (webUtils) and go
 * straight to main, which keeps them and answers handles; uploads then stream from disk in main.
 */
async function registerDroppedFiles(files: File[]): Promise<Result<HostHandle[]>> {
  let paths: string[];
  try {
    paths = Array.from(files, (file) => webUtils.getPathForFile(file));
  } catch {
    return { ok: false, error: { code: 'INVALID_INPUT', message: 'Only files dropped on the window can be registered' } };
  }
  return (await ipcRenderer.invoke(channels.registerDrops, paths)) as Result<HostHandle[]>;
}

const bridge: PodDeskBridge = {
  ...createBridge(transport, callNames, streamNames),
  registerDroppedFiles,
};
contextBridge.exposeInMainWorld('poddesk', bridge);
