import { z } from 'zod'
import { call } from './define'

/**
 * How a profile decides whether a server's certificate is trusted (DESIGN.md, "TLS trust").
 * - system: the CA list of Node plus, where the runtime offers it, the OS store; hostname checked.
 *   A self-signed/unknown-issuer certificate is accepted only if the user pinned exactly it.
 * - ca-file: only the CAs in that PEM bundle (an absolute path chosen in a dialog); hostname checked.
 * - pinned: the leaf certificate's SHA-256 must equal the pin stored for that host:port.
 */
export const TrustPolicy = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('system') }),
  z.strictObject({ mode: z.literal('ca-file'), caFile: z.string().min(1).max(4096) }),
  z.strictObject({ mode: z.literal('pinned') }),
])
export type TrustPolicy = z.infer<typeof TrustPolicy>

/** Uppercase hex pairs separated by colons, as Node's `cert.fingerprint256` prints them. */
export const Fingerprint256 = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.string().regex(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/, 'Not a SHA-256 fingerprint.'))

export const TlsHost = z.string().min(1).max(253)
export const TlsPort = z.number().int().min(1).max(65535)
/** The profiles service owns the id's format; here it is only a key. */
export const TlsProfileId = z.string().min(1).max(200)

/** What the UI shows when it asks the user whether to trust a certificate. */
export const CertificateInfo = z.strictObject({
  fingerprint256: z.string(),
  /** Distinguished name, "CN=…, O=…" */
  subject: z.string(),
  issuer: z.string(),
  /** ISO 8601 */
  validFrom: z.string(),
  validTo: z.string(),
})
export type CertificateInfo = z.infer<typeof CertificateInfo>

/**
 * Why a certificate was refused:
 * - unknown: not verifiable by CAs and not pinned: the user may trust it (tls.trust).
 * - changed: a different certificate is pinned for this host:port: only an explicit
 *   replace (tls.trust with replace: true) trusts the new one.
 * - expired: outside its validity period (system and ca-file modes).
 * - hostname-mismatch: CA-valid, but not issued for this host name.
 * - ca-file: not signed by the profile's CA file.
 */
export const UntrustedReason = z.enum(['unknown', 'changed', 'expired', 'hostname-mismatch', 'ca-file'])
export type UntrustedReason = z.infer<typeof UntrustedReason>

/** The `detail` of a TLS_UNTRUSTED error. */
export const TlsUntrustedDetail = CertificateInfo.extend({
  host: z.string(),
  port: TlsPort,
  reason: UntrustedReason,
  /** True when tls.trust can make this certificate accepted (for 'changed': with replace). */
  trustable: z.boolean(),
  /** For 'changed': the fingerprint the user trusted before. */
  pinnedFingerprint256: z.string().optional(),
  /** OpenSSL's verification code when CA verification failed, e.g. DEPTH_ZERO_SELF_SIGNED_CERT. */
  verifyError: z.string().optional(),
})
export type TlsUntrustedDetail = z.infer<typeof TlsUntrustedDetail>

/** A pinned certificate as the UI lists it. */
export const PinnedCertificate = CertificateInfo.extend({
  host: z.string(),
  port: TlsPort,
  /** ISO 8601: when the user trusted it. */
  addedAt: z.string(),
})
export type PinnedCertificate = z.infer<typeof PinnedCertificate>

export const tlsCalls = {
  'tls.trust': call(
    'Pin the certificate last presented by host:port for this profile, after the user confirmed its fingerprint. ' +
      'Refused (NOT_FOUND) unless that fingerprint was just refused there as trustable; refused (CONFLICT) when another pin exists and replace is not set.',
    z.strictObject({
      profileId: TlsProfileId,
      host: TlsHost,
      port: TlsPort,
      fingerprint256: Fingerprint256,
      replace: z.boolean().optional(),
    }),
    z.strictObject({ ok: z.literal(true) }),
  ),
  'tls.pins': call(
    "The certificates pinned for a profile (display values only).",
    z.strictObject({ profileId: TlsProfileId }),
    z.strictObject({ pins: z.array(PinnedCertificate) }),
  ),
  'tls.forget': call(
    'Remove the pin of host:port from a profile; the next connection asks again.',
    z.strictObject({ profileId: TlsProfileId, host: TlsHost, port: TlsPort }),
    z.strictObject({ removed: z.boolean() }),
  ),
}
