// The OpenStack lab: one HTTPS listener on 127.0.0.1 acting as Keystone v3 and Nova (two
// projects × two regions, endpoints per interface), console proxies shaped like
// nova-novncproxy and nova-serialproxy, and fault knobs settable at start and at runtime
// through `/lab/…` (bearer token).
import crypto from 'node:crypto'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { ConsoleSources } from '../consoles/console-sources'
import { controlEndpoint } from '../control-endpoint'
import type { RunningSimulator, Simulator, SimulatorOptions } from '../simulator'
import { loadOrCreateCertificate, type LabCertificate } from '../vsphere/certificate'
import { random } from '../vsphere/random'
import { startConsoleProxies, type ConsoleProxies } from './consoles'
import { DEFAULT_FAULTS, Faults, FaultsPatch, ServerPatch } from './faults'
import { Tokens, type TokenRecord } from './keystone'
import { handler } from './server'
import { send, tokenRefused } from './wire'
import { applyFractions, LAB_PASSWORD, powerOf, seedWorld, settle, statusOf, type VmState, type World } from './world'

export const LAB_USER = 'admin'
export const LAB_PROJECT = 'demo'
export const LAB_DOMAIN = 'Default'

export interface OpenstackLabOptions extends SimulatorOptions {
  faults?: FaultsPatch
  /** Make a new certificate even when one is cached in the data dir. */
  rotateCertificate?: boolean
  /** Default 0: any free port. */
  port?: number
  /** Console sources: 'builtin' (default) draws a test pattern; 'auto' uses QEMU where installed. */
  consoleBackend?: 'auto' | 'qemu' | 'builtin'
  now?: () => number
}

export interface OpenstackLab extends RunningSimulator {
  /** https://127.0.0.1:<port> */
  url: string
  /** Keystone's auth URL: <url>/identity/v3 */
  authUrl: string
  port: number
  user: string
  password: string
  project: string
  domain: string
  /** The application credential of user admin in project ops. */
  appCredential: { id: string; name: string; secret: string }
  adminToken: string
  certificate(): LabCertificate
  world: World
  tokens: Tokens
  consoles: ConsoleProxies
  faults(): Faults
  /** Requests per `${region}/${interface}` and 401s answered, since start. */
  stats: { hits: Map<string, number>; unauthorized: number }
  setFaults(patch: FaultsPatch): Promise<Faults>
  /** The HTTPS server, so a harness (bench/inventory) can observe the requests it answers. */
  server: https.Server
}

const STATUS_STATE: Record<NonNullable<ServerPatch['status']>, VmState> = {
  ACTIVE: 'active',
  SHUTOFF: 'stopped',
  SUSPENDED: 'suspended',
  PAUSED: 'paused',
  BUILD: 'building',
  ERROR: 'error',
  SHELVED_OFFLOADED: 'shelved_offloaded',
}

/** Starts the OpenStack lab. */
export async function startOpenstackLab(options: OpenstackLabOptions): Promise<OpenstackLab> {
  const dir = path.join(options.dataDir, 'openstack')
  let cert = await loadOrCreateCertificate(dir, 'openstack.lab.local', options.rotateCertificate ?? false)
  const { rotateCertificate: _r, expireTokens: _e, ...startKnobs } = options.faults ?? {}
  let faults = Faults.parse({ ...DEFAULT_FAULTS, ...startKnobs })
  const now = options.now ?? Date.now
  const world = seedWorld(options.vms, options.seed, faults.poweredOffFraction)
  const tokens = new Tokens(now)
  const adminToken = crypto.randomBytes(18).toString('base64url')
  const stats = { hits: new Map<string, number>(), unauthorized: 0 }
  const sources = new ConsoleSources({ dataDir: path.join(dir, 'consoles'), backend: options.consoleBackend ?? 'builtin' })
  const consoles = await startConsoleProxies({ cert, sources, ttlSeconds: () => faults.consoleTokenTtlSeconds, now, faults: () => faults })
  let origin = ''

  const setFaults = async (patch: FaultsPatch): Promise<Faults> => {
    const { rotateCertificate, expireTokens, ...knobs } = patch
    const next = Faults.parse({ ...faults, ...knobs })
    const powerChanged = next.poweredOffFraction !== faults.poweredOffFraction
    faults = next
    if (powerChanged) applyFractions(world, next.poweredOffFraction)
    if (expireTokens) tokens.revokeAll()
    if (rotateCertificate) {
      cert = await loadOrCreateCertificate(dir, 'openstack.lab.local', true)
      server.setSecureContext({ cert: cert.cert, key: cert.key })
      consoles.setCertificate(cert)
    }
    return faults
  }

  const serverState = (id: string): Record<string, unknown> | undefined => {
    const s = world.serverById.get(id)
    if (!s) return undefined
    settle(s, now())
    return { id: s.id, name: s.name, project: s.project.name, region: s.region, status: statusOf(s), task_state: s.taskState, locked: s.locked }
  }

  const control = controlEndpoint(adminToken, send, async (req, res, pathname, json) => {
    if (pathname === '/lab/faults' && req.method === 'GET') return send(res, 200, faults)
    if (pathname === '/lab/faults' && req.method === 'POST') {
      const patch = FaultsPatch.safeParse(json)
      if (!patch.success) return send(res, 400, { error: patch.error.message })
      return send(res, 200, { faults: await setFaults(patch.data), fingerprint: cert.sha256 })
    }
    const one = /^\/lab\/servers\/([^/]+)$/.exec(pathname)
    if (one) {
      const id = decodeURIComponent(one[1] as string)
      const s = world.serverById.get(id)
      if (!s) return send(res, 404, { error: 'No such server.' })
      if (req.method === 'POST') {
        const patch = ServerPatch.safeParse(json)
        if (!patch.success) return send(res, 400, { error: patch.error.message })
        if (patch.data.status !== undefined) {
          const state = STATUS_STATE[patch.data.status]
          s.override = state
          s.vmState = state
          s.powerState = powerOf(state)
          s.taskState = state === 'building' ? 'spawning' : null
          s.pending = undefined
        }
        if (patch.data.locked !== undefined) s.locked = patch.data.locked
      }
      return send(res, 200, serverState(id))
    }
    if (pathname === '/lab/state' && req.method === 'GET') {
      return send(res, 200, {
        servers: world.servers.length,
        tokens: tokens.size,
        tokensIssued: tokens.issued,
        unauthorized: stats.unauthorized,
        hits: Object.fromEntries(stats.hits),
        consoleTokens: consoles.size,
        consoleConnections: consoles.stats,
        fingerprint: cert.sha256,
      })
    }
    return send(res, 404, { error: 'Unknown lab control path.' })
  })

  const draw = random(options.seed ^ 0x05ac)
  const authorize = (token: string | undefined): TokenRecord => {
    const r = tokens.validate(token)
    if (!r) {
      stats.unauthorized++
      throw tokenRefused(`${origin}/identity`)
    }
    return r
  }
  const server = https.createServer(
    { cert: cert.cert, key: cert.key, keepAliveTimeout: 30_000 },
    handler({
      keystone: () => ({ world, tokens, lifetimeSeconds: faults.tokenExpirySeconds, origin }),
      nova: {
        world,
        get faults() {
          return faults
        },
        now,
        authorize,
        consoles,
        draw,
      },
      latencyMs: () => faults.latencyMs,
      hit: (key) => stats.hits.set(key, (stats.hits.get(key) ?? 0) + 1),
      control,
    }),
  )
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  origin = `https://127.0.0.1:${port}`
  const authUrl = `${origin}/identity/v3`
  const ac = world.appCredential

  return {
    name: 'openstack',
    url: origin,
    authUrl,
    port,
    user: LAB_USER,
    password: LAB_PASSWORD,
    project: LAB_PROJECT,
    domain: LAB_DOMAIN,
    appCredential: { id: ac.id, name: ac.name, secret: ac.secret },
    adminToken,
    certificate: () => cert,
    world,
    tokens,
    consoles,
    faults: () => faults,
    stats,
    setFaults,
    server,
    endpoints: {
      authUrl,
      user: LAB_USER,
      password: LAB_PASSWORD,
      project: `${LAB_PROJECT} (also: ops)`,
      domain: LAB_DOMAIN,
      regions: 'RegionOne, RegionTwo',
      appCredId: ac.id,
      appCredSecret: ac.secret,
      sha256: cert.sha256,
      control: `${origin}/lab/faults (Authorization: Bearer ${adminToken})`,
    },
    async stop() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await consoles.close()
      await sources.closeAll()
    },
  }
}

/** Start-time knobs for `npm run lab`, e.g. PORTHOLE_OPENSTACK_FAULTS='{"maxMicroversion":"2.5","latencyMs":50}'. */
function envFaults(): FaultsPatch {
  const raw = process.env.PORTHOLE_OPENSTACK_FAULTS
  return raw ? FaultsPatch.parse(JSON.parse(raw)) : {}
}

export const openstackSimulator: Simulator = {
  name: 'openstack',
  start: (options) => {
    const faults = envFaults()
    return startOpenstackLab({ ...options, faults, rotateCertificate: faults.rotateCertificate === true, consoleBackend: 'auto' })
  },
}
