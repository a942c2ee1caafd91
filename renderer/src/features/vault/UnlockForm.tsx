import { useEffect, useRef, useState } from 'react'
import type { LockReason, VaultStatus } from '../../../../contract/vault'
import { PasswordField } from './PasswordField'
import { secondsUntil, useVault } from './store'
import { useNow } from './useNow'

const REASONS: Record<LockReason, string> = {
  idle: 'Locked after a period of inactivity.',
  manual: 'Locked.',
  'screen-lock': 'Locked when the screen locked.',
  suspend: 'Locked when the computer went to sleep.',
}

/** The locked vault: master password (keeps focus, selected after a wrong try), live backoff countdown, quick unlock. */
export function UnlockForm({ status }: { status: VaultStatus }) {
  const [password, setPassword] = useState('')
  const busy = useVault((s) => s.busy)
  const problem = useVault((s) => s.problem)
  const retryAt = useVault((s) => s.retryAt)
  const lockReason = useVault((s) => s.lockReason)
  const inputRef = useRef<HTMLInputElement>(null)
  const now = useNow(retryAt !== null && retryAt > Date.now())
  const wait = secondsUntil(retryAt, now)

  // After a refused attempt the field keeps the focus with its text selected: retyping replaces it.
  useEffect(() => {
    if (problem && !busy) {
      inputRef.current?.focus()
      inputRef.current?.select()
    }
  }, [problem, busy])

  async function submit(): Promise<void> {
    if (busy || wait > 0 || password === '') {
      inputRef.current?.focus()
      return
    }
    const ok = await useVault.getState().unlock(password)
    if (ok) setPassword('')
  }

  const quick = status.quickUnlock
  const message =
    problem?.kind === 'wrong-password' || problem?.kind === 'rate-limited' || problem?.kind === 'other' ? problem.message : undefined
  return (
    <form
      className="vault-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <h1 className="vault-title">Unlock Porthole</h1>
      <p className="vault-lede">{lockReason ? REASONS[lockReason] : 'The vault is locked.'} Enter the master password to continue.</p>
      <PasswordField
        id="vault-password"
        label="Master password"
        value={password}
        onChange={setPassword}
        autoComplete="current-password"
        autoFocus
        inputRef={inputRef}
        error={message}
        describedBy={wait > 0 ? 'vault-wait' : undefined}
      />
      {wait > 0 && (
        <p className="vault-wait" id="vault-wait" role="status">
          Next try in <strong data-testid="retry-seconds">{wait}</strong> s. Slowing down wrong passwords keeps guessing slow; you are
          never locked out.
        </p>
      )}
      <div className="vault-actions">
        {quick.enabled && quick.available && (
          <button type="button" className="button button-secondary" onClick={() => void useVault.getState().unlockQuick()}>
            Use system keychain
          </button>
        )}
        <button
          type="submit"
          className="button button-primary vault-submit"
          aria-disabled={busy || wait > 0 || undefined}
          title={wait > 0 ? `Wait ${wait} s` : undefined}
        >
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
      </div>
    </form>
  )
}
