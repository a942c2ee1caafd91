import { useRef, useState } from 'react'
import type { ProfileKind, ProfileSummary } from '../../../../contract/profiles'
import { invoke } from '../../api'
import { Dialog } from '../../components/Dialog'
import { notifyInfo } from '../../store/notify'
import { PasswordField } from '../vault/PasswordField'
import { errorsFromFailure, type FieldErrors } from './field-errors'
import { KIND_ICONS } from './kind-icons'
import { FORM_FIELDS, KIND_LABELS, emptyForm, formFromProfile, inputFromForm, patchFromForm, type ProfileForm } from './profile-form'
import { TextField } from './TextField'
import { ConsoleOptionsSection } from './ConsoleOptionsSection'

const KINDS: readonly ProfileKind[] = ['vsphere', 'openstack', 'zstack', 'vnc']

const ENDPOINT_HINTS: Record<Exclude<ProfileKind, 'vnc'>, { label: string; placeholder: string }> = {
  vsphere: { label: 'vCenter address', placeholder: 'https://vcenter.example.com' },
  openstack: { label: 'Keystone auth URL', placeholder: 'https://keystone.example.com:5000/v3' },
  zstack: { label: 'ZStack address', placeholder: 'https://zstack.example.com:8080' },
}

/** The order fields are checked in, so the first error is the first one on screen. */
const FIELD_ORDER = ['name', 'endpoint', 'host', 'port', 'authType', 'user', 'userDomainName', 'userDomainId', 'projectName', 'projectId', 'projectDomainName', 'projectDomainId', 'applicationCredentialId', 'applicationCredentialName', 'region', 'interface', 'secret', 'trust', 'caFile']

export interface ProfileFormDialogProps {
  /** Absent: a new profile. */
  profile?: ProfileSummary | undefined
  onClose(): void
  /** After a save, with the saved profile's id. */
  onSaved?(id: string): void
}

/** Add or edit a connection: kind, the kind's fields, TLS trust, and the write-only secret. */
export function ProfileFormDialog({ profile, onClose, onSaved }: ProfileFormDialogProps) {
  const editing = profile !== undefined
  const [form, setForm] = useState<ProfileForm>(() => (profile ? formFromProfile(profile) : emptyForm('vsphere')))
  const [errors, setErrors] = useState<FieldErrors>({ fields: {} })
  const [busy, setBusy] = useState(false)
  const inputs = useRef(new Map<string, HTMLInputElement | HTMLSelectElement | null>())
  const ref = (field: string) => (el: HTMLInputElement | HTMLSelectElement | null) => void inputs.current.set(field, el)

  function set<K extends keyof ProfileForm>(key: K, value: ProfileForm[K]): void {
    setForm((f) => ({ ...f, [key]: value }))
    const field = key === 'trustMode' ? 'trust' : key === 'clearSecret' ? 'secret' : key
    if (errors.fields[field]) setErrors((e) => ({ ...e, fields: Object.fromEntries(Object.entries(e.fields).filter(([k]) => k !== field)) }))
  }

  function show(found: FieldErrors): void {
    setErrors(found)
    const first = FIELD_ORDER.find((f) => found.fields[f] && inputs.current.get(f))
    const el = first ? inputs.current.get(first) : undefined
    if (el) {
      el.focus()
      if (el instanceof HTMLInputElement) el.select()
    }
  }

  /** Checks the form with the contract's schemas, then sends it; main's refusals land on the same fields. */
  async function save(): Promise<void> {
    if (busy) return
    const send = profile ? sendPatch(profile) : sendNew()
    if (!send) return
    setBusy(true)
    try {
      const saved = await send()
      notifyInfo(editing ? `Saved “${saved.name}”.` : `Added “${saved.name}”.`)
      onSaved?.(saved.id)
      onClose()
    } catch (err) {
      setBusy(false)
      show(errorsFromFailure(err, FORM_FIELDS))
    }
  }

  function sendNew(): (() => Promise<ProfileSummary>) | undefined {
    const checked = inputFromForm(form)
    if (!checked.ok) return void show(checked.errors)
    return () => invoke('profiles.add', checked.value)
  }

  function sendPatch(original: ProfileSummary): (() => Promise<ProfileSummary>) | undefined {
    const checked = patchFromForm(form, original)
    if (!checked.ok) return void show(checked.errors)
    return () => invoke('profiles.update', { id: original.id, patch: checked.value })
  }

  const e = errors.fields
  const kind = form.kind
  const secretLabel = kind === 'vnc' ? 'VNC password' : kind === 'openstack' && form.authType === 'application-credential' ? 'Application credential secret' : 'Password'
  const stored = editing && profile.hasSecret

  return (
    <Dialog
      title={editing ? `Edit “${profile.name}”` : 'Add connection'}
      size="medium"
      onClose={busy ? undefined : onClose}
      onSubmit={() => void save()}
      footer={
        <>
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
            {busy ? 'Saving…' : editing ? 'Save' : 'Add connection'}
          </button>
        </>
      }
    >
      {errors.form && (
        <p className="form-error" role="alert">
          {errors.form}
        </p>
      )}
      {editing ? (
        <p className="profile-kind-fixed">
          {(() => {
            const Icon = KIND_ICONS[kind]
            return <Icon />
          })()}
          <span>{KIND_LABELS[kind]} connection</span>
        </p>
      ) : (
        <fieldset className="kind-picker">
          <legend>Kind</legend>
          {KINDS.map((k) => {
            const Icon = KIND_ICONS[k]
            return (
              <label key={k} className="kind-option">
                <input
                  type="radio"
                  name="profile-kind"
                  value={k}
                  checked={kind === k}
                  onChange={() => set('kind', k)}
                  className="visually-hidden"
                  data-autofocus={kind === k || undefined}
                />
                <Icon />
                <span>{KIND_LABELS[k]}</span>
              </label>
            )
          })}
        </fieldset>
      )}

      <TextField id="profile-name" label="Name" value={form.name} onChange={(v) => set('name', v)} error={e['name']} inputRef={ref('name')} placeholder={kind === 'vnc' ? 'Build server console' : 'Lab vCenter'} autoFocus={editing} />

      {kind === 'vnc' ? (
        <div className="field-row">
          <TextField id="profile-host" label="Host" value={form.host} onChange={(v) => set('host', v)} error={e['host']} inputRef={ref('host')} placeholder="10.0.0.12" mono />
          <TextField id="profile-port" label="Port" value={form.port} onChange={(v) => set('port', v)} error={e['port']} inputRef={ref('port')} inputMode="numeric" mono />
        </div>
      ) : (
        <TextField
          id="profile-endpoint"
          label={ENDPOINT_HINTS[kind].label}
          value={form.endpoint}
          onChange={(v) => set('endpoint', v)}
          error={e['endpoint']}
          inputRef={ref('endpoint')}
          placeholder={ENDPOINT_HINTS[kind].placeholder}
          inputMode="url"
          mono
        />
      )}

      {kind === 'openstack' && (
        <fieldset className="choice-group">
          <legend>Authentication</legend>
          <label className="choice">
            <input type="radio" name="profile-auth" checked={form.authType === 'password'} onChange={() => set('authType', 'password')} />
            <span>User name and password</span>
          </label>
          <label className="choice">
            <input type="radio" name="profile-auth" checked={form.authType === 'application-credential'} onChange={() => set('authType', 'application-credential')} />
            <span>Application credential</span>
          </label>
        </fieldset>
      )}

      {(kind === 'vsphere' || kind === 'zstack') && (
        <TextField id="profile-user" label="User" value={form.user} onChange={(v) => set('user', v)} error={e['user']} inputRef={ref('user')} placeholder={kind === 'vsphere' ? 'administrator@vsphere.local' : 'admin'} />
      )}

      {kind === 'openstack' && form.authType === 'application-credential' && (
        <div className="field-row">
          <TextField id="profile-appcred-id" label="Credential ID" value={form.applicationCredentialId} onChange={(v) => set('applicationCredentialId', v)} error={e['applicationCredentialId']} inputRef={ref('applicationCredentialId')} mono />
          <TextField id="profile-appcred-name" label="Credential name" value={form.applicationCredentialName} onChange={(v) => set('applicationCredentialName', v)} error={e['applicationCredentialName']} inputRef={ref('applicationCredentialName')} optional help="With the user, instead of the ID." />
        </div>
      )}

      {kind === 'openstack' && (
        <>
          <div className="field-row">
            <TextField id="profile-user" label="User" value={form.user} onChange={(v) => set('user', v)} error={e['user']} inputRef={ref('user')} optional={form.authType === 'application-credential'} />
            <TextField id="profile-user-domain" label="User domain" value={form.userDomainName} onChange={(v) => set('userDomainName', v)} error={e['userDomainName']} inputRef={ref('userDomainName')} optional placeholder="Default" />
          </div>
          {form.authType === 'password' && (
            <div className="field-row">
              <TextField id="profile-project" label="Project" value={form.projectName} onChange={(v) => set('projectName', v)} error={e['projectName']} inputRef={ref('projectName')} />
              <TextField id="profile-project-domain" label="Project domain" value={form.projectDomainName} onChange={(v) => set('projectDomainName', v)} error={e['projectDomainName']} inputRef={ref('projectDomainName')} optional placeholder="Default" />
            </div>
          )}
          <div className="field-row">
            <TextField id="profile-region" label="Region" value={form.region} onChange={(v) => set('region', v)} error={e['region']} inputRef={ref('region')} optional placeholder="RegionOne" />
            <div className="field">
              <label className="field-label" htmlFor="profile-interface">
                Interface
              </label>
              <select id="profile-interface" className="select" value={form.interface} ref={ref('interface')} onChange={(ev) => set('interface', ev.target.value as ProfileForm['interface'])}>
                <option value="public">public</option>
                <option value="internal">internal</option>
                <option value="admin">admin</option>
              </select>
            </div>
          </div>
          <details className="profile-more" open={Boolean(form.userDomainId || form.projectId || form.projectDomainId || e['userDomainId'] || e['projectId'] || e['projectDomainId'])}>
            <summary>IDs instead of names</summary>
            <div className="field-row">
              <TextField id="profile-project-id" label="Project ID" value={form.projectId} onChange={(v) => set('projectId', v)} error={e['projectId']} inputRef={ref('projectId')} optional mono />
              <TextField id="profile-project-domain-id" label="Project domain ID" value={form.projectDomainId} onChange={(v) => set('projectDomainId', v)} error={e['projectDomainId']} inputRef={ref('projectDomainId')} optional mono />
            </div>
            <TextField id="profile-user-domain-id" label="User domain ID" value={form.userDomainId} onChange={(v) => set('userDomainId', v)} error={e['userDomainId']} inputRef={ref('userDomainId')} optional mono />
          </details>
        </>
      )}

      <PasswordField
        id="profile-secret"
        label={kind === 'vnc' ? `${secretLabel} (optional)` : secretLabel}
        value={form.secret}
        onChange={(v) => set('secret', v)}
        autoComplete="off"
        error={e['secret']}
        inputRef={ref('secret')}
        placeholder={stored ? (form.clearSecret ? 'Will be removed' : '•••••• stored — leave blank to keep') : ''}
        describedBy="profile-secret-help"
      />
      <p className="field-help profile-secret-help" id="profile-secret-help">
        {stored ? 'Kept encrypted in the vault and never shown again; type a new one to replace it.' : 'Kept encrypted in the vault; Porthole never shows it again.'}
      </p>
      {stored && (
        <label className="choice profile-clear-secret">
          <input type="checkbox" checked={form.clearSecret} onChange={(ev) => set('clearSecret', ev.target.checked)} disabled={form.secret !== ''} />
          <span>Clear the stored {secretLabel.toLowerCase()}</span>
        </label>
      )}

      {kind !== 'vnc' && (
        <fieldset className="choice-group profile-trust">
          <legend>Certificate trust</legend>
          <label className="choice">
            <input type="radio" name="profile-trust" checked={form.trustMode === 'system'} onChange={() => set('trustMode', 'system')} />
            <span>
              System certificate authorities
              <span className="choice-hint">For servers with a certificate from a CA this computer trusts.</span>
            </span>
          </label>
          <label className="choice">
            <input type="radio" name="profile-trust" checked={form.trustMode === 'ca-file'} onChange={() => set('trustMode', 'ca-file')} />
            <span>
              A CA file
              <span className="choice-hint">Only certificates signed by the CAs in a PEM file (your company CA).</span>
            </span>
          </label>
          {form.trustMode === 'ca-file' && (
            <TextField id="profile-ca-file" label="CA file (absolute path)" value={form.caFile} onChange={(v) => set('caFile', v)} error={e['caFile']} inputRef={ref('caFile')} placeholder="/etc/ssl/certs/company-ca.pem" mono />
          )}
          <label className="choice">
            <input type="radio" name="profile-trust" checked={form.trustMode === 'pinned'} onChange={() => set('trustMode', 'pinned')} />
            <span>
              Pin on first use
              <span className="choice-hint">Show the certificate the first time, remember it, warn if it ever changes (self-signed servers).</span>
            </span>
          </label>
          {e['trust'] && <p className="field-error">{e['trust']}</p>}
        </fieldset>
      )}
      <ConsoleOptionsSection value={form.console} onChange={(next) => set('console', next)} />
    </Dialog>
  )
}
