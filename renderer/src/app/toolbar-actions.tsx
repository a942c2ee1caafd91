import { KeyboardIcon, SidebarIcon, type IconComponent } from '../components/icons'
import { lockVault } from '../features/vault/vault-actions'
import { LockIcon } from '../features/vault/vault-icons'
import { openConsoleWall, WallIcon } from '../features/console-wall/ConsoleWall'
import { DownloadIcon } from '../features/files/file-icons'
import { openDownloads } from '../features/downloads/open-downloads'
import { useSettings } from '../store/settings'
import { openShortcutsTab, toggleSidebar } from './shortcuts'

export interface ToolbarAction {
  id: string
  /** The button's accessible name and tooltip. */
  label: string
  icon: IconComponent
  /** 'start' sits before the tabs, 'end' after them. */
  placement: 'start' | 'end'
  run(): void
  /** The id of the entry in app/shortcuts.ts that does the same, so the tooltip can name its keys. */
  shortcut?: string
  /** A hook for state the button shows: on/off (aria-pressed), or why it cannot run now. */
  useStatus?: () => { pressed?: boolean; unavailable?: string }
}

/** Extension point: the buttons in the tab strip, in order. */
export const toolbarActions: readonly ToolbarAction[] = [
  {
    id: 'sidebar.toggle',
    label: 'Sidebar',
    icon: SidebarIcon,
    placement: 'start',
    run: toggleSidebar,
    shortcut: 'sidebar.toggle',
    useStatus: () => ({ pressed: !useSettings((s) => s.settings.layout.sidebarCollapsed) }),
  },
  { id: 'consoles.wall', label: 'Console wall', icon: WallIcon, placement: 'end', run: openConsoleWall },
  { id: 'downloads.show', label: 'Downloads', icon: DownloadIcon, placement: 'end', run: openDownloads },
  { id: 'shortcuts.show', label: 'Keyboard shortcuts', icon: KeyboardIcon, placement: 'end', run: openShortcutsTab, shortcut: 'shortcuts.show' },
  { id: 'vault.lock', label: 'Lock vault', icon: LockIcon, placement: 'end', run: lockVault, shortcut: 'vault.lock' },
]
