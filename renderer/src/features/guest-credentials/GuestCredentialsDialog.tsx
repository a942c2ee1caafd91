import { useId, useRef, useState } from 'react'
import { isPortholeError } from '../../../../contract/errors'
import { invoke } from '../../api'
import { Dialog } from '../../components/Dialog'
import { answerGuestCredentials } from './ensure-guest-credentials'
import { useGuestCredentials, type CredentialsRequest } from './store'
import './guest-credentials.css'

/** The last user name typed per VM (not a secret), so "ask again" does not make the user retype it. */
const lastUser = new Map<string, string>()

/** Mounted once by the shell: shows the first pending guest-credentials request. */
export function GuestCredentialsRoot() {
  const request = useGuestCredentials((s) => s.queue[0])
  if (!request) return null
  return <GuestCredentialsDialog key={request.key} request={request} />
}

function GuestCredentialsDialog({ request }: { request: CredentialsRequest & { key: string } }) {
  const id = useId()
  const [type, setType] = useState<'password' | 'saml'>(request.status.type ?? 'password')
  const [user, setUser] = useState(request.status.user ?? lastUser.get(request.key) ?? '')
  const [password, setPassword] = useState('')
  const [token, setToken] = useState('')
  const [remember, setRemember] = useState(request.status.remembered)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | undefined>()
  const userRef = useRef<HTMLInputElement>(null)
  const passwordRef = useRef<HTMLInputElement>(null)
  const rejected = request.reason === 'rejected'

  const cancel = (): void => answerGuestCredentials(request.vm, false)

  async function submit(): Promise<void> {
    if (busy) return
    if (type === 'password' && user.trim() === '') return setError('Enter the guest user name.')
    if (type === 'saml' && token.trim() === '') return setError('Paste the SAML bearer token.')
    setBusy(true)
    setError(undefined)
    try {
      if (type === 'password') {
        await invoke('guest.credentials.set', { vm: request.vm, type, user: user.trim(), password, remember })
      } else {
        await invoke('guest.credentials.set', { vm: request.vm, type, samlToken: token.trim(), remember, ...(user.trim() ? { user: user.trim() } : {}) })
      }
      if (user.trim()) lastUser.set(request.key, user.trim())
      answerGuestCredentials(request.vm, true)
    } catch (err) {
      setBusy(false)
      setError(isPortholeError(err) ? err.message : String(err))
    }
  }

  return (
    <Dialog
      title={`Guest credentials for ${request.vmName}`}
      description="Porthole signs in to the guest operating system through VMware Tools to see and start its processes and files."
      size="small"
      onClose={cancel}
      onSubmit={() => void submit()}
      initialFocus={user ? passwordRef : userRef}
      footer={
        <>
          <button type="button" className="button button-secondary" onClick={cancel}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </>
      }
    >
      {rejected && (
        <p className="callout callout-danger guest-credentials-refused" role="alert">
          The guest refused these credentials{request.message ? `: ${request.message}` : '.'} Check the user name and password and try again.
        </p>
      )}
      {request.status.hint && <p className="callout callout-info guest-credentials-hint">{request.status.hint}</p>}
      <div className="field">
        <label className="field-label" htmlFor={`${id}-user`}>
          Guest user{type === 'saml' && <span className="field-optional"> (optional)</span>}
        </label>
        <input
          ref={userRef}
          id={`${id}-user`}
          className="input"
          value={user}
          onChange={(e) => setUser(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="off"
          placeholder="root, Administrator…"
        />
      </div>
      {type === 'password' ? (
        <div className="field">
          <label className="field-label" htmlFor={`${id}-password`}>
            Guest password
          </label>
          <input
            ref={passwordRef}
            id={`${id}-password`}
            className="input"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="off"
          />
        </div>
      ) : (
        <div className="field">
          <label className="field-label" htmlFor={`${id}-token`}>
            SAML bearer token
          </label>
          <textarea
            id={`${id}-token`}
            className="input input-mono guest-credentials-token"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            rows={4}
            spellCheck={false}
          />
          <p className="field-help">A token from vCenter SSO; the guest needs an alias that maps it to an account.</p>
        </div>
      )}
      <details className="guest-credentials-advanced" open={type === 'saml'}>
        <summary>Advanced</summary>
        <label className="choice">
          <input type="checkbox" checked={type === 'saml'} onChange={(e) => setType(e.target.checked ? 'saml' : 'password')} />
          Use a SAML bearer token instead of a password
        </label>
      </details>
      <label className="choice">
        <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
        Remember in the vault for this VM
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  )
}
