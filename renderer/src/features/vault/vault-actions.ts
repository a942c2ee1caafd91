import { useVaultPanels } from './panels-store'
import { useVault } from './store'

/** Locks at once (toolbar button, Ctrl+Shift+L / Ctrl+L; the app menu reaches the page through vault.changed). */
export function lockVault(): void {
  if (useVault.getState().status?.state === 'unlocked') void useVault.getState().lock()
}

export function openVaultSettings(): void {
  if (useVault.getState().status?.state === 'unlocked') useVaultPanels.getState().open('settings')
}
