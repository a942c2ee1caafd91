// One clouds.yaml cloud (or the OS_* "envvars" cloud) → a profile, following openstacksdk's
// rules as the reference describes them (openstack.md §2.2).
import path from 'node:path'
import { ProfileEndpoint, ProfileFields } from '../../../../contract/profiles'
import type { TrustPolicy } from '../../../../contract/tls'
import { insecureNote, isRecord, secretOf, textOf, type ImportCandidate } from './candidate'

/** Keys that belong in `auth`; a top-level value wins over the one inside `auth`. */
const AUTH_KEYS = [
  'auth_url',
  'username',
  'user_id',
  'password',
  'project_name',
  'project_id',
  'user_domain_name',
  'user_domain_id',
  'project_domain_name',
  'project_domain_id',
  'domain_name',
  'domain_id',
  'application_credential_id',
  'application_credential_name',
  'application_credential_secret',
] as const

/** Old spellings openstacksdk still accepts. */
const ALIASES: Record<string, string> = {
  tenant_name: 'project_name',
  tenant_id: 'project_id',
  auth_plugin: 'auth_type',
}

const PASSWORD_TYPES = new Set(['password', 'v3password'])
const APP_CREDENTIAL_TYPES = new Set(['v3applicationcredential', 'applicationcredential', 'application_credential'])

export type CloudResult = { ok: true; candidate: ImportCandidate } | { ok: false; reason: string }

/** `project-name` and `project_name` are the same key; aliases become their modern names. */
function normalizeKeys(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(raw)) {
    if (key === '__proto__') continue // would replace the prototype, not add a key
    const snake = key.replaceAll('-', '_')
    const name = Object.hasOwn(ALIASES, snake) ? (ALIASES[snake] as string) : snake
    // The modern spelling wins over an alias given alongside it.
    if (!Object.hasOwn(out, name) || name === snake) out[name] = value
  }
  return out
}

function booleanOf(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (typeof value !== 'string') return undefined
  const v = value.trim().toLowerCase()
  if (['true', '1', 'yes', 'on'].includes(v)) return true
  if (['false', '0', 'no', 'off'].includes(v)) return false
  return undefined
}

function isAbsolutePath(p: string): boolean {
  return path.posix.isAbsolute(p) || path.win32.isAbsolute(p)
}

function trustOf(cloud: Record<string, unknown>, notes: string[]): TrustPolicy {
  const insecure = booleanOf(cloud.insecure)
  const verify = booleanOf(cloud.verify)
  // `verify: false` takes precedence over `cacert`; the old `insecure: true` means the same.
  if (verify === false || insecure === true) {
    notes.push(insecureNote(verify === false ? '"verify: false"' : '"insecure: true"'))
    return { mode: 'pinned' }
  }
  const cacert = textOf(cloud.cacert)
  if (cacert !== undefined) {
    if (isAbsolutePath(cacert)) return { mode: 'ca-file', caFile: cacert }
    notes.push(`cacert "${cacert}" is a relative path; the profile uses the system CAs until you choose the CA file.`)
  }
  return { mode: 'system' }
}

function interfaceOf(value: unknown, notes: string[]): 'public' | 'internal' | 'admin' {
  const text = textOf(value)
  if (text === undefined) return 'public'
  // Old configurations say publicURL / internalURL / adminURL.
  const name = text.replace(/url$/i, '').toLowerCase()
  if (name === 'public' || name === 'internal' || name === 'admin') return name
  notes.push(`Interface "${text}" is not public, internal or admin; the profile uses public.`)
  return 'public'
}

function regionOf(cloud: Record<string, unknown>, notes: string[]): string | undefined {
  const named = textOf(cloud.region_name)
  if (named !== undefined) return named
  if (!Array.isArray(cloud.regions) || cloud.regions.length === 0) return undefined
  const names = cloud.regions.map((r) => (isRecord(r) ? textOf(r.name) : textOf(r))).filter((r) => r !== undefined)
  if (names.length > 1) notes.push(`The cloud lists several regions (${names.join(', ')}); the profile uses the first.`)
  return names[0]
}

/** Converts one cloud entry; `name` is the cloud's name in clouds.yaml. */
export function cloudToCandidate(name: string, raw: unknown): CloudResult {
  if (!isRecord(raw)) return { ok: false, reason: 'The entry is not a mapping.' }
  const cloud = normalizeKeys(raw)
  const auth = isRecord(cloud.auth) ? normalizeKeys(cloud.auth) : {}
  for (const key of AUTH_KEYS) if (cloud[key] !== undefined) auth[key] = cloud[key]
  const notes: string[] = []

  const authTypeText = textOf(cloud.auth_type)?.toLowerCase() ?? 'password'
  let authType: 'password' | 'application-credential'
  if (PASSWORD_TYPES.has(authTypeText)) authType = 'password'
  else if (APP_CREDENTIAL_TYPES.has(authTypeText)) authType = 'application-credential'
  else {
    return { ok: false, reason: `auth_type "${authTypeText}" is not supported: Porthole logs in with a password or an application credential.` }
  }

  const authUrl = textOf(auth.auth_url)
  if (authUrl === undefined) return { ok: false, reason: 'The cloud has no auth_url.' }
  if (!ProfileEndpoint.safeParse(authUrl).success) {
    // Not echoed: a malformed URL may carry a password.
    return { ok: false, reason: 'auth_url is not an http(s) address without a user name or password.' }
  }

  const projectName = textOf(auth.project_name)
  const projectId = textOf(auth.project_id)
  // domain_name / domain_id fill both user and project domains when those are unset and the cloud is project-scoped.
  const projectScoped = projectName !== undefined || projectId !== undefined
  const domainName = projectScoped ? textOf(auth.domain_name) : undefined
  const domainId = projectScoped ? textOf(auth.domain_id) : undefined
  let userDomainName = textOf(auth.user_domain_name)
  let userDomainId = textOf(auth.user_domain_id)
  if (userDomainName === undefined && userDomainId === undefined) {
    userDomainName = domainName
    userDomainId = domainId
  }
  let projectDomainName = textOf(auth.project_domain_name)
  let projectDomainId = textOf(auth.project_domain_id)
  if (projectDomainName === undefined && projectDomainId === undefined) {
    projectDomainName = domainName
    projectDomainId = domainId
  }

  const user = textOf(auth.username)
  if (user === undefined && textOf(auth.user_id) !== undefined) {
    notes.push('The cloud names its user by id only (user_id); Porthole needs the user name.')
  }
  const identityVersion = textOf(cloud.identity_api_version)
  if (identityVersion !== undefined && !identityVersion.startsWith('3')) {
    notes.push(`identity_api_version is ${identityVersion}; Porthole speaks Keystone v3 only.`)
  }
  if (cloud.cert !== undefined || cloud.key !== undefined) {
    notes.push('Client certificates (cert, key) are not supported and were left out.')
  }

  const secret = secretOf(authType === 'password' ? auth.password : auth.application_credential_secret)
  if (secret === undefined) {
    notes.push(
      authType === 'password'
        ? 'No password in clouds.yaml or secure.yaml: enter it in the profile.'
        : 'No application credential secret in clouds.yaml or secure.yaml: enter it in the profile.',
    )
  }
  if (authType === 'application-credential' && projectScoped) {
    notes.push('An application credential carries its own project; the project in the file is kept but not sent.')
  }

  const candidateFields: Record<string, unknown> = {
    kind: 'openstack',
    name,
    endpoint: authUrl,
    user,
    trust: trustOf(cloud, notes),
    authType,
    userDomainName,
    userDomainId,
    projectName,
    projectId,
    projectDomainName,
    projectDomainId,
    region: regionOf(cloud, notes),
    interface: interfaceOf(cloud.interface, notes),
    applicationCredentialId: textOf(auth.application_credential_id),
    applicationCredentialName: textOf(auth.application_credential_name),
  }
  for (const key of Object.keys(candidateFields)) if (candidateFields[key] === undefined) delete candidateFields[key]
  const parsed = ProfileFields.safeParse(candidateFields)
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    return { ok: false, reason: reasons.join(' ') }
  }
  const candidate: ImportCandidate = { fields: parsed.data, notes }
  if (secret !== undefined) candidate.secret = secret
  return { ok: true, candidate }
}
