import type { Chord } from '../../app/chord'
import { openInventoryTab } from './open-vm'
import { useInventoryUi } from './ui-store'

/** Ctrl+K: the quick switcher over every VM of every connection. */
export function openQuickSwitcher(): void {
  useInventoryUi.setState({ switcherOpen: true, menu: null })
}

/** Ctrl+F (and `/` inside the VMs tab): the filter box of the VMs tab. */
export function focusVmFilter(): void {
  openInventoryTab()
  // After the tab is shown: a hidden input cannot take the focus.
  requestAnimationFrame(() => useInventoryUi.setState((s) => ({ focusFilter: s.focusFilter + 1 })))
}

/** Keys that work where the focus is in the VM list (listed in the "Keyboard shortcuts" tab). */
export const vmListShortcuts: readonly { id: string; description: string; chords: readonly Chord[]; where: string }[] = [
  { id: 'vm.filter.slash', description: 'Filter the VM list', chords: [{ key: '/' }], where: 'VMs tab' },
  { id: 'vm.move', description: 'Move between VMs (Shift extends the selection)', chords: [{ key: 'ArrowUp' }, { key: 'ArrowDown' }, { key: 'PageUp' }, { key: 'PageDown' }, { key: 'Home' }, { key: 'End' }], where: 'VM list' },
  { id: 'vm.select', description: 'Select or unselect the VM', chords: [{ key: ' ' }], where: 'VM list' },
  { id: 'vm.selectAll', description: 'Select every VM shown', chords: [{ key: 'a', ctrl: true }], where: 'VM list' },
  { id: 'vm.open', description: 'Open the VM', chords: [{ key: 'Enter' }], where: 'VM list' },
  { id: 'vm.menu', description: 'VM actions (power)', chords: [{ key: 'F10', shift: true }, { key: 'ContextMenu' }], where: 'VM list' },
]
