import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react'
import { vmMenuItems } from '../../app/vm-menu-items'
import { openVm } from './open-vm'
import { POWER_ACTIONS, targetsOf } from './power-actions'
import { useInventory } from './store'
import { requestPower, useInventoryUi } from './ui-store'
import { refOf, type VmItem } from './vm-item'

interface MenuEntry {
  id: string
  label: string
  disabled: boolean
  run(): void
  /** Starts a group: a line above it. */
  group?: boolean
}

/** The row menu (right click, Shift+F10, the Menu key): open, power actions for the selection, refresh. */
export function VmContextMenu({ selection, onClose }: { selection: readonly VmItem[]; onClose(): void }) {
  const at = useInventoryUi((s) => s.menu)
  const ref = useRef<HTMLDivElement>(null)
  const [active, setActive] = useState(0)
  const [position, setPosition] = useState<{ left: number; top: number } | null>(null)
  const first = selection[0]
  const entries: MenuEntry[] = [
    { id: 'open', label: selection.length > 1 ? `Open ${first?.name ?? ''}` : 'Open', disabled: !first, run: () => first && openVm(refOf(first)) },
    // Features' entries (app/vm-menu-items.ts), for one VM.
    ...vmMenuItems.map((item) => {
      const vm = first && selection.length === 1 ? { ref: refOf(first), name: first.name, provider: first.provider, power: first.power } : undefined
      return { id: item.id, label: item.label, disabled: !vm || !item.applies(vm), run: () => vm && item.run(vm) }
    }),
    ...POWER_ACTIONS.map((spec, i) => {
      const n = targetsOf(selection, spec).length
      return {
        id: spec.action,
        label: `${spec.label}${spec.warning ? '…' : ''}${selection.length > 1 && n > 0 ? ` (${n})` : ''}`,
        disabled: n === 0,
        run: () => requestPower(spec, selection),
        group: i === 0,
      }
    }),
    {
      id: 'refresh',
      label: 'Refresh connection',
      disabled: !first,
      run: () => first && void useInventory.getState().refresh(first.connectionId),
      group: true,
    },
  ]

  // Keep the menu inside the window.
  useLayoutEffect(() => {
    if (!at || !ref.current) return
    const { width, height } = ref.current.getBoundingClientRect()
    setPosition({ left: Math.min(at.x, window.innerWidth - width - 4), top: Math.min(at.y, window.innerHeight - height - 4) })
    setActive(entries.findIndex((e) => !e.disabled))
    ref.current.focus()
  }, [at])

  useEffect(() => {
    if (!at) return
    const close = (e: globalThis.MouseEvent): void => {
      if (!ref.current?.contains(e.target as Node)) onClose()
    }
    window.addEventListener('mousedown', close)
    window.addEventListener('blur', onClose)
    return () => {
      window.removeEventListener('mousedown', close)
      window.removeEventListener('blur', onClose)
    }
  }, [at, onClose])

  if (!at) return null

  const step = (from: number, dir: 1 | -1): number => {
    for (let i = 1; i <= entries.length; i++) {
      const next = (from + dir * i + entries.length * 2) % entries.length
      if (!entries[next]?.disabled) return next
    }
    return from
  }
  const choose = (entry: MenuEntry | undefined): void => {
    if (!entry || entry.disabled) return
    onClose()
    entry.run()
  }
  const onKeyDown = (e: KeyboardEvent): void => {
    e.stopPropagation()
    if (e.key === 'ArrowDown') setActive((a) => step(a, 1))
    else if (e.key === 'ArrowUp') setActive((a) => step(a, -1))
    else if (e.key === 'Home') setActive(step(-1, 1))
    else if (e.key === 'End') setActive(step(entries.length, -1))
    else if (e.key === 'Enter' || e.key === ' ') choose(entries[active])
    else if (e.key === 'Escape' || e.key === 'Tab') onClose()
    else return
    e.preventDefault()
  }

  return (
    <div
      ref={ref}
      className="vm-menu"
      role="menu"
      aria-label={selection.length === 1 ? `Actions for ${first?.name ?? ''}` : `Actions for ${selection.length} VMs`}
      tabIndex={-1}
      aria-activedescendant={`vm-menu-${entries[active]?.id ?? ''}`}
      style={position ? { left: position.left, top: position.top } : { left: at.x, top: at.y, visibility: 'hidden' }}
      onKeyDown={onKeyDown}
    >
      {entries.map((entry, i) => [
        entry.group ? <div key={`${entry.id}-sep`} role="separator" className="vm-menu-sep" /> : null,
        <div
          key={entry.id}
          id={`vm-menu-${entry.id}`}
          role="menuitem"
          aria-disabled={entry.disabled || undefined}
          className={`vm-menu-item${i === active ? ' is-active' : ''}`}
          onMouseEnter={() => !entry.disabled && setActive(i)}
          onClick={() => choose(entry)}
        >
          {entry.label}
        </div>,
      ])}
    </div>
  )
}
