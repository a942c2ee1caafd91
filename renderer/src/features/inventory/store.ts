// The inventory in the renderer: every VM of every connection in one Map (mutated in place,
// `version` tells readers it changed), each connection's state, the filter, sort and selection.
// Rows arrive as batched `inventory.rows` events; the table derives its view with memoization.
import { create } from 'zustand'
import { PortholeError } from '../../../../contract/errors'
import type { ConnectionState, PackedRows, PowerAction, ProviderKind, VmRef, VmRow } from '../../../../contract/inventory'
import { MAX_DETAIL_REFS, packedCount, unpackRowInto } from '../../../../contract/inventory'
import type { ProfileSummary } from '../../../../contract/profiles'
import { getApi, invoke } from '../../api'
import { notifyError, notifyLoadError } from '../../store/notify'
import { withTlsPrompt } from '../tls/with-tls-prompt'
import { openInventoryTab } from './open-tab'
import { applyRow, keyOf, refOf, takeSearchChanged, type VmItem } from './vm-item'
import { VmItems } from './vm-items'
import type { SortOrder } from './vm-view'

/** Profile kinds whose VMs the inventory lists; a VNC profile is a one-VM inventory of its own (its console). */
const LISTED_KINDS: ReadonlySet<string> = new Set<ProviderKind>(['vsphere', 'openstack', 'zstack', 'vnc'])
/** Power actions sent at once from one toolbar click (40 VMs down at 2 a.m. is a normal day). */
const POWER_CONCURRENCY = 4

export interface InventoryState {
  connections: ReadonlyMap<string, ConnectionState>
  /** Every VM, by key and in the order added; the collection and its items are mutated in place, so read them with `version` and `rev`. */
  items: VmItems
  /** Bumped when VMs were added or removed (the sorted view is made again). */
  version: number
  /** Bumped when VMs already shown changed, or the table took in new ones (rows re-render); not for VMs that only arrived. */
  rev: number
  /** Bumped when a VM's name, IP, guest OS or status changed (the filter runs again). */
  searchRev: number
  /** Bumped when VMs were removed (the sorted view cannot just take the new ones in). */
  removals: number
  /** VMs per connection. */
  counts: ReadonlyMap<string, number>
  query: string
  sort: SortOrder
  selected: ReadonlySet<string>
  /** Where Shift+click and Shift+arrows extend from. */
  anchor: string | null
  /** The row with the keyboard focus (aria-activedescendant). */
  focused: string | null
  /** A request to scroll a row into view: the table follows it when `seq` changes. */
  reveal: { key: string; seq: number } | null

  /** Follows the host's inventory events and the vault; connects every saved profile when unlocked. Idempotent. */
  start(): void
  /** Connects a profile; with `prompt`, a refused certificate is shown for trusting, then it connects again. */
  connect(connectionId: string, options?: { prompt?: boolean; show?: boolean }): Promise<void>
  refresh(connectionId?: string): Promise<void>
  setQuery(query: string): void
  setSort(sort: SortOrder): void
  /** Selection by click: alone, toggled (Ctrl) or a range from the anchor (Shift) over the given order. */
  select(key: string, how: 'only' | 'toggle' | 'range', order: readonly VmItem[]): void
  selectAll(order: readonly VmItem[]): void
  setFocused(key: string | null): void
  revealKey(key: string): void
  /** Asks for the lazily filled fields of these rows (the ones on screen). */
  requestDetails(keys: readonly string[]): void
  /** Sends a power action to each VM; rows show it pending until the server confirms. */
  power(keys: readonly string[], action: PowerAction): Promise<void>
}

let started = false
let revealSeq = 0
/** Connections the user closed on purpose: profile changes do not reconnect them. */
const closedByUser = new Set<string>()
/** Connections whose connect was marked for the bench, waiting for their "ready" mark. */
const awaitingReadyMark = new Set<string>()
/** Profiles seen since the vault unlocked: one that appears later was just added, and its connection may ask about its certificate. */
const knownProfiles = new Set<string>()
/** Settles `connect(..., {prompt})` callers when their connection leaves "connecting". */
const settleWaiters = new Map<string, ((state: ConnectionState) => void)[]>()

/**
 * While rows stream in, readers hear about them at most this often (the collection is current at
 * once): counts, and fields of the rows on screen, 120 ms + 1 ms per 200 VMs.
 */
const notifyMs = (vms: number): number => 120 + vms / 200
/**
 * Taking new VMs into the sorted table merges them into the whole view and lays the table out
 * again, work that grows with the VMs and takes the CPU the listing needs: while a listing
 * streams, the table takes them in at most once a second (the counts keep moving), except while
 * it holds less than a screenful, so the first rows show at once.
 */
const TABLE_MS = 1000
const SCREENFUL = 200

export const useInventory = create<InventoryState>()((set, get) => {
  // Changes waiting to be announced: row batches arrive every ~75 ms per connection while a
  // listing runs, and re-rendering (and re-merging the sorted view) for each is work the main
  // process would rather have for parsing the next page. The first batch shows at once.
  const liveCounts = new Map<string, number>()
  // `fields`: VMs already shown changed (the rows on screen draw again); a first listing only adds VMs.
  const waiting = { any: false, membership: false, removals: false, counts: false, fields: false }
  let lastNotice = 0
  /** When the table last took in new VMs, and how many VMs there were then. */
  let lastTable = 0
  let tableVms = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let timerAt = Infinity

  /** A notice at `at` (performance.now() time), unless one is due sooner. */
  const noticeAt = (at: number): void => {
    if (timer !== undefined && timerAt <= at) return
    if (timer !== undefined) clearTimeout(timer)
    timerAt = at
    timer = setTimeout(() => notifyNow(false), Math.max(0, at - performance.now()))
  }

  /** Announces the waiting changes in one store update; new VMs (not removals) may wait for the table's next turn unless `all`. */
  const notifyNow = (all = true): void => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    timerAt = Infinity
    if (!waiting.any) return
    const { version, rev, searchRev, removals, items } = get()
    const now = performance.now()
    const next: Partial<InventoryState> = {}
    const tableTurn = all || waiting.removals || tableVms < SCREENFUL || now - lastTable >= TABLE_MS
    if (waiting.membership && tableTurn) {
      next.version = version + 1
      waiting.membership = false
      waiting.fields = true
      lastTable = now
      tableVms = items.size
    }
    if (waiting.fields) next.rev = rev + 1
    if (waiting.removals) next.removals = removals + 1
    if (takeSearchChanged()) next.searchRev = searchRev + 1
    if (waiting.counts) next.counts = new Map(liveCounts)
    waiting.removals = waiting.counts = waiting.fields = false
    waiting.any = waiting.membership
    lastNotice = now
    set(next)
    if (waiting.membership) noticeAt(lastTable + TABLE_MS)
  }

  /**
   * Tells readers the items changed (`membership`: VMs came or went; `fields`: VMs known before
   * changed): at once, or with the next notice while rows stream.
   */
  const bump = (membership: boolean, throttled = false, fields = true): void => {
    waiting.any = true
    if (membership) waiting.membership = true
    if (fields) waiting.fields = true
    const at = lastNotice + notifyMs(get().items.size)
    if (!throttled) notifyNow()
    else if (at <= performance.now()) notifyNow(false)
    else noticeAt(at)
  }

  const removed = (): void => {
    waiting.any = true
    waiting.removals = true
    waiting.membership = true
  }

  const dropConnectionItems = (connectionId: string): void => {
    get().items.removeConnection(connectionId)
    removed()
  }

  const setCount = (connectionId: string, count: number | undefined): void => {
    if (count === undefined) liveCounts.delete(connectionId)
    else liveCounts.set(connectionId, count)
    waiting.any = true
    waiting.counts = true
  }

  const applyRows = (p: { connectionId: string; provider: ProviderKind; reset?: boolean | undefined; upsert: PackedRows; remove: string[] }): void => {
    const { items } = get()
    const before = liveCounts.get(p.connectionId) ?? 0
    let count = before
    let membership = p.remove.length > 0
    let updated = false
    if (p.reset) {
      dropConnectionItems(p.connectionId)
      count = 0
      membership = true
    }
    const prefix = `${p.connectionId}/`
    const connection = items.of(p.connectionId)
    // One row array for the whole batch, refilled per row: applyRow keeps its fields, never the array.
    const row: VmRow = ['-', '', 0, '', '', '', '', 0, '']
    for (let i = 0; i < packedCount(p.upsert); i++) {
      unpackRowInto(p.upsert, i, row)
      const existing = connection.get(row[0])
      if (existing) {
        applyRow(p.connectionId, p.provider, row, existing)
        updated = true
      } else {
        items.add(connection, applyRow(p.connectionId, p.provider, row, undefined, prefix + row[0]))
        count++
        membership = true
      }
    }
    for (const id of p.remove) if (items.remove(p.connectionId, id)) count--
    if (p.remove.length > 0) removed()
    if (count !== before) setCount(p.connectionId, count)
    bump(membership, true, updated)
  }

  const applyConnection = (state: ConnectionState & { removed?: boolean | undefined }): void => {
    const connections = new Map(get().connections)
    if (state.removed) {
      connections.delete(state.connectionId)
      dropConnectionItems(state.connectionId)
      setCount(state.connectionId, undefined)
      set({ connections })
      bump(true)
      return
    }
    const { removed: _removed, ...clean } = state
    connections.set(state.connectionId, clean)
    // Rows waiting for their notice go first: whoever sees "ready" sees every row.
    notifyNow()
    set({ connections })
    if (state.phase === 'ready' || state.phase === 'error') {
      if (!state.loading && awaitingReadyMark.delete(state.connectionId) && state.phase === 'ready') {
        // For the bench and the devtools' Performance panel: connect → every row in this store.
        performance.mark(`porthole:inventory:ready:${state.connectionId}`, { detail: { vms: liveCounts.get(state.connectionId) ?? 0 } })
      }
      const waiters = state.loading ? undefined : settleWaiters.get(state.connectionId)
      if (waiters) {
        settleWaiters.delete(state.connectionId)
        for (const w of waiters) w(clean)
      }
    }
  }

  const clearAll = (): void => {
    get().items.clear()
    liveCounts.clear()
    removed()
    closedByUser.clear()
    knownProfiles.clear()
    waiting.counts = true
    set({ connections: new Map(), selected: new Set(), anchor: null, focused: null })
    bump(true)
  }

  const connectProfiles = (profiles: readonly ProfileSummary[], added: boolean): void => {
    const known = get().connections
    for (const p of profiles) {
      const isNew = !knownProfiles.has(p.id)
      knownProfiles.add(p.id)
      if (!LISTED_KINDS.has(p.kind) || known.has(p.id) || closedByUser.has(p.id)) continue
      // A profile the user just added: show its certificate if it is not trusted yet, and its VMs once listed.
      if (added && isNew) void get().connect(p.id, { prompt: true, show: true })
      else void get().connect(p.id)
    }
  }

  const onUnlocked = async (): Promise<void> => {
    try {
      const { connections } = await invoke('inventory.sync', {})
      const map = new Map(get().connections)
      for (const c of connections) map.set(c.connectionId, c)
      set({ connections: map })
      const { profiles } = await invoke('profiles.list', {})
      connectProfiles(profiles, false)
    } catch (err) {
      if (!(err instanceof PortholeError && err.code === 'VAULT_LOCKED')) notifyLoadError(err, 'Could not read the inventory')
    }
  }

  /** Resolves with the connection's state once it is ready or failed. */
  const settled = (connectionId: string): Promise<ConnectionState> =>
    new Promise((resolve) => {
      const list = settleWaiters.get(connectionId) ?? []
      list.push(resolve)
      settleWaiters.set(connectionId, list)
    })

  const updateItems = (keys: Iterable<string>, change: (item: VmItem) => void): void => {
    const { items } = get()
    for (const key of keys) {
      const item = items.get(key)
      if (item) change(item)
    }
    bump(false)
  }
  const unavailable = (item: VmItem): void => {
    if (item.details === 'loading') item.details = 'unavailable'
  }

  return {
    connections: new Map(),
    items: new VmItems(),
    version: 0,
    rev: 0,
    searchRev: 0,
    removals: 0,
    counts: new Map(),
    query: '',
    sort: { column: 'name', descending: false },
    selected: new Set(),
    anchor: null,
    focused: null,
    reveal: null,

    start() {
      if (started) return
      started = true
      const api = getApi()
      api.on('inventory.rows', applyRows)
      api.on('inventory.connection', applyConnection)
      api.on('vault.changed', ({ state }) => {
        if (state === 'unlocked') void onUnlocked()
        else clearAll()
      })
      api.on('profiles.changed', ({ profiles }) => connectProfiles(profiles, true))
      void invoke('vault.status', {}).then(
        (status) => {
          if (status.state === 'unlocked') void onUnlocked()
        },
        () => undefined,
      )
    },

    async connect(connectionId, options = {}) {
      closedByUser.delete(connectionId)
      const attempt = async (): Promise<void> => {
        const outcome = settled(connectionId)
        performance.mark(`porthole:inventory:connect:${connectionId}`)
        awaitingReadyMark.add(connectionId)
        applyConnection(await invoke('inventory.connect', { connectionId }))
        const state = await outcome
        if (state.phase === 'error' && state.error) throw PortholeError.fromWire(state.error)
      }
      try {
        if (options.prompt) {
          await withTlsPrompt(connectionId, attempt, { profileName: get().connections.get(connectionId)?.name })
          if (options.show) openInventoryTab()
        } else {
          performance.mark(`porthole:inventory:connect:${connectionId}`)
          awaitingReadyMark.add(connectionId)
          applyConnection(await invoke('inventory.connect', { connectionId }))
        }
      } catch (err) {
        // The connection's own row shows its error; only failures of the call itself (and not a declined prompt) are toasts.
        if (err instanceof PortholeError && (err.code === 'CANCELLED' || get().connections.get(connectionId)?.phase === 'error')) return
        notifyError(err, 'Could not connect')
      }
    },

    async refresh(connectionId) {
      try {
        const { connections } = await invoke('inventory.refresh', connectionId === undefined ? {} : { connectionId })
        for (const c of connections) applyConnection(c)
      } catch (err) {
        notifyError(err, 'Could not refresh')
      }
    },

    setQuery: (query) => set({ query }),
    setSort: (sort) => set({ sort }),

    select(key, how, order) {
      const { selected, anchor } = get()
      if (how === 'only') return set({ selected: new Set([key]), anchor: key, focused: key })
      if (how === 'toggle') {
        const next = new Set(selected)
        if (next.has(key)) next.delete(key)
        else next.add(key)
        return set({ selected: next, anchor: key, focused: key })
      }
      const from = anchor === null ? -1 : order.findIndex((i) => i.key === anchor)
      const to = order.findIndex((i) => i.key === key)
      if (from < 0 || to < 0) return set({ selected: new Set([key]), anchor: key, focused: key })
      const [a, b] = from < to ? [from, to] : [to, from]
      set({ selected: new Set(order.slice(a, b + 1).map((i) => i.key)), focused: key })
    },

    selectAll(order) {
      set({ selected: new Set(order.map((i) => i.key)) })
    },

    setFocused: (key) => set({ focused: key }),

    revealKey(key) {
      set({ reveal: { key, seq: ++revealSeq }, focused: key })
    },

    requestDetails(keys) {
      const { items, connections } = get()
      // Only rows of a connection that is up and done listing: while it lists, the listing comes first
      // (and the rows on screen still move); while it is down, nobody could answer.
      const wanted = keys.filter((k) => {
        const item = items.get(k)
        const connection = item && connections.get(item.connectionId)
        return item?.details === 'none' && connection?.phase === 'ready' && !connection.loading
      })
      if (wanted.length === 0) return
      updateItems(wanted, (item) => {
        item.details = 'loading'
      })
      for (let i = 0; i < wanted.length; i += MAX_DETAIL_REFS) {
        const chunk = wanted.slice(i, i + MAX_DETAIL_REFS)
        const refs: VmRef[] = chunk.flatMap((k) => {
          const item = get().items.get(k)
          return item ? [refOf(item)] : []
        })
        if (refs.length === 0) continue
        invoke('inventory.details', { refs }).then(
          ({ rows }) => {
            const { items: now } = get()
            for (const { connectionId, row } of rows) {
              const existing = now.find(connectionId, row[0])
              if (existing) {
                // The answer is what the server knows now: no longer "loading", whatever it says,
                // and a row still without details is not asked about again (until it changes).
                existing.details = 'none'
                applyRow(connectionId, existing.provider, row, existing)
                if (existing.details === 'none') existing.details = 'unavailable'
              }
            }
            // Anything still "loading" got no answer (it left the inventory): say so instead of spinning.
            updateItems(chunk, unavailable)
          },
          () => updateItems(chunk, unavailable),
        )
      }
    },

    async power(keys, action) {
      const queue = [...keys]
      updateItems(queue, (item) => {
        item.pending = action
      })
      const failures: string[] = []
      const worker = async (): Promise<void> => {
        for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
          const item = get().items.get(key)
          if (!item) continue
          try {
            const { connectionId, row } = await invoke('inventory.power', { ref: refOf(item), action })
            updateItems([key], (current) => {
              applyRow(connectionId, current.provider, row, current)
              current.pending = undefined
            })
          } catch (err) {
            updateItems([key], (current) => {
              current.pending = undefined
            })
            failures.push(item.name)
            notifyError(err, `${item.name}`)
          }
        }
      }
      await Promise.all(Array.from({ length: Math.min(POWER_CONCURRENCY, keys.length) }, worker))
    },
  }
})

/** The VM of a ref, if the inventory has it. */
export function vmByRef(ref: VmRef): VmItem | undefined {
  return useInventory.getState().items.get(keyOf(ref))
}
