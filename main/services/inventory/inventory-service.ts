// The inventory (DESIGN.md "Providers"): one live connection per saved profile, each with its
// own state, its rows merged page by page as the provider lists them, lazily filled details and
// power actions. A failing connection keeps its rows (marked stale) and never touches the others.
import { PortholeError, type WireError } from '../../../contract/errors'
import type { ConnectionState, PowerAction, PowerState, Vm, VmRef, VmRow } from '../../../contract/inventory'
import type { ProfileSummary } from '../../../contract/profiles'
import type { Log } from '../log/log'
import type { StoredProfile } from '../profiles/profile-records'
import type { VmPage } from '../providers/provider'
import type { InventoryProvider, VmStatus } from '../providers/registry'
import type { SecretStore } from '../vault/secret-store'
import { Limiter } from './limiter'
import { RowBatcher, sendChunked, type RowBatch } from './row-batcher'
import { powerOf, R, rowOf, sameRow, withDetails, withListedDetails, withPower } from './rows'

export interface InventoryServiceOptions {
  /** A saved profile with its secret (throws NOT_FOUND, VAULT_LOCKED). */
  profile(id: string): StoredProfile
  /** Builds the provider of a profile (providers/registry.ts `createProvider` with the trust store). */
  createProvider(profile: StoredProfile): InventoryProvider
  secrets: Pick<SecretStore, 'isUnlocked' | 'onLock'>
  log: Log
  onRows(batch: RowBatch): void
  onConnection(state: ConnectionState & { removed?: boolean }): void
  /** Batch window of row events; default 75 ms. */
  batchMs?: number
  /** Detail lookups running at once per connection; default 6. */
  detailConcurrency?: number
  /** How long a guest shutdown is watched for the VM to go off; default 120 s. */
  shutdownWatchMs?: number
  now?: () => Date
}

export interface InventoryService {
  /** Connects (or reconnects) a profile and starts listing; resolves with the state at once. */
  connect(connectionId: string): ConnectionState
  /** Lists again and merges (one connection, or all); resolves with the states at once. */
  refresh(connectionId?: string): ConnectionState[]
  /** Resolves when the listing under way (if any) of a connection has ended, whatever its outcome. */
  settled(connectionId: string): Promise<void>
  disconnect(connectionId: string): Promise<void>
  /** Every connection's state; also sends every row again (flushed, in chunks, `reset` first). */
  sync(): ConnectionState[]
  states(): ConnectionState[]
  /** The rows known for a connection (tests, bench). */
  rows(connectionId: string): ReadonlyMap<string, VmRow>
  /** Guest OS and IP of the given VMs, from the cache or fetched a few at a time. */
  details(refs: VmRef[], signal: AbortSignal): Promise<{ connectionId: string; row: VmRow }[]>
  /** A power action; resolves with the VM's row as the server confirms it. */
  power(ref: VmRef, action: PowerAction, signal: AbortSignal): Promise<{ connectionId: string; row: VmRow }>
  /** Follows profile edits: deleted profiles are disconnected, changed ones reconnected. */
  profilesChanged(profiles: readonly ProfileSummary[]): void
  /**
   * The live provider of a VM's connection, for services that act on one VM (guest operations):
   * VAULT_LOCKED when locked, NOT_FOUND for an unknown connection or VM, PROVIDER_UNAVAILABLE while not connected.
   */
  providerFor(ref: VmRef): InventoryProvider
  dispose(): Promise<void>
}

interface Connection {
  id: string
  state: ConnectionState
  rows: Map<string, VmRow>
  provider: InventoryProvider | undefined
  profileUpdatedAt: string
  listing: AbortController | undefined
  done: Promise<void>
  limiter: Limiter
  /** Detail lookups under way, so rows asked for twice are fetched once. */
  fetching: Map<string, Promise<VmRow | undefined>>
}

const EXPECTED: Record<Exclude<PowerAction, 'shutdown'>, PowerState> = { on: 'on', off: 'off', reset: 'on', suspend: 'suspended' }

function toWire(err: unknown): WireError {
  if (err instanceof PortholeError) return err.toWire()
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err), retryable: false }
}

/** The inventory service; the host binds it to inventory.* calls and events. */
export function createInventoryService(options: InventoryServiceOptions): InventoryService {
  const { log } = options
  const now = options.now ?? (() => new Date())
  const connections = new Map<string, Connection>()
  const batcher = new RowBatcher(options.onRows, options.batchMs ?? 75)
  const lifetime = new AbortController()

  const publish = (conn: Connection, patch: Partial<ConnectionState>): void => {
    const next: ConnectionState = { ...conn.state, ...patch, vmCount: conn.rows.size }
    for (const key of Object.keys(patch) as (keyof ConnectionState)[]) if (patch[key] === undefined) delete next[key]
    conn.state = next
    // Rows first: a renderer that sees "ready" already has every row.
    batcher.flush(conn.id)
    options.onConnection(next)
  }

  const setRow = (conn: Connection, row: VmRow): void => {
    conn.rows.set(row[R.id], row)
    batcher.upsert(conn.id, conn.state.provider, row)
  }

  // The two loops over a listing's pages are functions of their own, not loops inside `list`'s
  // async function: V8 optimizes a function called once a page, but not a loop in an async
  // function resumed once a page (several times slower over 50,000 VMs).

  /** A page of a first listing: nothing to merge with, so rows go straight out. */
  const appendFirst = (conn: Connection, page: VmPage): void => {
    const fresh: VmRow[] = []
    for (const row of page.rows ?? page.vms.map((vm) => rowOf(vm))) {
      // The provider lists each VM once; a repeat (a server's quirk) is merged like a
      // refresh. One Map operation a VM: a repeat leaves the size as it was.
      const known = conn.rows.size
      conn.rows.set(row[R.id], row)
      if (conn.rows.size === known) batcher.upsert(conn.id, conn.state.provider, row)
      else fresh.push(row)
    }
    batcher.append(conn.id, conn.state.provider, fresh)
  }

  /** A page of a refresh: each VM's row merged with the one known (details carried), sent only when it changed. */
  const mergeListed = (conn: Connection, page: VmPage, seen: Set<string>): void => {
    const listed = page.rows
    const n = (listed ?? page.vms).length
    for (let i = 0; i < n; i++) {
      const id = listed ? (listed[i] as VmRow)[R.id] : (page.vms[i] as Vm).ref.id
      seen.add(id)
      const previous = conn.rows.get(id)
      const row = listed ? withListedDetails(listed[i] as VmRow, previous) : rowOf(page.vms[i] as Vm, previous)
      if (!previous || !sameRow(previous, row)) setRow(conn, row)
    }
  }

  const stopListing = (conn: Connection): void => {
    conn.listing?.abort()
    conn.listing = undefined
  }

  const closeProvider = (provider: InventoryProvider | undefined): void => {
    if (!provider) return
    // Best effort and bounded: a dead server must not hold up a lock or a quit.
    provider.logout(AbortSignal.timeout(3000)).catch(() => undefined)
  }

  /** Lists the connection once, merging into its rows; the previous listing (if any) is cancelled. */
  const list = (conn: Connection): void => {
    stopListing(conn)
    const controller = new AbortController()
    conn.listing = controller
    const signal = AbortSignal.any([controller.signal, lifetime.signal])
    const first = conn.state.phase !== 'ready'
    publish(conn, { phase: first ? 'connecting' : 'ready', loading: true })
    conn.done = (async () => {
      try {
        if (!conn.provider) {
          const profile = options.profile(conn.id)
          conn.profileUpdatedAt = profile.updatedAt
          conn.provider = options.createProvider(profile)
          await conn.provider.login(signal)
        }
        // A first listing has nothing to merge with: rows go straight out, without the bookkeeping a refresh needs.
        const merging = conn.rows.size > 0
        const seen = new Set<string>()
        for await (const page of conn.provider.listVms(signal)) {
          // A page that arrived as the listing was cancelled (refresh, lock) belongs to nobody.
          if (signal.aborted) return
          if (merging) mergeListed(conn, page, seen)
          else appendFirst(conn, page)
        }
        if (signal.aborted) return
        if (merging) {
          for (const id of conn.rows.keys()) {
            if (seen.has(id)) continue
            conn.rows.delete(id)
            batcher.remove(conn.id, conn.state.provider, id)
          }
        }
        publish(conn, { phase: 'ready', loading: false, error: undefined, staleSince: undefined, loadedAt: now().toISOString() })
      } catch (err) {
        if (signal.aborted || conn.listing !== controller) return
        const error = toWire(err)
        if (error.code === 'INTERNAL') log.error('inventory: listing failed', { connectionId: conn.id, error: error.message })
        else log.warn('inventory: listing failed', { connectionId: conn.id, code: error.code })
        // The session may be what broke (an expired login, a certificate just trusted): start afresh next time.
        closeProvider(conn.provider)
        conn.provider = undefined
        publish(conn, {
          phase: 'error',
          loading: false,
          error,
          staleSince: conn.rows.size > 0 ? (conn.state.staleSince ?? now().toISOString()) : undefined,
        })
      } finally {
        if (conn.listing === controller) conn.listing = undefined
      }
    })()
  }

  const drop = (conn: Connection): void => {
    stopListing(conn)
    closeProvider(conn.provider)
    conn.provider = undefined
    connections.delete(conn.id)
    batcher.drop(conn.id)
    options.onConnection({ ...conn.state, phase: 'idle', loading: false, vmCount: 0, removed: true })
  }

  const dropAll = (): void => {
    for (const conn of [...connections.values()]) drop(conn)
  }

  const unsubscribe = options.secrets.onLock(() => {
    if (connections.size > 0) log.info('inventory: vault locked, connections dropped', { count: connections.size })
    dropAll()
  })

  const ensureUnlocked = (): void => {
    if (!options.secrets.isUnlocked()) throw new PortholeError('VAULT_LOCKED', 'The vault is locked: unlock it to connect.')
  }

  const connection = (id: string): Connection => {
    const conn = connections.get(id)
    if (!conn) throw new PortholeError('NOT_FOUND', 'That connection is not open.', { detail: { connectionId: id } })
    return conn
  }

  const connectedProvider = (conn: Connection): InventoryProvider => {
    if (!conn.provider) {
      throw new PortholeError('PROVIDER_UNAVAILABLE', `"${conn.state.name}" is not connected${conn.state.error ? `: ${conn.state.error.message}` : ''}.`)
    }
    return conn.provider
  }

  const fetchDetails = (conn: Connection, id: string, signal: AbortSignal): Promise<VmRow | undefined> => {
    const known = conn.rows.get(id)
    if (!known) return Promise.resolve(undefined)
    if (known[R.details] !== 0) return Promise.resolve(known)
    const provider = conn.provider
    if (!provider?.vmDetails) return Promise.resolve(known)
    const pending = conn.fetching.get(id)
    if (pending) return pending
    const vmDetails = provider.vmDetails.bind(provider)
    const job = conn.limiter
      .run(async () => {
        // Rows on screen change as the user scrolls: a lookup nobody waits for any more is skipped.
        if (signal.aborted) return undefined
        try {
          return await vmDetails(id, AbortSignal.any([signal, lifetime.signal]))
        } catch (err) {
          if (signal.aborted || lifetime.signal.aborted) return undefined
          if (!(err instanceof PortholeError && err.code === 'NOT_FOUND')) {
            log.warn('inventory: details failed', { connectionId: conn.id, vm: id, code: err instanceof PortholeError ? err.code : 'INTERNAL' })
          }
          return null
        }
      })
      .then((details) => {
        const current = conn.rows.get(id)
        if (!current || details === undefined || connections.get(conn.id) !== conn) return current
        const row = withDetails(current, details ?? undefined)
        setRow(conn, row)
        return row
      })
      .finally(() => conn.fetching.delete(id))
    conn.fetching.set(id, job)
    return job
  }

  /** Puts a VM's power and status, as read from its provider, into its row (if it changed). */
  const applyStatus = (conn: Connection, id: string, state: VmStatus): VmRow | undefined => {
    const row = conn.rows.get(id)
    if (!row || connections.get(conn.id) !== conn) return row
    const next = withPower(row, state.power, state.status)
    if (next !== row) setRow(conn, next)
    return next
  }

  /**
   * Reads one VM's power and provider status once any change under way has ended, updating its
   * row with what is read on the way (Nova: 'ACTIVE · powering-off' before 'SHUTOFF'). Undefined
   * when the provider has no such read or it failed.
   */
  const readStatus = async (conn: Connection, provider: InventoryProvider, id: string, signal: AbortSignal): Promise<VmStatus | undefined> => {
    if (provider.vmStatus) return provider.vmStatus(id, signal, (state) => applyStatus(conn, id, state)).catch(() => undefined)
    if (provider.vmPower) {
      const power = await provider.vmPower(id, signal).catch(() => undefined)
      return power === undefined ? undefined : { power }
    }
    return undefined
  }

  /** Watches a guest shutdown until the VM is off (or the watch gives up), updating its row. */
  const watchShutdown = (conn: Connection, id: string): void => {
    const provider = conn.provider
    if (!provider?.vmPower && !provider?.vmStatus) return
    const deadline = Date.now() + (options.shutdownWatchMs ?? 120_000)
    const signal = lifetime.signal
    void (async () => {
      for (let delay = 250; Date.now() < deadline && !signal.aborted; delay = Math.min(delay * 2, 5000)) {
        await new Promise((resolve) => setTimeout(resolve, delay))
        if (connections.get(conn.id) !== conn || conn.provider !== provider) return
        const state = await readStatus(conn, provider, id, signal)
        if (!state) continue
        applyStatus(conn, id, state)
        if (state.power !== 'on') return
      }
    })()
  }

  return {
    connect(connectionId) {
      ensureUnlocked()
      const profile = options.profile(connectionId)
      let conn = connections.get(connectionId)
      if (!conn) {
        conn = {
          id: connectionId,
          state: { connectionId, name: profile.fields.name, provider: profile.fields.kind, phase: 'idle', loading: false, vmCount: 0 },
          rows: new Map(),
          provider: undefined,
          profileUpdatedAt: profile.updatedAt,
          listing: undefined,
          done: Promise.resolve(),
          limiter: new Limiter(options.detailConcurrency ?? 6),
          fetching: new Map(),
        }
        connections.set(connectionId, conn)
      } else {
        // Reconnect: a fresh session with the profile as saved now.
        stopListing(conn)
        closeProvider(conn.provider)
        conn.provider = undefined
        conn.state = { ...conn.state, name: profile.fields.name }
      }
      list(conn)
      return conn.state
    },

    refresh(connectionId) {
      ensureUnlocked()
      const targets = connectionId === undefined ? [...connections.values()] : [connection(connectionId)]
      for (const conn of targets) list(conn)
      return targets.map((c) => c.state)
    },

    async settled(connectionId) {
      const conn = connections.get(connectionId)
      if (!conn) return
      let done: Promise<void>
      do {
        done = conn.done
        await done
      } while (conn.done !== done)
    },

    async disconnect(connectionId) {
      const conn = connections.get(connectionId)
      if (conn) drop(conn)
    },

    sync() {
      batcher.flush()
      for (const conn of connections.values()) {
        sendChunked(options.onRows, { connectionId: conn.id, provider: conn.state.provider, reset: true, upsert: [...conn.rows.values()], remove: [] })
      }
      return [...connections.values()].map((c) => c.state)
    },

    states: () => [...connections.values()].map((c) => c.state),

    rows: (connectionId) => connections.get(connectionId)?.rows ?? new Map(),

    async details(refs, signal) {
      ensureUnlocked()
      const jobs = refs.map(async (ref) => {
        const conn = connections.get(ref.connectionId)
        if (!conn) return undefined
        const row = await fetchDetails(conn, ref.id, signal)
        return row ? { connectionId: conn.id, row } : undefined
      })
      const rows = await Promise.all(jobs)
      batcher.flush()
      return rows.filter((r): r is { connectionId: string; row: VmRow } => r !== undefined)
    },

    async power(ref, action, signal) {
      ensureUnlocked()
      const conn = connection(ref.connectionId)
      const provider = connectedProvider(conn)
      if (!conn.rows.has(ref.id)) throw new PortholeError('NOT_FOUND', 'There is no such VM on this connection.', { detail: { id: ref.id } })
      await provider.power(ref.id, action, signal)
      // The state the provider confirms, with its own status; else the state the action leads to
      // (the row's old status then goes: it described the state left).
      let state: VmStatus | undefined
      if (action === 'shutdown') watchShutdown(conn, ref.id)
      else state = (await readStatus(conn, provider, ref.id, signal)) ?? { power: EXPECTED[action] }
      const row = conn.rows.get(ref.id)
      if (!row) throw new PortholeError('NOT_FOUND', 'The VM disappeared from the inventory.', { detail: { id: ref.id } })
      const next = state === undefined ? row : (applyStatus(conn, ref.id, state) ?? row)
      batcher.flush(conn.id)
      log.info('inventory: power action', { connectionId: conn.id, vm: ref.id, action, power: powerOf(next) })
      return { connectionId: conn.id, row: next }
    },

    providerFor(ref) {
      ensureUnlocked()
      const conn = connection(ref.connectionId)
      const provider = connectedProvider(conn)
      if (!conn.rows.has(ref.id)) throw new PortholeError('NOT_FOUND', 'There is no such VM on this connection.', { detail: { id: ref.id } })
      return provider
    },

    profilesChanged(profiles) {
      const byId = new Map(profiles.map((p) => [p.id, p]))
      for (const conn of [...connections.values()]) {
        const profile = byId.get(conn.id)
        if (!profile) drop(conn)
        else if (profile.updatedAt !== conn.profileUpdatedAt) {
          conn.profileUpdatedAt = profile.updatedAt
          stopListing(conn)
          closeProvider(conn.provider)
          conn.provider = undefined
          conn.state = { ...conn.state, name: profile.name, phase: 'idle' }
          list(conn)
        }
      }
    },

    async dispose() {
      unsubscribe()
      dropAll()
      lifetime.abort()
      batcher.dispose()
    },
  }
}
