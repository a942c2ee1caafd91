import { DEFAULT_SETTINGS, Settings, type SettingsPatch } from '../../../contract/settings'
import type { Log } from '../log/log'

/** Where preferences are kept: electron-store in the app, a JSON file in the browser harness. */
export interface SettingsStore {
  read(): unknown
  write(value: Settings): void
}

export interface SettingsService {
  get(): Settings
  set(patch: SettingsPatch): Settings
}

/** UI preferences with defaults; a damaged store falls back to defaults (and says so in the log) instead of failing. */
export function createSettingsService(store: SettingsStore, log: Log, onChange: (s: Settings) => void): SettingsService {
  function get(): Settings {
    const stored = store.read()
    if (stored === undefined) return structuredClone(DEFAULT_SETTINGS)
    const parsed = Settings.safeParse(stored)
    if (parsed.success) return parsed.data
    log.warn('stored settings are not valid; using defaults', { issues: parsed.error.issues.length })
    return structuredClone(DEFAULT_SETTINGS)
  }
  return {
    get,
    set(patch) {
      const current = get()
      const layout = patch.layout ?? {}
      const next: Settings = {
        theme: patch.theme ?? current.theme,
        layout: {
          sidebarWidth: layout.sidebarWidth ?? current.layout.sidebarWidth,
          sidebarCollapsed: layout.sidebarCollapsed ?? current.layout.sidebarCollapsed,
        },
        consoleLayouts: mergeConsoleLayouts(current.consoleLayouts, patch.consoleLayouts),
      }
      store.write(next)
      onChange(next)
      return next
    },
  }
}

/** Per-VM layouts: given keys change (null removes), others stay; the oldest go past 2,000 VMs. */
function mergeConsoleLayouts(current: Settings['consoleLayouts'], patch: SettingsPatch['consoleLayouts']): Settings['consoleLayouts'] {
  if (!patch) return current
  const next = new Map(Object.entries(current))
  for (const [vm, layout] of Object.entries(patch)) {
    next.delete(vm)
    if (layout !== null && layout !== undefined) next.set(vm, layout)
  }
  while (next.size > 2000) next.delete(next.keys().next().value as string)
  return Object.fromEntries(next)
}
