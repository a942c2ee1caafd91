// The open consoles as the rest of the renderer sees them: each console tab registers what the
// console wall needs (its title, its phase, its canvas or its last lines), and the relay's
// `console.state` events are kept by handle for the tabs' status lines.
import { create } from 'zustand'
import type { ConsoleStatus } from '../../../../contract/consoles'
import type { VmRef } from '../../../../contract/inventory'
import { getApi } from '../../api'

export type ConsolePhase = 'opening' | 'connecting' | 'connected' | 'retrying' | 'failed'

export interface LiveConsole {
  tabId: string
  title: string
  ref: VmRef
  protocol: 'rfb' | 'serial'
  phase: ConsolePhase
  /** noVNC's canvas, for thumbnails. */
  canvas: () => HTMLCanvasElement | null
  /** Asks a hidden console for one fresh frame (it requests none by itself), for thumbnails. */
  refresh: () => void
  /** A serial console's last lines, for thumbnails. */
  lines: () => string[]
}

export interface ConsolesState {
  live: ReadonlyMap<string, LiveConsole>
  statuses: ReadonlyMap<string, ConsoleStatus>
  register(console: LiveConsole): void
  update(tabId: string, patch: Partial<Pick<LiveConsole, 'phase' | 'title'>>): void
  unregister(tabId: string): void
}

export const useConsoles = create<ConsolesState>()((set, get) => ({
  live: new Map(),
  statuses: new Map(),
  register(console) {
    set({ live: new Map(get().live).set(console.tabId, console) })
  },
  update(tabId, patch) {
    const current = get().live.get(tabId)
    if (!current) return
    set({ live: new Map(get().live).set(tabId, { ...current, ...patch }) })
  },
  unregister(tabId) {
    const live = new Map(get().live)
    live.delete(tabId)
    set({ live })
  },
}))

let following = false

/** Follows `console.state` (once): the latest status of every session by handle, a few hundred at most. */
export function followConsoleStates(): void {
  if (following) return
  following = true
  getApi().on('console.state', (status) => {
    const statuses = new Map(useConsoles.getState().statuses)
    statuses.set(status.handle, status)
    if (statuses.size > 200) statuses.delete(statuses.keys().next().value as string)
    useConsoles.setState({ statuses })
  })
}
