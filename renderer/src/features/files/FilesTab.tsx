import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent } from 'react'
import { useStore } from 'zustand'
import type { Download } from '../../../../contract/downloads'
import type { GuestEntry } from '../../../../contract/files'
import type { TabViewProps } from '../../app/tab-views'
import { Button } from '../../components/Button'
import { dragGuestFile } from '../downloads/drag-out'
import { formatBytes } from '../downloads/format'
import { downloadOf, useDownloads } from '../downloads/store'
import { BackIcon, DownloadIcon, FileIcon, FolderIcon, LinkIcon, RefreshIcon, UpIcon } from './file-icons'
import { guestCrumbs, parentGuestPath } from './guest-path'
import { createFilesStore, sortEntries, type FileColumn, type FilesStore } from './store'
import '../../components/tab-view.css'
import './files.css'

export { FilesIcon } from './file-icons'

const ROW_HEIGHT = 30
const COLUMNS: readonly { id: FileColumn; label: string }[] = [
  { id: 'name', label: 'Name' },
  { id: 'size', label: 'Size' },
  { id: 'modified', label: 'Modified' },
  { id: 'type', label: 'Type' },
]
const TYPE_LABEL: Record<GuestEntry['type'], string> = { directory: 'Folder', file: 'File', symlink: 'Link' }
const pad = (n: number): string => String(n).padStart(2, '0')

function formatModified(iso: string | undefined): string {
  if (iso === undefined) return '…'
  if (iso === '') return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** Printable form of a guest name (a control character shows as a symbol, not as a line break). */
function shown(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
  return name.replace(/[\u0000-\u001f\u007f]/g, (c) => String.fromCharCode(0x2400 + (c === '\u007f' ? 0x21 : c.charCodeAt(0))))
}

function DownloadMark({ download }: { download: Download | undefined }) {
  if (!download) return null
  if (download.state === 'done') return <span className="file-mark is-done">Downloaded</span>
  if (download.state === 'failed') return <span className="file-mark is-failed">Failed</span>
  if (download.state === 'cancelled') return null
  const pct = download.total ? Math.floor((download.bytes / download.total) * 100) : 0
  return (
    <span className="file-mark is-running" title={`${pct}%`}>
      <progress max={100} value={pct} aria-label={`Downloading ${download.name}`} /> {download.state === 'queued' ? 'Queued' : `${pct}%`}
    </span>
  )
}

interface RowProps {
  entry: GuestEntry
  index: number
  focused: boolean
  start: number
  modified: string | undefined
  download: Download | undefined
  onFocus(name: string): void
  onOpen(entry: GuestEntry): void
  onDrag(entry: GuestEntry): void
}

const Row = memo(function Row({ entry, index, focused, start, modified, download, onFocus, onOpen, onDrag }: RowProps) {
  const Icon = entry.type === 'directory' ? FolderIcon : entry.type === 'symlink' ? LinkIcon : FileIcon
  const onDragStart = (e: DragEvent): void => {
    // The OS drag is started by main (webContents.startDrag) with the real file, not by the page.
    e.preventDefault()
    if (entry.type === 'file') onDrag(entry)
  }
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={focused}
      id={`file-row-${index}`}
      data-name={entry.name}
      data-type={entry.type}
      className={`file-row${focused ? ' is-focused' : ''}`}
      style={{ transform: `translateY(${start}px)` }}
      draggable={entry.type === 'file'}
      onDragStart={onDragStart}
      onMouseDown={() => onFocus(entry.name)}
      onDoubleClick={() => onOpen(entry)}
    >
      <div role="gridcell" className="file-cell file-name" title={entry.name}>
        <Icon />
        <span className="file-name-text">{shown(entry.name)}</span>
        <DownloadMark download={download} />
      </div>
      <div role="gridcell" className="file-cell file-size">
        {entry.type === 'directory' ? '' : formatBytes(entry.size)}
      </div>
      <div role="gridcell" className="file-cell file-modified">
        {formatModified(modified)}
      </div>
      <div role="gridcell" className="file-cell">
        {TYPE_LABEL[entry.type]}
      </div>
    </div>
  )
})

function Breadcrumbs({ store }: { store: FilesStore }) {
  const path = useStore(store, (s) => s.path)
  const separator = useStore(store, (s) => s.separator)
  if (path === undefined) return <nav className="files-crumbs" aria-label="Folder path" />
  const crumbs = guestCrumbs(path, separator)
  return (
    <nav className="files-crumbs" aria-label="Folder path">
      <ol>
        {crumbs.map((c, i) => (
          <li key={c.path}>
            {i === crumbs.length - 1 ? (
              <span aria-current="page">{c.label}</span>
            ) : (
              <button type="button" className="files-crumb" onClick={() => void store.getState().open(c.path)}>
                {c.label}
              </button>
            )}
          </li>
        ))}
      </ol>
    </nav>
  )
}

/** The guest file browser of one VM: breadcrumbs, up/back/refresh, a sortable paged listing; Enter opens or downloads. */
export function FilesTab({ tab, active }: TabViewProps<'files'>) {
  const { vm, vmName } = tab.params
  const [store] = useState(() => createFilesStore(vm, vmName))
  const path = useStore(store, (s) => s.path)
  const separator = useStore(store, (s) => s.separator)
  const entries = useStore(store, (s) => s.entries)
  const total = useStore(store, (s) => s.total)
  const nextIndex = useStore(store, (s) => s.nextIndex)
  const loading = useStore(store, (s) => s.loading)
  const error = useStore(store, (s) => s.error)
  const history = useStore(store, (s) => s.history)
  const sort = useStore(store, (s) => s.sort)
  const focused = useStore(store, (s) => s.focused)
  const modified = useStore(store, (s) => s.modified)
  const downloads = useDownloads((s) => s.byId)
  const order = useDownloads((s) => s.order)
  const view = useMemo(() => sortEntries(entries, sort, modified), [entries, sort, modified])
  const focusedIndex = focused === undefined ? -1 : view.findIndex((e) => e.name === focused)
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({ count: view.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 8 })
  const items = virtualizer.getVirtualItems()

  useEffect(() => {
    useDownloads.getState().start()
    if (store.getState().path === undefined && !store.getState().loading) void store.getState().open()
  }, [store])

  // Modified times for the rows on screen; the next page when the end comes into view.
  const firstShown = items[0]?.index ?? 0
  const lastShown = items[items.length - 1]?.index ?? -1
  useEffect(() => {
    if (!active || lastShown < 0) return
    store.getState().wantInfo(view.slice(firstShown, lastShown + 1).map((e) => e.name))
    if (lastShown >= view.length - 20 && nextIndex !== undefined) void store.getState().loadMore()
  }, [active, firstShown, lastShown, view, nextIndex, store])

  useEffect(() => {
    if (focusedIndex >= 0) virtualizer.scrollToIndex(focusedIndex, { align: 'auto' })
  }, [focusedIndex])

  const openEntry = (entry: GuestEntry): void => {
    const s = store.getState()
    if (entry.type === 'directory' || entry.type === 'symlink') void s.open(s.pathOf(entry.name))
    else void useDownloads.getState().download(vm, vmName, s.pathOf(entry.name))
  }
  const dragEntry = (entry: GuestEntry): void => void dragGuestFile(vm, vmName, store.getState().pathOf(entry.name))
  const focusedEntry = view[focusedIndex]
  const downloadOfEntry = (e: GuestEntry): Download | undefined => (e.type === 'file' ? downloadOf({ byId: downloads, order }, vm, store.getState().pathOf(e.name)) : undefined)

  const move = (to: number): void => {
    const e = view[Math.max(0, Math.min(view.length - 1, to))]
    if (e) store.getState().focus(e.name)
  }
  const onKeyDown = (e: KeyboardEvent): void => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1)
    if (e.altKey && e.key === 'ArrowUp') void store.getState().up()
    else if ((e.altKey && e.key === 'ArrowLeft') || e.key === 'Backspace') void store.getState().back()
    else if (e.key === 'ArrowDown') move(focusedIndex + 1)
    else if (e.key === 'ArrowUp') move(focusedIndex < 0 ? 0 : focusedIndex - 1)
    else if (e.key === 'PageDown') move(focusedIndex + page)
    else if (e.key === 'PageUp') move(focusedIndex - page)
    else if (e.key === 'Home') move(0)
    else if (e.key === 'End') move(view.length - 1)
    else if (e.key === 'Enter' && focusedEntry) openEntry(focusedEntry)
    else return
    e.preventDefault()
  }

  const canUp = path !== undefined && parentGuestPath(path, separator) !== undefined
  return (
    <div className="files">
      <div className="tab-toolbar files-toolbar">
        <Button icon={BackIcon} variant="ghost" title="Back (Alt+Left)" unavailable={history.length === 0 ? 'Nothing to go back to.' : undefined} onClick={() => void store.getState().back()}>
          Back
        </Button>
        <Button icon={UpIcon} variant="ghost" title="Up (Alt+Up)" unavailable={canUp ? undefined : 'This is the top folder.'} onClick={() => void store.getState().up()}>
          Up
        </Button>
        <Button icon={RefreshIcon} variant="ghost" onClick={() => void store.getState().refresh()}>
          Refresh
        </Button>
        <Breadcrumbs store={store} />
        <Button
          icon={DownloadIcon}
          unavailable={focusedEntry?.type === 'file' ? undefined : 'Select a file to download.'}
          onClick={() => focusedEntry && openEntry(focusedEntry)}
        >
          Download
        </Button>
      </div>
      {error && (
        <div className={`tab-error${path === undefined ? ' is-blocking' : ''}`} role="alert">
          <span>
            {error.message} <code>{error.code}</code>
          </span>
          <Button onClick={() => void (path === undefined ? store.getState().open() : store.getState().refresh())}>Try again</Button>
        </div>
      )}
      <div
        ref={scrollRef}
        className="tab-scroll"
        role="grid"
        aria-label={`Files in ${path ?? vmName}`}
        aria-rowcount={total + 1}
        aria-busy={loading}
        aria-activedescendant={focusedIndex >= 0 ? `file-row-${focusedIndex}` : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <div role="row" aria-rowindex={1} className="file-row file-head tab-head">
          {COLUMNS.map((c) => {
            const on = sort.column === c.id
            return (
              <div key={c.id} role="columnheader" className="file-cell" aria-sort={on ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                <button type="button" className="file-sort" onClick={() => store.getState().sortBy(c.id)}>
                  {c.label}
                  <span aria-hidden="true">{on ? (sort.descending ? ' ▾' : ' ▴') : ''}</span>
                </button>
              </div>
            )
          })}
        </div>
        <div className="files-body tab-rows" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((v) => {
            const entry = view[v.index] as GuestEntry
            return (
              <Row
                key={entry.name}
                entry={entry}
                index={v.index}
                focused={v.index === focusedIndex}
                start={v.start}
                modified={modified.get(entry.name)}
                download={downloadOfEntry(entry)}
                onFocus={(name) => store.getState().focus(name)}
                onOpen={openEntry}
                onDrag={dragEntry}
              />
            )
          })}
        </div>
        {path !== undefined && view.length === 0 && !loading && !error && <p className="files-empty">This folder is empty.</p>}
      </div>
      <div className="files-status" aria-live="polite">
        {loading ? 'Loading…' : path === undefined ? '' : `${view.length.toLocaleString()} of ${total.toLocaleString()} items${nextIndex !== undefined ? ' (sorted as loaded; more load as you scroll)' : ''}`}
        <span className="files-status-hint">Enter opens a folder or downloads a file · drag a file out to save it elsewhere</span>
      </div>
    </div>
  )
}
