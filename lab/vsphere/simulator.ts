// The vCenter lab: an HTTPS server on 127.0.0.1 speaking the vSphere Automation REST API in both
// styles, with fault knobs settable at start and at runtime through `/lab/…` (bearer token).
import crypto from 'node:crypto'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { RunningSimulator, Simulator, SimulatorOptions } from '../simulator'
import { loadOrCreateCertificate, type LabCertificate } from './certificate'
import { controlHandler } from './control'
import { startEsxiListener, type EsxiListener } from './esxi-transfer'
import { DEFAULT_FAULTS, Faults, FaultsPatch } from './faults'
import { GUEST_PASSWORD } from './guest-auth'
import { GuestWorld } from './guest-world'
import { applyPowerFractions, seedInventory } from './inventory'
import { random } from './random'
import { handler } from './server'
import { Sessions } from './sessions'
import type { LabState } from './state'
import { labTickets, TicketRegistry } from './tickets'
import { startWebmksListener, type WebmksListener, type WebmksOptions } from './webmks'

export const LAB_USER = 'administrator@vsphere.local'
export const LAB_PASSWORD = 'Porthole-demo-1!'

export interface VsphereLabOptions extends SimulatorOptions {
  faults?: FaultsPatch
  /** Make a new certificate even when one is cached in the data dir. */
  rotateCertificate?: boolean
  /** Default 0: any free port. */
  port?: number
  /** Base of WebMKS ticket URLs; default this server's own `wss://127.0.0.1:<port>`. */
  webmksBase?: string
  /** Share a ticket registry with a WebMKS listener; default a new one. */
  tickets?: TicketRegistry
  now?: () => number
  /**
   * Serve WEBMKS tickets from a lab "ESXi host" (lab/vsphere/webmks.ts: own port and certificate,
   * RFB bridged to a QEMU or built-in console source per VM); its base becomes `webmksBase`.
   */
  webmks?: boolean | Pick<WebmksOptions, 'sources' | 'backend' | 'dataDir' | 'log'>
}

export interface VsphereLab extends RunningSimulator {
  url: string
  port: number
  user: string
  password: string
  /** Bearer token for `/lab/…`. */
  adminToken: string
  /** The certificate being served now (changes on rotation). */
  certificate(): LabCertificate
  state: LabState
  tickets: TicketRegistry
  /** The server, so a WebMKS listener can attach to its 'upgrade' event. */
  server: https.Server
  /** Applies a fault patch as `POST /lab/faults` does; returns the knobs now in force. */
  setFaults(patch: FaultsPatch): Promise<Faults>
  /** The WebMKS "ESXi host", when started (option `webmks`). */
  webmks: WebmksListener | undefined
  /** The "ESXi host" serving guest file transfer URLs (own port, own certificate). */
  esxi: EsxiListener
}

function uuidFrom(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** Starts the vCenter lab. */
export async function startVsphereLab(options: VsphereLabOptions): Promise<VsphereLab> {
  const certDir = path.join(options.dataDir, 'vsphere')
  let cert = await loadOrCreateCertificate(certDir, 'vcenter.lab.local', options.rotateCertificate ?? false)
  const { rotateCertificate: _r, expireSessions: _e, rotateWebmksCertificate: _w, ...startKnobs } = options.faults ?? {}
  const faults = Faults.parse({ ...DEFAULT_FAULTS, ...startKnobs })
  const now = options.now ?? Date.now
  const inv = seedInventory(options.vms, options.seed)
  applyPowerFractions(inv, faults.poweredOffFraction, faults.suspendedFraction)
  const tickets = options.tickets ?? new TicketRegistry(now)
  const webmks = options.webmks
    ? await startWebmksListener({
        tickets,
        vmName: (id) => inv.vmById.get(id)?.name,
        certDir: path.join(certDir, 'webmks'),
        rotateCertificate: options.rotateCertificate ?? false,
        dataDir: path.join(options.dataDir, 'consoles'),
        ...(typeof options.webmks === 'object' ? options.webmks : {}),
      })
    : undefined
  const adminToken = crypto.randomBytes(18).toString('base64url')
  let port = 0

  const state: LabState = {
    inv,
    seed: options.seed,
    faults,
    sessions: new Sessions(() => state.faults.sessionExpirySeconds, now),
    requests: 0,
    tickets,
    guests: new GuestWorld(now),
    instanceUuid: uuidFrom(random(options.seed ^ 0x51ab)),
    authority: () => `127.0.0.1:${port}`,
    webmksBase: () => options.webmksBase ?? webmks?.base ?? `wss://127.0.0.1:${port}`,
    thumbprint: () => cert.sha1Dashed,
    now,
  }

  const setFaults = async (patch: FaultsPatch): Promise<Faults> => {
    const { rotateCertificate, expireSessions, rotateWebmksCertificate, ...knobs } = patch
    const next = Faults.parse({ ...state.faults, ...knobs })
    const powerChanged =
      next.poweredOffFraction !== state.faults.poweredOffFraction || next.suspendedFraction !== state.faults.suspendedFraction
    state.faults = next
    if (powerChanged) applyPowerFractions(inv, next.poweredOffFraction, next.suspendedFraction)
    if (expireSessions) state.sessions.expireAll()
    if (rotateCertificate) {
      cert = await loadOrCreateCertificate(certDir, 'vcenter.lab.local', true)
      server.setSecureContext({ cert: cert.cert, key: cert.key })
    }
    if (rotateWebmksCertificate) await webmks?.rotateCertificate()
    return state.faults
  }

  const esxi = await startEsxiListener(state, path.join(certDir, 'esxi'), options.rotateCertificate ?? false)
  const control = controlHandler({ state, adminToken, setFaults, fingerprint: () => cert.sha256, transfers: esxi.registry })

  const draw = random(options.seed ^ 0xe44)
  const server = https.createServer(
    { cert: cert.cert, key: cert.key, keepAliveTimeout: 30_000 },
    handler(state, { user: LAB_USER, password: LAB_PASSWORD, draw, control }),
  )
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  }).catch(async (err: unknown) => {
    await esxi.stop()
    throw err
  })
  port = (server.address() as AddressInfo).port
  const url = `https://127.0.0.1:${port}`

  return {
    name: 'vsphere',
    url,
    port,
    user: LAB_USER,
    password: LAB_PASSWORD,
    adminToken,
    certificate: () => cert,
    state,
    tickets,
    server,
    setFaults,
    webmks,
    esxi,
    endpoints: {
      api: url,
      user: LAB_USER,
      password: LAB_PASSWORD,
      guestUser: 'root (Linux) / Administrator (Windows)',
      guestPass: GUEST_PASSWORD,
      sha256: cert.sha256,
      control: `${url}/lab/faults (Authorization: Bearer ${adminToken})`,
      ...(webmks ? { webmks: `${webmks.base}/ticket/<id> (ESXi WebMKS; sha256 ${webmks.certificate().sha256})` } : {}),
      esxi: `https://127.0.0.1:${esxi.port} (guest file transfers; sha256 ${esxi.certificate().sha256})`,
    },
    async stop() {
      state.guests.stop()
      await webmks?.stop()
      server.closeAllConnections()
      await Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), esxi.stop()])
    },
  }
}

/** Start-time knobs for `npm run lab`, e.g. PORTHOLE_VSPHERE_FAULTS='{"restOnly":true,"latencyMs":50}'. */
function envFaults(): FaultsPatch {
  const raw = process.env.PORTHOLE_VSPHERE_FAULTS
  return raw ? FaultsPatch.parse(JSON.parse(raw)) : {}
}

export const vsphereSimulator: Simulator = {
  name: 'vsphere',
  start: (options) => {
    const faults = envFaults()
    return startVsphereLab({ ...options, faults, rotateCertificate: faults.rotateCertificate === true, tickets: labTickets, webmks: true })
  },
}
