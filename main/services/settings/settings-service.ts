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
      }
      store.write(next)
      onChange(next)
      return next
    },
  }
}
