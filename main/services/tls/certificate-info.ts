import { X509Certificate } from 'node:crypto'
import type { CertificateInfo } from '../../../contract/tls'

/** X509Certificate prints a DN one attribute a line; the UI shows it on one line. */
function oneLine(dn: string): string {
  return dn
    .split('\n')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .join(', ')
}

function isoDate(openSslDate: string): string {
  const ms = Date.parse(openSslDate)
  return Number.isNaN(ms) ? openSslDate : new Date(ms).toISOString()
}

/** The display values of a DER certificate: the same fingerprint Node prints as `fingerprint256`. */
export function certificateInfo(der: Buffer): CertificateInfo {
  const cert = new X509Certificate(der)
  return {
    fingerprint256: cert.fingerprint256,
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    validFrom: isoDate(cert.validFrom),
    validTo: isoDate(cert.validTo),
  }
}

/** Whether `now` lies outside the certificate's validity period. */
export function isOutsideValidity(info: CertificateInfo, now: Date): boolean {
  const from = Date.parse(info.validFrom)
  const to = Date.parse(info.validTo)
  if (Number.isNaN(from) || Number.isNaN(to)) return true
  return now.getTime() < from || now.getTime() > to
}
