import fs from 'node:fs'
import path from 'node:path'
import { ipcMain } from 'electron'
import type { Settings } from '../../contract/settings'
import type { Log } from '../services/log/log'
import type { SettingsStore } from '../services/settings/settings-service'
import type { WindowState, WindowStateStore } from './window-state'

/** preferences.json in userData: UI preferences and window bounds, never secrets (those are in the vault). */
export const PREFERENCES_NAME = 'preferences'
const SETTINGS_KEY = 'settings'
const WINDOW_KEY = 'window'

export interface Preferences {
  settings: SettingsStore
  windowState: WindowStateStore
  /** The file, for the log. */
  file: string
}

/**
 * Opens the preferences store (electron-store). A file that is not valid JSON is moved aside
 * as `preferences.json.damaged-<time>` and the app starts with defaults, instead of refusing to
 * start or silently wiping it. The settings service validates what it reads, so a readable
 * file with wrong values also falls back to defaults there.
 */
export async function openPreferences(dir: string, log: Log): Promise<Preferences> {
  // electron-store is ESM-only; a dynamic import loads it from the CommonJS main bundle.
  const { default: Store } = await import('electron-store')
  const open = (): InstanceType<typeof Store> => new Store({ cwd: dir, name: PREFERENCES_NAME, clearInvalidConfig: false })
  let store: InstanceType<typeof Store>
  try {
    store = open()
  } catch (err) {
    const file = path.join(dir, `${PREFERENCES_NAME}.json`)
    if (!fs.existsSync(file)) throw err
    const aside = `${file}.damaged-${Date.now()}`
    fs.renameSync(file, aside)
    log.warn('preferences file is not valid JSON; moved aside, using defaults', { movedTo: aside, error: String(err) })
    store = open()
  }
  // electron-store answers 'electron-store-get-data' with the userData path, for stores opened
  // in a renderer. Ours never does that, and the renderer must not learn absolute paths.
  ipcMain.removeAllListeners('electron-store-get-data')

  return {
    file: store.path,
    settings: {
      read: () => store.get(SETTINGS_KEY),
      write: (value: Settings) => store.set(SETTINGS_KEY, value),
    },
    windowState: {
      read: () => store.get(WINDOW_KEY),
      write: (value: WindowState) => store.set(WINDOW_KEY, value),
    },
  }
}
