import type { ComponentType } from 'react'
import { InventorySection } from '../features/inventory/InventorySection'
import { ConnectionsActions, ConnectionsSection } from '../features/profiles/ConnectionsSection'

export interface SidebarSection {
  id: string
  /** The section's heading (an h2, so screen-reader users can jump between sections). */
  title: string
  component: ComponentType
  /** Small buttons beside the heading (add, refresh). */
  actions?: ComponentType
}

/** Extension point: the sidebar's sections, top to bottom. */
export const sidebarSections: readonly SidebarSection[] = [
  { id: 'connections', title: 'Connections', component: ConnectionsSection, actions: ConnectionsActions },
  { id: 'inventory', title: 'Inventory', component: InventorySection },
]
