// The ZStack lab: a ZStack management node's REST API (`/zstack/v1/…`) on 127.0.0.1 over HTTPS
// and plain HTTP (as ZStack usually runs, and as its SDKs speak), a websockify-style console
// proxy, and fault knobs at start and at runtime through `/lab/…` (bearer token).
import crypto from 'node:crypto'
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { ConsoleSources } from '../consoles/console-sources'
import type { RunningSimulator, Simulator, SimulatorOptions } from '../simulator'
import { loadOrCreateCertificate, type LabCertificate } from '../vsphere/certificate'
import { random } from '../vsphere/random'
import { ConsoleProxy } from './console-proxy'
import { controlHandler } from './control'
import { DEFAULT_FAULTS, Faults, FaultsPatch } from './faults'
import { applyPowerFractions, seedInventory } from './inventory'
import { Jobs } from './jobs'
import { apiTable } from './routes'
import { handler } from './server'
import { Sessions } from './sessions'
import type { LabState } from './state'

export const LAB_ACCOUNT = 'admin'
export const LAB_PASSWORD = 'Porthole-demo-1!'

export interface ZstackLabOptions extends SimulatorOptions {
  faults?: FaultsPatch
  /** Console sources for the VMs; default a new set (QEMU where installed, per `consoleBackend`). */
  consoles?: ConsoleSources
  consoleBackend?: 'auto' | 'qemu' | 'builtin'
  /**
   * Base of job `location`s, the management node's own address. Default: a decoy listener on
   * another port that refuses everything, so a client must rewrite the location onto its base URL.
   */
  locationBase?: string
  now?: () => number
}

export interface ZstackLab extends RunningSimulator {
  /** https://127.0.0.1:<port> (append /zstack/v1/…). */
  url: string
  /** http://127.0.0.1:<port>, the plain listener. */
  httpUrl: string
  account: string
  password: string
  adminToken: string
  certificate: LabCertificate
  state: LabState
  /** Requests that reached the decoy management-node address (0 when clients rewrite locations). */
  decoyHits(): number
  /** Applies a fault patch as `POST /lab/faults` does; returns the knobs now in force. */
  setFaults(patch: FaultsPatch): Faults
  /** The HTTPS listener, so a harness (bench/inventory) can observe the requests it answers. */
  server: https.Server
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

function close(server: http.Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}

/** Starts the ZStack lab. */
export async function startZstackLab(options: ZstackLabOptions): Promise<ZstackLab> {
  const dir = path.join(options.dataDir, 'zstack')
  const cert = await loadOrCreateCertificate(dir, 'zstack.lab.local')
  const { expireSessions: _e, ...startKnobs } = options.faults ?? {}
  const now = options.now ?? Date.now
  const faults = Faults.parse({ ...DEFAULT_FAULTS, ...startKnobs })
  const inv = seedInventory(options.vms, options.seed)
  applyPowerFractions(inv, faults.poweredOffFraction, faults.pausedFraction)
  const sources =
    options.consoles ?? new ConsoleSources({ dataDir: path.join(dir, 'consoles'), backend: options.consoleBackend ?? 'auto' })
  const adminToken = crypto.randomBytes(18).toString('base64url')
  const accountUuid = crypto.createHash('sha256').update(`zstack-lab-account-${options.seed}`).digest('hex').slice(0, 32)

  const state: LabState = {
    inv,
    faults,
    sessions: new Sessions(() => state.faults.sessionTimeoutSeconds, now),
    jobs: new Jobs(now),
    consoles: new ConsoleProxy({
      sources,
      idleMs: () => state.faults.consoleIdleSeconds * 1000,
      tokenMs: () => state.faults.consoleTokenSeconds * 1000,
      now,
    }),
    jobOverrides: new Map(),
    timers: new Set(),
    accountUuid,
    now,
  }

  const setFaults = (patch: FaultsPatch): Faults => {
    const { expireSessions, ...knobs } = patch
    const next = Faults.parse({ ...state.faults, ...knobs })
    const powerChanged = next.poweredOffFraction !== state.faults.poweredOffFraction || next.pausedFraction !== state.faults.pausedFraction
    state.faults = next
    if (powerChanged) applyPowerFractions(inv, next.poweredOffFraction, next.pausedFraction)
    if (expireSessions) state.sessions.expireAll()
    return state.faults
  }

  // The management node's "own" address: a listener that only counts and refuses.
  let decoyHits = 0
  const decoy = http.createServer((_req, res) => {
    decoyHits++
    res.writeHead(421, { 'Content-Type': 'text/plain', Connection: 'close' })
    res.end("lab: this is the management node's internal address; rewrite job locations onto the configured base URL")
  })
  const decoyPort = await listen(decoy)

  const control = controlHandler({ state, adminToken, setFaults, decoyHits: () => decoyHits })
  const draw = random(options.seed ^ 0x5e7c)
  const listener = handler(state, {
    apis: apiTable(state, { name: LAB_ACCOUNT, passwordSha512: crypto.createHash('sha512').update(LAB_PASSWORD, 'utf8').digest('hex') }),
    draw,
    locationBase: () => options.locationBase ?? `http://127.0.0.1:${decoyPort}`,
    control,
  })
  const secure = https.createServer({ cert: cert.cert, key: cert.key, keepAliveTimeout: 30_000 }, listener)
  const plain = http.createServer({ keepAliveTimeout: 30_000 }, listener)
  let httpsPort: number
  let httpPort: number
  try {
    httpsPort = await listen(secure)
    httpPort = await listen(plain)
  } catch (e) {
    await Promise.allSettled([close(decoy), close(secure), close(plain)])
    throw e
  }
  const url = `https://127.0.0.1:${httpsPort}`
  const httpUrl = `http://127.0.0.1:${httpPort}`

  return {
    name: 'zstack',
    url,
    httpUrl,
    account: LAB_ACCOUNT,
    password: LAB_PASSWORD,
    adminToken,
    certificate: cert,
    state,
    decoyHits: () => decoyHits,
    setFaults,
    server: secure,
    endpoints: {
      api: url,
      http: httpUrl,
      user: LAB_ACCOUNT,
      password: LAB_PASSWORD,
      sha256: cert.sha256,
      control: `${url}/lab/faults (Authorization: Bearer ${adminToken})`,
    },
    async stop() {
      for (const t of state.timers) clearTimeout(t)
      state.timers.clear()
      await Promise.allSettled([close(secure), close(plain), close(decoy), state.consoles.stop()])
    },
  }
}

/** Start-time knobs for `npm run lab`, e.g. PORTHOLE_ZSTACK_FAULTS='{"latencyMs":50,"actionMs":2000}'. */
function envFaults(): FaultsPatch {
  const raw = process.env.PORTHOLE_ZSTACK_FAULTS
  return raw ? FaultsPatch.parse(JSON.parse(raw)) : {}
}

export const zstackSimulator: Simulator = {
  name: 'zstack',
  start: (options) => startZstackLab({ ...options, faults: envFaults() }),
}
