import type { PortholeApi } from '../../contract/client'

declare global {
  interface Window {
    /** Set by the preload in Electron; absent in the browser harness. */
    porthole?: PortholeApi
  }
}
export {}
