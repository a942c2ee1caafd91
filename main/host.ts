import path from 'node:path'
import { calls, type Calls } from '../contract/index'
import { packRows } from '../contract/inventory'
import { serve, type Dispatch, type Handlers } from '../contract/serve'
import { createEventBus, type EventBus } from './event-bus'
import { inventoryHandlers } from './services/inventory/inventory-handlers'
import { createInventoryService, type InventoryService, type InventoryServiceOptions } from './services/inventory/inventory-service'
import { createDemoLab } from './services/lab/demo-lab'
import { DEMO_GUEST_HINT } from './services/guest/demo-guests'
import { consoleHandlers, createConsoleService, type ConsoleDesktop, type ConsoleService } from './services/consoles/console-service'
import { ConsoleRelay } from './services/consoles/relay'
import { createGuestCredentials, type GuestCredentialsService } from './services/guest/credentials'
import { guestHandlers } from './services/guest/guest-handlers'
import { createGuestProcesses } from './services/guest/processes'
import { createGuestFiles, filesHandlers } from './services/guest/files'
import { createDownloadService, type DownloadService, type DownloadServiceOptions } from './services/downloads/download-service'
import { createDownloadFolder } from './services/downloads/download-folder'
import { downloadsHandlers } from './services/downloads/downloads-handlers'
import { downloadTarget } from './services/downloads/download-target'
import { createProvider, registerConnectionTesters } from './services/providers/registry'
import type { Log } from './services/log/log'
import type { ProfileList } from '../contract/profiles'
import { createProfileFeature, type ProfileFeature, type ProfileHostOptions } from './services/profiles/profile-feature'
import { redactor } from './services/log/redact'
import { createSettingsService, type SettingsStore } from './services/settings/settings-service'
import { tlsHandlers } from './services/tls/tls-handlers'
import { createTrustStore, type TrustStore } from './services/tls/trust-store'
import { unavailableProtector } from './services/vault/key-protector'
import type { SecretStore } from './services/vault/secret-store'
import { vaultHandlers } from './services/vault/vault-handlers'
import { createVault, type VaultHostOptions, type VaultService } from './services/vault/vault-service'

export interface HostOptions {
  /** Where the vault, logs and downloads' bookkeeping live (Electron's userData). */
  dataDir: string
  version: string
  platform: NodeJS.Platform
  settingsStore: SettingsStore
  log: Log
  /**
   * The vault's platform pieces: the Electron glue passes a safeStorage KeyProtector and
   * powerMonitor.getSystemIdleTime; without them quick unlock is refused and idle is
   * measured from the renderer's last call. Tests pass tiny KDF costs.
   */
  vault?: VaultHostOptions
  /** Where profile imports look (default: this process's environment and home) and the export cost. */
  profiles?: ProfileHostOptions
  /** Tests and benches: the row batch window, detail concurrency, and the demo lab's size. */
  inventory?: Pick<InventoryServiceOptions, 'batchMs' | 'detailConcurrency'> & { demoVms?: number }
  /**
   * Consoles: the renderer origins the relay accepts besides the app's own `app://porthole` (the
   * web host's, the dev server's), and what only the desktop app can do (VMRC, detached windows).
   * Tests: `linkTtlMs` shortens how long a console link stays valid unused (default 30 s).
   */
  consoles?: { origins?: () => readonly string[]; desktop?: ConsoleDesktop; linkTtlMs?: number }
  /**
   * Downloads: the default folder (Electron: the OS downloads folder; default `<dataDir>/downloads`),
   * the desktop's "show in folder" and folder picker (absent in the harness), and test seams.
   */
  downloads?: { dir?: string } & Partial<Pick<DownloadServiceOptions, 'showItemInFolder' | 'chooseFolder' | 'sink' | 'concurrency'>>
}

export interface Host {
  dispatch: Dispatch
  events: EventBus
  /** The vault itself, for the glue (lock on screen lock and suspend). */
  vault: VaultService
  /** What other services take to keep their secrets in the vault. */
  secrets: SecretStore
  /** Saved connections; providers register connection testers in `profiles.testers`. */
  profiles: ProfileFeature
  /** TLS trust for every outbound connection: providers, console relays and downloads take dispatchers/ws options here. */
  trust: TrustStore
  /** Live connections and their VMs. */
  inventory: InventoryService
  /** Guest OS credentials per VM (the guest files feature uses them too). */
  guestCredentials: GuestCredentialsService
  /** Console sessions through the relay. */
  consoles: ConsoleService
  /** Guest file downloads (the glue resolves drag-out and "show in folder" through it). */
  downloads: DownloadService
  dispose(): Promise<void>
}

function platformName(p: NodeJS.Platform): 'linux' | 'darwin' | 'win32' | 'other' {
  return p === 'linux' || p === 'darwin' || p === 'win32' ? p : 'other'
}

/** Builds the services and binds them to the contract. Every transport serves this same host. */
export function createHost(options: HostOptions): Host {
  const { log } = options
  const events = createEventBus(log)
  const settings = createSettingsService(options.settingsStore, log, (s) => events.emit('settings.changed', s))
  let lastCallAt = Date.now()
  const vault = createVault({
    dir: options.dataDir,
    log,
    protector: unavailableProtector('Quick unlock is not available in the browser harness.'),
    idleSeconds: () => (Date.now() - lastCallAt) / 1000,
    ...options.vault,
    onChange: (state, reason) => events.emit('vault.changed', reason === undefined ? { state } : { state, reason }),
  })
  const trust = createTrustStore(vault, log)
  // The demo lab's guests have published credentials: the dialog may say so for its VMs.
  let demoProfileId: string | undefined
  const guestCredentials = createGuestCredentials({
    store: vault,
    log,
    onSecret: (secret) => redactor.addSecret(secret),
    hint: (ref) => (ref.connectionId === demoProfileId ? DEMO_GUEST_HINT : undefined),
  })
  // Secrets the vault hands out are masked in every log line until it locks.
  const stopRedactingOnLock = vault.onLock(() => redactor.clearSecrets())
  const profiles = createProfileFeature({
    store: vault,
    log,
    onSecret: (secret) => {
      redactor.addSecret(secret)
    },
    onRemoved: async (id) => {
      await trust.removePins(id)
      await guestCredentials.forgetConnection(id)
    },
    onChange: (list) => events.emit('profiles.changed', list),
    ...options.profiles,
  })
  const stopTesting = registerConnectionTesters(profiles.testers, trust)
  const { demoVms, ...inventoryTuning } = options.inventory ?? {}
  const inventory = createInventoryService({
    profile: (id) => profiles.service.profile(id),
    createProvider: (profile) => createProvider(profile, trust),
    secrets: vault,
    log,
    onRows: (batch) => events.emit('inventory.rows', { ...batch, upsert: packRows(batch.upsert) }),
    onConnection: (state) => events.emit('inventory.connection', state),
    ...inventoryTuning,
  })
  const stopFollowingProfiles = events.subscribe((name, payload) => {
    if (name === 'profiles.changed') inventory.profilesChanged((payload as ProfileList).profiles)
  })
  const guestProcesses = createGuestProcesses({ providerFor: (ref) => inventory.providerFor(ref), credentials: guestCredentials, log })
  const guestFiles = createGuestFiles({ providerFor: (ref) => inventory.providerFor(ref), withCredentials: (ref, op) => guestCredentials.use(ref, op) })
  const { dir: downloadsDir, ...downloadSeams } = options.downloads ?? {}
  const downloads = createDownloadService({
    folder: createDownloadFolder({
      defaultDir: downloadsDir ?? path.join(options.dataDir, 'downloads'),
      settingsFile: path.join(options.dataDir, 'downloads.json'),
    }),
    target: (ref) => downloadTarget(ref, inventory.providerFor(ref), profiles.service.profile(ref.connectionId)),
    withCredentials: (ref, op) => guestCredentials.use(ref, op),
    dispatcherFor: (profileId, policy) => trust.dispatcherFor(profileId, policy),
    onChange: (d) => events.emit('downloads.changed', d),
    onProgress: (p) => events.emit('downloads.progress', p),
    log,
    ...downloadSeams,
  })
  // Nothing connects while the vault is locked: transfers under way stop too.
  const stopDownloadsOnLock = vault.onLock(() => void downloads.locked())
  // One relay for every console; upstreams get each profile's TLS trust through the service.
  const relay = new ConsoleRelay({
    log,
    allowedOrigins: () => ['app://porthole', ...(options.consoles?.origins?.() ?? [])],
    ...(options.consoles?.linkTtlMs !== undefined ? { ttlMs: options.consoles.linkTtlMs } : {}),
  })
  const consoles = createConsoleService({
    relay,
    profile: (id) => profiles.service.profile(id),
    providerFor: (ref) => inventory.providerFor(ref),
    trust,
    log,
    ...(options.consoles?.desktop ? { desktop: options.consoles.desktop } : {}),
    onState: (status) => events.emit('console.state', status),
  })
  const stopClosingConsolesOnLock = vault.onLock(() => consoles.closeAll('the vault was locked'))
  const demoLab = createDemoLab({
    dataDir: options.dataDir,
    profiles: profiles.service,
    trust,
    inventory,
    secrets: vault,
    log,
    ...(demoVms !== undefined ? { vms: demoVms } : {}),
  })

  const handlers: Handlers<Calls> = {
    'app.info': (_input, ctx) => ({
      name: 'Porthole',
      version: options.version,
      platform: platformName(options.platform),
      transport: ctx.transport,
    }),
    'settings.get': () => settings.get(),
    'settings.set': (patch) => settings.set(patch),
    ...vaultHandlers(vault),
    ...profiles.handlers,
    ...tlsHandlers(trust),
    ...inventoryHandlers(inventory),
    'lab.startDemo': async () => {
      const started = await demoLab.start()
      demoProfileId = started.profileId
      return started
    },
    ...guestHandlers(guestCredentials, guestProcesses),
    ...consoleHandlers(consoles),
    ...filesHandlers(guestFiles),
    ...downloadsHandlers(downloads),
  }

  const dispatch = serve(calls, handlers, log)
  return {
    dispatch: (name, payload, ctx) => {
      lastCallAt = Date.now()
      return dispatch(name, payload, ctx)
    },
    events,
    vault,
    secrets: vault,
    profiles,
    trust,
    inventory,
    guestCredentials,
    consoles,
    downloads,
    async dispose() {
      stopClosingConsolesOnLock()
      await consoles.dispose()
      stopDownloadsOnLock()
      await downloads.dispose()
      stopFollowingProfiles()
      stopTesting()
      await inventory.dispose()
      await demoLab.stop()
      profiles.dispose()
      guestCredentials.dispose()
      stopRedactingOnLock()
      await trust.dispose()
      await vault.dispose()
    },
  }
}
