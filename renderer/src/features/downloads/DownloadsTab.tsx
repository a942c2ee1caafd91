import { useEffect, type DragEvent } from 'react'
import type { Download } from '../../../../contract/downloads'
import type { TabViewProps } from '../../app/tab-views'
import { Button } from '../../components/Button'
import { DownloadIcon, FileIcon } from '../files/file-icons'
import { formatBytes, progressText } from './format'
import { useDownloads } from './store'
import './downloads.css'

export { DownloadIcon as DownloadsIcon } from '../files/file-icons'

const STATE_LABEL: Record<Download['state'], string> = {
  queued: 'Waiting for a free slot',
  connecting: 'Asking for the file…',
  downloading: '',
  finishing: 'Saving…',
  done: '',
  failed: 'Failed',
  cancelled: 'Cancelled',
}

function statusOf(d: Download): string {
  if (d.state === 'downloading') return progressText(d.bytes, d.total, d.rate, d.etaSeconds)
  if (d.state === 'done') return `${formatBytes(d.bytes)} · done`
  if (d.state === 'failed') return d.error ? `${d.error.message}` : 'Failed'
  return STATE_LABEL[d.state]
}

function DownloadRow({ d, vmName }: { d: Download; vmName: string }) {
  const store = useDownloads.getState()
  const running = d.state === 'queued' || d.state === 'connecting' || d.state === 'downloading' || d.state === 'finishing'
  const pct = d.total ? Math.min(100, Math.floor((d.bytes / d.total) * 100)) : d.state === 'done' ? 100 : 0
  const onDragStart = (e: DragEvent): void => {
    // main starts the OS drag with the real file (webContents.startDrag); the page's own drag would carry nothing.
    e.preventDefault()
    if (d.state === 'done') void store.startDrag(d.id)
  }
  return (
    <li className={`download is-${d.state}`} data-id={d.id} data-state={d.state} draggable={d.state === 'done'} onDragStart={onDragStart}>
      <FileIcon size={20} />
      <div className="download-main">
        <div className="download-name" title={d.name}>
          {d.name}
        </div>
        <div className="download-from" title={d.guestPath}>
          {vmName} · {d.guestPath}
        </div>
        {running && <progress className="download-bar" max={100} value={d.state === 'downloading' || d.state === 'finishing' ? pct : undefined} aria-label={`${d.name}: ${pct}%`} />}
        <div className={`download-status${d.state === 'failed' ? ' is-error' : ''}`} role={d.state === 'failed' ? 'alert' : undefined}>
          {statusOf(d)}
          {d.error && <code>{d.error.code}</code>}
        </div>
      </div>
      <div className="download-actions">
        {running && <Button onClick={() => void store.cancel(d.id)}>Cancel</Button>}
        {(d.state === 'failed' || d.state === 'cancelled') && <Button onClick={() => void store.retry(d.id)}>Retry</Button>}
        {d.state === 'done' && <Button onClick={() => void store.showInFolder(d.id)}>Show in folder</Button>}
        {!running && (
          <Button variant="ghost" onClick={() => void store.remove(d.id)}>
            Remove
          </Button>
        )}
      </div>
    </li>
  )
}

/** The downloads panel: every download of this session with progress, speed and time left; cancel, retry, show in folder, drag out. */
export function DownloadsTab(_props: TabViewProps<'downloads'>) {
  const byId = useDownloads((s) => s.byId)
  const order = useDownloads((s) => s.order)
  const folder = useDownloads((s) => s.folder)
  const vmNames = useDownloads((s) => s.vmNames)
  useEffect(() => useDownloads.getState().start(), [])
  const running = order.filter((id) => {
    const s = byId.get(id)?.state
    return s === 'downloading' || s === 'connecting' || s === 'queued' || s === 'finishing'
  }).length
  return (
    <div className="downloads">
      <div className="downloads-toolbar">
        <h2 className="downloads-title">Downloads</h2>
        <span className="downloads-count">{running > 0 ? `${running} in progress` : `${order.length} this session`}</span>
        <span className="downloads-folder">
          Saved to <strong>{folder?.display ?? 'Downloads'}</strong>
        </span>
        <Button onClick={() => void useDownloads.getState().chooseFolder()}>Change folder…</Button>
      </div>
      {order.length === 0 ? (
        <div className="downloads-empty">
          <DownloadIcon size={32} />
          <p>No downloads yet. Open a VM's files from its context menu and download or drag a file.</p>
        </div>
      ) : (
        <ul className="downloads-list" aria-label="Downloads">
          {order.map((id) => {
            const d = byId.get(id)
            return d ? <DownloadRow key={id} d={d} vmName={vmNames.get(`${d.vm.connectionId}/${d.vm.id}`) ?? d.vm.id} /> : null
          })}
        </ul>
      )}
      <p className="downloads-hint">Drag a finished download out of the window to put the file anywhere.</p>
    </div>
  )
}
