import { useEffect, useRef, type KeyboardEvent } from 'react'

export interface MenuItem {
  id: string
  label: string
  /** Keys that do the same on the row, shown at the right. */
  keys?: string
  danger?: boolean
  run(): void
}

export interface ConnectionMenuProps {
  label: string
  items: readonly MenuItem[]
  /** Where to show it (viewport coordinates). */
  at: { x: number; y: number }
  onClose(): void
}

/** A context menu (ARIA menu pattern): arrows move, Enter runs, Escape or Tab closes, the focus goes back to the row. */
export function ConnectionMenu({ label, items, at, onClose }: ConnectionMenuProps) {
  const ref = useRef<HTMLDivElement>(null)
  const onCloseRef = useRef(onClose)
  onCloseRef.current = onClose

  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus()
    function outside(e: MouseEvent): void {
      if (ref.current && !ref.current.contains(e.target as Node)) onCloseRef.current()
    }
    document.addEventListener('mousedown', outside, true)
    window.addEventListener('blur', () => onCloseRef.current(), { once: true })
    return () => document.removeEventListener('mousedown', outside, true)
  }, [])

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>): void {
    const all = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])]
    const index = all.indexOf(document.activeElement as HTMLElement)
    let next: HTMLElement | undefined
    if (e.key === 'ArrowDown') next = all[(index + 1) % all.length]
    else if (e.key === 'ArrowUp') next = all[(index - 1 + all.length) % all.length]
    else if (e.key === 'Home') next = all[0]
    else if (e.key === 'End') next = all[all.length - 1]
    else if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault()
      e.stopPropagation()
      onClose()
      return
    } else return
    e.preventDefault()
    next?.focus()
  }

  // Keep it inside the window.
  const x = Math.min(at.x, window.innerWidth - 220)
  const y = Math.min(at.y, window.innerHeight - (items.length * 30 + 16))
  return (
    <div ref={ref} className="menu" role="menu" aria-label={label} style={{ left: Math.max(4, x), top: Math.max(4, y) }} onKeyDown={onKeyDown}>
      {items.map((item) => (
        <button
          key={item.id}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className={item.danger ? 'menu-item menu-item-danger' : 'menu-item'}
          onClick={() => {
            onClose()
            item.run()
          }}
        >
          <span>{item.label}</span>
          {item.keys && <kbd className="menu-keys">{item.keys}</kbd>}
        </button>
      ))}
    </div>
  )
}
