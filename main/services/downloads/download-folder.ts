// Where downloads go: the OS downloads folder by default (the browser harness passes
// `<dataDir>/downloads`), or a folder the user picked in a system dialog, remembered in a small
// JSON file beside the other data. The UI shows "Downloads" for the default and the chosen path
// otherwise (the user chose it, so showing it reveals nothing new).
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import type { DownloadFolder } from '../../../contract/downloads'

const Saved = z.strictObject({ folder: z.string().min(1) })

export interface DownloadFolderStore {
  /** The folder's absolute path (created when missing). */
  dir(): Promise<string>
  info(): DownloadFolder
  /** Remembers a folder the user chose (an absolute path from a system dialog). */
  choose(folder: string): Promise<DownloadFolder>
}

/** The downloads folder setting, kept in `settingsFile`. */
export function createDownloadFolder(options: { defaultDir: string; settingsFile: string }): DownloadFolderStore {
  let custom: string | undefined
  try {
    const saved = Saved.safeParse(JSON.parse(fs.readFileSync(options.settingsFile, 'utf8')))
    if (saved.success && path.isAbsolute(saved.data.folder)) custom = saved.data.folder
  } catch {
    // No choice saved yet (or an unreadable file): the default folder.
  }
  const info = (): DownloadFolder => (custom !== undefined ? { display: custom, custom: true } : { display: 'Downloads', custom: false })
  return {
    async dir() {
      const dir = custom ?? options.defaultDir
      await fs.promises.mkdir(dir, { recursive: true })
      return dir
    },
    info,
    async choose(folder) {
      if (!path.isAbsolute(folder)) throw new Error('The downloads folder must be an absolute path.')
      custom = folder
      const tmp = `${options.settingsFile}.tmp`
      await fs.promises.writeFile(tmp, JSON.stringify({ folder }))
      await fs.promises.rename(tmp, options.settingsFile)
      return info()
    },
  }
}
