import { create } from 'zustand'
import { useInventory } from './store'
import type { PowerActionSpec } from './power-actions'
import { targetsOf } from './power-actions'
import type { VmItem } from './vm-item'

export interface InventoryUiState {
  /** A destructive power action waiting for the user's yes. */
  confirm: { spec: PowerActionSpec; targets: readonly VmItem[] } | null
  /** The row context menu: where it opens (page coordinates). */
  menu: { x: number; y: number } | null
  switcherOpen: boolean
  /** Asks to focus the filter box (`/`, Ctrl+F): the box follows `seq`. */
  focusFilter: number
}

export const useInventoryUi = create<InventoryUiState>()(() => ({ confirm: null, menu: null, switcherOpen: false, focusFilter: 0 }))

/** Runs a power action on those of `items` it applies to; destructive ones ask first, naming the VMs. */
export function requestPower(spec: PowerActionSpec, items: readonly VmItem[]): void {
  const targets = targetsOf(items, spec)
  if (targets.length === 0) return
  if (spec.warning) useInventoryUi.setState({ confirm: { spec, targets } })
  else void useInventory.getState().power(targets.map((t) => t.key), spec.action)
}

/** The selected VMs, in the given order. */
export function selectedItems(order: readonly VmItem[]): VmItem[] {
  const { selected } = useInventory.getState()
  if (selected.size === 0) return []
  return order.filter((i) => selected.has(i.key))
}
