/** The Electron IPC channels; main (ipc.ts) and the preload use the same names. */
export const channels = {
  call: (name: string) => `poddesk:call:${name}`,
  streamOpen: 'poddesk:stream:open',
  streamClose: 'poddesk:stream:close',
  streamEvent: 'poddesk:stream:event',
  /** The preload registers files dropped on the window; main answers a handle for each. */
  registerDrops: 'poddesk:host-paths:drop',
} as const;
