import { useRef, useState } from 'react'
import { MIN_PASSWORD_LENGTH } from '../../../../contract/vault'
import { PasswordField } from './PasswordField'
import { estimateStrength } from './password-strength'
import { StrengthMeter } from './StrengthMeter'
import { useVault } from './store'
import { WarningIcon } from './vault-icons'

interface Errors {
  password?: string | undefined
  confirm?: string | undefined
  understood?: string | undefined
}

/** What stops a new master password, checked on submit; empty when it may be created. */
export function createVaultErrors(password: string, confirm: string, understood: boolean): Errors {
  const errors: Errors = {}
  if (password.length < MIN_PASSWORD_LENGTH) errors.password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`
  else if (estimateStrength(password).score === 0) errors.password = 'This password is too easy to guess. Add a few unrelated words.'
  if (confirm !== password) errors.confirm = confirm === '' ? 'Type the password again.' : 'The two passwords do not match.'
  if (!understood) errors.understood = 'Tick this box to confirm you have read the warning.'
  return errors
}

/** First run: choose the master password (twice), see its strength, accept that it cannot be recovered. */
export function CreateVaultForm() {
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [understood, setUnderstood] = useState(false)
  const [errors, setErrors] = useState<Errors>({})
  const busy = useVault((s) => s.busy)
  const problem = useVault((s) => s.problem)
  const passwordRef = useRef<HTMLInputElement>(null)
  const confirmRef = useRef<HTMLInputElement>(null)
  const understoodRef = useRef<HTMLInputElement>(null)

  async function submit(): Promise<void> {
    if (busy) return
    const found = createVaultErrors(password, confirm, understood)
    setErrors(found)
    if (found.password) return passwordRef.current?.focus()
    if (found.confirm) return confirmRef.current?.focus()
    if (found.understood) return understoodRef.current?.focus()
    await useVault.getState().create(password, confirm)
  }

  return (
    <form
      className="vault-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <h1 className="vault-title">Create your vault</h1>
      <p className="vault-lede">
        Porthole keeps the passwords of your connections in an encrypted vault on this computer. Choose a master password to
        protect it; you will type it each time Porthole starts or locks.
      </p>
      <PasswordField
        id="vault-new-password"
        label="Master password"
        value={password}
        onChange={(v) => {
          setPassword(v)
          if (errors.password) setErrors({ ...errors, password: undefined })
        }}
        autoComplete="new-password"
        autoFocus
        inputRef={passwordRef}
        error={errors.password}
        describedBy="vault-strength"
      />
      <StrengthMeter password={password} id="vault-strength" />
      <PasswordField
        id="vault-confirm-password"
        label="Type it again"
        value={confirm}
        onChange={(v) => {
          setConfirm(v)
          if (errors.confirm) setErrors({ ...errors, confirm: undefined })
        }}
        autoComplete="new-password"
        inputRef={confirmRef}
        error={errors.confirm}
      />
      <div className="callout callout-danger" id="vault-recovery-warning">
        <WarningIcon />
        <p>
          <strong>A lost master password cannot be recovered.</strong> Nobody can reset it — not Porthole, not an administrator.
          Without it the saved connections are gone for good. Write it down and keep it somewhere safe.
        </p>
      </div>
      <label className="choice">
        <input
          ref={understoodRef}
          type="checkbox"
          checked={understood}
          onChange={(e) => {
            setUnderstood(e.target.checked)
            if (errors.understood) setErrors({ ...errors, understood: undefined })
          }}
          aria-describedby={errors.understood ? 'vault-understood-error vault-recovery-warning' : 'vault-recovery-warning'}
          aria-invalid={errors.understood ? true : undefined}
        />
        <span>I understand that a lost master password cannot be recovered.</span>
      </label>
      {errors.understood && (
        <p className="field-error" id="vault-understood-error">
          {errors.understood}
        </p>
      )}
      {problem && problem.kind !== 'wrong-password' && (
        <p className="form-error" role="alert">
          {problem.message}
        </p>
      )}
      <div className="vault-actions">
        <button type="submit" className="button button-primary vault-submit" aria-disabled={busy || undefined}>
          {busy ? 'Creating…' : 'Create vault'}
        </button>
      </div>
    </form>
  )
}
