import { useTabs } from '../../store/tabs'

/** Opens (or activates) the downloads panel (one of a kind). */
export function openDownloads(): void {
  useTabs.getState().open({ kind: 'downloads', id: 'downloads', title: 'Downloads', params: {} })
}
