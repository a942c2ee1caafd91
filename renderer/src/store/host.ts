import { create } from 'zustand'
import type { AppInfo } from '../../../contract/app'
import { invoke } from '../api'
import { notifyError } from './notify'

export interface HostState {
  /** Name, version, platform and transport from `app.info`; null until it answered. */
  info: AppInfo | null
  load(): Promise<void>
}

/** What the shell knows about the host it talks to. */
export const useHost = create<HostState>()((set) => ({
  info: null,
  async load() {
    try {
      set({ info: await invoke('app.info', {}) })
    } catch (err) {
      notifyError(err, 'Could not reach the Porthole host')
    }
  },
}))
