import { readFile } from 'node:fs/promises'
import { X509Certificate } from 'node:crypto'
import tls from 'node:tls'
import { PortholeError } from '../../../contract/errors'

/** Node ≥ 22.15 (Electron 45's runtime) can list the OS trust store; Node 20 cannot. */
export type GetCACertificates = (type: 'default' | 'system' | 'bundled' | 'extra') => string[]

function runtimeGetCACertificates(): GetCACertificates | undefined {
  const fn: unknown = (tls as unknown as Record<string, unknown>)['getCACertificates']
  return typeof fn === 'function' ? (fn as GetCACertificates) : undefined
}

/**
 * The CA list of mode 'system': Node's default list plus the OS store where the runtime can read
 * it (enterprise CAs that sign vCenters live there). undefined means "Node's default", which is
 * what `tls.connect` uses when `ca` is not given.
 */
export function systemCaList(): string[] | undefined {
  return systemCaListFrom(runtimeGetCACertificates())
}

/** systemCaList over a given `tls.getCACertificates` (or its absence). */
export function systemCaListFrom(getCACertificates: GetCACertificates | undefined): string[] | undefined {
  if (getCACertificates === undefined) return undefined
  try {
    return [...new Set([...getCACertificates('default'), ...getCACertificates('system')])]
  } catch {
    // An unreadable OS store must not stop connections that Node's own list can verify.
    return undefined
  }
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

/**
 * Certificates of the CA files read lately, by the files' text: a file is read again for every
 * connection (an edit takes effect at once), but parsed only when its text changed, and the same
 * list comes back for the same text (so a TLS context made from it can be reused).
 */
const parsedCaFiles = new Map<string, string[]>()
const PARSED_CA_FILES = 16

/**
 * The certificates of a PEM bundle chosen in the profile. A missing, unreadable or empty file is
 * INVALID_INPUT: the profile's setting is what must change, and trying again will not help.
 */
export async function readCaFile(caFile: string): Promise<string[]> {
  let text: string
  try {
    text = await readFile(caFile, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable'
    throw new PortholeError('INVALID_INPUT', `The profile's CA file cannot be read (${code}): ${caFile}`, {
      detail: { caFile, problem: 'ca-file-unreadable', cause: code },
      cause: err,
    })
  }
  let valid = parsedCaFiles.get(text)
  if (valid === undefined) {
    valid = (text.match(PEM_CERT) ?? []).filter((pem) => {
      try {
        new X509Certificate(pem)
        return true
      } catch {
        return false
      }
    })
    parsedCaFiles.set(text, valid)
    if (parsedCaFiles.size > PARSED_CA_FILES) parsedCaFiles.delete(parsedCaFiles.keys().next().value as string)
  }
  if (valid.length === 0) {
    throw new PortholeError('INVALID_INPUT', `The profile's CA file holds no PEM certificate: ${caFile}`, {
      detail: { caFile, problem: 'ca-file-empty' },
    })
  }
  return valid
}
