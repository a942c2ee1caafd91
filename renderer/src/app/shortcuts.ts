import { addConnection } from '../features/profiles/profile-actions'
import { lockVault } from '../features/vault/vault-actions'
import { focusVmFilter, openQuickSwitcher, vmListShortcuts } from '../features/inventory/inventory-shortcuts'
import { useSettings } from '../store/settings'
import { activeTab, useTabs } from '../store/tabs'
import type { Chord } from './chord'
import { FULLSCREEN_CHORD } from '../features/consoles/fullscreen'

export interface Shortcut {
  id: string
  description: string
  chords: readonly Chord[]
  /** Absent for keys that work only where the focus is (listed so the shortcuts tab can show them). */
  run?: () => void
  /** Where a focus-bound shortcut works, in the user's words. */
  where?: string
}

export function openShortcutsTab(): void {
  useTabs.getState().open({ kind: 'shortcuts', title: 'Keyboard shortcuts', params: {} })
}

export function toggleSidebar(): void {
  const { settings, setLayout } = useSettings.getState()
  setLayout({ sidebarCollapsed: !settings.layout.sidebarCollapsed })
}

/**
 * Every keyboard shortcut, in one list: the window-wide handler (app/useShortcuts.ts) and the
 * "Keyboard shortcuts" tab both read it, so the documentation cannot drift from the behaviour.
 * A feature adds its window-wide shortcuts here.
 */
export const shortcuts: readonly Shortcut[] = [
  {
    id: 'tab.next',
    description: 'Next tab',
    chords: [{ key: 'Tab', ctrl: true }, { key: 'PageDown', ctrl: true }],
    run: () => useTabs.getState().cycle(1),
  },
  {
    id: 'tab.previous',
    description: 'Previous tab',
    chords: [{ key: 'Tab', ctrl: true, shift: true }, { key: 'PageUp', ctrl: true }],
    run: () => useTabs.getState().cycle(-1),
  },
  {
    id: 'tab.close',
    description: 'Close the tab',
    chords: [{ key: 'w', ctrl: true }, { key: 'F4', ctrl: true }],
    run: () => {
      const tabs = useTabs.getState()
      tabs.close(activeTab(tabs).id)
    },
  },
  { id: 'sidebar.toggle', description: 'Show or hide the sidebar', chords: [{ key: 'b', ctrl: true }], run: toggleSidebar },
  { id: 'shortcuts.show', description: 'Show keyboard shortcuts', chords: [{ key: '/', ctrl: true }], run: openShortcutsTab },
  { id: 'vm.switcher', description: 'Go to a VM by name or IP', chords: [{ key: 'k', ctrl: true }], run: openQuickSwitcher },
  { id: 'vm.filter', description: 'Filter the VM list', chords: [{ key: 'f', ctrl: true }], run: focusVmFilter },
  { id: 'vault.lock', description: 'Lock the vault', chords: [{ key: 'l', ctrl: true, shift: true }, { key: 'l', ctrl: true }], run: lockVault },
  { id: 'connection.add', description: 'Add a connection', chords: [{ key: 'n', ctrl: true }], run: addConnection },
  {
    id: 'tablist.move',
    description: 'Move between tabs',
    chords: [{ key: 'ArrowLeft' }, { key: 'ArrowRight' }, { key: 'Home' }, { key: 'End' }],
    where: 'tab bar',
  },
  { id: 'tablist.close', description: 'Close the focused tab', chords: [{ key: 'Delete' }], where: 'tab bar' },
  {
    id: 'splitter.resize',
    description: 'Resize the sidebar (Shift for bigger steps)',
    chords: [{ key: 'ArrowLeft' }, { key: 'ArrowRight' }],
    where: 'sidebar edge',
  },
  { id: 'splitter.collapse', description: 'Hide the sidebar', chords: [{ key: 'Enter' }], where: 'sidebar edge' },
  ...vmListShortcuts,
  { id: 'console.release', description: 'Release the keyboard from the console', chords: [{ key: 'Shift', ctrl: true, alt: true }], where: 'console' },
  { id: 'console.fullscreen', description: 'Full screen with the keyboard locked (Alt+Tab, Win, Esc go to the VM); again to leave', chords: [FULLSCREEN_CHORD], where: 'console tab' },
  { id: 'connection.move', description: 'Move between connections', chords: [{ key: 'ArrowUp' }, { key: 'ArrowDown' }, { key: 'Home' }, { key: 'End' }], where: 'connection list' },
  { id: 'connection.edit', description: 'Edit the connection', chords: [{ key: 'Enter' }, { key: 'F2' }], where: 'connection list' },
  { id: 'connection.menu', description: 'More actions (duplicate, test, export, delete)', chords: [{ key: 'F10', shift: true }, { key: 'ContextMenu' }], where: 'connection list' },
  { id: 'connection.duplicate', description: 'Duplicate the connection', chords: [{ key: 'd', ctrl: true }], where: 'connection list' },
  { id: 'connection.test', description: 'Test the connection', chords: [{ key: 't', ctrl: true }], where: 'connection list' },
  { id: 'connection.delete', description: 'Delete the connection (asks first)', chords: [{ key: 'Delete' }], where: 'connection list' },
  { id: 'password.reveal', description: 'Show or hide the password being typed', chords: [{ key: 'F8', alt: true }], where: 'password field' },
]
