import type { TlsUntrustedDetail } from '../../../../contract/tls'
import { distinguishedNameParts, fingerprintGroups, validityProblem } from './fingerprint'

function DistinguishedName({ dn }: { dn: string }) {
  const parts = distinguishedNameParts(dn)
  if (parts.length === 0) return <span className="cert-muted">(empty)</span>
  return (
    <span className="cert-dn">
      {parts.map(([key, value], i) => (
        <span key={i} className="cert-dn-part">
          {key && <span className="cert-dn-key">{key}</span>}
          <span>{value}</span>
        </span>
      ))}
    </span>
  )
}

function formatDate(iso: string): string {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

/** A fingerprint in 8 groups of 4 bytes, two rows; `highlight` marks groups that differ from another one. */
export function Fingerprint({ value, highlight, label }: { value: string; highlight?: ReadonlySet<number>; label: string }) {
  const groups = fingerprintGroups(value)
  return (
    <div className="cert-fingerprint" role="group" aria-label={label}>
      {groups.map((g, i) =>
        highlight?.has(i) ? (
          <mark key={i} className="cert-group cert-group-differs">
            {g}
          </mark>
        ) : (
          <span key={i} className="cert-group">
            {g}
          </span>
        ),
      )}
    </div>
  )
}

/** Subject, issuer and validity of a certificate, as a careful operator reads them. */
export function CertificateDetails({ detail, now = new Date() }: { detail: TlsUntrustedDetail; now?: Date }) {
  const validity = validityProblem(detail.validFrom, detail.validTo, now)
  const selfSigned = detail.subject === detail.issuer
  return (
    <dl className="cert-details">
      <dt>Issued to</dt>
      <dd>
        <DistinguishedName dn={detail.subject} />
      </dd>
      <dt>Issued by</dt>
      <dd>
        {selfSigned ? (
          <span>
            Itself <span className="cert-muted">(self-signed: no authority vouches for it)</span>
          </span>
        ) : (
          <DistinguishedName dn={detail.issuer} />
        )}
      </dd>
      <dt>Valid</dt>
      <dd>
        {formatDate(detail.validFrom)} – {formatDate(detail.validTo)}
        {validity === 'expired' && <strong className="cert-bad"> Expired</strong>}
        {validity === 'not-yet-valid' && <strong className="cert-bad"> Not valid yet</strong>}
      </dd>
      {detail.verifyError && (
        <>
          <dt>Verification</dt>
          <dd>
            <code>{detail.verifyError}</code>
          </dd>
        </>
      )}
    </dl>
  )
}
