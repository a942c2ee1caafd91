import type { CertificateInfo, TrustPolicy, UntrustedReason } from '../../../contract/tls'
import { isOutsideValidity } from './certificate-info'

/** What a handshake showed us about the peer, with Node's own hostname check left out. */
export interface Presented {
  cert: CertificateInfo
  /** OpenSSL's verification code against the CA list in force, undefined when the chain verified. */
  chainError: string | undefined
  /** Whether the leaf is issued for the host name (or IP) we dialled. */
  hostnameMatches: boolean
  now: Date
}

export type Verdict =
  | { ok: true; via: 'ca' | 'pin' }
  | { ok: false; reason: UntrustedReason; trustable: boolean; pinnedFingerprint256?: string }

/** Chain errors that only say "nobody we know vouches for this certificate": a pin may stand in. */
const ISSUER_UNKNOWN = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
])

const VALIDITY = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'])

/** The pin is the identity: exact match accepts, another pin means the certificate changed. */
function byPin(cert: CertificateInfo, pinned: string | undefined): Verdict {
  if (pinned === undefined) return { ok: false, reason: 'unknown', trustable: true }
  if (pinned === cert.fingerprint256) return { ok: true, via: 'pin' }
  return { ok: false, reason: 'changed', trustable: true, pinnedFingerprint256: pinned }
}

/**
 * The one trust rule every outbound TLS connection of main follows.
 * pinned: only the pin counts (no CA, hostname or date check: the user trusted exactly this
 * certificate for this host:port, and the prompt showed its dates).
 * system: CA chain + hostname; when the chain fails only for an unknown issuer (self-signed), a
 * pin of exactly this certificate accepts it, but an expired one is still refused.
 * ca-file: CA chain against the file + hostname; pins play no part.
 */
export function judge(mode: TrustPolicy['mode'], presented: Presented, pinned: string | undefined): Verdict {
  const { cert, chainError, hostnameMatches, now } = presented
  if (mode === 'pinned') return byPin(cert, pinned)

  if (chainError === undefined) {
    return hostnameMatches ? { ok: true, via: 'ca' } : { ok: false, reason: 'hostname-mismatch', trustable: false }
  }
  // OpenSSL stops at the first error it finds, so dates are checked here too.
  if (VALIDITY.has(chainError) || isOutsideValidity(cert, now)) {
    return { ok: false, reason: 'expired', trustable: false }
  }
  if (mode === 'ca-file') return { ok: false, reason: 'ca-file', trustable: false }
  if (ISSUER_UNKNOWN.has(chainError)) return byPin(cert, pinned)
  // Anything else (bad signature, unsuitable key usage, …) is not something a pin should paper over.
  return { ok: false, reason: 'unknown', trustable: false }
}
