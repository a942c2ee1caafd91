import { useTabs } from '../../store/tabs'

/** Opens the VMs tab (one of a kind). */
export function openInventoryTab(): void {
  useTabs.getState().open({ kind: 'inventory', id: 'inventory', title: 'VMs', params: {} })
}
