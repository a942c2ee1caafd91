import { create } from 'zustand'
import type { ProviderKind, VmRef } from '../../../contract/inventory'

/**
 * Every kind of tab and the parameters its tabs carry. A feature that brings a new kind of
 * tab (a console, a process list) adds one line here and its view in app/tab-views.tsx;
 * the compiler then insists that the view exists and takes these parameters.
 */
export interface TabParamsByKind {
  home: Record<string, never>
  shortcuts: Record<string, never>
  inventory: Record<string, never>
  processes: { vm: VmRef; vmName: string }
  files: { vm: VmRef; vmName: string }
  downloads: Record<string, never>
  console: { ref: VmRef; protocol: 'rfb' | 'serial'; name: string; provider: ProviderKind }
  'console-wall': Record<string, never>
}

export type TabKind = keyof TabParamsByKind

interface TabOf<K extends TabKind> {
  /** Stable identity: opening a tab with the same id again activates it instead of duplicating it. */
  readonly id: string
  readonly kind: K
  readonly title: string
  readonly params: TabParamsByKind[K]
  /** Home is pinned; everything else the user may close. */
  readonly closable: boolean
}

export type Tab = { [K in TabKind]: TabOf<K> }[TabKind]
export type TabOfKind<K extends TabKind> = TabOf<K>

/** What `open` takes: the id defaults to the kind, which suits one-of-a-kind tabs like "Keyboard shortcuts". */
export type TabRequest = {
  [K in TabKind]: { kind: K; title: string; params: TabParamsByKind[K]; id?: string; closable?: boolean }
}[TabKind]

export const HOME_TAB: Tab = { id: 'home', kind: 'home', title: 'Home', params: {}, closable: false }

export interface TabsState {
  tabs: readonly Tab[]
  activeId: string
  /** Opens a tab and activates it; if one with the same id is open, activates that one (and takes the new title). */
  open(request: TabRequest): string
  /** Closes a tab unless it is pinned; the neighbour to its right (else left) becomes active. */
  close(id: string): void
  activate(id: string): void
  /** Activates the next (1) or previous (-1) tab, wrapping around. */
  cycle(direction: 1 | -1): void
}

function tabFrom(request: TabRequest): Tab {
  return {
    id: request.id ?? request.kind,
    kind: request.kind,
    title: request.title,
    params: request.params,
    closable: request.closable ?? true,
  } as Tab
}

export const useTabs = create<TabsState>()((set, get) => ({
  tabs: [HOME_TAB],
  activeId: HOME_TAB.id,

  open(request) {
    const tab = tabFrom(request)
    set(({ tabs }) => {
      const index = tabs.findIndex((t) => t.id === tab.id)
      if (index === -1) return { tabs: [...tabs, tab], activeId: tab.id }
      const next = tabs.slice()
      next[index] = { ...tabs[index]!, title: tab.title } as Tab
      return { tabs: next, activeId: tab.id }
    })
    return tab.id
  },

  close(id) {
    const { tabs, activeId } = get()
    const index = tabs.findIndex((t) => t.id === id)
    const tab = tabs[index]
    if (!tab || !tab.closable) return
    const rest = tabs.filter((t) => t.id !== id)
    const neighbour = rest[Math.min(index, rest.length - 1)]
    set({ tabs: rest, activeId: id === activeId && neighbour ? neighbour.id : activeId })
  },

  activate(id) {
    if (get().tabs.some((t) => t.id === id)) set({ activeId: id })
  },

  cycle(direction) {
    const { tabs, activeId } = get()
    const index = tabs.findIndex((t) => t.id === activeId)
    const next = tabs[(index + direction + tabs.length) % tabs.length]
    if (next) set({ activeId: next.id })
  },
}))

/** The active tab (there is always one: Home cannot be closed). */
export function activeTab(state: Pick<TabsState, 'tabs' | 'activeId'>): Tab {
  return state.tabs.find((t) => t.id === state.activeId) ?? state.tabs[0] ?? HOME_TAB
}
