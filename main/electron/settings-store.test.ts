import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_SETTINGS } from '../../contract/settings'
import { memoryLog } from '../services/log/log'
import { createSettingsService } from '../services/settings/settings-service'

// electron-store reads app and ipcMain from 'electron' at construction (vitest.config inlines it so this mock reaches it).
const fake = vi.hoisted(() => {
  const listeners = new Map<string, unknown[]>()
  const ipcMain = {
    on: (channel: string, listener: unknown) => void listeners.set(channel, [...(listeners.get(channel) ?? []), listener]),
    removeAllListeners: (channel: string) => void listeners.delete(channel),
    listenerCount: (channel: string) => listeners.get(channel)?.length ?? 0,
  }
  const app = { getPath: () => '/nonexistent-userData', getVersion: () => '0.1.0' }
  return { ipcMain, app }
})
vi.mock('electron', () => ({ ...fake, default: { ...fake, shell: {} } }))

const { openPreferences, PREFERENCES_NAME } = await import('./settings-store')

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-prefs-'))
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

const file = (): string => path.join(dir, `${PREFERENCES_NAME}.json`)

describe('preferences (electron-store)', () => {
  it('keeps settings and window bounds in one file, under separate keys, across reopen', async () => {
    const prefs = await openPreferences(dir, memoryLog())
    expect([prefs.settings.read(), prefs.windowState.read()]).toEqual([undefined, undefined])
    const settings = { ...DEFAULT_SETTINGS, theme: 'dark' as const }
    const bounds = { x: 10, y: 20, width: 1000, height: 700, maximized: false }
    prefs.settings.write(settings)
    prefs.windowState.write(bounds)
    expect(prefs.file).toBe(file())
    const again = await openPreferences(dir, memoryLog())
    expect([again.settings.read(), again.windowState.read()]).toEqual([settings, bounds])
    expect(JSON.parse(fs.readFileSync(file(), 'utf8'))).toEqual({ settings, window: bounds })
  })

  it('backs the settings service: a set survives a restart', async () => {
    const log = memoryLog()
    const first = createSettingsService((await openPreferences(dir, log)).settings, log, () => {})
    first.set({ layout: { sidebarWidth: 300 } })
    const second = createSettingsService((await openPreferences(dir, log)).settings, log, () => {})
    expect(second.get().layout.sidebarWidth).toBe(300)
  })

  it('moves a damaged file aside and starts with defaults instead of failing', async () => {
    fs.writeFileSync(file(), '{"settings": {"theme": "da')
    const log = memoryLog()
    const prefs = await openPreferences(dir, log)
    expect(prefs.settings.read()).toBeUndefined()
    const aside = fs.readdirSync(dir).filter((f) => f.startsWith(`${PREFERENCES_NAME}.json.damaged-`))
    expect(aside).toHaveLength(1)
    expect(fs.readFileSync(path.join(dir, aside[0]!), 'utf8')).toBe('{"settings": {"theme": "da')
    expect(log.lines.some((l) => l.startsWith('warn preferences file is not valid JSON'))).toBe(true)
    prefs.settings.write(DEFAULT_SETTINGS)
    expect(JSON.parse(fs.readFileSync(file(), 'utf8'))).toEqual({ settings: DEFAULT_SETTINGS })
  })

  it("removes electron-store's IPC listener, which would tell any renderer the userData path", async () => {
    await openPreferences(dir, memoryLog())
    expect(fake.ipcMain.listenerCount('electron-store-get-data')).toBe(0)
  })
})
