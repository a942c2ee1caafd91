// Downloads of guest files (DESIGN.md "Guest operations (vSphere)"): each attempt asks the
// provider for a fresh one-shot transfer URL with the VM's guest credentials, puts the host that
// was called in place of a `*` host, opens the ESXi host through the TLS trust store (a first
// use is refused as TLS_UNTRUSTED naming that host, so the UI can ask), and streams exactly one
// GET into `<name>.part`, then fsync and rename. A few run at once; the rest wait their turn.
// The renderer sees ids, names and progress only: URLs and local paths stay here.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Dispatcher } from 'undici'
import type { Download, DownloadFolder, DownloadProgress } from '../../../contract/downloads'
import { PortholeError, type WireError } from '../../../contract/errors'
import type { PowerState, VmRef } from '../../../contract/inventory'
import type { TrustPolicy } from '../../../contract/tls'
import type { Log } from '../log/log'
import type { GuestFileOps } from '../providers/guest-files'
import type { GuestCredentials } from '../providers/provider'
import type { DownloadFolderStore } from './download-folder'
import { safeFileName, withSuffix } from './file-name'
import { etaSeconds, RateMeter } from './progress'
import { placeFile, portholeErrorIn, removeQuietly, TransferCut, transferToPart, type SinkFactory } from './transfer'
import { resolveTransferUrl } from './transfer-url'

/** What a download needs of the VM's connection. */
export interface DownloadTarget {
  ops: GuestFileOps
  /** The connection's profile and TLS policy: the ESXi host is trusted under the same profile. */
  profileId: string
  policy: TrustPolicy
  /** The VM's power now, to tell "the VM stopped" from "the network dropped" after a cut. */
  vmPower?(signal: AbortSignal): Promise<PowerState>
}

export interface DownloadServiceOptions {
  folder: DownloadFolderStore
  /** The VM's connection (throws VAULT_LOCKED, NOT_FOUND, UNSUPPORTED, PROVIDER_UNAVAILABLE). */
  target(ref: VmRef): DownloadTarget
  /** Runs a guest call with the VM's guest credentials (guest/credentials.ts `use`). */
  withCredentials<T>(ref: VmRef, operation: (credentials: GuestCredentials) => Promise<T>): Promise<T>
  dispatcherFor(profileId: string, policy: TrustPolicy): Dispatcher
  onChange(download: Download & { removed?: boolean }): void
  onProgress(progress: DownloadProgress): void
  log: Log
  /** Transfers at once; default 3. */
  concurrency?: number
  /** Least time between progress events of one download; default 250 ms. */
  progressIntervalMs?: number
  /** Tests: the sink the body is written to. */
  sink?: SinkFactory
  /** The desktop's "show in folder" (Electron `shell.showItemInFolder`); absent in the harness. */
  showItemInFolder?(file: string): void
  /** The desktop's folder picker; resolves undefined when the user cancelled. Absent in the harness. */
  chooseFolder?(): Promise<string | undefined>
  now?: () => Date
}

export interface DownloadService {
  /** Queues a download of one guest file. */
  start(ref: VmRef, guestPath: string): Download
  list(): { downloads: Download[]; folder: DownloadFolder }
  /** Stops a download and removes its partial file; resolves once it has stopped. */
  cancel(id: string): Promise<Download>
  /** Queues a failed or cancelled download again (it will ask for a fresh URL). */
  retry(id: string): Download
  remove(id: string): void
  /** The local file of a finished download (main only: drag-out, show in folder). NOT_FOUND otherwise. */
  fileOf(id: string): string
  showInFolder(id: string): void
  chooseFolder(): Promise<DownloadFolder>
  /** Resolves when the download has reached done, failed or cancelled (tests, drag of a fresh file). */
  settled(id: string): Promise<Download>
  /** The vault locked: queued and running downloads stop (partial files removed) as VAULT_LOCKED; retry after unlocking. */
  locked(): Promise<void>
  dispose(): Promise<void>
}

interface Entry {
  d: Download
  /** Why the attempt under way was stopped, when not by the user's cancel. */
  stopReason?: WireError
  /** Absolute path of the finished file. */
  file?: string
  /** Local name reserved by the attempt under way (its `.part` sibling is being written). */
  reserved?: string
  controller?: AbortController
  running?: Promise<void>
  waiters: ((d: Download) => void)[]
}

const FINAL = new Set(['done', 'failed', 'cancelled'])

/** The last component of a guest path: `C:\Temp\a.txt` → `a.txt`; a Linux name may hold `\`. */
export function guestBaseName(guestPath: string): string {
  const windows = /^[A-Za-z]:[\\/]/.test(guestPath) || guestPath.startsWith('\\\\')
  const parts = guestPath.split(windows ? /[\\/]+/ : /\/+/).filter((p) => p !== '')
  return parts[parts.length - 1] ?? ''
}

function wire(err: unknown): WireError {
  const own = portholeErrorIn(err)
  if (own) return own.toWire()
  const text = err instanceof Error ? err.message : String(err)
  return { code: 'PROVIDER_UNAVAILABLE', message: `The download failed: ${text}`, retryable: true }
}

export function createDownloadService(options: DownloadServiceOptions): DownloadService {
  const { log } = options
  const now = options.now ?? (() => new Date())
  const limit = options.concurrency ?? 3
  const interval = options.progressIntervalMs ?? 250
  const entries = new Map<string, Entry>()
  const queue: Entry[] = []
  let active = 0
  let disposed = false

  const snapshot = (e: Entry): Download => ({ ...e.d })
  const changed = (e: Entry): void => {
    options.onChange(snapshot(e))
    if (FINAL.has(e.d.state)) for (const w of e.waiters.splice(0)) w(snapshot(e))
  }
  const entryOf = (id: string): Entry => {
    const e = entries.get(id)
    if (!e) throw new PortholeError('NOT_FOUND', 'There is no such download.')
    return e
  }
  /** Names taken by other downloads' attempts (their .part files may not exist yet). */
  const reservedByOthers = (self: Entry, candidate: string): boolean => {
    for (const e of entries.values()) if (e !== self && e.reserved === candidate) return true
    return false
  }

  const reserveName = (e: Entry, dir: string): string => {
    const base = safeFileName(guestBaseName(e.d.guestPath))
    for (let n = 0; n < 10_000; n++) {
      const candidate = withSuffix(base, n)
      if (reservedByOthers(e, candidate)) continue
      if (fs.existsSync(path.join(dir, candidate)) || fs.existsSync(path.join(dir, `${candidate}.part`))) continue
      e.reserved = candidate
      return candidate
    }
    throw new PortholeError('CONFLICT', `Every name like "${base}" is taken in the downloads folder.`)
  }

  /** Explains a connection cut: the VM stopping is the documented cause (reference §6.6). */
  const explainCut = async (target: DownloadTarget | undefined, cut: TransferCut): Promise<PortholeError> => {
    const where = cut.total !== undefined ? `${cut.bytes} of ${cut.total} bytes` : `${cut.bytes} bytes`
    const power = await target?.vmPower?.(AbortSignal.timeout(5000)).catch(() => undefined)
    if (power !== undefined && power !== 'on') {
      return new PortholeError('VM_STATE', `The VM stopped running during the download (${power}) after ${where}; the partial file was removed.`, {
        detail: { bytes: cut.bytes, ...(cut.total !== undefined ? { total: cut.total } : {}), power },
      })
    }
    return new PortholeError('PROVIDER_UNAVAILABLE', `The connection to the host was cut after ${where}; the partial file was removed. Retry asks for a new transfer URL.`, {
      detail: { bytes: cut.bytes, ...(cut.total !== undefined ? { total: cut.total } : {}) },
      retryable: true,
    })
  }

  const attempt = async (e: Entry, signal: AbortSignal): Promise<void> => {
    const { vm, guestPath } = e.d
    let target: DownloadTarget | undefined
    let partPath: string | undefined
    try {
      target = options.target(vm)
      const ops = target.ops
      const given = await options.withCredentials(vm, (credentials) => ops.downloadUrl(vm.id, credentials, guestPath, signal))
      const url = resolveTransferUrl(given.url, given.calledUrl)
      const dir = await options.folder.dir()
      const name = reserveName(e, dir)
      e.d.name = name
      partPath = path.join(dir, `${name}.part`)
      const meter = new RateMeter()
      let lastSent = 0
      const report = (bytes: number, total: number | undefined, force = false): void => {
        const t = Date.now()
        const rate = meter.update(bytes)
        if (!force && t - lastSent < interval) return
        lastSent = t
        e.d.bytes = bytes
        if (total !== undefined) e.d.total = total
        if (rate !== undefined) e.d.rate = Math.round(rate)
        const eta = etaSeconds(bytes, total, rate)
        if (eta !== undefined) e.d.etaSeconds = Math.round(eta * 10) / 10
        else delete e.d.etaSeconds
        const p: DownloadProgress = { id: e.d.id, bytes }
        if (total !== undefined) p.total = total
        if (e.d.rate !== undefined) p.rate = e.d.rate
        if (e.d.etaSeconds !== undefined) p.etaSeconds = e.d.etaSeconds
        options.onProgress(p)
      }
      const result = await transferToPart({
        url,
        dispatcher: options.dispatcherFor(target.profileId, target.policy),
        partPath,
        signal,
        onResponse: (total) => {
          e.d.state = 'downloading'
          if (total !== undefined) e.d.total = total
          changed(e)
        },
        onBytes: (bytes, total) => report(bytes, total),
        ...(options.sink ? { sink: options.sink } : {}),
      })
      report(result.bytes, result.total, true)
      e.d.state = 'finishing'
      changed(e)
      const placed = await placeFile(partPath, dir, name, (c) => reservedByOthers(e, c))
      e.d.name = placed
      e.file = path.join(dir, placed)
      e.d.state = 'done'
      delete e.d.etaSeconds
      e.d.finishedAt = now().toISOString()
      log.info('downloads: done', { id: e.d.id, bytes: result.bytes })
    } catch (err) {
      if (partPath !== undefined) await removeQuietly(partPath)
      if (signal.aborted && e.stopReason) {
        e.d.state = 'failed'
        e.d.error = e.stopReason
      } else if (signal.aborted) {
        e.d.state = 'cancelled'
      } else {
        e.d.state = 'failed'
        e.d.error = wire(err instanceof TransferCut ? await explainCut(target, err) : err)
        log.warn('downloads: failed', { id: e.d.id, code: e.d.error.code, message: e.d.error.message })
      }
      delete e.d.rate
      delete e.d.etaSeconds
      e.d.finishedAt = now().toISOString()
    } finally {
      delete e.reserved
      delete e.stopReason
    }
  }

  const pump = (): void => {
    while (!disposed && active < limit && queue.length > 0) {
      const e = queue.shift() as Entry
      active++
      const controller = new AbortController()
      e.controller = controller
      e.d.state = 'connecting'
      e.d.attempts++
      changed(e)
      e.running = attempt(e, controller.signal).finally(() => {
        active--
        delete e.controller
        delete e.running
        changed(e)
        pump()
      })
    }
  }

  const enqueue = (e: Entry): void => {
    e.d.state = 'queued'
    e.d.bytes = 0
    delete e.d.total
    delete e.d.error
    delete e.d.finishedAt
    delete e.d.rate
    delete e.d.etaSeconds
    queue.push(e)
    changed(e)
    pump()
  }

  return {
    start(ref, guestPath) {
      if (disposed) throw new PortholeError('CANCELLED', 'Porthole is closing.')
      const id = `dl-${crypto.randomBytes(12).toString('hex')}`
      const e: Entry = {
        d: { id, vm: ref, guestPath, name: safeFileName(guestBaseName(guestPath)), state: 'queued', bytes: 0, attempts: 0, createdAt: now().toISOString() },
        waiters: [],
      }
      entries.set(id, e)
      enqueue(e)
      return snapshot(e)
    },

    list() {
      return { downloads: [...entries.values()].map(snapshot), folder: options.folder.info() }
    },

    async cancel(id) {
      const e = entryOf(id)
      const queued = queue.indexOf(e)
      if (queued >= 0) {
        queue.splice(queued, 1)
        e.d.state = 'cancelled'
        e.d.finishedAt = now().toISOString()
        changed(e)
      } else if (e.controller) {
        e.controller.abort()
        await e.running
      }
      return snapshot(e)
    },

    retry(id) {
      const e = entryOf(id)
      if (e.d.state !== 'failed' && e.d.state !== 'cancelled') {
        throw new PortholeError('CONFLICT', `The download is ${e.d.state}; only failed or cancelled downloads are retried.`)
      }
      enqueue(e)
      return snapshot(e)
    },

    remove(id) {
      const e = entryOf(id)
      if (!FINAL.has(e.d.state)) throw new PortholeError('CONFLICT', 'Cancel the download before removing it from the list.')
      entries.delete(id)
      options.onChange({ ...snapshot(e), removed: true })
    },

    fileOf(id) {
      const e = entryOf(id)
      if (e.d.state !== 'done' || e.file === undefined) throw new PortholeError('NOT_FOUND', 'The download has not finished.')
      if (!fs.existsSync(e.file)) throw new PortholeError('NOT_FOUND', `"${e.d.name}" is no longer in the downloads folder.`)
      return e.file
    },

    showInFolder(id) {
      if (!options.showItemInFolder) throw new PortholeError('UNSUPPORTED', '"Show in folder" needs the desktop app.')
      options.showItemInFolder(this.fileOf(id))
    },

    async chooseFolder() {
      if (!options.chooseFolder) throw new PortholeError('UNSUPPORTED', 'Choosing the downloads folder needs the desktop app.')
      const chosen = await options.chooseFolder()
      return chosen === undefined ? options.folder.info() : options.folder.choose(chosen)
    },

    settled(id) {
      const e = entryOf(id)
      if (FINAL.has(e.d.state) && !e.running) return Promise.resolve(snapshot(e))
      return new Promise((resolve) => e.waiters.push(resolve))
    },

    async locked() {
      const reason: WireError = { code: 'VAULT_LOCKED', message: 'The vault was locked; the partial file was removed. Unlock and retry.', retryable: false }
      for (const e of queue.splice(0)) {
        e.d.state = 'failed'
        e.d.error = reason
        e.d.finishedAt = now().toISOString()
        changed(e)
      }
      const running = [...entries.values()].filter((e) => e.running)
      for (const e of running) {
        e.stopReason = reason
        e.controller?.abort()
      }
      await Promise.allSettled(running.map((e) => e.running))
    },

    async dispose() {
      disposed = true
      queue.length = 0
      const running = [...entries.values()].filter((e) => e.running)
      for (const e of running) e.controller?.abort()
      await Promise.allSettled(running.map((e) => e.running))
    },
  }
}
