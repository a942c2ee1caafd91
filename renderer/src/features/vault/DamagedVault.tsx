import { useRef, useState } from 'react'
import type { VaultStatus } from '../../../../contract/vault'
import { PasswordField } from './PasswordField'
import { secondsUntil, useVault, type VaultProblem } from './store'
import { useNow } from './useNow'
import { WarningIcon } from './vault-icons'

function when(iso: string | undefined): string {
  if (!iso) return 'earlier'
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString()
}

/** The vault file is torn or was modified: say so, and offer the previous generation when there is one. */
export function DamagedVault({ problem, status }: { problem: Extract<VaultProblem, { kind: 'damaged' }>; status: VaultStatus }) {
  const backup = problem.backup.available ? problem.backup : status.backup?.available ? status.backup : undefined
  const [password, setPassword] = useState('')
  const busy = useVault((s) => s.busy)
  const retryAt = useVault((s) => s.retryAt)
  const now = useNow(retryAt !== null && retryAt > Date.now())
  const wait = secondsUntil(retryAt, now)
  const inputRef = useRef<HTMLInputElement>(null)
  const [error, setError] = useState<string>()

  async function restore(): Promise<void> {
    if (busy || wait > 0 || password === '') return inputRef.current?.focus()
    const ok = await useVault.getState().restoreBackup(password)
    if (!ok) {
      const p = useVault.getState().problem
      setError(p?.kind === 'damaged' ? p.message : p?.message)
      inputRef.current?.focus()
      inputRef.current?.select()
    }
  }

  return (
    <form
      className="vault-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void restore()
      }}
    >
      <h1 className="vault-title">The vault file is damaged</h1>
      <div className="callout callout-danger" role="alert">
        <WarningIcon />
        <p>
          Porthole cannot read <code>vault.json</code>: the file is incomplete or was changed outside Porthole. Nothing was loaded
          from it, and Porthole will not change it.
        </p>
      </div>
      {backup ? (
        <>
          <p className="vault-lede">
            Porthole keeps the previous copy of the vault, saved {when(backup.savedAt)}. Restoring it brings back the connections as
            they were then; the damaged file is kept beside it as <code>vault.json.damaged</code>. Enter the master password that
            copy was saved with.
          </p>
          <PasswordField
            id="vault-restore-password"
            label="Master password of the previous copy"
            value={password}
            onChange={setPassword}
            autoComplete="current-password"
            autoFocus
            inputRef={inputRef}
            error={error}
          />
          {wait > 0 && (
            <p className="vault-wait" role="status">
              Next try in <strong>{wait}</strong> s.
            </p>
          )}
          <div className="vault-actions">
            <button type="button" className="button button-secondary" onClick={() => useVault.getState().clearProblem()}>
              Back
            </button>
            <button type="submit" className="button button-primary" aria-disabled={busy || wait > 0 || undefined}>
              {busy ? 'Restoring…' : 'Restore previous copy'}
            </button>
          </div>
        </>
      ) : (
        <>
          <p className="field-help">{problem.message}</p>
          <p className="vault-lede">
            There is no previous copy to restore. If you have a backup of Porthole&apos;s data folder, put its <code>vault.json</code>{' '}
            back and try again.
          </p>
          <div className="vault-actions">
            <button type="button" className="button button-secondary" autoFocus onClick={() => useVault.getState().clearProblem()}>
              Try again
            </button>
          </div>
        </>
      )}
    </form>
  )
}
