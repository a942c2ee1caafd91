import { create } from 'zustand'
import type { ProfileSummary } from '../../../../contract/profiles'
import { getApi, invoke } from '../../api'
import { notifyLoadError } from '../../store/notify'
import { useVault } from '../vault/store'

export interface ProfilesState {
  profiles: readonly ProfileSummary[]
  /** False until the list arrived after the last unlock. */
  loaded: boolean
  /** Reads the list (the vault must be unlocked). */
  load(): Promise<void>
  /** Forgets the list: the vault locked, so nothing it guards stays in the page. */
  clear(): void
  /**
   * While the vault is unlocked: reads the list and follows `profiles.changed`. The returned
   * function (called when the vault locks and the shell unmounts) stops and forgets the list.
   */
  follow(): () => void
}

/** Sorted the way the sidebar shows them: by name, case- and accent-insensitively. */
export function sortProfiles(list: readonly ProfileSummary[]): ProfileSummary[] {
  return [...list].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true }))
}

export const useProfiles = create<ProfilesState>()((set, get) => ({
  profiles: [],
  loaded: false,

  async load() {
    try {
      const { profiles } = await invoke('profiles.list', {})
      // A lock that came while the list was on its way wins.
      if (useVault.getState().status?.state === 'unlocked') set({ profiles: sortProfiles(profiles), loaded: true })
    } catch (err) {
      if (useVault.getState().status?.state === 'unlocked') notifyLoadError(err, 'Could not read the connections')
    }
  },

  clear() {
    set({ profiles: [], loaded: false })
  },

  follow() {
    const stop = getApi().on('profiles.changed', ({ profiles }) => {
      if (useVault.getState().status?.state === 'unlocked') set({ profiles: sortProfiles(profiles), loaded: true })
    })
    void get().load()
    return () => {
      stop()
      get().clear()
    }
  },
}))
