import type { HostHandle } from './contract/kinds';
import type { ErrorShape, Result } from './errors';

/**
 * `window.poddesk`: what the preload (over Electron IPC) and the browser host (over a WebSocket)
 * both put in the page. It is built from the contract's list of names, one function per name,
 * so nothing else from main is reachable from the page.
 */
export type StreamMessage = { type: 'batch'; items: unknown[] } | { type: 'end'; error?: ErrorShape };
export type StreamEvent = StreamMessage & { id: string };
export type Unsubscribe = () => void;

export interface PodDeskBridge {
  calls: Record<string, (input?: unknown) => Promise<Result<unknown>>>;
  streams: Record<string, (input: unknown, listener: (message: StreamMessage) => void) => Unsubscribe>;
  /**
   * Electron only: files dropped on the page, registered in main. The preload finds each one's
   * path (webUtils.getPathForFile) and main answers a handle for it, which the page passes to a
   * call (an upload, a restore, a build); the page never sees or sends the path. The browser host
   * has no such thing: its page sends the files' bytes over HTTP.
   */
  registerDroppedFiles?: (files: File[]) => Promise<Result<HostHandle[]>>;
}

/** What a transport must do; the preload and the WebSocket bridge each implement it in a few lines. */
export interface BridgeTransport {
  invoke(name: string, input: unknown): Promise<Result<unknown>>;
  open(id: string, name: string, input: unknown): Promise<Result<null>>;
  close(id: string): void;
  onEvent(listener: (event: StreamEvent) => void): void;
}

export function createBridge(
  transport: BridgeTransport,
  callNames: readonly string[],
  streamNames: readonly string[],
): PodDeskBridge {
  const listeners = new Map<string, (message: StreamMessage) => void>();
  let counter = 0;

  transport.onEvent((event) => {
    const listener = listeners.get(event.id);
    if (!listener) return;
    if (event.type === 'end') listeners.delete(event.id);
    listener(event.type === 'batch' ? { type: 'batch', items: event.items } : { type: 'end', error: event.error });
  });

  const calls: PodDeskBridge['calls'] = {};
  for (const name of callNames) calls[name] = (input?: unknown) => transport.invoke(name, input);

  const streams: PodDeskBridge['streams'] = {};
  for (const name of streamNames) {
    streams[name] = (input, listener) => {
      const id = `${name}#${++counter}`;
      listeners.set(id, listener);
      transport.open(id, name, input).then(
        (result) => {
          if (!result.ok && listeners.delete(id)) listener({ type: 'end', error: result.error });
        },
        (error: unknown) => {
          if (listeners.delete(id)) listener({ type: 'end', error: { code: 'INTERNAL', message: String(error) } });
        },
      );
      return () => {
        if (listeners.delete(id)) transport.close(id);
      };
    };
  }
  return Object.freeze({ calls: Object.freeze(calls), streams: Object.freeze(streams) });
}
