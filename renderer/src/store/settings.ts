import { create } from 'zustand'
import { DEFAULT_SETTINGS, type Settings, type Theme } from '../../../contract/settings'
import { getApi, invoke } from '../api'
import { notifyError, notifyLoadError } from './notify'

export type Layout = Settings['layout']

/** A drag fires many widths a second; only the one it settles on is written. */
export const LAYOUT_SAVE_DELAY_MS = 300

export interface SettingsState {
  settings: Settings
  /** False until `settings.get` answered: the shell renders with defaults meanwhile. */
  loaded: boolean
  /** Reads the preferences; a failure is shown and the defaults stay. */
  load(): Promise<void>
  /** Follows `settings.changed` (another window, or the host itself); returns the unsubscribe function. */
  follow(): () => void
  /** Applies the theme at once and saves it; on failure puts the previous one back and says why. */
  setTheme(theme: Theme): Promise<void>
  /** Applies a layout change at once and saves it after LAYOUT_SAVE_DELAY_MS of quiet. */
  setLayout(patch: Partial<Layout>): void
  /** Writes a pending layout change now (tests; before the window closes). */
  flushLayout(): Promise<void>
}

let pendingLayout: Partial<Layout> | undefined
let layoutTimer: ReturnType<typeof setTimeout> | undefined

export const useSettings = create<SettingsState>()((set, get) => {
  /** Takes the host's settings, except a layout the user is still dragging (it is about to be written). */
  function adopt(incoming: Settings): void {
    const layout = pendingLayout ? { ...incoming.layout, ...pendingLayout } : incoming.layout
    set({ settings: { ...incoming, layout }, loaded: true })
  }

  return {
    settings: DEFAULT_SETTINGS,
    loaded: false,

    async load() {
      try {
        adopt(await invoke('settings.get', {}))
      } catch (err) {
        set({ loaded: true })
        notifyLoadError(err, 'Could not read the preferences')
      }
    },

    follow() {
      return getApi().on('settings.changed', adopt)
    },

    async setTheme(theme) {
      const previous = get().settings.theme
      if (previous === theme) return
      set(({ settings }) => ({ settings: { ...settings, theme } }))
      try {
        adopt(await invoke('settings.set', { theme }))
      } catch (err) {
        // Only undo if nothing newer has been chosen meanwhile.
        if (get().settings.theme === theme) set(({ settings }) => ({ settings: { ...settings, theme: previous } }))
        notifyError(err, 'Could not save the theme')
      }
    },

    setLayout(patch) {
      set(({ settings }) => ({ settings: { ...settings, layout: { ...settings.layout, ...patch } } }))
      pendingLayout = { ...pendingLayout, ...patch }
      clearTimeout(layoutTimer)
      layoutTimer = setTimeout(() => void get().flushLayout(), LAYOUT_SAVE_DELAY_MS)
    },

    async flushLayout() {
      clearTimeout(layoutTimer)
      const layout = pendingLayout
      if (!layout) return
      try {
        const saved = await invoke('settings.set', { layout })
        if (pendingLayout === layout) pendingLayout = undefined
        adopt(saved)
      } catch (err) {
        if (pendingLayout === layout) pendingLayout = undefined
        notifyError(err, 'Could not save the layout')
      }
    },
  }
})
