// The lab's self-signed certificate for 127.0.0.1, kept under the simulator's data dir so a
// restart serves the same one (pins survive) unless a rotation is asked for.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { generate } from 'selfsigned'

export interface LabCertificate {
  cert: string
  key: string
  /** SHA-256 of the DER certificate, colon-separated upper-case hex. */
  sha256: string
  /** SHA-1 thumbprint with '-' separators, as VMRC tickets carry it. */
  sha1Dashed: string
}

/** Generates a fresh EC P-256 certificate for 127.0.0.1/localhost. */
export async function generateCertificate(commonName: string): Promise<LabCertificate> {
  const now = new Date()
  const later = new Date(now.getTime() + 825 * 86_400_000)
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: later,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  })
  return describe(pems.cert, pems.private)
}

function describe(cert: string, key: string): LabCertificate {
  const x509 = new crypto.X509Certificate(cert)
  const sha1 = crypto.createHash('sha1').update(x509.raw).digest('hex').toUpperCase()
  return { cert, key, sha256: x509.fingerprint256, sha1Dashed: sha1.match(/../g)?.join('-') ?? sha1 }
}

/** The cached certificate in `dir`, or a new one (also when `rotate` or the cached one is unusable). */
export async function loadOrCreateCertificate(dir: string, commonName: string, rotate = false): Promise<LabCertificate> {
  const certFile = path.join(dir, 'cert.pem')
  const keyFile = path.join(dir, 'key.pem')
  if (!rotate) {
    try {
      const found = describe(fs.readFileSync(certFile, 'utf8'), fs.readFileSync(keyFile, 'utf8'))
      if (new Date(new crypto.X509Certificate(found.cert).validTo).getTime() > Date.now() + 86_400_000) return found
    } catch {
      // Missing or damaged: make a new one below.
    }
  }
  const fresh = await generateCertificate(commonName)
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(keyFile, fresh.key, { mode: 0o600 })
  fs.writeFileSync(certFile, fresh.cert)
  return fresh
}
