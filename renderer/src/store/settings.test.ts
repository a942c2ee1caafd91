import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { PortholeApi } from '../../../contract/client'
import { DEFAULT_SETTINGS, Settings, SettingsPatch } from '../../../contract/settings'
import type { WireError } from '../../../contract/errors'
import { provideApi } from '../api'
import { useNotify } from './notify'
import { LAYOUT_SAVE_DELAY_MS, useSettings } from './settings'

/** A stand-in host: keeps settings, validates patches with the contract's schema, can be told to fail. */
function fakeHost() {
  let stored: Settings = structuredClone(DEFAULT_SETTINGS)
  const listeners = new Set<(s: Settings) => void>()
  const host = {
    failWith: undefined as WireError | undefined,
    sets: [] as SettingsPatch[],
    emit(s: Settings) {
      for (const l of listeners) l(s)
    },
    api: {
      async call(name: string, input: unknown) {
        if (host.failWith) return { ok: false, error: host.failWith }
        if (name === 'settings.get') return { ok: true, value: stored }
        if (name === 'settings.set') {
          const patch = SettingsPatch.parse(input)
          host.sets.push(patch)
          stored = Settings.parse({ ...stored, ...patch, layout: { ...stored.layout, ...patch.layout } })
          return { ok: true, value: stored }
        }
        throw new Error(`unexpected call ${name}`)
      },
      on(name: string, listener: (s: Settings) => void) {
        expect(name).toBe('settings.changed')
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
    } as unknown as PortholeApi,
  }
  return host
}

const state = () => useSettings.getState()

describe('settings store', () => {
  let host: ReturnType<typeof fakeHost>
  beforeEach(() => {
    host = fakeHost()
    provideApi(host.api)
    useSettings.setState({ settings: DEFAULT_SETTINGS, loaded: false })
    useNotify.setState({ notices: [] })
  })
  afterEach(() => {
    vi.useRealTimers()
    provideApi(undefined)
  })

  it('loads from settings.get and follows settings.changed', async () => {
    await state().load()
    expect(state().loaded).toBe(true)
    const stop = state().follow()
    host.emit({ theme: 'dark', layout: { sidebarWidth: 300, sidebarCollapsed: true }, consoleLayouts: {} })
    expect(state().settings).toEqual({ theme: 'dark', layout: { sidebarWidth: 300, sidebarCollapsed: true }, consoleLayouts: {} })
    stop()
    host.emit({ ...DEFAULT_SETTINGS, theme: 'light' })
    expect(state().settings.theme).toBe('dark')
  })

  it('applies a theme at once and saves it', async () => {
    const saving = state().setTheme('dark')
    expect(state().settings.theme).toBe('dark')
    await saving
    expect(host.sets).toEqual([{ theme: 'dark' }])
  })

  it('puts the previous theme back and shows the error when saving fails', async () => {
    host.failWith = { code: 'INTERNAL', message: 'disk on fire', retryable: false }
    await state().setTheme('dark')
    expect(state().settings.theme).toBe('system')
    expect(useNotify.getState().notices).toMatchObject([{ code: 'INTERNAL', message: 'Could not save the theme: disk on fire' }])
  })

  it('writes a burst of layout changes once, after the burst', async () => {
    vi.useFakeTimers()
    for (const w of [270, 280, 290, 300]) state().setLayout({ sidebarWidth: w })
    expect(state().settings.layout.sidebarWidth).toBe(300)
    expect(host.sets).toEqual([])
    await vi.advanceTimersByTimeAsync(LAYOUT_SAVE_DELAY_MS - 1)
    expect(host.sets).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(host.sets).toEqual([{ layout: { sidebarWidth: 300 } }])
  })

  it('keeps a layout being dragged when an older settings.changed arrives', async () => {
    vi.useFakeTimers()
    state().follow()
    state().setLayout({ sidebarWidth: 400 })
    host.emit({ theme: 'light', layout: { sidebarWidth: 260, sidebarCollapsed: false }, consoleLayouts: {} })
    expect(state().settings).toEqual({ theme: 'light', layout: { sidebarWidth: 400, sidebarCollapsed: false }, consoleLayouts: {} })
    await vi.advanceTimersByTimeAsync(LAYOUT_SAVE_DELAY_MS)
    host.emit({ theme: 'light', layout: { sidebarWidth: 500, sidebarCollapsed: false }, consoleLayouts: {} })
    expect(state().settings.layout.sidebarWidth).toBe(500)
  })
})
