import type { ComponentType } from 'react'
import { HomeIcon, KeyboardIcon, MonitorIcon, type IconComponent } from '../components/icons'
import { HomeTab } from '../features/home/HomeTab'
import { ShortcutsTab } from '../features/shortcuts/ShortcutsTab'
import { InventoryTab, ServerIcon } from '../features/inventory/InventoryTab'
import { ProcessesIcon, ProcessesTab } from '../features/processes/ProcessesTab'
import { FilesIcon, FilesTab } from '../features/files/FilesTab'
import { DownloadsIcon, DownloadsTab } from '../features/downloads/DownloadsTab'
import { ConsoleTab } from '../features/consoles/ConsoleTab'
import { installConsoleOpening } from '../features/consoles/open-console'
import { ConsoleWall, WallIcon } from '../features/console-wall/ConsoleWall'
import type { Tab, TabKind, TabOfKind } from '../store/tabs'

export interface TabViewProps<K extends TabKind> {
  tab: TabOfKind<K>
  /** Hidden tabs stay mounted (a console keeps its connection); a view may pause work while inactive. */
  active: boolean
}

export interface TabView<K extends TabKind> {
  component: ComponentType<TabViewProps<K>>
  icon: IconComponent
}

/**
 * Extension point: the view of each tab kind. Add the kind to TabParamsByKind in
 * store/tabs.ts, then its entry here; open tabs with `useTabs.getState().open({...})`.
 */
export const tabViews: { [K in TabKind]: TabView<K> } = {
  home: { component: HomeTab, icon: HomeIcon },
  shortcuts: { component: ShortcutsTab, icon: KeyboardIcon },
  inventory: { component: InventoryTab, icon: ServerIcon },
  processes: { component: ProcessesTab, icon: ProcessesIcon },
  files: { component: FilesTab, icon: FilesIcon },
  downloads: { component: DownloadsTab, icon: DownloadsIcon },
  console: { component: ConsoleTab, icon: MonitorIcon },
  'console-wall': { component: ConsoleWall, icon: WallIcon },
}

// "Open" on a VM (Enter, double-click, the row menu, the quick switcher) opens its console.
installConsoleOpening()

/** The view for a tab of any kind (the mapped type above guarantees it matches the tab's parameters). */
export function viewOf(tab: Tab): TabView<TabKind> {
  return tabViews[tab.kind] as unknown as TabView<TabKind>
}
