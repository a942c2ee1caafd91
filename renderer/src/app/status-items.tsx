import type { ComponentType } from 'react'
import { InventoryStatusItem } from '../features/inventory/InventoryStatusItem'
import { HostStatus } from '../components/HostStatus'
import { ThemeSwitch } from '../components/ThemeSwitch'
import { VaultStatusItem } from '../features/vault/VaultStatusItem'
import { ConsolesStatusItem } from '../features/console-wall/ConsolesStatusItem'
import { DownloadsStatusItem } from '../features/downloads/DownloadsStatusItem'

export interface StatusItem {
  id: string
  /** 'start' items line up from the left, 'end' items from the right. */
  align: 'start' | 'end'
  component: ComponentType
}

/** Extension point: the status bar's items (vault lock state, downloads, … go here). */
export const statusItems: readonly StatusItem[] = [
  { id: 'host', align: 'start', component: HostStatus },
  { id: 'vault', align: 'start', component: VaultStatusItem },
  { id: 'inventory', align: 'start', component: InventoryStatusItem },
  { id: 'consoles', align: 'start', component: ConsolesStatusItem },
  { id: 'downloads', align: 'start', component: DownloadsStatusItem },
  { id: 'theme', align: 'end', component: ThemeSwitch },
]
