import { useRef, useState } from 'react'
import { isPortholeError } from '../../../../contract/errors'
import type { TlsUntrustedDetail } from '../../../../contract/tls'
import { invoke } from '../../api'
import { Dialog } from '../../components/Dialog'
import { CertificateDetails, Fingerprint } from './CertificateDetails'
import { differingGroups, fingerprintTail } from './fingerprint'
import { useTlsPrompt, type TlsQuestion } from './prompt-store'
import './tls.css'

const REFUSED_ADVICE: Record<Exclude<TlsUntrustedDetail['reason'], 'unknown' | 'changed'>, string> = {
  expired: 'The certificate is outside its validity period. Ask the server’s administrator to renew it; Porthole does not connect meanwhile.',
  'hostname-mismatch': 'The certificate was issued for another name. Connect with the host name the certificate names, or ask the administrator for a certificate that covers this one.',
  'ca-file': 'The certificate is not signed by an authority in the profile’s CA file. Check that the profile points at the right CA file.',
}

/** The title a careful operator needs first: what happened, and to which server. */
function titleOf(d: TlsUntrustedDetail): string {
  const where = `${d.host}:${d.port}`
  if (d.reason === 'changed') return `The certificate of ${where} has changed`
  if (d.reason === 'unknown' && d.trustable) return `Trust the certificate of ${where}?`
  return `The certificate of ${where} is not valid`
}

/**
 * Shows a refused certificate. 'unknown': fingerprint, subject, issuer, validity, then Trust.
 * 'changed': both fingerprints side by side with the differing groups marked and a strong
 * warning; replacing the pin takes an extra step and typing the new fingerprint's last digits.
 * Anything else cannot be trusted from here: the prompt explains and only closes.
 */
export function TlsPrompt({ question }: { question: TlsQuestion }) {
  const { detail, profileId, profileName } = question
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const [replacing, setReplacing] = useState(false)
  const [typed, setTyped] = useState('')
  const cancelRef = useRef<HTMLButtonElement>(null)
  const confirmRef = useRef<HTMLInputElement>(null)
  const changed = detail.reason === 'changed'
  const trustable = detail.trustable && (detail.reason === 'unknown' || changed)
  const tail = fingerprintTail(detail.fingerprint256)
  const confirmed = typed.trim().replace(/:/g, '').toUpperCase() === tail

  const decline = (): void => useTlsPrompt.getState().answer(question.id, false)

  async function trust(): Promise<void> {
    if (busy) return
    if (changed && !replacing) {
      setReplacing(true)
      setTimeout(() => confirmRef.current?.focus(), 0)
      return
    }
    if (changed && !confirmed) {
      setError(`Type ${tail}, the last four characters of the new fingerprint, to confirm.`)
      confirmRef.current?.focus()
      return
    }
    setBusy(true)
    setError(undefined)
    try {
      await invoke('tls.trust', {
        profileId,
        host: detail.host,
        port: detail.port,
        fingerprint256: detail.fingerprint256,
        ...(changed ? { replace: true } : {}),
      })
      useTlsPrompt.getState().answer(question.id, true)
    } catch (err) {
      setBusy(false)
      setError(isPortholeError(err) ? `${err.message} (${err.code})` : String(err))
    }
  }

  const footer = trustable ? (
    <>
      <button ref={cancelRef} type="button" className="button button-secondary" onClick={decline}>
        {changed ? 'Keep the pinned certificate' : 'Cancel'}
      </button>
      {changed ? (
        <button type="submit" className="button button-danger" aria-disabled={busy || (replacing && !confirmed) || undefined}>
          {replacing ? 'Replace and connect' : 'Replace pinned certificate…'}
        </button>
      ) : (
        <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
          {busy ? 'Trusting…' : 'Trust and connect'}
        </button>
      )}
    </>
  ) : (
    <button ref={cancelRef} type="button" className="button button-primary" onClick={decline}>
      Close
    </button>
  )

  return (
    <Dialog
      title={titleOf(detail)}
      description={profileName ? `Connection “${profileName}”` : undefined}
      tone={trustable && !changed ? 'normal' : 'danger'}
      size="medium"
      onClose={decline}
      onSubmit={trustable ? () => void trust() : undefined}
      initialFocus={cancelRef}
      footer={footer}
    >
      {changed ? (
        <div className="callout callout-danger" role="alert">
          <p>
            <strong>This is not the certificate you trusted before.</strong> Someone may be intercepting the connection — or the
            server got a new certificate. Replace the pinned one only when the server’s administrator confirms the change and
            the new fingerprint matches what they read to you.
          </p>
        </div>
      ) : trustable ? (
        <p className="tls-intro">
          Porthole has not seen this server’s certificate before, and no authority on this computer vouches for it. Compare the
          fingerprint with the one the server’s administrator gives you, then trust it. Porthole remembers it and warns you if
          it ever changes.
        </p>
      ) : (
        <div className="callout callout-danger" role="alert">
          <p>{REFUSED_ADVICE[detail.reason as keyof typeof REFUSED_ADVICE] ?? 'This certificate cannot be trusted.'}</p>
        </div>
      )}

      {changed && detail.pinnedFingerprint256 ? (
        <div className="tls-compare">
          <div>
            <h3 className="tls-fp-title">Trusted before</h3>
            <Fingerprint value={detail.pinnedFingerprint256} label="Pinned SHA-256 fingerprint" highlight={differingGroups(detail.pinnedFingerprint256, detail.fingerprint256)} />
          </div>
          <div>
            <h3 className="tls-fp-title">Presented now</h3>
            <Fingerprint value={detail.fingerprint256} label="New SHA-256 fingerprint" highlight={differingGroups(detail.pinnedFingerprint256, detail.fingerprint256)} />
          </div>
        </div>
      ) : (
        <div>
          <h3 className="tls-fp-title">SHA-256 fingerprint</h3>
          <Fingerprint value={detail.fingerprint256} label="SHA-256 fingerprint" />
        </div>
      )}

      <CertificateDetails detail={detail} />

      {changed && replacing && (
        <div className="field tls-confirm">
          <label className="field-label" htmlFor="tls-confirm-input">
            To replace the pinned certificate, type the last four characters of the new fingerprint (<code>{tail}</code>)
          </label>
          <input
            ref={confirmRef}
            id="tls-confirm-input"
            className="input input-mono"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            maxLength={11}
          />
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  )
}

/** Mount once: shows the first waiting certificate question (withTlsPrompt puts them there). */
export function TlsPromptHost() {
  const question = useTlsPrompt((s) => s.queue[0])
  return question ? <TlsPrompt key={question.id} question={question} /> : null
}
