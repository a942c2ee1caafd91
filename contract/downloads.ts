// Downloads of guest files by main (DESIGN.md "Guest operations (vSphere)"): main asks for a
// one-shot transfer URL, trusts the ESXi host's certificate through the TLS store, streams the
// file into the downloads folder and reports progress. The renderer holds only opaque download
// ids, file names and progress: never the URL, never a local path except a folder the user chose.
import { z } from 'zod'
import { call, event } from './define'
import { WireError } from './errors'
import { GuestPath } from './files'
import { VmRef } from './inventory'

export const DownloadId = z.string().regex(/^dl-[0-9a-f]{24}$/, 'Not a download id.')
export type DownloadId = z.infer<typeof DownloadId>

/**
 * queued (waiting for a free slot), connecting (asking for the URL, opening the host),
 * downloading, finishing (fsync, rename), done, failed, cancelled.
 */
export const DownloadState = z.enum(['queued', 'connecting', 'downloading', 'finishing', 'done', 'failed', 'cancelled'])
export type DownloadState = z.infer<typeof DownloadState>

export const DownloadProgress = z.strictObject({
  id: DownloadId,
  bytes: z.number().int().nonnegative(),
  /** Content-Length of the transfer, once known. */
  total: z.number().int().nonnegative().optional(),
  /** Bytes per second, smoothed over the last seconds. */
  rate: z.number().nonnegative().optional(),
  /** Seconds left at that rate. */
  etaSeconds: z.number().nonnegative().optional(),
})
export type DownloadProgress = z.infer<typeof DownloadProgress>

export const Download = DownloadProgress.extend({
  vm: VmRef,
  /** The file's path in the guest (a name inside the VM, not a local path). */
  guestPath: GuestPath,
  /** The local file's name (sanitized, collision-suffixed), in the downloads folder. */
  name: z.string(),
  state: DownloadState,
  /** Why it failed (TLS_UNTRUSTED carries the ESXi host's certificate for the trust prompt). */
  error: WireError.optional(),
  /** How many times it was (re)started: each attempt asks for a fresh URL. */
  attempts: z.number().int().nonnegative(),
  /** ISO 8601. */
  createdAt: z.string(),
  finishedAt: z.string().optional(),
})
export type Download = z.infer<typeof Download>

/** Where downloads go, as the UI may show it: "Downloads" for the default, or the folder the user chose. */
export const DownloadFolder = z.strictObject({
  display: z.string(),
  custom: z.boolean(),
})
export type DownloadFolder = z.infer<typeof DownloadFolder>

const ById = z.strictObject({ id: DownloadId })
const Ok = z.strictObject({ ok: z.literal(true) })

export const downloadCalls = {
  'downloads.start': call(
    'Download a guest file into the downloads folder; returns at once (queued: a few run at a time), progress comes as events.',
    z.strictObject({ vm: VmRef, path: GuestPath }),
    Download,
  ),
  'downloads.list': call('Every download of this session and the downloads folder.', z.strictObject({}), z.strictObject({ downloads: z.array(Download), folder: DownloadFolder })),
  'downloads.cancel': call('Stop a queued or running download; its partial file is removed.', ById, Download),
  'downloads.retry': call('Start a failed or cancelled download again, with a fresh transfer URL.', ById, Download),
  'downloads.remove': call('Take a finished, failed or cancelled download off the list (the file stays).', ById, Ok),
  'downloads.showInFolder': call('Show a finished download in the system file manager. UNSUPPORTED in the browser harness.', ById, Ok),
  'downloads.startDrag': call(
    'Hand a finished download to the OS as a drag (drag-out to the desktop). UNSUPPORTED outside the desktop app; NOT_FOUND for an unknown id or a file that is gone.',
    ById,
    Ok,
  ),
  'downloads.chooseFolder': call('Let the user pick the downloads folder in a system dialog. UNSUPPORTED in the browser harness.', z.strictObject({}), DownloadFolder),
}

export const downloadEvents = {
  'downloads.changed': event('A download was added or changed state (or was removed: `removed: true`).', Download.extend({ removed: z.boolean().optional() })),
  'downloads.progress': event('Bytes so far of running downloads, a few times a second at most per download.', DownloadProgress),
}
