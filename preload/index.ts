import { contextBridge, ipcRenderer } from 'electron'
import { createClient, type ClientTransport } from '../contract/client'
import type { CallResult } from '../contract/result'
import { IPC_CALL, IPC_EVENT } from '../contract/ipc-channels'

// Only the typed client crosses into the page: no ipcRenderer, no IPC event objects.
const transport: ClientTransport = {
  invoke: (name, payload) => ipcRenderer.invoke(IPC_CALL, name, payload) as Promise<CallResult<unknown>>,
  listen(listener) {
    const onEvent = (_event: Electron.IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (typeof name === 'string') listener(name, payload)
    }
    ipcRenderer.on(IPC_EVENT, onEvent)
    return () => {
      ipcRenderer.off(IPC_EVENT, onEvent)
    }
  },
}

contextBridge.exposeInMainWorld('porthole', createClient(transport))
