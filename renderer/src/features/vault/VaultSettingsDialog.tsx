import { useEffect, useState } from 'react'
import { AutoLockMinutes } from '../../../../contract/vault'
import { invoke } from '../../api'
import { notifyError, notifyInfo } from '../../store/notify'
import { Dialog } from '../../components/Dialog'
import { useVaultPanels } from './panels-store'
import { useVault } from './store'
import { lockVault } from './vault-actions'
import { LockIcon } from './vault-icons'

/** The minutes field's error, or undefined when the settings accept it. */
export function autoLockError(text: string): string | undefined {
  if (!/^\d+$/.test(text.trim())) return 'Enter whole minutes (0 turns auto-lock off).'
  return AutoLockMinutes.safeParse(Number(text.trim())).success ? undefined : 'Auto-lock takes 0 to 1440 minutes (24 hours).'
}

/** Auto-lock, quick unlock, master password: the vault's few settings, in one small panel. */
export function VaultSettingsDialog({ onClose }: { onClose(): void }) {
  const status = useVault((s) => s.status)
  const saved = status?.autoLockMinutes ?? 15
  const [minutes, setMinutes] = useState(String(saved))
  const [minutesError, setMinutesError] = useState<string>()
  useEffect(() => setMinutes(String(saved)), [saved])

  async function saveAutoLock(): Promise<void> {
    const error = autoLockError(minutes)
    setMinutesError(error)
    if (error) return
    try {
      const next = await invoke('vault.setAutoLock', { minutes: Number(minutes.trim()) })
      useVault.getState().adopt(next)
      notifyInfo(next.autoLockMinutes === 0 ? 'Auto-lock is off.' : `The vault locks after ${next.autoLockMinutes} min without activity.`)
    } catch (err) {
      notifyError(err, 'Could not change auto-lock')
    }
  }

  async function setQuick(enabled: boolean): Promise<void> {
    try {
      useVault.getState().adopt(await invoke('vault.setQuickUnlock', { enabled }))
    } catch (err) {
      notifyError(err, 'Could not change quick unlock')
    }
  }

  if (!status) return null
  const quick = status.quickUnlock
  return (
    <Dialog
      title="Vault settings"
      size="medium"
      onClose={onClose}
      footer={
        <button type="button" className="button button-primary" onClick={onClose}>
          Done
        </button>
      }
    >
      <section className="settings-section" aria-labelledby="vault-autolock-title">
        <h3 id="vault-autolock-title">Auto-lock</h3>
        <p>Lock the vault after this many minutes without activity. Locking closes consoles and logs out of every server.</p>
        <form
          className="settings-inline"
          noValidate
          onSubmit={(e) => {
            e.preventDefault()
            void saveAutoLock()
          }}
        >
          <div className="field">
            <label className="field-label" htmlFor="vault-autolock">
              Minutes <span className="field-optional">(0 = never)</span>
            </label>
            <input
              id="vault-autolock"
              className="input input-minutes"
              inputMode="numeric"
              value={minutes}
              onChange={(e) => setMinutes(e.target.value)}
              aria-invalid={minutesError ? true : undefined}
              aria-describedby={minutesError ? 'vault-autolock-error' : undefined}
            />
          </div>
          <button type="submit" className="button button-secondary">
            Save
          </button>
        </form>
        {minutesError && (
          <p className="field-error" id="vault-autolock-error">
            {minutesError}
          </p>
        )}
      </section>
      <section className="settings-section" aria-labelledby="vault-quick-title">
        <h3 id="vault-quick-title">Quick unlock</h3>
        <p>Unlock with the operating system&apos;s keychain instead of typing the master password.</p>
        <label className="choice">
          <input
            type="checkbox"
            checked={quick.enabled}
            disabled={!quick.available && !quick.enabled}
            aria-describedby={quick.available ? undefined : 'vault-quick-reason'}
            onChange={(e) => void setQuick(e.target.checked)}
          />
          <span>Allow quick unlock on this computer</span>
        </label>
        {!quick.available && (
          <p className="field-help" id="vault-quick-reason">
            Not available: {quick.reason ?? 'this system offers no keychain Porthole can use.'}
          </p>
        )}
      </section>
      <section className="settings-section" aria-labelledby="vault-password-title">
        <h3 id="vault-password-title">Master password</h3>
        <p>Changing it re-encrypts the vault; the old password stops working at once, also for the backup copy.</p>
        <div className="settings-inline">
          <button type="button" className="button button-secondary" onClick={() => useVaultPanels.getState().open('change-password')}>
            Change master password…
          </button>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              onClose()
              lockVault()
            }}
          >
            <LockIcon />
            <span>Lock now</span>
          </button>
        </div>
      </section>
    </Dialog>
  )
}
