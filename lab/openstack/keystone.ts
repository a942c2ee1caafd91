// Keystone v3 as the lab serves it (reference openstack.md §1 and "Read this first" 10):
// password and application-credential authentication, the token in `X-Subject-Token`, a
// project-scoped catalog with compute endpoints per region and interface, token expiry.
import crypto from 'node:crypto'
import { z } from 'zod'
import { INTERFACES, REGIONS, type AppCredential, type Project, type User, type World } from './world'
import { keystoneError, keystoneTime, LabHttpError, type Headers } from './wire'

export interface TokenRecord {
  user: User
  project: Project | undefined
  roles: string[]
  methods: string[]
  issuedAt: number
  expiresAt: number
  auditId: string
  appCredential: AppCredential | undefined
}

/** Issued tokens; a token works until its expires_at or until revoked. */
export class Tokens {
  private readonly live = new Map<string, TokenRecord>()
  issued = 0

  constructor(private readonly now: () => number) {}

  issue(record: Omit<TokenRecord, 'issuedAt' | 'expiresAt' | 'auditId'>, lifetimeSeconds: number): { token: string; record: TokenRecord } {
    const issuedAt = this.now()
    const token = `gAAAAAB${crypto.randomBytes(120).toString('base64url')}`
    const full: TokenRecord = { ...record, issuedAt, expiresAt: issuedAt + lifetimeSeconds * 1000, auditId: crypto.randomBytes(16).toString('base64url').slice(0, 22) }
    this.live.set(token, full)
    this.issued++
    return { token, record: full }
  }

  /** The record of a live token, or undefined when unknown, revoked or expired. */
  validate(token: string | undefined): TokenRecord | undefined {
    if (!token) return undefined
    const r = this.live.get(token)
    if (!r) return undefined
    if (this.now() >= r.expiresAt) {
      this.live.delete(token)
      return undefined
    }
    return r
  }

  revoke(token: string): boolean {
    return this.live.delete(token)
  }

  revokeAll(): void {
    this.live.clear()
  }

  get size(): number {
    return this.live.size
  }
}

const DomainRef = z.union([z.strictObject({ id: z.string() }), z.strictObject({ name: z.string() })])
const UserRef = z.looseObject({ id: z.string().optional(), name: z.string().optional(), domain: DomainRef.optional(), password: z.string().optional() })
const AuthBody = z.strictObject({
  auth: z.strictObject({
    identity: z.looseObject({
      methods: z.array(z.string()).min(1),
      password: z.looseObject({ user: UserRef }).optional(),
      application_credential: z
        .looseObject({ id: z.string().optional(), name: z.string().optional(), secret: z.string(), user: UserRef.optional() })
        .optional(),
    }),
    scope: z
      .looseObject({
        project: z.looseObject({ id: z.string().optional(), name: z.string().optional(), domain: DomainRef.optional() }).optional(),
      })
      .optional(),
  }),
})

/** Keystone's schema errors are long dumps of the JSON schema; the lab makes one just as unhelpful. */
function schemaError(issue: z.core.$ZodIssue | undefined): LabHttpError {
  const field = issue?.path.join('.') || 'auth'
  return keystoneError(
    400,
    `Invalid input for field '${field}': ${issue?.message ?? 'invalid'}\n\nFailed validating 'required' in schema['properties']['auth']:\n` +
      `    {'additionalProperties': False, 'properties': {'identity': {'additionalProperties': True, 'properties': {'methods': {'items': {'type': 'string'}, 'type': 'array'}, 'password': {'properties': {'user': {'properties': {'domain': {'properties': {'id': {'type': 'string'}, 'name': {'type': 'string'}}, 'type': 'object'}, 'id': {'type': 'string'}, 'name': {'type': 'string'}, 'password': {'type': 'string'}}, 'type': 'object'}}, 'type': 'object'}, 'token': {'properties': {'id': {'type': 'string'}}, 'required': ['id'], 'type': 'object'}}, 'required': ['methods'], 'type': 'object'}, 'scope': {'type': ['object', 'string']}}, 'required': ['identity'], 'type': 'object'}`,
  )
}

const REFUSED = 'The request you have made requires authentication.'

function sameDomain(world: World, ref: z.infer<typeof DomainRef> | undefined): boolean {
  if (!ref) return false
  return 'id' in ref ? ref.id === world.domain.id : ref.name === world.domain.name
}

function findUser(world: World, ref: z.infer<typeof UserRef>): User | undefined {
  if (ref.id !== undefined) return world.users.find((u) => u.id === ref.id)
  if (ref.name === undefined || !sameDomain(world, ref.domain)) return undefined
  return world.users.find((u) => u.name === ref.name)
}

export interface AuthResult {
  status: 201
  body: unknown
  headers: Headers
}

export interface KeystoneContext {
  world: World
  tokens: Tokens
  lifetimeSeconds: number
  /** https://127.0.0.1:<port> */
  origin: string
}

/** `POST /v3/auth/tokens`. */
export function authenticate(ctx: KeystoneContext, raw: unknown, authHeader: Headers): AuthResult {
  const unauthorized = (message = REFUSED, extra: Record<string, unknown> = {}): LabHttpError =>
    keystoneError(401, message, extra, { 'WWW-Authenticate': `Keystone uri="${ctx.origin}/identity"`, ...authHeader })
  const parsed = AuthBody.safeParse(raw)
  if (!parsed.success) throw schemaError(parsed.error.issues[0])
  const { identity, scope } = parsed.data.auth
  const { world } = ctx
  let user: User | undefined
  let project: Project | undefined
  let roles: string[] = []
  let appCredential: AppCredential | undefined
  let methods: string[]
  if (identity.methods.includes('application_credential')) {
    methods = ['application_credential']
    const ac = identity.application_credential
    if (!ac) throw schemaError({ code: 'custom', path: ['identity', 'application_credential'], message: "'application_credential' is a required property", input: undefined })
    if (scope) {
      throw unauthorized('Error authenticating with application credential: Application credentials cannot request a scope.', { identity: {} })
    }
    const cred = world.appCredential
    const byId = ac.id !== undefined && ac.id === cred.id
    const byName = ac.id === undefined && ac.name === cred.name && ac.user !== undefined && findUser(world, ac.user) === cred.user
    if (!(byId || byName) || ac.secret !== cred.secret) throw unauthorized()
    user = cred.user
    project = cred.project
    roles = cred.roles
    appCredential = cred
  } else if (identity.methods.includes('password')) {
    methods = ['password']
    const pw = identity.password
    if (!pw) throw schemaError({ code: 'custom', path: ['identity', 'password'], message: "'password' is a required property", input: undefined })
    user = findUser(world, pw.user)
    if (!user || pw.user.password !== user.password) throw unauthorized()
    const p = scope?.project
    if (p) {
      project =
        p.id !== undefined ? world.projects.find((x) => x.id === p.id) : sameDomain(world, p.domain) ? world.projects.find((x) => x.name === p.name) : undefined
      const r = project ? user.roles.get(project.id) : undefined
      if (!project || !r) throw unauthorized()
      roles = r
    }
  } else {
    throw unauthorized(`Attempted to authenticate with an unsupported method.`)
  }
  const { token, record } = ctx.tokens.issue({ user, project, roles, methods, appCredential }, ctx.lifetimeSeconds)
  return { status: 201, body: { token: tokenBody(ctx, record) }, headers: { 'X-Subject-Token': token, Vary: 'X-Auth-Token' } }
}

function tokenBody(ctx: KeystoneContext, r: TokenRecord): Record<string, unknown> {
  const domain = { id: ctx.world.domain.id, name: ctx.world.domain.name }
  const body: Record<string, unknown> = {
    methods: r.methods,
    user: { id: r.user.id, name: r.user.name, domain, password_expires_at: null },
    audit_ids: [r.auditId],
    expires_at: keystoneTime(r.expiresAt),
    issued_at: keystoneTime(r.issuedAt),
  }
  if (r.project) {
    body.project = { id: r.project.id, name: r.project.name, domain }
    body.is_domain = false
    body.roles = r.roles.map((name) => ({ id: crypto.createHash('md5').update(name).digest('hex'), name }))
    body.catalog = catalog(ctx.origin, r.project)
  }
  if (r.appCredential) body.application_credential = { id: r.appCredential.id, name: r.appCredential.name, restricted: true }
  return body
}

const REGION_PATH: Record<string, string> = { RegionOne: 'r1', RegionTwo: 'r2' }

/** The compute URL of a region and interface: RegionTwo's carry the project id, as older deployments do. */
export function computeUrl(origin: string, region: string, iface: string, projectId: string): string {
  const base = `${origin}/${REGION_PATH[region] ?? 'r1'}/${iface}/compute/v2.1`
  return region === 'RegionTwo' ? `${base}/${projectId}` : base
}

function catalog(origin: string, project: Project): unknown[] {
  const id = (s: string): string => crypto.createHash('md5').update(s).digest('hex')
  return [
    {
      type: 'identity',
      name: 'keystone',
      id: id('keystone'),
      endpoints: REGIONS.flatMap((region) =>
        INTERFACES.map((iface) => ({ id: id(`identity|${region}|${iface}`), interface: iface, region, region_id: region, url: `${origin}/identity` })),
      ),
    },
    {
      type: 'compute',
      name: 'nova',
      id: id('nova'),
      endpoints: REGIONS.flatMap((region) =>
        INTERFACES.map((iface) => ({ id: id(`compute|${region}|${iface}`), interface: iface, region, region_id: region, url: computeUrl(origin, region, iface, project.id) })),
      ),
    },
    {
      type: 'image',
      name: 'glance',
      id: id('glance'),
      endpoints: REGIONS.flatMap((region) =>
        INTERFACES.map((iface) => ({ id: id(`image|${region}|${iface}`), interface: iface, region, region_id: region, url: `${origin}/image` })),
      ),
    },
  ]
}

/** `GET /identity/` (300) and `GET /identity/v3` (200). */
export function identityVersions(origin: string, single: boolean): { status: number; body: unknown } {
  const v3 = {
    id: 'v3.14',
    status: 'stable',
    updated: '2020-04-07T00:00:00Z',
    links: [{ rel: 'self', href: `${origin}/identity/v3/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  }
  return single ? { status: 200, body: { version: v3 } } : { status: 300, body: { versions: { values: [v3] } } }
}
