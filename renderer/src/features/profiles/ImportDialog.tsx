import { useRef, useState } from 'react'
import { isPortholeError } from '../../../../contract/errors'
import type { ProfileImportApplyResult, ProfileImportDecision, ProfileImportPreview, ProfileImportSource } from '../../../../contract/profiles'
import { counted } from '../../app/counted'
import { invoke } from '../../api'
import { Dialog } from '../../components/Dialog'
import { notifyInfo } from '../../store/notify'
import { PasswordField } from '../vault/PasswordField'
import { importContent } from './export-download'
import { KIND_ICONS } from './kind-icons'
import { KIND_LABELS, endpointHost } from './profile-form'
import { useProfiles } from './store'

type SourceKind = 'clouds-file' | 'clouds-default' | 'environment' | 'porthole-export'

const SOURCES: readonly { value: SourceKind; label: string; hint: string }[] = [
  { value: 'clouds-file', label: 'A clouds.yaml file', hint: 'OpenStack’s client configuration; add its secure.yaml if passwords are kept there.' },
  { value: 'clouds-default', label: 'clouds.yaml in the usual places', hint: 'The current folder, ~/.config/openstack and /etc/openstack, as the openstack CLI looks.' },
  { value: 'environment', label: 'Environment variables', hint: 'GOVC_* (vCenter) and OS_* (OpenStack) variables Porthole was started with.' },
  { value: 'porthole-export', label: 'A Porthole export', hint: 'A file exported from Porthole, with its export password.' },
]

const MAX_FILE_BYTES = 300_000

async function readText(file: File): Promise<string> {
  if (file.size > MAX_FILE_BYTES) throw new Error(`${file.name} is larger than ${MAX_FILE_BYTES / 1000} kB; that is not a clouds.yaml.`)
  return file.text()
}

/** The decisions an item may take: replace only where it conflicts with a saved profile. */
export function decisionsFor(item: ProfileImportPreview['items'][number]): ProfileImportDecision[] {
  return item.conflictWith ? ['skip', 'add', 'replace'] : ['skip', 'add']
}

/** What each item starts with: new ones are added, conflicting ones skipped until the user says otherwise. */
export function defaultDecision(item: ProfileImportPreview['items'][number]): ProfileImportDecision {
  return item.conflictWith ? 'skip' : 'add'
}

const DECISION_LABELS: Record<ProfileImportDecision, string> = { skip: 'Skip', add: 'Add', replace: 'Replace existing' }

/** Import: pick a source → preview with notes and conflicts → one decision per item → apply. */
export function ImportDialog({ onClose }: { onClose(): void }) {
  const [source, setSource] = useState<SourceKind>('clouds-file')
  const [cloudsFile, setCloudsFile] = useState<File>()
  const [secureFile, setSecureFile] = useState<File>()
  const [exportFile, setExportFile] = useState<File>()
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const [preview, setPreview] = useState<ProfileImportPreview>()
  const [decisions, setDecisions] = useState<Record<string, ProfileImportDecision>>({})
  const [result, setResult] = useState<ProfileImportApplyResult>()
  const passwordRef = useRef<HTMLInputElement>(null)
  const profiles = useProfiles((s) => s.profiles)

  async function sourceRequest(): Promise<ProfileImportSource | string> {
    switch (source) {
      case 'clouds-default':
        return { source: 'clouds-yaml-default' }
      case 'environment':
        return { source: 'environment' }
      case 'clouds-file': {
        if (!cloudsFile) return 'Choose a clouds.yaml file.'
        const text = await readText(cloudsFile)
        if (text.trim() === '') return `${cloudsFile.name} is empty.`
        const secureText = secureFile ? await readText(secureFile) : undefined
        return { source: 'clouds-yaml-text', text, ...(secureText?.trim() ? { secureText } : {}) }
      }
      case 'porthole-export': {
        if (!exportFile) return 'Choose the export file.'
        if (password === '') {
          passwordRef.current?.focus()
          return 'Enter the password the file was exported with.'
        }
        if (exportFile.size > MAX_FILE_BYTES) return `${exportFile.name} is too large for a Porthole export.`
        const content = importContent(new Uint8Array(await exportFile.arrayBuffer()))
        return { source: 'porthole-export', content, password }
      }
    }
  }

  async function read(): Promise<void> {
    if (busy) return
    setError(undefined)
    setBusy(true)
    try {
      const request = await sourceRequest()
      if (typeof request === 'string') {
        setError(request)
        setBusy(false)
        return
      }
      const found = await invoke('profiles.importPreview', request)
      setPreview(found)
      setDecisions(Object.fromEntries(found.items.map((i) => [i.key, defaultDecision(i)])))
    } catch (err) {
      setError(isPortholeError(err) ? `${err.message} (${err.code})` : err instanceof Error ? err.message : String(err))
      if (isPortholeError(err) && err.code === 'AUTH_FAILED') {
        passwordRef.current?.focus()
        passwordRef.current?.select()
      }
    }
    setBusy(false)
  }

  async function apply(): Promise<void> {
    if (busy || !preview) return
    setBusy(true)
    setError(undefined)
    try {
      const applied = await invoke('profiles.importApply', { previewId: preview.previewId, decisions })
      setResult(applied)
      const count = applied.results.filter((r) => r.outcome !== 'skipped').length
      notifyInfo(count === 0 ? 'Nothing imported.' : `Imported ${counted(count, 'connection')}.`)
    } catch (err) {
      setError(isPortholeError(err) ? `${err.message} (${err.code})` : String(err))
    }
    setBusy(false)
  }

  const conflictName = (id: string | undefined): string => profiles.find((p) => p.id === id)?.name ?? 'a saved connection'
  const chosenCount = Object.values(decisions).filter((d) => d !== 'skip').length

  let body
  let footer
  if (result) {
    body = (
      <ul className="import-results" role="status">
        {result.results.map((r) => (
          <li key={r.key}>
            <strong>{r.outcome === 'added' ? 'Added' : r.outcome === 'replaced' ? 'Replaced' : 'Skipped'}</strong>{' '}
            {r.name ?? preview?.items.find((i) => i.key === r.key)?.profile.name ?? r.key}
          </li>
        ))}
      </ul>
    )
    footer = (
      <button type="button" className="button button-primary" onClick={onClose} data-autofocus>
        Done
      </button>
    )
  } else if (preview) {
    body = (
      <>
        {preview.sources.length > 0 && <p className="field-help import-sources">Read from {preview.sources.join(', ')}</p>}
        {preview.items.length === 0 && <p>No connections found there.</p>}
        <ul className="import-items" aria-label="Connections found">
          {preview.items.map((item) => {
            const Icon = KIND_ICONS[item.profile.kind]
            const selectId = `import-decision-${item.key}`
            return (
              <li key={item.key} className="import-item">
                <div className="import-item-head">
                  <Icon />
                  <label htmlFor={selectId} className="import-item-name">
                    {item.profile.name}
                  </label>
                  <span className="import-item-kind">
                    {KIND_LABELS[item.profile.kind]} · {endpointHost(item.profile)}
                  </span>
                  <select
                    id={selectId}
                    className="select import-decision"
                    value={decisions[item.key] ?? 'skip'}
                    onChange={(e) => setDecisions((d) => ({ ...d, [item.key]: e.target.value as ProfileImportDecision }))}
                  >
                    {decisionsFor(item).map((d) => (
                      <option key={d} value={d}>
                        {DECISION_LABELS[d]}
                      </option>
                    ))}
                  </select>
                </div>
                {item.conflictWith && (
                  <p className="import-conflict">
                    {item.conflictReason === 'same-name' ? 'Same name as' : 'Same server and user as'} “{conflictName(item.conflictWith)}”.
                    Add keeps both (the new one renamed); Replace updates the saved one.
                  </p>
                )}
                {!item.hasSecret && <p className="field-help">No password in the source: add it after importing.</p>}
                {item.notes.map((n, i) => (
                  <p key={i} className="field-help">
                    {n}
                  </p>
                ))}
              </li>
            )
          })}
        </ul>
        {preview.skipped.length > 0 && (
          <details className="import-skipped">
            <summary>
              {counted(preview.skipped.length, 'entry', 'entries')} cannot be imported
            </summary>
            <ul>
              {preview.skipped.map((s, i) => (
                <li key={i}>
                  <strong>{s.name}</strong>: {s.reason}
                </li>
              ))}
            </ul>
          </details>
        )}
      </>
    )
    footer = (
      <>
        <button type="button" className="button button-secondary dialog-footer-start" onClick={() => setPreview(undefined)}>
          Back
        </button>
        <button type="button" className="button button-secondary" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
          {busy ? 'Importing…' : chosenCount === 0 ? 'Import nothing' : `Import ${chosenCount}`}
        </button>
      </>
    )
  } else {
    body = (
      <>
        <fieldset className="choice-group">
          <legend>Import from</legend>
          {SOURCES.map((s) => (
            <label key={s.value} className="choice">
              <input type="radio" name="import-source" value={s.value} checked={source === s.value} onChange={() => setSource(s.value)} data-autofocus={source === s.value || undefined} />
              <span>
                {s.label}
                <span className="choice-hint">{s.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {source === 'clouds-file' && (
          <div className="import-files">
            <div className="field">
              <label className="field-label" htmlFor="import-clouds">
                clouds.yaml
              </label>
              <input id="import-clouds" type="file" accept=".yaml,.yml,text/yaml" onChange={(e) => setCloudsFile(e.target.files?.[0])} />
            </div>
            <div className="field">
              <label className="field-label" htmlFor="import-secure">
                secure.yaml <span className="field-optional">(optional)</span>
              </label>
              <input id="import-secure" type="file" accept=".yaml,.yml,text/yaml" onChange={(e) => setSecureFile(e.target.files?.[0])} />
            </div>
          </div>
        )}
        {source === 'porthole-export' && (
          <div className="import-files">
            <div className="field">
              <label className="field-label" htmlFor="import-export-file">
                Export file
              </label>
              <input id="import-export-file" type="file" onChange={(e) => setExportFile(e.target.files?.[0])} />
            </div>
            <PasswordField id="import-password" label="Export password" value={password} onChange={setPassword} autoComplete="off" inputRef={passwordRef} />
          </div>
        )}
      </>
    )
    footer = (
      <>
        <button type="button" className="button button-secondary" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
          {busy ? 'Reading…' : 'Preview'}
        </button>
      </>
    )
  }

  return (
    <Dialog
      title={result ? 'Import finished' : preview ? `Import ${counted(preview.items.length, 'connection')}` : 'Import connections'}
      size="large"
      onClose={busy ? undefined : onClose}
      onSubmit={result ? undefined : preview ? () => void apply() : () => void read()}
      footer={footer}
    >
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {body}
    </Dialog>
  )
}
