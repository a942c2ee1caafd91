import { create } from 'zustand'
import type { AppInfo } from '../../../contract/app'
import { invoke, onConnectionLost } from '../api'
import { notifyLoadError, useNotify } from './notify'

export interface HostState {
  /** Name, version, platform and transport from `app.info`; null until it answered. */
  info: AppInfo | null
  /** False once the connection to the host dropped; nothing works until the window is reloaded. */
  connected: boolean
  load(): Promise<void>
  /** Follows the connection's state; returns the unsubscribe function. */
  watch(): () => void
}

/** What the shell knows about the host it talks to. */
export const useHost = create<HostState>()((set) => ({
  info: null,
  connected: true,
  watch() {
    return onConnectionLost(() => {
      set({ connected: false })
      useNotify.getState().push({
        kind: 'error',
        message: 'Lost the connection to the Porthole host. Restart it and reload this window.',
        code: 'PROVIDER_UNAVAILABLE',
      })
    })
  },
  async load() {
    try {
      set({ info: await invoke('app.info', {}) })
    } catch (err) {
      notifyLoadError(err, 'Could not reach the Porthole host')
    }
  },
}))
