// Connection profiles: what the user saves to reach a vCenter, an OpenStack cloud, a ZStack
// or a plain VNC host. Secrets are write-only here: they go in with `profiles.add` and
// `profiles.update` and never come back; the renderer sees `hasSecret` instead.
import { z } from 'zod'
import { call, event } from './define'
import { TrustPolicy } from './tls'
import { keyboardLayoutIdSchema } from './keyboard/layouts'

export const ProfileId = z.uuid()

export const ProfileName = z.string().trim().min(1).max(120)

function hasNoUserInfo(value: string): boolean {
  try {
    const url = new URL(value)
    return url.username === '' && url.password === ''
  } catch {
    return false
  }
}

/** A provider's API address. Credentials never ride in the URL: the renderer sees this field. */
export const ProfileEndpoint = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .refine(hasNoUserInfo, 'The address must not contain a user name or password.')

const HOST_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/

const IPV4 = z.ipv4()
const IPV6 = z.ipv6()

function isHost(value: string): boolean {
  if (IPV4.safeParse(value).success || IPV6.safeParse(value).success) return true
  const name = value.endsWith('.') ? value.slice(0, -1) : value
  return name.length > 0 && name.length <= 253 && name.split('.').every((label) => HOST_LABEL.test(label))
}

/** A host name, IPv4 or IPv6 address (no brackets, no port). */
export const ProfileHost = z.string().trim().min(1).max(253).refine(isHost, 'Not a host name or IP address.')

const UserName = z.string().trim().min(1).max(256)
const OptionalText = z.string().trim().min(1).max(256).optional()

/** A password or application credential secret; never trimmed, never returned. */
export const ProfileSecret = z.string().min(1).max(4096)

export const OpenstackAuthType = z.enum(['password', 'application-credential'])
export const OpenstackInterface = z.enum(['public', 'internal', 'admin'])

/** A user-defined key sequence for the console's Keys menu: text with chords in braces ("root{Enter}", "{Ctrl+Alt+F2}"). */
export const ConsoleKeySequence = z.strictObject({
  label: z.string().trim().min(1).max(60),
  keys: z.string().min(1).max(1000),
})
export type ConsoleKeySequence = z.infer<typeof ConsoleKeySequence>

// Console options, the same for every kind; all optional (absent = the default in the comment).
const consoleShape = {
  /** The guest keyboard layout; absent or 'auto' = the local keyboard's. */
  keyboardLayout: z.union([z.literal('auto'), keyboardLayoutIdSchema]).optional(),
  /** macOS: the Command key reaches the guest as Control (default off). */
  cmdAsCtrl: z.boolean().optional(),
  /** Local clipboard → guest (RFB cut text), default on. */
  clipboardToGuest: z.boolean().optional(),
  /** Guest clipboard → local, default off. */
  clipboardFromGuest: z.boolean().optional(),
  keySequences: z.array(ConsoleKeySequence).max(50).optional(),
}

// Each kind's fields as a plain shape: the add, patch, summary and preview schemas are all
// built from these, so they cannot drift apart.
const vsphereShape = {
  ...consoleShape,
  kind: z.literal('vsphere'),
  name: ProfileName,
  endpoint: ProfileEndpoint,
  user: UserName,
  trust: TrustPolicy,
}

const zstackShape = { ...vsphereShape, kind: z.literal('zstack') }

const openstackShape = {
  ...consoleShape,
  kind: z.literal('openstack'),
  name: ProfileName,
  /** Keystone's auth_url. */
  endpoint: ProfileEndpoint,
  /** Keystone user name; not needed for an application credential given by id. */
  user: UserName.optional(),
  trust: TrustPolicy,
  authType: OpenstackAuthType,
  userDomainName: OptionalText,
  userDomainId: OptionalText,
  projectName: OptionalText,
  projectId: OptionalText,
  projectDomainName: OptionalText,
  projectDomainId: OptionalText,
  region: OptionalText,
  interface: OpenstackInterface.default('public'),
  applicationCredentialId: OptionalText,
  applicationCredentialName: OptionalText,
}

/** Plain VNC is raw TCP (the relay connects to host:port): no URL, no user, no TLS trust. */
const vncShape = {
  ...consoleShape,
  kind: z.literal('vnc'),
  name: ProfileName,
  host: ProfileHost,
  port: z.number().int().min(1).max(65535),
}

type OpenstackCheckable = {
  kind: 'openstack'
  authType: 'password' | 'application-credential'
  user?: string | undefined
  projectName?: string | undefined
  projectId?: string | undefined
  applicationCredentialId?: string | undefined
  applicationCredentialName?: string | undefined
}

/** What Keystone needs to answer at all (reference openstack.md §1.1). */
export function openstackProblems(p: OpenstackCheckable): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = []
  if (p.authType === 'password') {
    if (p.user === undefined) problems.push({ path: 'user', message: 'Password login needs a user name.' })
    if (p.projectName === undefined && p.projectId === undefined) {
      problems.push({ path: 'projectName', message: 'Password login needs a project (name or id): an unscoped token has no catalog.' })
    }
  } else if (p.applicationCredentialId === undefined) {
    if (p.applicationCredentialName === undefined) {
      problems.push({ path: 'applicationCredentialId', message: 'An application credential needs its id, or its name and the user.' })
    } else if (p.user === undefined) {
      problems.push({ path: 'user', message: 'An application credential given by name needs the user too.' })
    }
  }
  return problems
}

function checkOpenstack(value: OpenstackCheckable, ctx: z.RefinementCtx): void {
  for (const problem of openstackProblems(value)) {
    ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message })
  }
}

// --- Profile fields: everything but the secret (what an import preview shows). -----------

export const VsphereFields = z.strictObject(vsphereShape)
export const ZstackFields = z.strictObject(zstackShape)
export const OpenstackFields = z.strictObject(openstackShape).superRefine(checkOpenstack)
export const VncFields = z.strictObject(vncShape)

/** A profile without its secret and without bookkeeping. */
export const ProfileFields = z.discriminatedUnion('kind', [VsphereFields, OpenstackFields, ZstackFields, VncFields])
export type ProfileFields = z.infer<typeof ProfileFields>
export type ProfileKind = ProfileFields['kind']

// --- Add: fields plus the secret. ----------------------------------------------------------

/**
 * A new profile. The secret (password, application credential secret) is required for the
 * API providers and optional for VNC, whose servers may have no password.
 */
export const ProfileInput = z.discriminatedUnion('kind', [
  z.strictObject({ ...vsphereShape, secret: ProfileSecret }),
  z.strictObject({ ...openstackShape, secret: ProfileSecret }).superRefine(checkOpenstack),
  z.strictObject({ ...zstackShape, secret: ProfileSecret }),
  z.strictObject({ ...vncShape, secret: ProfileSecret.optional() }),
])
export type ProfileInput = z.input<typeof ProfileInput>

// --- Update: a partial patch of one kind. ------------------------------------------------

/** ProfileSecret handling in a patch: absent keeps the stored one; `clearSecret: true` removes it. */
const secretPatch = { secret: ProfileSecret.optional(), clearSecret: z.literal(true).optional() }

const clearable = <T extends z.ZodType>(schema: T) => schema.nullable().optional()

/**
 * A change to a profile. `kind` must be the profile's own kind (a profile never changes
 * kind). Fields left out keep their value; optional OpenStack fields take `null` to clear.
 */
export const ProfilePatch = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('vsphere'),
      name: ProfileName.optional(),
      endpoint: ProfileEndpoint.optional(),
      user: UserName.optional(),
      trust: TrustPolicy.optional(),
      ...consoleShape,
      ...secretPatch,
    }),
    z.strictObject({
      kind: z.literal('zstack'),
      name: ProfileName.optional(),
      endpoint: ProfileEndpoint.optional(),
      user: UserName.optional(),
      trust: TrustPolicy.optional(),
      ...consoleShape,
      ...secretPatch,
    }),
    z.strictObject({
      kind: z.literal('openstack'),
      name: ProfileName.optional(),
      endpoint: ProfileEndpoint.optional(),
      user: clearable(UserName),
      trust: TrustPolicy.optional(),
      authType: OpenstackAuthType.optional(),
      userDomainName: clearable(OptionalText),
      userDomainId: clearable(OptionalText),
      projectName: clearable(OptionalText),
      projectId: clearable(OptionalText),
      projectDomainName: clearable(OptionalText),
      projectDomainId: clearable(OptionalText),
      region: clearable(OptionalText),
      interface: OpenstackInterface.optional(),
      applicationCredentialId: clearable(OptionalText),
      applicationCredentialName: clearable(OptionalText),
      ...consoleShape,
      ...secretPatch,
    }),
    z.strictObject({
      kind: z.literal('vnc'),
      name: ProfileName.optional(),
      host: ProfileHost.optional(),
      port: z.number().int().min(1).max(65535).optional(),
      ...consoleShape,
      ...secretPatch,
    }),
  ])
  .refine((p) => !(p.secret !== undefined && p.clearSecret === true), {
    message: 'Give a new secret or clear it, not both.',
    path: ['clearSecret'],
  })
export type ProfilePatch = z.input<typeof ProfilePatch>

// --- Summary: what the renderer sees. ------------------------------------------------------

const summaryMeta = {
  id: ProfileId,
  hasSecret: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
}

/** A saved profile as the renderer sees it: every field but the secret, plus bookkeeping. */
export const ProfileSummary = z.discriminatedUnion('kind', [
  z.strictObject({ ...vsphereShape, ...summaryMeta }),
  z.strictObject({ ...openstackShape, ...summaryMeta }),
  z.strictObject({ ...zstackShape, ...summaryMeta }),
  z.strictObject({ ...vncShape, ...summaryMeta }),
])
export type ProfileSummary = z.infer<typeof ProfileSummary>

export const ProfileList = z.strictObject({ profiles: z.array(ProfileSummary) })
export type ProfileList = z.infer<typeof ProfileList>

export const ConnectionTestResult = z.strictObject({
  /** What the server said, for display ("vCenter 8.0.2 as alice@vsphere.local"). */
  message: z.string().max(1000),
  durationMs: z.number().nonnegative(),
})
export type ConnectionTestResult = z.infer<typeof ConnectionTestResult>

// --- Import and export. --------------------------------------------------------------------

/** Text of a file the renderer read; bounded so one request fits a WebSocket frame. */
const MAX_IMPORT_TEXT = 400_000

export const ProfileImportSource = z.discriminatedUnion('source', [
  /** clouds.yaml + secure.yaml from openstacksdk's search path (first found wins). */
  z.strictObject({ source: z.literal('clouds-yaml-default') }),
  /** A clouds.yaml the user picked (and optionally its secure.yaml), as text. */
  z.strictObject({
    source: z.literal('clouds-yaml-text'),
    text: z.string().min(1).max(MAX_IMPORT_TEXT),
    secureText: z.string().min(1).max(MAX_IMPORT_TEXT).optional(),
  }),
  /** GOVC_* and OS_* variables of Porthole's own environment. */
  z.strictObject({ source: z.literal('environment') }),
  /** A Porthole export: its text (JSON) or base64 of its bytes, and its password. */
  z.strictObject({
    source: z.literal('porthole-export'),
    content: z.string().min(1).max(MAX_IMPORT_TEXT),
    password: z.string().min(1).max(1024),
  }),
])
export type ProfileImportSource = z.infer<typeof ProfileImportSource>

/**
 * skip: leave it out. add: save it as a new profile (renamed "<name> (2)" if the name is
 * taken: keep both). replace: only for an item with `conflictWith`; that profile keeps its id
 * and takes the item's fields, and its secret when the item has one.
 */
export const ProfileImportDecision = z.enum(['skip', 'add', 'replace'])
export type ProfileImportDecision = z.infer<typeof ProfileImportDecision>

export const ProfileImportItem = z.strictObject({
  /** Names this item in `importApply`'s decisions. */
  key: z.string().min(1).max(64),
  profile: ProfileFields,
  hasSecret: z.boolean(),
  /** An existing profile with the same name, or the same endpoint and user. */
  conflictWith: ProfileId.optional(),
  conflictReason: z.enum(['same-name', 'same-endpoint-user']).optional(),
  /** What the import changed or could not carry over, in the user's words. */
  notes: z.array(z.string().max(1000)),
})
export type ProfileImportItem = z.infer<typeof ProfileImportItem>

export const ProfileImportPreview = z.strictObject({
  /** Held in main (with the secrets) until `expiresAt`; apply it once. */
  previewId: z.uuid(),
  expiresAt: z.iso.datetime(),
  items: z.array(ProfileImportItem),
  /** Entries found but not importable, with the reason. */
  skipped: z.array(z.strictObject({ name: z.string().max(300), reason: z.string().max(1000) })),
  /** Where the entries came from (files read, variables), for display. */
  sources: z.array(z.string().max(4096)),
})
export type ProfileImportPreview = z.infer<typeof ProfileImportPreview>

export const ProfileImportApplyInput = z.strictObject({
  previewId: z.uuid(),
  /** One decision for every item key: nothing is applied without one. */
  decisions: z
    .record(z.string().min(1).max(64), ProfileImportDecision)
    .refine((d) => Object.keys(d).length <= 10_000, 'Too many decisions.'),
})

export const ProfileImportApplyResult = z.strictObject({
  results: z.array(
    z.strictObject({
      key: z.string(),
      outcome: z.enum(['added', 'replaced', 'skipped']),
      /** The profile added or replaced. */
      id: ProfileId.optional(),
      /** The name it was saved under (renamed when keeping both). */
      name: z.string().optional(),
    }),
  ),
  profiles: z.array(ProfileSummary),
})
export type ProfileImportApplyResult = z.infer<typeof ProfileImportApplyResult>

export const ProfileExportInput = z.strictObject({
  ids: z.array(ProfileId).min(1).max(1000),
  password: z.string().min(8).max(1024),
})

/** The encrypted export file, returned for the renderer to offer as a download. */
export const ProfileExportFile = z.strictObject({
  fileName: z.string().max(255),
  bytes: z.number().int().nonnegative(),
  /** The file's bytes, base64. Encrypted under the user's export password. */
  data: z.string(),
})
export type ProfileExportFile = z.infer<typeof ProfileExportFile>

const ById = z.strictObject({ id: ProfileId })

export const profileCalls = {
  'profiles.list': call('Every saved profile, without secrets.', z.strictObject({}), ProfileList),
  'profiles.get': call('One profile, without its secret.', ById, ProfileSummary),
  'profiles.add': call('Save a new profile; returns it without its secret.', ProfileInput, ProfileSummary),
  'profiles.update': call(
    'Change a profile; an absent secret keeps the stored one.',
    z.strictObject({ id: ProfileId, patch: ProfilePatch }),
    ProfileSummary,
  ),
  'profiles.duplicate': call('Copy a profile (secret included, in main) as "<name> (copy)".', ById, ProfileSummary),
  'profiles.delete': call('Delete a profile (the UI confirms first).', ById, ById),
  'profiles.test': call("Log in with a profile to check it; UNSUPPORTED until its kind's provider exists.", ById, ConnectionTestResult),
  'profiles.importPreview': call(
    'Read profiles to import and show them with conflicts; secrets stay in main for 10 minutes.',
    ProfileImportSource,
    ProfileImportPreview,
  ),
  'profiles.importApply': call('Apply a preview with one decision per item.', ProfileImportApplyInput, ProfileImportApplyResult),
  'profiles.export': call('Encrypt the chosen profiles (with secrets) under a password of the user\'s choice.', ProfileExportInput, ProfileExportFile),
}

export const profileEvents = {
  'profiles.changed': event('Profiles were added, changed or deleted.', ProfileList),
}
