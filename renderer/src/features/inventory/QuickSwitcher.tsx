import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { openVm } from './open-vm'
import { useInventory } from './store'
import { useInventoryUi } from './ui-store'
import { refOf, type VmItem } from './vm-item'
import { queryWords } from './vm-view'
import { counted } from '../../app/counted'

const MAX_RESULTS = 50

/** Finds VMs across every connection by name or IP: names that start with the text first. */
export function findVms(items: Iterable<VmItem>, text: string, limit = MAX_RESULTS): VmItem[] {
  const words = queryWords(text)
  if (words.length === 0) return []
  const first = words[0] as string
  const starts: VmItem[] = []
  const contains: VmItem[] = []
  for (const item of items) {
    const name = item.name.toLowerCase()
    const ok = words.every((w) => name.includes(w) || item.ip.includes(w))
    if (!ok) continue
    if (name.startsWith(first) || item.ip.startsWith(first)) starts.push(item)
    else if (contains.length < limit) contains.push(item)
  }
  const byName = (a: VmItem, b: VmItem): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  return [...starts.sort(byName), ...contains.sort(byName)].slice(0, limit)
}

/** Ctrl+K: type a name or IP, Enter opens the VM. */
export function QuickSwitcher() {
  const open = useInventoryUi((s) => s.switcherOpen)
  const dialogRef = useRef<HTMLDialogElement>(null)
  const inputRef = useRef<HTMLInputElement>(null)
  const [text, setText] = useState('')
  const [active, setActive] = useState(0)
  const items = useInventory((s) => s.items)
  const rev = useInventory((s) => s.rev)
  // VMs that just arrived count too, before the table takes them in.
  const total = useInventory((s) => s.items.size)
  const connections = useInventory((s) => s.connections)
  const results = useMemo(() => (open ? findVms(items.values(), text) : []), [items, rev, total, text, open])

  useEffect(() => {
    const dialog = dialogRef.current
    if (!dialog) return
    if (open && !dialog.open) {
      setText('')
      setActive(0)
      dialog.showModal()
      inputRef.current?.focus()
    } else if (!open && dialog.open) dialog.close()
  }, [open])

  const close = (): void => useInventoryUi.setState({ switcherOpen: false })
  const choose = (item: VmItem | undefined): void => {
    if (!item) return
    close()
    openVm(refOf(item))
  }
  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.key === 'ArrowDown') setActive((a) => Math.min(results.length - 1, a + 1))
    else if (e.key === 'ArrowUp') setActive((a) => Math.max(0, a - 1))
    else if (e.key === 'Enter') choose(results[active])
    else return
    e.preventDefault()
  }
  const activeItem = results[active]

  return (
    <dialog ref={dialogRef} className="vm-switcher" aria-label="Go to VM" onClose={close}>
      <input
        ref={inputRef}
        className="vm-switcher-input"
        type="text"
        role="combobox"
        aria-expanded={results.length > 0}
        aria-controls="vm-switcher-list"
        aria-activedescendant={activeItem ? `vm-switch-${active}` : undefined}
        aria-label="VM name or IP address"
        placeholder="Go to VM: name or IP address"
        value={text}
        spellCheck={false}
        onChange={(e) => {
          setText(e.target.value)
          setActive(0)
        }}
        onKeyDown={onKeyDown}
      />
      <ul id="vm-switcher-list" className="vm-switcher-list" role="listbox" aria-label="Matching VMs">
        {results.map((item, i) => (
          <li
            key={item.key}
            id={`vm-switch-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'is-active' : undefined}
            onMouseEnter={() => setActive(i)}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(item)}
          >
            <span className={`power-dot power-${item.power}`} aria-hidden="true" />
            <span className="vm-switcher-name">{item.name}</span>
            <span className="vm-switcher-ip">{item.ip}</span>
            <span className="vm-switcher-conn">{connections.get(item.connectionId)?.name}</span>
          </li>
        ))}
      </ul>
      <p className="vm-switcher-hint" aria-live="polite">
        {text.trim() === ''
          ? `${counted(items.size, 'VM')} across ${counted(connections.size, 'connection')}`
          : results.length === 0
            ? 'No VM has that name or address.'
            : `${results.length === MAX_RESULTS ? `First ${MAX_RESULTS}` : results.length} match${results.length === 1 ? '' : 'es'} — Enter opens, Esc closes`}
      </p>
    </dialog>
  )
}

