import fs from 'node:fs'
import path from 'node:path'
import type { Settings } from '../../../contract/settings'
import type { SettingsStore } from './settings-service'

/** Preferences in a JSON file, written atomically: the browser harness's stand-in for electron-store. */
export function jsonFileStore(file: string): SettingsStore {
  return {
    read() {
      try {
        return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        return null // unreadable or not JSON: the service falls back to defaults
      }
    },
    write(value: Settings) {
      fs.mkdirSync(path.dirname(file), { recursive: true })
      const tmp = `${file}.${process.pid}.tmp`
      fs.writeFileSync(tmp, JSON.stringify(value, null, 2))
      fs.renameSync(tmp, file)
    },
  }
}
