import { useRef, useState } from 'react'
import { isPortholeError } from '../../../../contract/errors'
import { Dialog } from '../../components/Dialog'
import type { ProcessItem } from './process-item'

/** Confirms a kill: names the process, and says what the guest does (TERM, then KILL). */
export function KillDialog({ item, vmName, onKill, onClose }: { item: ProcessItem; vmName: string; onKill(): Promise<void>; onClose(): void }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | undefined>()
  const cancelRef = useRef<HTMLButtonElement>(null)

  async function kill(): Promise<void> {
    if (busy) return
    setBusy(true)
    try {
      await onKill()
    } catch (err) {
      setBusy(false)
      setError(isPortholeError(err) ? err.message : String(err))
    }
  }

  return (
    <Dialog
      title={`Kill ${item.name} (${item.pid})?`}
      tone="danger"
      size="small"
      onClose={onClose}
      initialFocus={cancelRef}
      footer={
        <>
          <button type="button" className="button button-secondary" ref={cancelRef} onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button button-danger" aria-disabled={busy || undefined} onClick={() => void kill()}>
            {busy ? 'Killing…' : 'Kill process'}
          </button>
        </>
      }
    >
      <p className="processes-kill-text">
        The guest on <strong>{vmName}</strong> ends process {item.pid} at once (on Linux TERM, then KILL), without asking it to save anything.
      </p>
      <p className="processes-kill-command" title={item.command}>
        {item.command || item.name}
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  )
}
