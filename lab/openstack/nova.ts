// Nova's compute API as the lab serves it (reference openstack.md §3–§6 and "Read this first"):
// version documents, microversion negotiation, servers/detail with limit/marker paging,
// start/stop/reboot with a visible task_state, and remote consoles per microversion.
import type { IncomingHttpHeaders } from 'node:http'
import type { Faults } from './faults'
import type { TokenRecord } from './keystone'
import { minor, serverDetail, serverSummary, type ViewContext } from './servers-view'
import { microversionHeaders, novaFault, routerNotFound, LabHttpError, type Headers } from './wire'
import { powerOf, scopeKey, settle, type Server, type VmState, type World } from './world'

export const MIN_VERSION = '2.1'
const MAX_LIMIT = 1000

export interface Reply {
  status: number
  body?: unknown
  headers?: Headers
  /** 202 for actions: Content-Length 0 but still application/json. */
  empty?: boolean
}

/** Hands out console tokens and builds their URLs (the lab's console proxies). */
export interface ConsoleIssuer {
  issue(server: Server, type: string): string
}

export interface NovaRequest {
  method: string
  /** Path segments after `/compute`, percent-decoded ('' for a trailing slash kept out). */
  segments: string[]
  query: URLSearchParams
  headers: IncomingHttpHeaders
  body: string
  /** https://127.0.0.1:<port>/r1/public/compute */
  root: string
  region: string
}

export interface NovaContext {
  world: World
  faults: Faults
  now(): number
  /** Validates X-Auth-Token; throws keystonemiddleware's 401 when it fails. */
  authorize(token: string | undefined): TokenRecord
  consoles: ConsoleIssuer
  /** Draws in [0,1) for the error-rate knob. */
  draw(): number
}

function versionEntry(root: string, max: string): Record<string, unknown> {
  return {
    id: 'v2.1',
    status: 'CURRENT',
    version: max,
    min_version: MIN_VERSION,
    updated: '2013-07-23T11:33:21Z',
    links: [{ rel: 'self', href: `${root}/v2.1/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }],
  }
}

function versionsList(root: string, max: string): unknown {
  return {
    versions: [
      { id: 'v2.0', status: 'DEPRECATED', version: '', min_version: '', updated: '2025-07-04T12:00:00Z', links: [{ rel: 'self', href: `${root}/v2/` }] },
      versionEntry(root, max),
    ],
  }
}

/** The microversion a request asks for, or the fault it earns (reference §3, §5, "Read this first" 2). */
export function negotiate(headers: IncomingHttpHeaders, max: string): string {
  const modern = headers['openstack-api-version']
  let raw: string | undefined
  if (typeof modern === 'string') {
    for (const item of modern.split(',')) {
      const [service, value] = item.trim().split(/\s+/, 2)
      if (service?.toLowerCase() === 'compute' && value !== undefined) raw = value
    }
  }
  const legacy = headers['x-openstack-nova-api-version']
  if (raw === undefined && typeof legacy === 'string' && legacy.trim() !== '') raw = legacy.trim()
  if (raw === undefined) return MIN_VERSION
  if (raw.toLowerCase() === 'latest') return max
  const m = /^(\d+)\.(\d+)$/.exec(raw)
  if (!m) {
    throw novaFault(400, `API Version String ${raw} is of invalid format. Must be of format MajorNum.MinorNum.`)
  }
  const version = `${Number(m[1])}.${Number(m[2])}`
  if (Number(m[1]) !== 2 || Number(m[2]) < minor(MIN_VERSION) || Number(m[2]) > minor(max)) {
    const e = novaFault(406, `Version ${version} is not supported by the API. Minimum is ${MIN_VERSION} and maximum is ${max}.`)
    Object.assign(e.headers, microversionHeaders(version))
    throw e
  }
  return version
}

/** Answers one request under `/…/compute`; throws LabHttpError for faults. */
export async function compute(ctx: NovaContext, req: NovaRequest): Promise<Reply> {
  const s = req.segments
  const max = ctx.faults.maxMicroversion
  if (s.length === 0) {
    if (req.method !== 'GET') throw routerNotFound()
    return { status: 200, body: versionsList(req.root, max) }
  }
  if (s[0] !== 'v2.1') {
    if (s[0] === 'v2' || s.length === 1) return { status: 300, body: { choices: [{ id: 'v2.1', status: 'CURRENT', links: [{ rel: 'self', href: `${req.root}/v2.1/${s.join('/')}` }], 'media-types': [] }] } }
    throw routerNotFound()
  }
  const version = negotiate(req.headers, max)
  const mv = microversionHeaders(version)
  try {
    const reply = await versioned(ctx, req, version)
    return { ...reply, headers: { ...mv, ...reply.headers } }
  } catch (err) {
    // Nova's own faults carry the version; keystonemiddleware's 401s and the router's 404 do not.
    if (err instanceof LabHttpError && err.body !== null && typeof err.body === 'object' && !('error' in err.body) && !('title' in err.body)) {
      Object.assign(err.headers, mv, err.headers)
    }
    throw err
  }
}

async function versioned(ctx: NovaContext, req: NovaRequest, version: string): Promise<Reply> {
  let rest = req.segments.slice(1)
  if (rest.length === 0 || (rest.length === 1 && rest[0] === '')) {
    if (req.method !== 'GET') throw routerNotFound()
    return { status: 200, body: { version: versionEntry(req.root, ctx.faults.maxMicroversion) } }
  }
  const token = ctx.authorize(typeof req.headers['x-auth-token'] === 'string' ? req.headers['x-auth-token'] : undefined)
  const project = token.project
  if (!project) throw novaFault(403, 'Project-scoped token required.')
  let pathProject: string | undefined
  if (rest[0] !== undefined && /^[0-9a-f]{32}$/.test(rest[0])) {
    pathProject = rest[0]
    rest = rest.slice(1)
    if (pathProject !== project.id) {
      throw novaFault(400, `Malformed request URL: URL's project_id '${pathProject}' doesn't match Context's project_id '${project.id}'`)
    }
  }
  if (ctx.faults.errorRate > 0 && ctx.draw() < ctx.faults.errorRate) {
    throw novaFault(503, 'The service is temporarily unavailable (lab fault injection).')
  }
  const view: ViewContext = {
    versionedBase: `${req.root}/v2.1`,
    root: req.root,
    version,
    admin: token.roles.includes('admin'),
    single: false,
  }
  const scope = ctx.world.byScope.get(scopeKey(project.id, req.region)) ?? []
  const [a, b, c] = rest
  if (a !== 'servers') throw routerNotFound()
  if (rest.length === 1 || b === 'detail') {
    if (req.method !== 'GET' || rest.length > 2) throw routerNotFound()
    return list(ctx, req, view, scope, b === 'detail', pathProject)
  }
  const server = b === undefined ? undefined : ctx.world.serverById.get(b)
  const visible = server && server.project.id === project.id && server.region === req.region ? server : undefined
  if (visible) settle(visible, ctx.now())
  if (rest.length === 2) {
    if (req.method !== 'GET') throw routerNotFound()
    if (!visible) throw novaFault(404, `Instance ${b ?? ''} could not be found.`)
    return { status: 200, body: { server: serverDetail({ ...view, single: true }, visible) } }
  }
  if (rest.length === 3 && c === 'action' && req.method === 'POST') {
    if (!visible) throw novaFault(404, `Instance ${b ?? ''} has no mapping to a cell.`)
    return action(ctx, visible, parseBody(req.body), version)
  }
  if (rest.length === 3 && c === 'remote-consoles' && req.method === 'POST') {
    // Below 2.6 the route does not exist at all ("Read this first" 1).
    if (minor(version) < 6) throw novaFault(404, 'The resource could not be found.')
    return remoteConsole(ctx, visible, b ?? '', parseBody(req.body), version)
  }
  throw routerNotFound()
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw novaFault(400, 'Malformed request body')
  }
}

function list(ctx: NovaContext, req: NovaRequest, view: ViewContext, scope: Server[], detail: boolean, pathProject: string | undefined): Reply {
  const rawLimit = req.query.get('limit')
  let limit = MAX_LIMIT
  if (rawLimit !== null) {
    if (!/^[0-9]*$/.test(rawLimit)) {
      throw novaFault(400, `Invalid input for query parameters limit. Value: ${rawLimit}. '${rawLimit}' does not match '^[0-9]*$'`)
    }
    if (rawLimit !== '') limit = Math.min(Number(rawLimit), MAX_LIMIT)
  }
  if (limit === 0) return { status: 200, body: { servers: [] } }
  let start = 0
  const marker = req.query.get('marker')
  if (marker !== null) {
    const m = ctx.world.serverById.get(marker)
    if (!m || scope[m.position] !== m) throw novaFault(400, `marker [${marker}] not found`)
    start = m.position + 1
  }
  const now = ctx.now()
  const page = scope.slice(start, start + limit)
  const servers = page.map((s) => {
    settle(s, now)
    return detail ? serverDetail(view, s) : serverSummary(view, s)
  })
  const body: Record<string, unknown> = { servers }
  const last = page[page.length - 1]
  if (page.length === limit && last) {
    const q = new URLSearchParams(req.query)
    q.set('marker', last.id)
    const path = `${view.versionedBase}${pathProject ? `/${pathProject}` : ''}/servers${detail ? '/detail' : ''}`
    body.servers_links = [{ rel: 'next', href: `${path}?${q.toString()}` }]
  }
  return { status: 200, body }
}

const REBOOT_TYPES = ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft']

function conflict(action: string, s: Server): LabHttpError {
  const where = s.taskState !== null ? `task_state ${s.taskState}` : `vm_state ${s.vmState}`
  return novaFault(409, `Cannot '${action}' instance ${s.id} while it is in ${where}`)
}

function begin(ctx: NovaContext, s: Server, task: string, to: VmState): void {
  s.taskState = task
  s.touched = true
  s.pending = { until: ctx.now() + ctx.faults.actionDelayMs, vmState: to, powerState: powerOf(to) }
}

function action(ctx: NovaContext, s: Server, body: unknown, version: string): Reply {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw novaFault(400, 'Malformed request body')
  const [name] = Object.keys(body)
  const arg = (body as Record<string, unknown>)[name ?? '']
  const accepted: Reply = { status: 202, empty: true }
  const simple: Record<string, { from: VmState[]; task: string; to: VmState; label: string }> = {
    'os-start': { from: ['stopped'], task: 'powering-on', to: 'active', label: 'start' },
    'os-stop': { from: ['active', 'error'], task: 'powering-off', to: 'stopped', label: 'stop' },
    pause: { from: ['active'], task: 'pausing', to: 'paused', label: 'pause' },
    unpause: { from: ['paused'], task: 'unpausing', to: 'active', label: 'unpause' },
    suspend: { from: ['active'], task: 'suspending', to: 'suspended', label: 'suspend' },
    resume: { from: ['suspended'], task: 'resuming', to: 'active', label: 'resume' },
  }
  const plain = name !== undefined ? simple[name] : undefined
  if (plain) {
    if (s.locked) throw novaFault(409, `Instance ${s.id} is locked`)
    if (s.taskState !== null || !plain.from.includes(s.vmState)) throw conflict(plain.label, s)
    begin(ctx, s, plain.task, plain.to)
    return accepted
  }
  if (name === 'reboot') {
    const type = arg !== null && typeof arg === 'object' ? (arg as Record<string, unknown>).type : undefined
    if (typeof type !== 'string' || !REBOOT_TYPES.includes(type)) {
      const shown = typeof type === 'string' ? type : JSON.stringify(type ?? null)
      throw novaFault(400, `Invalid input for field/attribute type. Value: ${shown}. '${shown}' is not one of ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft']`)
    }
    if (s.locked) throw novaFault(409, `Instance ${s.id} is locked`)
    if (type.toUpperCase() === 'SOFT') {
      if (s.vmState !== 'active' || s.taskState !== null) throw conflict('reboot', s)
      begin(ctx, s, 'reboot_started', 'active')
    } else {
      const hardOk = ['active', 'stopped', 'paused', 'suspended', 'error'].includes(s.vmState)
      const taskOk = s.taskState === null || s.taskState.startsWith('reboot')
      if (!hardOk || !taskOk) throw conflict('reboot', s)
      begin(ctx, s, 'reboot_started_hard', 'active')
    }
    return accepted
  }
  const legacy: Record<string, string> = {
    'os-getVNCConsole': 'novnc',
    'os-getSPICEConsole': 'spice-html5',
    'os-getSerialConsole': 'serial',
    'os-getRDPConsole': 'rdp-html5',
  }
  if (name !== undefined && legacy[name] !== undefined) {
    if (minor(version) >= 6) throw novaFault(404, 'The resource could not be found.')
    const type = arg !== null && typeof arg === 'object' ? (arg as Record<string, unknown>).type : undefined
    if (name === 'os-getRDPConsole') throw novaFault(400, 'Unavailable console type rdp-html5.')
    if (type !== legacy[name]) throw novaFault(400, `Invalid console type ${String(type)}`)
    const url = consoleUrl(ctx, s, type)
    return { status: 200, body: { console: { type, url } } }
  }
  throw novaFault(400, `There is no such action: ${name ?? ''}`)
}

const PROTOCOL_TYPES: Record<string, string[]> = {
  vnc: ['novnc', 'xvpvnc'],
  spice: ['spice-html5', 'spice-direct'],
  serial: ['serial'],
  rdp: ['rdp-html5'],
  mks: ['webmks'],
}

function schemaEnum(field: string, value: unknown, allowed: string[]): LabHttpError {
  const shown = typeof value === 'string' ? value : JSON.stringify(value)
  return novaFault(400, `Invalid input for field/attribute ${field}. Value: ${shown}. '${shown}' is not one of [${allowed.map((a) => `'${a}'`).join(', ')}]`)
}

/** Checks the driver offers the type and the server has a host, then issues a token. */
function consoleUrl(ctx: NovaContext, s: Server, type: string): string {
  if (s.vmState === 'building' || s.vmState === 'shelved_offloaded') throw novaFault(409, `Instance ${s.id} is not ready`)
  if (!(ctx.faults.consoleTypes as string[]).includes(type)) throw novaFault(501, 'The requested functionality is not supported.')
  return ctx.consoles.issue(s, type)
}

function remoteConsole(ctx: NovaContext, s: Server | undefined, id: string, body: unknown, version: string): Reply {
  const v = minor(version)
  const protocols = ['vnc', 'spice', 'rdp', 'serial', ...(v >= 8 ? ['mks'] : [])]
  const types = ['novnc', 'xvpvnc', 'rdp-html5', 'spice-html5', 'serial', ...(v >= 8 ? ['webmks'] : []), ...(v >= 99 ? ['spice-direct'] : [])]
  const rc = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).remote_console : undefined
  if (rc === null || typeof rc !== 'object' || Array.isArray(rc)) {
    throw novaFault(400, "Invalid input for field/attribute remote_console. Value: None. 'remote_console' is a required property")
  }
  const { protocol, type, ...extra } = rc as Record<string, unknown>
  const stray = Object.keys(extra)[0]
  if (stray !== undefined) throw novaFault(400, `Additional properties are not allowed ('${stray}' was unexpected)`)
  if (typeof protocol !== 'string' || !protocols.includes(protocol)) throw schemaEnum('protocol', protocol ?? null, protocols)
  if (typeof type !== 'string' || !types.includes(type)) throw schemaEnum('type', type ?? null, types)
  if (!s) throw novaFault(404, `Instance ${id} could not be found.`)
  // Nova checks os_compute_api:os-remote-consoles against the instance's project (knob consoleForbidden).
  if (ctx.faults.consoleForbidden) throw novaFault(403, "Policy doesn't allow os_compute_api:os-remote-consoles to be performed.")
  if (s.taskState === 'deleting' || s.taskState === 'migrating') {
    throw novaFault(400, `Instance ${s.id} in task_state ${s.taskState}. Cannot get_${protocol}_console while the instance is in this state.`)
  }
  if (protocol === 'rdp') throw novaFault(400, 'Unavailable console type rdp.')
  if (!(PROTOCOL_TYPES[protocol] ?? []).includes(type)) throw novaFault(400, `Invalid console type ${type}`)
  if (type === 'xvpvnc') throw novaFault(400, 'Invalid console type xvpvnc')
  const url = consoleUrl(ctx, s, type)
  return { status: 200, body: { remote_console: { protocol, type, url } } }
}

