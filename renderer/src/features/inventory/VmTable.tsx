import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useEffect, useRef, type KeyboardEvent, type MouseEvent } from 'react'
import { openVm } from './open-vm'
import { specOf } from './power-actions'
import { PROVIDER_LABEL, statusDescription, statusTone } from './provider-status'
import { useInventory } from './store'
import { useInventoryUi } from './ui-store'
import { refOf, type VmItem } from './vm-item'
import type { SortColumn } from './vm-view'

const ROW_HEIGHT = 32
const HEADER_HEIGHT = 30
/** How long the visible rows must stay put before their details are asked for (scrolling past costs nothing). */
const DETAILS_DELAY_MS = 120

export const COLUMNS: readonly { id: SortColumn; label: string }[] = [
  { id: 'name', label: 'Name' },
  { id: 'power', label: 'Power' },
  { id: 'status', label: 'Status' },
  { id: 'guestOs', label: 'Guest OS' },
  { id: 'ip', label: 'IP address' },
  { id: 'host', label: 'Host' },
  { id: 'group', label: 'Group' },
  { id: 'provider', label: 'Connection' },
]

const POWER_LABEL: Record<VmItem['power'], string> = { on: 'On', off: 'Off', suspended: 'Suspended', unknown: 'Unknown' }

export const rowDomId = (index: number): string => `vm-row-${index}`

function PowerBadge({ item }: { item: VmItem }) {
  if (item.pending) {
    return <span className="power-badge power-pending">{specOf(item.pending).progress}</span>
  }
  // A VM the provider reports broken (Nova ERROR) has no power to speak of: its dot says so.
  const error = statusTone(item.status) === 'error' ? ' power-error' : ''
  return <span className={`power-badge power-${item.power}${error}`}>{POWER_LABEL[item.power]}</span>
}

/** The provider's own status, as it says it; an error stands out, a change under way looks busy. */
function StatusText({ status }: { status: string }) {
  if (!status) return <span className="cell-empty">—</span>
  return <span className={`vm-status vm-status-${statusTone(status)}`}>{status}</span>
}

/** A lazily filled cell: a placeholder while its details load, a dash when they cannot be had. */
function DetailCell({ value, item, label }: { value: string; item: VmItem; label: string }) {
  if (value) return <>{value}</>
  if (item.details === 'loading' || item.details === 'none') {
    // Only a lookup under way moves: 50,000 rows still listing would otherwise keep every visible cell repainting.
    return (
      <span className="cell-loading" aria-label={`${label} loading`}>
        <span className={item.details === 'loading' ? 'cell-shimmer is-moving' : 'cell-shimmer'} />
      </span>
    )
  }
  return <span className="cell-empty" aria-label={`${label} unknown`}>—</span>
}

export interface VmTableProps {
  view: readonly VmItem[]
  connectionNames: ReadonlyMap<string, string>
  /**
   * Whether any VM shown has a host: vCenter names the ESXi host only when its listing had to go
   * down to hosts, so a column of dashes is left out rather than shown.
   */
  showHost: boolean
  /**
   * Whether OpenStack servers are listed: Nova's status carries the task under way
   * ('ACTIVE · powering-off') and needs a wider Status column than vCenter's or ZStack's words.
   */
  wideStatus: boolean
  /** Whether the VMs tab is showing: a hidden grid cannot scroll, so a reveal waits for it. */
  active: boolean
  /** Connections whose rows are the last known ones (their refresh failed): shown muted. */
  stale: ReadonlySet<string>
  onContextMenu(x: number, y: number): void
}

/** The VM list: a virtualized ARIA grid with sortable headers, multi-select and keyboard navigation. */
function VmTableView({ view, connectionNames, showHost, wideStatus, active, stale, onContextMenu }: VmTableProps) {
  const columns = showHost ? COLUMNS : COLUMNS.filter((c) => c.id !== 'host')
  /**
   * The grid element holds the focus (aria-activedescendant names the focused row) and scrolls,
   * its header row sticky on top: one keyboard-reachable scroll region.
   */
  const gridRef = useRef<HTMLDivElement>(null)
  const scrollRef = gridRef
  const sort = useInventory((s) => s.sort)
  const selected = useInventory((s) => s.selected)
  const focused = useInventory((s) => s.focused)
  const reveal = useInventory((s) => s.reveal)
  // Items change in place: a row whose details were reset (its power changed) is asked for again.
  const rev = useInventory((s) => s.rev)
  const virtualizer = useVirtualizer({
    count: view.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // The rows start under the sticky header; scrolling to a row keeps it out from under it.
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
  })
  const virtualRows = virtualizer.getVirtualItems()
  const focusedIndex = focused === null ? -1 : view.findIndex((i) => i.key === focused)

  // Scroll to a VM that was opened from elsewhere (quick switcher) and put the focus on the grid,
  // once per request, when the tab is showing.
  const revealed = useRef(0)
  useEffect(() => {
    if (!reveal || !active || revealed.current === reveal.seq) return
    const index = view.findIndex((i) => i.key === reveal.key)
    if (index < 0) return
    revealed.current = reveal.seq
    virtualizer.scrollToIndex(index, { align: 'center' })
    gridRef.current?.focus({ preventScroll: true })
    // The view changing under an applied request must not scroll again.
  }, [reveal?.seq, active])

  // Details for the rows on screen, once scrolling settles.
  const first = virtualRows[0]?.index ?? 0
  const last = virtualRows[virtualRows.length - 1]?.index ?? -1
  useEffect(() => {
    const timer = setTimeout(() => {
      const keys: string[] = []
      for (let i = first; i <= last; i++) {
        const item = view[i]
        if (item && item.details === 'none') keys.push(item.key)
      }
      if (keys.length > 0) useInventory.getState().requestDetails(keys)
    }, DETAILS_DELAY_MS)
    return () => clearTimeout(timer)
  }, [first, last, view, rev])

  const store = useInventory.getState
  const moveTo = (index: number, how: 'only' | 'range' | 'focus'): void => {
    const target = view[Math.max(0, Math.min(view.length - 1, index))]
    if (!target) return
    if (how === 'focus') store().setFocused(target.key)
    else store().select(target.key, how, view)
    virtualizer.scrollToIndex(view.indexOf(target))
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    // Keys on the header's sort buttons are theirs.
    if (e.target !== e.currentTarget) return
    const page = Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) - HEADER_HEIGHT) / ROW_HEIGHT) - 1)
    const at = focusedIndex < 0 ? -1 : focusedIndex
    const how = e.shiftKey ? 'range' : e.ctrlKey ? 'focus' : 'only'
    const go = (index: number): void => {
      e.preventDefault()
      moveTo(index, how)
    }
    switch (e.key) {
      case 'ArrowDown':
        return go(at + 1)
      case 'ArrowUp':
        return go(at < 0 ? 0 : at - 1)
      case 'PageDown':
        return go(at + page)
      case 'PageUp':
        return go(at - page)
      case 'Home':
        return go(0)
      case 'End':
        return go(view.length - 1)
      case ' ': {
        e.preventDefault()
        const item = view[at]
        if (item) store().select(item.key, 'toggle', view)
        else moveTo(0, 'only')
        return
      }
      case 'Enter': {
        const item = view[at]
        if (item) {
          e.preventDefault()
          openVm(refOf(item))
        }
        return
      }
      case 'Escape':
        if (selected.size > 0) {
          e.preventDefault()
          useInventory.setState({ selected: new Set() })
        }
        return
      case 'ContextMenu':
      case 'F10':
        if (e.key === 'F10' && !e.shiftKey) return
        e.preventDefault()
        openMenuAtFocus()
        return
      case 'a':
        if (e.ctrlKey) {
          e.preventDefault()
          store().selectAll(view)
        }
        return
    }
  }

  const openMenuAtFocus = (): void => {
    let at = focusedIndex
    if (at < 0 && view.length > 0) {
      moveTo(0, 'only')
      at = 0
    }
    const item = view[at]
    if (!item) return
    if (!selected.has(item.key)) store().select(item.key, 'only', view)
    const row = document.getElementById(rowDomId(at))
    const box = (row ?? scrollRef.current)?.getBoundingClientRect()
    if (box) onContextMenu(box.left + 48, box.bottom)
  }

  const onRowClick = (e: MouseEvent, item: VmItem): void => {
    store().select(item.key, e.shiftKey ? 'range' : e.ctrlKey || e.metaKey ? 'toggle' : 'only', view)
    gridRef.current?.focus({ preventScroll: true })
  }

  const onRowContextMenu = (e: MouseEvent, item: VmItem): void => {
    e.preventDefault()
    if (!selected.has(item.key)) store().select(item.key, 'only', view)
    else store().setFocused(item.key)
    gridRef.current?.focus({ preventScroll: true })
    onContextMenu(e.clientX, e.clientY)
  }

  const sortBy = (column: SortColumn): void => {
    store().setSort({ column, descending: sort.column === column ? !sort.descending : false })
  }

  return (
    <div
      ref={gridRef}
      id="vm-grid"
      className="vm-grid"
      role="grid"
      aria-label="Virtual machines"
      aria-rowcount={view.length + 1}
      aria-colcount={columns.length}
      aria-multiselectable="true"
      data-host={showHost ? 'some' : 'none'}
      data-status={wideStatus ? 'wide' : 'narrow'}
      tabIndex={0}
      aria-activedescendant={focusedIndex >= 0 && virtualRows.some((v) => v.index === focusedIndex) ? rowDomId(focusedIndex) : undefined}
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        if (e.target === e.currentTarget && focusedIndex < 0 && view[0]) store().setFocused(view[0].key)
      }}
      data-testid="vm-grid"
    >
      <div className="vm-grid-head" role="rowgroup">
        <div className="vm-row vm-row-head" role="row" aria-rowindex={1}>
          {columns.map((c) => (
            <div
              key={c.id}
              className="vm-cell"
              role="columnheader"
              aria-sort={sort.column === c.id ? (sort.descending ? 'descending' : 'ascending') : 'none'}
            >
              <button type="button" className="vm-sort" onClick={() => sortBy(c.id)}>
                {c.label}
                <span className="vm-sort-mark" aria-hidden="true">
                  {sort.column === c.id ? (sort.descending ? '▾' : '▴') : ''}
                </span>
              </button>
            </div>
          ))}
        </div>
      </div>
      <div
        className="vm-grid-body"
        role="rowgroup"
        data-testid="vm-grid-body"
      >
        <div className="vm-grid-spacer" style={{ height: virtualizer.getTotalSize() }}>
          {virtualRows.map((v) => {
            const item = view[v.index] as VmItem
            const isSelected = selected.has(item.key)
            return (
              <div
                key={item.key}
                id={rowDomId(v.index)}
                className={`vm-row${isSelected ? ' is-selected' : ''}${v.index === focusedIndex ? ' is-focused' : ''}${stale.has(item.connectionId) ? ' is-stale' : ''}`}
                role="row"
                aria-rowindex={v.index + 2}
                aria-selected={isSelected}
                aria-busy={item.details === 'loading' || undefined}
                data-vm={item.id}
                style={{ transform: `translateY(${v.start - HEADER_HEIGHT}px)` }}
                onClick={(e) => onRowClick(e, item)}
                onDoubleClick={() => openVm(refOf(item))}
                onContextMenu={(e) => onRowContextMenu(e, item)}
              >
                <div className="vm-cell vm-name" role="gridcell" title={item.name}>
                  {item.name}
                </div>
                <div className="vm-cell" role="gridcell" title={statusDescription(item)}>
                  <PowerBadge item={item} />
                </div>
                <div className="vm-cell" role="gridcell" title={item.status || undefined}>
                  <StatusText status={item.status} />
                </div>
                <div className="vm-cell" role="gridcell">
                  <DetailCell value={item.guestOs} item={item} label="Guest OS" />
                </div>
                <div className="vm-cell vm-mono" role="gridcell">
                  <DetailCell value={item.ip} item={item} label="IP address" />
                </div>
                {showHost && (
                  <div className="vm-cell" role="gridcell" title={item.host}>
                    {item.host || <span className="cell-empty">—</span>}
                  </div>
                )}
                <div className="vm-cell" role="gridcell" title={item.group}>
                  {item.group || <span className="cell-empty">—</span>}
                </div>
                <div className="vm-cell" role="gridcell" title={`${PROVIDER_LABEL[item.provider]}: ${connectionNames.get(item.connectionId) ?? ''}`}>
                  {connectionNames.get(item.connectionId)}
                </div>
              </div>
            )
          })}
        </div>
      </div>
    </div>
  )
}

/** Whether the context menu is open (the table's Escape leaves it alone then). */
export function useMenuOpen(): boolean {
  return useInventoryUi((s) => s.menu !== null)
}

/** The table re-renders when its view or props change, or fields of its VMs do (`rev`); not because VMs arrived that it has not taken in yet. */
export const VmTable = memo(VmTableView)
