// "Try the demo lab" (DESIGN.md "The lab"): the lab's simulators run inside main, a "Demo
// vCenter" profile points at them, and the inventory connects it. Idempotent: a second call
// reuses the running lab, the profile and the connection.
import path from 'node:path'
import { PortholeError } from '../../../contract/errors'
import type { ConnectionState } from '../../../contract/inventory'
import { startLab, type Lab } from '../../../lab/lab'
import type { InventoryService } from '../inventory/inventory-service'
import type { Log } from '../log/log'
import type { ProfileService } from '../profiles/profile-service'
import type { TrustStore } from '../tls/trust-store'
import type { SecretStore } from '../vault/secret-store'

export const DEMO_PROFILE_NAME = 'Demo vCenter'
/** Enough VMs to feel like a real site, few enough to load in a blink. */
const DEMO_VMS = 1200
const DEMO_SEED = 1
/**
 * The vCenter lab only, for now: the console sources (QEMU where installed) join when consoles
 * open from the inventory, so the demo does not boot a VM nobody looks at.
 */
const DEMO_SIMULATORS = ['vsphere']

export interface DemoLabOptions {
  /** The lab keeps its certificate here, so pins survive restarts of the same data dir. */
  dataDir: string
  profiles: ProfileService
  trust: TrustStore
  inventory: InventoryService
  secrets: Pick<SecretStore, 'isUnlocked'>
  log: Log
  vms?: number
}

export interface DemoLab {
  /** Starts the lab (once), saves or updates the demo profile, pins the lab's certificate and connects. */
  start(): Promise<{ profileId: string; connection: ConnectionState }>
  /** Stops the lab's servers (on quit). */
  stop(): Promise<void>
}

export function createDemoLab(options: DemoLabOptions): DemoLab {
  let lab: Promise<Lab> | undefined
  let running: Promise<unknown> = Promise.resolve()

  const startOnce = (): Promise<Lab> => {
    lab ??= startLab({ vms: options.vms ?? DEMO_VMS, seed: DEMO_SEED, dataDir: path.join(options.dataDir, 'lab'), only: DEMO_SIMULATORS }).catch(
      (err: unknown) => {
        lab = undefined
        throw err
      },
    )
    return lab
  }

  async function run(): Promise<{ profileId: string; connection: ConnectionState }> {
    if (!options.secrets.isUnlocked()) throw new PortholeError('VAULT_LOCKED', 'Unlock the vault to start the demo lab.')
    const started = await startOnce()
    const vcenter = started.running.find((s) => s.name === 'vsphere')
    const endpoint = vcenter?.endpoints.api
    const user = vcenter?.endpoints.user
    const password = vcenter?.endpoints.password
    const fingerprint = vcenter?.endpoints.sha256
    if (!endpoint || !user || !password || !fingerprint) throw new PortholeError('INTERNAL', 'The demo lab started without its vCenter.')

    // Reuse the demo profile (by name and kind); the lab's port changes with every start.
    const existing = options.profiles
      .list()
      .find((p): p is Extract<typeof p, { kind: 'vsphere' }> => p.kind === 'vsphere' && p.name === DEMO_PROFILE_NAME)
    let profileId: string
    if (!existing) {
      profileId = (
        await options.profiles.add({ kind: 'vsphere', name: DEMO_PROFILE_NAME, endpoint, user, trust: { mode: 'pinned' }, secret: password })
      ).id
    } else {
      profileId = existing.id
      if (existing.endpoint !== endpoint || existing.user !== user || !existing.hasSecret || existing.trust.mode !== 'pinned') {
        const old = new URL(existing.endpoint)
        await options.trust.forget(profileId, old.hostname, Number(old.port || 443)).catch(() => false)
        await options.profiles.update(profileId, { kind: 'vsphere', endpoint, user, trust: { mode: 'pinned' }, secret: password })
      }
    }

    // The certificate is the one our own process just generated for the lab (its fingerprint
    // comes from the lab object in memory, not from the network), so there is nobody to ask:
    // pin it without a prompt. It still goes through the trust store: probe (which records what
    // the server presents) and trust (which pins only that fingerprint), so a different server
    // answering on that port would be refused like any other.
    const probe = await options.trust.probe(profileId, endpoint, { mode: 'pinned' })
    if (!probe.verdict.ok) {
      if (probe.certificate.fingerprint256 !== fingerprint.toUpperCase()) {
        throw new PortholeError('TLS_UNTRUSTED', 'The demo lab port answered with a certificate that is not the lab\'s.', {
          detail: { host: probe.host, port: probe.port, fingerprint256: probe.certificate.fingerprint256 },
        })
      }
      await options.trust.trust(profileId, probe.host, probe.port, fingerprint, { replace: true })
    }

    const current = options.inventory.states().find((s) => s.connectionId === profileId)
    const connection = current && current.phase !== 'error' && current.phase !== 'idle' ? current : options.inventory.connect(profileId)
    options.log.info('demo lab: ready', { profileId, vms: options.vms ?? DEMO_VMS })
    return { profileId, connection }
  }

  return {
    start() {
      // One at a time: two quick clicks must not save two profiles.
      const next = running.then(run, run)
      running = next.catch(() => undefined)
      return next
    },
    async stop() {
      const started = lab
      lab = undefined
      if (started) await (await started.catch(() => undefined))?.stop()
    },
  }
}
