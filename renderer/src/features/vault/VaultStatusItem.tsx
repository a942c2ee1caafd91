import { useVault } from './store'
import { openVaultSettings } from './vault-actions'
import { ShieldIcon } from './vault-icons'

/** The status bar's vault line: unlocked, and when it locks itself; opens the vault settings. */
export function VaultStatusItem() {
  const status = useVault((s) => s.status)
  if (status?.state !== 'unlocked') return null
  const minutes = status.autoLockMinutes
  return (
    <button type="button" className="status-item vault-status-item" onClick={openVaultSettings} title="Vault settings">
      <ShieldIcon size={13} />
      <span>Vault unlocked</span>
      <span className="status-item-muted">{minutes === 0 ? ' · no auto-lock' : ` · auto-lock ${minutes} min`}</span>
    </button>
  )
}
