import { useEffect, useRef } from 'react'
import { POWER_ACTIONS, targetsOf } from './power-actions'
import { RefreshIcon, SearchIcon } from './inventory-icons'
import { useInventory } from './store'
import { requestPower, useInventoryUi } from './ui-store'
import type { VmItem } from './vm-item'
import { counted } from '../../app/counted'

export interface InventoryToolbarProps {
  view: readonly VmItem[]
  selection: readonly VmItem[]
  total: number
}

/** Above the table: the filter box, how many VMs show, and the power actions for the selection. */
export function InventoryToolbar({ view, selection, total }: InventoryToolbarProps) {
  const query = useInventory((s) => s.query)
  const focusFilter = useInventoryUi((s) => s.focusFilter)
  const inputRef = useRef<HTMLInputElement>(null)

  useEffect(() => {
    if (focusFilter > 0) {
      inputRef.current?.focus()
      inputRef.current?.select()
    }
  }, [focusFilter])

  return (
    <div className="inventory-toolbar" role="toolbar" aria-label="VM actions">
      <label className="vm-filter">
        <SearchIcon />
        <span className="visually-hidden">Filter VMs</span>
        <input
          ref={inputRef}
          type="search"
          placeholder="Name, IP, OS, status"
          value={query}
          spellCheck={false}
          aria-keyshortcuts="/ Control+F"
          onChange={(e) => useInventory.getState().setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && query) {
              e.preventDefault()
              useInventory.getState().setQuery('')
            } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
              e.preventDefault()
              document.getElementById('vm-grid')?.focus()
            }
          }}
        />
        <kbd aria-hidden="true">/</kbd>
      </label>
      <span className="vm-count" data-testid="vm-count" data-total={total} data-shown={view.length} aria-live="polite">
        {query ? `${view.length.toLocaleString()} of ${counted(total, 'VM')}` : counted(total, 'VM')}
        {selection.length > 0 && ` · ${selection.length.toLocaleString()} selected`}
      </span>
      <div className="inventory-actions">
        {POWER_ACTIONS.map((spec) => {
          const n = targetsOf(selection, spec).length
          const reason = selection.length === 0 ? 'Select VMs first' : n === 0 ? `No selected VM can ${spec.label.toLowerCase()}` : undefined
          const Icon = spec.icon
          return (
            <button
              key={spec.action}
              type="button"
              className="button button-ghost inventory-action"
              aria-disabled={reason !== undefined || undefined}
              title={reason ?? (n > 1 ? `${spec.label} ${n} VMs` : spec.label)}
              onClick={reason ? undefined : () => requestPower(spec, selection)}
            >
              <Icon />
              <span>{spec.label}</span>
            </button>
          )
        })}
        <button
          type="button"
          className="button button-ghost inventory-action"
          aria-label="Refresh"
          title="Refresh: list every connection again"
          onClick={() => void useInventory.getState().refresh()}
        >
          <RefreshIcon />
        </button>
      </div>
    </div>
  )
}
