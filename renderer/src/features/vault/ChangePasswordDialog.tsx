import { useRef, useState } from 'react'
import { isPortholeError } from '../../../../contract/errors'
import { invoke } from '../../api'
import { Dialog } from '../../components/Dialog'
import { notifyInfo } from '../../store/notify'
import { createVaultErrors } from './CreateVaultForm'
import { PasswordField } from './PasswordField'
import { StrengthMeter } from './StrengthMeter'
import { useVault } from './store'

/** Current password, then the new one twice; main re-keys the vault (a new data key, not only a re-wrap). */
export function ChangePasswordDialog({ onClose }: { onClose: () => void }) {
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [confirm, setConfirm] = useState('')
  const [errors, setErrors] = useState<{ current?: string | undefined; next?: string | undefined; confirm?: string | undefined }>({})
  const [busy, setBusy] = useState(false)
  const currentRef = useRef<HTMLInputElement>(null)
  const nextRef = useRef<HTMLInputElement>(null)
  const confirmRef = useRef<HTMLInputElement>(null)

  async function submit(): Promise<void> {
    if (busy) return
    const found = createVaultErrors(next, confirm, true)
    const errs = { current: current === '' ? 'Enter the current master password.' : undefined, next: found.password, confirm: found.confirm }
    if (!errs.next && next === current) errs.next = 'The new password is the same as the current one.'
    setErrors(errs)
    if (errs.current) return currentRef.current?.focus()
    if (errs.next) return nextRef.current?.focus()
    if (errs.confirm) return confirmRef.current?.focus()
    setBusy(true)
    try {
      useVault.getState().adopt(await invoke('vault.changePassword', { current, next }))
      notifyInfo('Master password changed. Use the new one from now on.')
      onClose()
    } catch (err) {
      setBusy(false)
      if (isPortholeError(err) && err.code === 'AUTH_FAILED') {
        setErrors({ current: 'That is not the current master password.' })
        currentRef.current?.focus()
        currentRef.current?.select()
      } else if (isPortholeError(err) && err.code === 'RATE_LIMITED') {
        setErrors({ current: err.message })
      } else {
        setErrors({ current: isPortholeError(err) ? `${err.message} (${err.code})` : String(err) })
      }
    }
  }

  return (
    <Dialog
      title="Change master password"
      description="Porthole re-encrypts the vault under the new password. Exports you made earlier keep their own passwords."
      onClose={busy ? undefined : onClose}
      onSubmit={() => void submit()}
      size="small"
      footer={
        <>
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
            {busy ? 'Changing…' : 'Change password'}
          </button>
        </>
      }
    >
      <PasswordField id="change-current" label="Current master password" value={current} onChange={setCurrent} autoComplete="current-password" autoFocus inputRef={currentRef} error={errors.current} />
      <PasswordField id="change-next" label="New master password" value={next} onChange={setNext} autoComplete="new-password" inputRef={nextRef} error={errors.next} describedBy="change-strength" />
      <StrengthMeter password={next} id="change-strength" />
      <PasswordField id="change-confirm" label="Type the new password again" value={confirm} onChange={setConfirm} autoComplete="new-password" inputRef={confirmRef} error={errors.confirm} />
    </Dialog>
  )
}
