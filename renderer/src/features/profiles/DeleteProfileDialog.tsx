import { useRef, useState } from 'react'
import type { ProfileSummary } from '../../../../contract/profiles'
import { isPortholeError } from '../../../../contract/errors'
import { invoke } from '../../api'
import { Dialog } from '../../components/Dialog'
import { notifyInfo } from '../../store/notify'
import { KIND_LABELS, endpointHost } from './profile-form'

/** Asks before deleting, naming the profile; Cancel has the focus, so Enter never deletes by accident. */
export function DeleteProfileDialog({ profile, onClose, onDeleted }: { profile: ProfileSummary; onClose(): void; onDeleted?(): void }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const cancelRef = useRef<HTMLButtonElement>(null)

  async function remove(): Promise<void> {
    if (busy) return
    setBusy(true)
    try {
      await invoke('profiles.delete', { id: profile.id })
      notifyInfo(`Deleted “${profile.name}”.`)
      onDeleted?.()
      onClose()
    } catch (err) {
      setBusy(false)
      setError(isPortholeError(err) ? `${err.message} (${err.code})` : String(err))
    }
  }

  return (
    <Dialog
      title={`Delete “${profile.name}”?`}
      tone="danger"
      size="small"
      onClose={busy ? undefined : onClose}
      initialFocus={cancelRef}
      footer={
        <>
          <button ref={cancelRef} type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button button-danger" aria-disabled={busy || undefined} onClick={() => void remove()}>
            {busy ? 'Deleting…' : 'Delete connection'}
          </button>
        </>
      }
    >
      <p className="dialog-text">
        The {KIND_LABELS[profile.kind]} connection <strong>{profile.name}</strong> ({endpointHost(profile)}) and its stored{' '}
        {profile.kind === 'vnc' ? 'password' : 'credentials'} are removed from the vault, with the certificates pinned for it. This
        cannot be undone.
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  )
}
