import { useEffect, useRef, type ReactNode } from 'react'
import { PortholeLogo } from '../../components/Wordmark'
import { useNotify } from '../../store/notify'
import { ChangePasswordDialog } from './ChangePasswordDialog'
import { CreateVaultForm } from './CreateVaultForm'
import { DamagedVault } from './DamagedVault'
import { useVault } from './store'
import { UnlockForm } from './UnlockForm'
import { useVaultPanels } from './panels-store'
import { VaultSettingsDialog } from './VaultSettingsDialog'
import '../../components/dialog.css'
import './vault.css'

/**
 * Shows the app only while the vault is unlocked. Locked (by the user, idle, screen lock,
 * suspend, or another window) it unmounts the whole shell at once, so nothing of what the
 * vault guards stays on screen or in the components' state, and shows the lock screen.
 */
export function VaultGate({ children }: { children: ReactNode }) {
  const status = useVault((s) => s.status)
  const problem = useVault((s) => s.problem)

  useEffect(() => {
    const vault = useVault.getState()
    const stop = vault.follow()
    void vault.refresh()
    return stop
  }, [])

  const unlocked = status?.state === 'unlocked'
  const wasLocked = useRef(false)
  // After an unlock the password field is gone: give the focus a sensible place (the workspace,
  // the skip link's target) instead of leaving it nowhere.
  useEffect(() => {
    if (!unlocked) {
      // Only a lock screen the user saw counts (not the first moments before vault.status answered).
      if (status) wasLocked.current = true
      return
    }
    if (!wasLocked.current) return
    wasLocked.current = false
    requestAnimationFrame(() => {
      if (document.activeElement === document.body || document.activeElement === null) document.getElementById('main')?.focus()
    })
  }, [unlocked, status])

  if (!status) return <div className="vault-screen" aria-busy="true" />
  if (status.state === 'unlocked') {
    return (
      <>
        {children}
        <VaultPanelHost />
      </>
    )
  }
  return (
    <main className="vault-screen">
      <div className="vault-card">
        <div className="vault-brand">
          <PortholeLogo size={40} />
          <span className="wordmark-name">Porthole</span>
        </div>
        {problem?.kind === 'damaged' ? (
          <DamagedVault problem={problem} status={status} />
        ) : status.state === 'absent' ? (
          <CreateVaultForm />
        ) : (
          <UnlockForm status={status} />
        )}
      </div>
    </main>
  )
}

/** The vault's own dialogs while unlocked; a lock unmounts them with the rest. */
function VaultPanelHost() {
  const panel = useVaultPanels((s) => s.panel)
  const close = useVaultPanels((s) => s.close)
  // Leaving the unlocked session (a lock): close the vault's dialogs, and take down the notices,
  // which may name connections and servers.
  useEffect(
    () => () => {
      close()
      useNotify.setState({ notices: [] })
    },
    [close],
  )
  if (panel === 'settings') return <VaultSettingsDialog onClose={close} />
  if (panel === 'change-password') return <ChangePasswordDialog onClose={() => useVaultPanels.getState().open('settings')} />
  return null
}
