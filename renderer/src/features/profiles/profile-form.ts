import {
  ProfileFields,
  ProfileInput,
  ProfileSecret,
  type ProfileKind,
  type ProfilePatch,
  type ProfileSummary,
} from '../../../../contract/profiles'
import type { TrustPolicy } from '../../../../contract/tls'
import { consoleFields, consoleFormFrom, consolePatch, emptyConsoleForm, type ConsoleForm } from './console-options'
import { errorsFromIssues, type FieldErrors } from './field-errors'

/** The add/edit form's state: every field as the text in its input. */
export interface ProfileForm {
  kind: ProfileKind
  name: string
  endpoint: string
  user: string
  /** Typed here, sent once, never shown again. */
  secret: string
  /** Edit only: remove the stored secret. */
  clearSecret: boolean
  trustMode: TrustPolicy['mode']
  caFile: string
  authType: 'password' | 'application-credential'
  userDomainName: string
  userDomainId: string
  projectName: string
  projectId: string
  projectDomainName: string
  projectDomainId: string
  region: string
  interface: 'public' | 'internal' | 'admin'
  applicationCredentialId: string
  applicationCredentialName: string
  host: string
  port: string
  /** The "Console" section (console-options.ts). */
  console: ConsoleForm
}

export const KIND_LABELS: Record<ProfileKind, string> = { vsphere: 'vCenter', openstack: 'OpenStack', zstack: 'ZStack', vnc: 'VNC' }

/** The OpenStack text fields that may be left empty (sent as absent on add, null on edit). */
export const OPENSTACK_OPTIONAL = [
  'userDomainName',
  'userDomainId',
  'projectName',
  'projectId',
  'projectDomainName',
  'projectDomainId',
  'region',
  'applicationCredentialId',
  'applicationCredentialName',
] as const

/** Every field name an error can be shown on. */
export const FORM_FIELDS: ReadonlySet<string> = new Set([
  'kind',
  'name',
  'endpoint',
  'user',
  'secret',
  'trust',
  'caFile',
  'authType',
  'interface',
  'host',
  'port',
  ...OPENSTACK_OPTIONAL,
])

export function emptyForm(kind: ProfileKind): ProfileForm {
  return {
    kind,
    name: '',
    endpoint: '',
    user: '',
    secret: '',
    clearSecret: false,
    trustMode: 'system',
    caFile: '',
    authType: 'password',
    userDomainName: '',
    userDomainId: '',
    projectName: '',
    projectId: '',
    projectDomainName: '',
    projectDomainId: '',
    region: '',
    interface: 'public',
    applicationCredentialId: '',
    applicationCredentialName: '',
    host: '',
    port: '5900',
    console: emptyConsoleForm(),
  }
}

/** The form for editing a saved profile (the secret field starts empty: blank keeps the stored one). */
export function formFromProfile(p: ProfileSummary): ProfileForm {
  const form = emptyForm(p.kind)
  form.name = p.name
  form.console = consoleFormFrom(p)
  if (p.kind === 'vnc') return { ...form, host: p.host, port: String(p.port) }
  form.endpoint = p.endpoint
  form.trustMode = p.trust.mode
  if (p.trust.mode === 'ca-file') form.caFile = p.trust.caFile
  if (p.kind !== 'openstack') return { ...form, user: p.user }
  form.user = p.user ?? ''
  form.authType = p.authType
  form.interface = p.interface
  for (const key of OPENSTACK_OPTIONAL) form[key] = p[key] ?? ''
  return form
}

function trustOf(form: ProfileForm): TrustPolicy {
  if (form.trustMode === 'ca-file') return { mode: 'ca-file', caFile: form.caFile.trim() }
  return { mode: form.trustMode }
}

function portOf(text: string): number {
  const t = text.trim()
  return /^\d+$/.test(t) ? Number(t) : Number.NaN
}

/** The fields (no secret) the form describes; empty optional text is left out. */
export function fieldsOf(form: ProfileForm): Record<string, unknown> {
  return { ...kindFieldsOf(form), ...consoleFields(form.console) }
}

function kindFieldsOf(form: ProfileForm): Record<string, unknown> {
  const name = form.name.trim()
  switch (form.kind) {
    case 'vnc':
      return { kind: 'vnc', name, host: form.host.trim(), port: portOf(form.port) }
    case 'vsphere':
    case 'zstack':
      return { kind: form.kind, name, endpoint: form.endpoint.trim(), user: form.user.trim(), trust: trustOf(form) }
    case 'openstack': {
      const fields: Record<string, unknown> = {
        kind: 'openstack',
        name,
        endpoint: form.endpoint.trim(),
        trust: trustOf(form),
        authType: form.authType,
        interface: form.interface,
      }
      if (form.user.trim()) fields['user'] = form.user.trim()
      for (const key of OPENSTACK_OPTIONAL) if (form[key].trim()) fields[key] = form[key].trim()
      return fields
    }
  }
}

type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors }

const issues = (e: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }) =>
  e.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))

/** A new profile from the form, checked with the contract's own schema (so the form says what main would). */
export function inputFromForm(form: ProfileForm): Checked<ProfileInput> {
  const candidate = { ...fieldsOf(form), ...(form.secret !== '' ? { secret: form.secret } : {}) }
  const parsed = ProfileInput.safeParse(candidate)
  if (!parsed.success) return { ok: false, errors: errorsFromIssues(issues(parsed.error), FORM_FIELDS) }
  // Send what was typed (the parsed value has defaults filled in, which main applies anyway).
  return { ok: true, value: candidate as ProfileInput }
}

/**
 * A change to `original` from the form: every field (unchanged ones are harmless), optional
 * OpenStack fields emptied become null (cleared), the secret only when typed or cleared.
 */
export function patchFromForm(form: ProfileForm, original: ProfileSummary): Checked<ProfilePatch> {
  const fields = fieldsOf(form)
  const parsed = ProfileFields.safeParse(fields)
  const secretIssues = form.secret !== '' ? ProfileSecret.safeParse(form.secret) : undefined
  if (!parsed.success || (secretIssues && !secretIssues.success)) {
    const all = [
      ...(parsed.success ? [] : issues(parsed.error)),
      ...(secretIssues && !secretIssues.success ? issues(secretIssues.error).map((i) => ({ ...i, path: 'secret' })) : []),
    ]
    return { ok: false, errors: errorsFromIssues(all, FORM_FIELDS) }
  }
  const patch: Record<string, unknown> = { ...fields, ...consolePatch(form.console) }
  if (original.kind === 'openstack') {
    if (original.user !== undefined && fields['user'] === undefined) patch['user'] = null
    for (const key of OPENSTACK_OPTIONAL) if (original[key] !== undefined && fields[key] === undefined) patch[key] = null
  }
  if (form.secret !== '') patch['secret'] = form.secret
  else if (form.clearSecret) patch['clearSecret'] = true
  return { ok: true, value: patch as ProfilePatch }
}

/** What the sidebar shows under a profile's name: the host it reaches. */
export function endpointHost(p: ProfileFields): string {
  if (p.kind === 'vnc') return `${p.host}:${p.port}`
  try {
    return new URL(p.endpoint).host
  } catch {
    return p.endpoint
  }
}

/** Whether this kind needs a secret on add (VNC servers may have no password). */
export function secretRequired(kind: ProfileKind): boolean {
  return kind !== 'vnc'
}
