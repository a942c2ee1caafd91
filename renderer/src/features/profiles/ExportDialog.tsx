import { useEffect, useRef, useState } from 'react'
import { isPortholeError } from '../../../../contract/errors'
import { counted } from '../../app/counted'
import { invoke } from '../../api'
import { Dialog } from '../../components/Dialog'
import { PasswordField } from '../vault/PasswordField'
import { StrengthMeter } from '../vault/StrengthMeter'
import { exportDownload } from './export-download'
import { KIND_LABELS, endpointHost } from './profile-form'
import { useProfiles } from './store'

/** Choose profiles and a password (twice); main encrypts them, secrets included; the page offers the file. */
export function ExportDialog({ initial, onClose }: { initial?: readonly string[] | undefined; onClose(): void }) {
  const profiles = useProfiles((s) => s.profiles)
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(initial ?? profiles.map((p) => p.id)))
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [errors, setErrors] = useState<{ chosen?: string | undefined; password?: string | undefined; confirm?: string | undefined; form?: string | undefined }>({})
  const [busy, setBusy] = useState(false)
  const [file, setFile] = useState<{ url: string; fileName: string; count: number }>()
  const linkRef = useRef<HTMLAnchorElement>(null)
  const passwordRef = useRef<HTMLInputElement>(null)
  const confirmRef = useRef<HTMLInputElement>(null)

  // Start the download as soon as the link exists; the object URL lives as long as the dialog.
  useEffect(() => {
    if (!file) return
    linkRef.current?.click()
    linkRef.current?.focus()
    return () => URL.revokeObjectURL(file.url)
  }, [file])

  async function run(): Promise<void> {
    if (busy) return
    if (file) return linkRef.current?.click()
    const found = {
      chosen: chosen.size === 0 ? 'Choose at least one connection.' : undefined,
      password: password.length < 8 ? 'Use at least 8 characters: this password protects every secret in the file.' : undefined,
      confirm: confirm !== password ? 'The two passwords do not match.' : undefined,
    }
    setErrors(found)
    if (found.password) return passwordRef.current?.focus()
    if (found.confirm) return confirmRef.current?.focus()
    if (found.chosen) return
    setBusy(true)
    try {
      const result = await invoke('profiles.export', { ids: profiles.filter((p) => chosen.has(p.id)).map((p) => p.id), password })
      const download = exportDownload(result)
      setFile({ ...download, count: chosen.size })
      setBusy(false)
    } catch (err) {
      setBusy(false)
      setErrors({ form: isPortholeError(err) ? `${err.message} (${err.code})` : String(err) })
    }
  }

  function toggle(id: string, on: boolean): void {
    setChosen((c) => {
      const next = new Set(c)
      if (on) next.add(id)
      else next.delete(id)
      return next
    })
  }

  return (
    <Dialog
      title="Export connections"
      description="The file holds the chosen connections with their passwords, encrypted with a password you choose here."
      size="medium"
      onClose={busy ? undefined : onClose}
      onSubmit={() => void run()}
      footer={
        file ? (
          <button type="button" className="button button-primary" onClick={onClose}>
            Done
          </button>
        ) : (
          <>
            <button type="button" className="button button-secondary" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
              {busy ? 'Encrypting…' : `Export ${counted(chosen.size, 'connection')}`}
            </button>
          </>
        )
      }
    >
      {file ? (
        <div className="export-done" role="status">
          <p>
            Encrypted {counted(file.count, 'connection')} into <strong>{file.fileName}</strong>. Your browser or
            system saves it to the downloads folder or asks where to put it.
          </p>
          <p>
            <a ref={linkRef} className="export-link" href={file.url} download={file.fileName}>
              Save {file.fileName} again
            </a>
          </p>
          <p className="field-help">Keep the export password apart from the file: whoever has both can read every password in it.</p>
        </div>
      ) : (
        <>
          {errors.form && (
            <p className="form-error" role="alert">
              {errors.form}
            </p>
          )}
          <fieldset className="choice-group export-list">
            <legend>Connections</legend>
            {profiles.map((p) => (
              <label key={p.id} className="choice">
                <input type="checkbox" checked={chosen.has(p.id)} onChange={(e) => toggle(p.id, e.target.checked)} />
                <span>
                  {p.name} <span className="choice-hint">{KIND_LABELS[p.kind]} · {endpointHost(p)}</span>
                </span>
              </label>
            ))}
            {errors.chosen && <p className="field-error">{errors.chosen}</p>}
          </fieldset>
          <PasswordField id="export-password" label="Export password" value={password} onChange={setPassword} autoComplete="new-password" inputRef={passwordRef} error={errors.password} describedBy="export-strength" autoFocus />
          <StrengthMeter password={password} id="export-strength" />
          <PasswordField id="export-confirm" label="Type it again" value={confirm} onChange={setConfirm} autoComplete="new-password" inputRef={confirmRef} error={errors.confirm} />
        </>
      )}
    </Dialog>
  )
}
