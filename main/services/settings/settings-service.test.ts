import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, type Settings } from '../../../contract/settings'
import { createSettingsService } from './settings-service'

function service(initial?: unknown) {
  let stored: unknown = initial
  const changes: Settings[] = []
  const log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined }
  const s = createSettingsService({ read: () => stored, write: (v) => (stored = v) }, log as never, (v) => changes.push(v))
  return { s, changes, stored: () => stored }
}

describe('settings: per-VM console layouts', () => {
  it('settings stored before consoleLayouts existed read with an empty map', () => {
    const { s } = service({ theme: 'dark', layout: DEFAULT_SETTINGS.layout })
    expect(s.get()).toEqual({ theme: 'dark', layout: DEFAULT_SETTINGS.layout, consoleLayouts: {} })
  })

  it('a patch changes the VMs it names, null forgets one, the rest stay', () => {
    const { s } = service()
    s.set({ consoleLayouts: { 'c1/vm-1': 'de', 'c1/vm-2': 'fr' } })
    s.set({ theme: 'light' })
    expect(s.get().consoleLayouts).toEqual({ 'c1/vm-1': 'de', 'c1/vm-2': 'fr' })
    const next = s.set({ consoleLayouts: { 'c1/vm-1': null, 'c1/vm-3': 'auto' } })
    expect(next.consoleLayouts).toEqual({ 'c1/vm-2': 'fr', 'c1/vm-3': 'auto' })
    expect(next.theme).toBe('light')
  })
})
