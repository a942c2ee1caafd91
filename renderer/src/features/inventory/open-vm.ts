import type { VmRef } from '../../../../contract/inventory'
import { openInventoryTab } from './open-tab'
import { useInventory } from './store'
import { keyOf } from './vm-item'
import { filterItems } from './vm-view'

export { openInventoryTab }

/** Shows a VM in the VMs tab: selected, focused and scrolled to (with `activate`, the tab comes to the front). */
function revealVm(ref: VmRef, activate = true): void {
  const store = useInventory.getState()
  const key = keyOf(ref)
  const item = store.items.get(key)
  if (!item) return
  // A filter that hides the VM would make "open" look broken: clear it.
  if (store.query && filterItems([item], store.query).length === 0) store.setQuery('')
  if (activate) openInventoryTab()
  useInventory.setState({ selected: new Set([key]), anchor: key })
  store.revealKey(key)
}

let handler: (ref: VmRef) => void = revealVm

/**
 * Opens a VM (Enter on a row, double-click, the quick switcher): the VMs tab gets it selected
 * and in view, then the handler runs (consoles open its console through `setOpenVmHandler`).
 */
export function openVm(ref: VmRef): void {
  if (handler !== revealVm) revealVm(ref, false)
  handler(ref)
}

/** Hook for the consoles feature: what "open" does; returns the function that puts the previous one back. */
export function setOpenVmHandler(next: (ref: VmRef) => void): () => void {
  const previous = handler
  handler = next
  return () => {
    handler = previous
  }
}
