import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PortholeApi } from '../../../../contract/client'
import type { ProfileSummary } from '../../../../contract/profiles'
import { provideApi } from '../../api'
import { useVault } from '../vault/store'
import { sortProfiles, useProfiles } from './store'

const META = { hasSecret: false, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' }
const vnc = (id: string, name: string): ProfileSummary => ({ ...META, id, kind: 'vnc', name, host: '127.0.0.1', port: 5900 })

function fakeHost(list: ProfileSummary[]) {
  const listeners = new Set<(e: { profiles: ProfileSummary[] }) => void>()
  return {
    emit: (profiles: ProfileSummary[]) => listeners.forEach((l) => l({ profiles })),
    listeners,
    api: {
      async call(name: string) {
        expect(name).toBe('profiles.list')
        return { ok: true, value: { profiles: list } }
      },
      on(name: string, listener: (e: { profiles: ProfileSummary[] }) => void) {
        expect(name).toBe('profiles.changed')
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
    } as unknown as PortholeApi,
  }
}

const unlocked = { state: 'unlocked' as const, autoLockMinutes: 15, quickUnlock: { available: false, enabled: false } }

describe('profiles store', () => {
  beforeEach(() => useVault.setState({ status: unlocked }))
  afterEach(() => {
    provideApi(undefined)
    useProfiles.getState().clear()
  })

  it('sorts by name the way people read it', () => {
    expect(sortProfiles([vnc('1', 'b10'), vnc('2', 'B2'), vnc('3', 'a')]).map((p) => p.name)).toEqual(['a', 'B2', 'b10'])
  })

  it('loads while unlocked, follows profiles.changed, and forgets everything when stopped (a lock)', async () => {
    const host = fakeHost([vnc('1', 'Zulu'), vnc('2', 'Alpha')])
    provideApi(host.api)
    const stop = useProfiles.getState().follow()
    await expect.poll(() => useProfiles.getState().loaded).toBe(true)
    expect(useProfiles.getState().profiles.map((p) => p.name)).toEqual(['Alpha', 'Zulu'])
    host.emit([vnc('3', 'Mike')])
    expect(useProfiles.getState().profiles.map((p) => p.name)).toEqual(['Mike'])
    stop()
    expect(useProfiles.getState()).toMatchObject({ profiles: [], loaded: false })
    expect(host.listeners.size).toBe(0)
  })

  it('ignores a list that arrives after the vault locked', async () => {
    const host = fakeHost([vnc('1', 'Late')])
    provideApi(host.api)
    useVault.setState({ status: { ...unlocked, state: 'locked' } })
    await useProfiles.getState().load()
    host.emit([vnc('2', 'Later')])
    expect(useProfiles.getState().profiles).toEqual([])
  })
})
