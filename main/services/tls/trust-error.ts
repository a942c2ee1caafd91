import { PortholeError } from '../../../contract/errors'
import type { CertificateInfo, TlsUntrustedDetail } from '../../../contract/tls'
import type { Verdict } from './trust-policy'

type Refusal = Extract<Verdict, { ok: false }>

function messageFor(hp: string, host: string, cert: CertificateInfo, refusal: Refusal): string {
  switch (refusal.reason) {
    case 'unknown':
      return refusal.trustable
        ? `The certificate of ${hp} is not trusted yet: check its fingerprint, then trust it to continue.`
        : `The certificate of ${hp} failed verification and cannot be trusted.`
    case 'changed':
      return `The certificate of ${hp} is not the one you trusted: someone may be intercepting the connection, or the server got a new certificate.`
    case 'expired':
      return `The certificate of ${hp} is valid only from ${cert.validFrom} to ${cert.validTo}.`
    case 'hostname-mismatch':
      return `The certificate of ${hp} was not issued for ${host}.`
    case 'ca-file':
      return `The certificate of ${hp} is not signed by a CA in the profile's CA file.`
  }
}

/** The TLS_UNTRUSTED error for a refused certificate; its detail is what the UI's prompt shows. */
export function untrustedError(
  host: string,
  port: number,
  hp: string,
  cert: CertificateInfo,
  refusal: Refusal,
  chainError: string | undefined,
): PortholeError {
  const detail: TlsUntrustedDetail = { host, port, ...cert, reason: refusal.reason, trustable: refusal.trustable }
  if (refusal.pinnedFingerprint256 !== undefined) detail.pinnedFingerprint256 = refusal.pinnedFingerprint256
  if (chainError !== undefined) detail.verifyError = chainError
  return new PortholeError('TLS_UNTRUSTED', messageFor(hp, host, cert, refusal), { detail })
}

/**
 * The PortholeError behind a failed request or socket, if any. undici's fetch wraps connector
 * errors in `TypeError('fetch failed', {cause})`; request() and ws pass them as they are.
 */
export function portholeErrorOf(err: unknown): PortholeError | undefined {
  let current: unknown = err
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    if (current instanceof PortholeError) return current
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}
