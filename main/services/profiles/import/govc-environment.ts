// GOVC_* variables → a vSphere profile, read the way govc reads them (govmomi
// soap.ParseURL and the client flag): a URL without a scheme gets https://, the URL may
// carry user:password, and GOVC_USERNAME / GOVC_PASSWORD override what the URL carries.
import path from 'node:path'
import { ProfileFields } from '../../../../contract/profiles'
import type { TrustPolicy } from '../../../../contract/tls'
import { insecureNote, type CandidateSet, type Env, type ImportCandidate } from './candidate'

/** Go's strconv.ParseBool, which govc uses for GOVC_INSECURE. */
function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false
  return undefined
}

function decoded(part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    return part
  }
}

function trustOf(env: Env, notes: string[], pathDelimiter: string): TrustPolicy {
  const insecureText = env.GOVC_INSECURE
  if (insecureText !== undefined && insecureText !== '') {
    const insecure = parseGoBool(insecureText)
    if (insecure === undefined) notes.push('GOVC_INSECURE is not a boolean; it was ignored.')
    if (insecure === true) {
      notes.push(insecureNote('GOVC_INSECURE'))
      return { mode: 'pinned' }
    }
  }
  const caFiles = (env.GOVC_TLS_CA_CERTS ?? '').split(pathDelimiter).filter((f) => f !== '')
  const first = caFiles[0]
  if (first !== undefined) {
    if (caFiles.length > 1) notes.push(`GOVC_TLS_CA_CERTS names ${caFiles.length} files; the profile uses the first (${first}).`)
    if (path.posix.isAbsolute(first) || path.win32.isAbsolute(first)) return { mode: 'ca-file', caFile: first }
    notes.push(`GOVC_TLS_CA_CERTS names a relative path (${first}); the profile uses the system CAs until you choose the CA file.`)
  }
  return { mode: 'system' }
}

/** The vSphere profile GOVC_URL describes, if it is set. */
export function govcCandidates(env: Env, platform: NodeJS.Platform): CandidateSet {
  const set: CandidateSet = { candidates: [], skipped: [], sources: [] }
  const raw = env.GOVC_URL?.trim()
  if (raw === undefined || raw === '') return set
  set.sources.push('GOVC_* variables')
  const notes: string[] = []
  let url: URL
  try {
    url = new URL(/^\w+:\/\//.test(raw) ? raw : `https://${raw}`)
  } catch {
    // Not echoed: GOVC_URL may carry a password.
    set.skipped.push({ name: 'GOVC_URL', reason: 'GOVC_URL is not a valid URL.' })
    return set
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    set.skipped.push({ name: 'GOVC_URL', reason: `GOVC_URL uses ${url.protocol.replace(':', '')}; vCenter is reached over https.` })
    return set
  }
  let user = url.username !== '' ? decoded(url.username) : undefined
  let secret = url.password !== '' ? decoded(url.password) : undefined
  if (env.GOVC_USERNAME) {
    if (user !== undefined && user !== env.GOVC_USERNAME) notes.push('GOVC_USERNAME overrides the user name in GOVC_URL.')
    user = env.GOVC_USERNAME
  }
  if (env.GOVC_PASSWORD) {
    if (secret !== undefined && secret !== env.GOVC_PASSWORD) notes.push('GOVC_PASSWORD overrides the password in GOVC_URL.')
    secret = env.GOVC_PASSWORD
  }
  if (url.pathname !== '/' && url.pathname !== '/sdk' && url.pathname !== '') {
    notes.push(`The path ${url.pathname} of GOVC_URL was dropped: Porthole talks to the vSphere API at the server's root.`)
  }
  if (user === undefined) {
    set.skipped.push({ name: url.hostname, reason: 'Neither GOVC_URL nor GOVC_USERNAME gives a user name.' })
    return set
  }
  if (secret === undefined) notes.push('No password in GOVC_URL or GOVC_PASSWORD: enter it in the profile.')
  const parsed = ProfileFields.safeParse({
    kind: 'vsphere',
    name: url.hostname,
    endpoint: `${url.protocol}//${url.host}`,
    user,
    trust: trustOf(env, notes, platform === 'win32' ? ';' : ':'),
  })
  if (!parsed.success) {
    set.skipped.push({ name: url.hostname, reason: parsed.error.issues.map((i) => i.message).join(' ') })
    return set
  }
  const candidate: ImportCandidate = { fields: parsed.data, notes }
  if (secret !== undefined) candidate.secret = secret
  set.candidates.push(candidate)
  return set
}
