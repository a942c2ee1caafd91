/** The two Electron IPC channels. Only main/electron/ipc-transport.ts and preload/ use them. */
export const IPC_CALL = 'porthole:call'
export const IPC_EVENT = 'porthole:event'
