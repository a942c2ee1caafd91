import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useEffect, useRef, type KeyboardEvent } from 'react'
import type { ProcessItem } from './process-item'
import type { ProcessColumn, ProcessSort } from './process-view'

const ROW_HEIGHT = 28

export const PROCESS_COLUMNS: readonly { id: ProcessColumn; label: string }[] = [
  { id: 'pid', label: 'PID' },
  { id: 'name', label: 'Name' },
  { id: 'owner', label: 'Owner' },
  { id: 'command', label: 'Command line' },
  { id: 'started', label: 'Started' },
  { id: 'finished', label: 'Finished' },
  { id: 'exitCode', label: 'Exit code' },
]

const pad = (n: number): string => String(n).padStart(2, '0')

/** Guest times as local time, compact: `14:05:09` for today, `2026-01-14 07:42` otherwise. */
export function formatTime(iso: string, today = new Date()): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`
  if (d.toDateString() === today.toDateString()) return `${time}:${pad(d.getSeconds())}`
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`
}

const Row = memo(function Row({ item, index, selected, start, onSelect }: { item: ProcessItem; index: number; selected: boolean; start: number; onSelect(pid: number): void }) {
  const classes = ['process-row']
  if (selected) classes.push('is-selected')
  if (item.change) classes.push(`is-${item.change}`)
  if (item.ours) classes.push('is-ours')
  if (item.gone) classes.push('is-gone')
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      id={`process-row-${item.pid}`}
      data-pid={item.pid}
      data-change={item.change}
      className={classes.join(' ')}
      style={{ transform: `translateY(${start}px)` }}
      onMouseDown={() => onSelect(item.pid)}
    >
      <div role="gridcell" className="process-cell process-pid">
        {item.pid}
      </div>
      <div role="gridcell" className="process-cell" title={item.name}>
        {item.name}
        {item.ours && <span className="process-ours" title="Started from Porthole">ours</span>}
      </div>
      <div role="gridcell" className="process-cell" title={item.owner}>
        {item.owner}
      </div>
      <div role="gridcell" className="process-cell process-command" title={item.command}>
        {item.command}
      </div>
      <div role="gridcell" className="process-cell" title={item.started}>
        {formatTime(item.started)}
      </div>
      <div role="gridcell" className="process-cell" title={item.finished}>
        {item.gone && !item.finished ? <span className="process-gone">ended</span> : formatTime(item.finished)}
      </div>
      <div role="gridcell" className="process-cell process-exit" data-exit={item.exitCode ?? undefined}>
        {item.exitCode ?? ''}
      </div>
    </div>
  )
})

export interface ProcessTableProps {
  view: readonly ProcessItem[]
  total: number
  sort: ProcessSort
  selected: number | null
  /** Changes when a new list was drawn (to measure the refresh). */
  listSeq: number
  onDrawn(): void
  onSort(column: ProcessColumn): void
  onSelect(pid: number | null): void
  onKill(item: ProcessItem): void
  onCopy(item: ProcessItem): void
}

/** The process list: a virtualized ARIA grid (5,000 rows stay smooth) with sortable headers and keyboard selection. */
export function ProcessTable({ view, total, sort, selected, listSeq, onDrawn, onSort, onSelect, onKill, onCopy }: ProcessTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({ count: view.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10 })
  const selectedIndex = selected === null ? -1 : view.findIndex((i) => i.pid === selected)

  useEffect(() => {
    if (listSeq > 0) onDrawn()
    // Only a new list is measured.
  }, [listSeq])

  // Keep the selected row in view when it moves (sorting, a program just started).
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' })
  }, [selected, selectedIndex >= 0])

  const move = (to: number): void => {
    const item = view[Math.max(0, Math.min(view.length - 1, to))]
    if (item) onSelect(item.pid)
  }
  const onKeyDown = (e: KeyboardEvent): void => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1)
    const current = view[selectedIndex]
    if (e.key === 'ArrowDown') move(selectedIndex + 1)
    else if (e.key === 'ArrowUp') move(selectedIndex < 0 ? 0 : selectedIndex - 1)
    else if (e.key === 'PageDown') move(selectedIndex + page)
    else if (e.key === 'PageUp') move(selectedIndex - page)
    else if (e.key === 'Home') move(0)
    else if (e.key === 'End') move(view.length - 1)
    else if (e.key === 'Delete' && current) onKill(current)
    else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'c' && current) onCopy(current)
    else return
    e.preventDefault()
  }

  return (
    <div
      ref={scrollRef}
      className="tab-scroll"
      role="grid"
      aria-label="Processes"
      aria-rowcount={view.length + 1}
      aria-colcount={PROCESS_COLUMNS.length}
      aria-multiselectable={false}
      aria-activedescendant={selected !== null && selectedIndex >= 0 ? `process-row-${selected}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-total={total}
      data-shown={view.length}
    >
      <div role="row" aria-rowindex={1} className="process-row process-head tab-head">
        {PROCESS_COLUMNS.map((c) => {
          const active = sort.column === c.id
          return (
            <div key={c.id} role="columnheader" className="process-cell" aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
              <button type="button" className="process-sort" onClick={() => onSort(c.id)}>
                {c.label}
                <span className="process-sort-mark" aria-hidden="true">
                  {active ? (sort.descending ? '▾' : '▴') : ''}
                </span>
              </button>
            </div>
          )
        })}
      </div>
      <div className="process-body tab-rows" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((v) => {
          const item = view[v.index] as ProcessItem
          return <Row key={item.pid} item={item} index={v.index} selected={item.pid === selected} start={v.start} onSelect={onSelect} />
        })}
      </div>
    </div>
  )
}
