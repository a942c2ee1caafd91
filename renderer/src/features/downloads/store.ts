// Downloads as the renderer knows them: ids, names, states and progress (main keeps URLs and
// paths). Follows downloads.changed / downloads.progress. When a download fails because the ESXi
// host's certificate is new, the shared TLS prompt asks about it (naming that host) and a trusted
// certificate retries at once, which asks main for a fresh URL; refused guest credentials open
// the shared guest credentials dialog the same way.
import { create } from 'zustand'
import type { Download, DownloadFolder, DownloadProgress } from '../../../../contract/downloads'
import { PortholeError } from '../../../../contract/errors'
import { GuestAuthReason } from '../../../../contract/guest'
import type { VmRef } from '../../../../contract/inventory'
import { TlsUntrustedDetail } from '../../../../contract/tls'
import { getApi, invoke } from '../../api'
import { notifyError } from '../../store/notify'
import { askGuestCredentials } from '../guest-credentials/ensure-guest-credentials'
import { useTlsPrompt } from '../tls/prompt-store'

export interface DownloadsState {
  byId: ReadonlyMap<string, Download>
  /** Newest first. */
  order: readonly string[]
  folder: DownloadFolder | undefined
  /** VM names by `connectionId/id`, for prompts and rows (the wire carries only the ref). */
  vmNames: ReadonlyMap<string, string>
  /** Subscribes to main's events and loads the list (once). */
  start(): void
  /** Queues a download of a guest file. */
  download(vm: VmRef, vmName: string, guestPath: string): Promise<Download | undefined>
  cancel(id: string): Promise<void>
  retry(id: string): Promise<void>
  remove(id: string): Promise<void>
  showInFolder(id: string): Promise<void>
  /** Hands a finished download to the OS as a drag (desktop app only). */
  startDrag(id: string): Promise<void>
  chooseFolder(): Promise<void>
}

const vmKey = (vm: VmRef): string => `${vm.connectionId}/${vm.id}`
/** Failed attempts already handled (a prompt shown), so a replayed event does not ask twice. */
const handled = new Set<string>()
let started = false

/** The download of one guest file, newest first, if any: the file browser shows its state on the row. */
export function downloadOf(state: Pick<DownloadsState, 'byId' | 'order'>, vm: VmRef, guestPath: string): Download | undefined {
  for (const id of state.order) {
    const d = state.byId.get(id)
    if (d && d.guestPath === guestPath && d.vm.connectionId === vm.connectionId && d.vm.id === vm.id) return d
  }
  return undefined
}

export const useDownloads = create<DownloadsState>()((set, get) => {
  const put = (d: Download & { removed?: boolean | undefined }): void => {
    const { removed, ...download } = d
    set(({ byId, order }) => {
      const next = new Map(byId)
      if (removed) {
        next.delete(download.id)
        return { byId: next, order: order.filter((id) => id !== download.id) }
      }
      const known = next.has(download.id)
      next.set(download.id, download)
      return { byId: next, order: known ? order : [download.id, ...order] }
    })
    if (!removed && download.state === 'failed') void recover(download)
  }

  const progress = (p: DownloadProgress): void => {
    const d = get().byId.get(p.id)
    // A late progress event must not move a finished or failed download back.
    if (!d || (d.state !== 'downloading' && d.state !== 'connecting')) return
    const next = new Map(get().byId)
    const updated: Download = { ...d, bytes: p.bytes }
    if (p.total !== undefined) updated.total = p.total
    if (p.rate !== undefined) updated.rate = p.rate
    if (p.etaSeconds !== undefined) updated.etaSeconds = p.etaSeconds
    next.set(p.id, updated)
    set({ byId: next })
  }

  /** Asks what a failure needs (trust the ESXi host, guest credentials) and retries once answered. */
  const recover = async (d: Download): Promise<void> => {
    const key = `${d.id}:${d.attempts}`
    if (handled.has(key) || !d.error) return
    const vmName = get().vmNames.get(vmKey(d.vm)) ?? d.vm.id
    if (d.error.code === 'TLS_UNTRUSTED') {
      const detail = TlsUntrustedDetail.safeParse(d.error.detail)
      if (!detail.success || !detail.data.trustable) return
      handled.add(key)
      const trusted = await useTlsPrompt.getState().ask(d.vm.connectionId, detail.data, `Guest files of ${vmName} (ESXi host)`)
      if (trusted) await get().retry(d.id)
    } else if (d.error.code === 'GUEST_AUTH_FAILED') {
      handled.add(key)
      const reason = GuestAuthReason.safeParse(d.error.detail?.reason)
      const given = await askGuestCredentials(d.vm, vmName, reason.success ? reason.data : 'rejected', d.error.message)
      if (given) await get().retry(d.id)
    }
  }

  const act = async (what: string, run: () => Promise<unknown>): Promise<void> => {
    try {
      await run()
    } catch (err) {
      notifyError(err, what)
    }
  }

  return {
    byId: new Map(),
    order: [],
    folder: undefined,
    vmNames: new Map(),

    start() {
      if (started) return
      started = true
      const api = getApi()
      api.on('downloads.changed', put)
      api.on('downloads.progress', progress)
      void invoke('downloads.list', {}).then(
        ({ downloads, folder }) => {
          set({ folder })
          for (const d of [...downloads].reverse()) put(d)
        },
        () => undefined,
      )
    },

    async download(vm, vmName, guestPath) {
      get().start()
      set(({ vmNames }) => ({ vmNames: new Map(vmNames).set(vmKey(vm), vmName) }))
      try {
        const d = await invoke('downloads.start', { vm, path: guestPath })
        put(d)
        return d
      } catch (err) {
        notifyError(err, 'Could not start the download')
        return undefined
      }
    },

    cancel: (id) => act('Could not cancel the download', async () => put(await invoke('downloads.cancel', { id }))),
    retry: (id) => act('Could not retry the download', async () => put(await invoke('downloads.retry', { id }))),
    remove: (id) =>
      act('Could not remove the download', async () => {
        await invoke('downloads.remove', { id })
        const d = get().byId.get(id)
        if (d) put({ ...d, removed: true })
      }),
    showInFolder: (id) => act('Could not show the file', () => invoke('downloads.showInFolder', { id })),
    startDrag: (id) => act('Could not drag the file out', () => invoke('downloads.startDrag', { id })),
    chooseFolder: () =>
      act('Could not change the downloads folder', async () => {
        set({ folder: await invoke('downloads.chooseFolder', {}) })
      }),
  }
})

/** Resolves when a download ends (done, failed, cancelled), for "download, then drag". */
export function whenSettled(id: string): Promise<Download> {
  return new Promise((resolve, reject) => {
    const check = (s: DownloadsState): boolean => {
      const d = s.byId.get(id)
      if (!d) {
        reject(new PortholeError('NOT_FOUND', 'The download is gone.'))
        return true
      }
      if (d.state === 'done' || d.state === 'failed' || d.state === 'cancelled') {
        resolve(d)
        return true
      }
      return false
    }
    if (check(useDownloads.getState())) return
    const unsubscribe = useDownloads.subscribe((s) => {
      if (check(s)) unsubscribe()
    })
  })
}
