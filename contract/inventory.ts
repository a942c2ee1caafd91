// The inventory: every VM of every connected profile, normalized (DESIGN.md "Providers"), the
// state of each connection, and the calls that act on VMs. Rows cross the wire as compact
// tuples in batches: 50,000 VMs must stay cheap in main, on the wire and in the renderer.
import { z } from 'zod'
import { call, event } from './define'
import { WireError } from './errors'

/** Which kind of connection a VM came from. */
export const ProviderKind = z.enum(['vsphere', 'openstack', 'zstack', 'vnc'])
export type ProviderKind = z.infer<typeof ProviderKind>

/** Power as the UI shows it; each provider's own state is `Vm.status` (and its fields in `Vm.raw`). */
export const PowerState = z.enum(['on', 'off', 'suspended', 'unknown'])
export type PowerState = z.infer<typeof PowerState>

/** Names one VM: the saved connection it belongs to and the provider's own opaque id ('vm-42', a Nova UUID, …). */
export const VmRef = z.strictObject({
  connectionId: z.string().min(1).max(200),
  id: z.string().min(1).max(500),
})
export type VmRef = z.infer<typeof VmRef>

/**
 * One VM, normalized across providers. Fields a provider's list call does not give
 * (vCenter: guest OS, IP) are absent until they are filled in lazily.
 */
export const Vm = z.strictObject({
  ref: VmRef,
  name: z.string(),
  power: PowerState,
  guestOs: z.string().optional(),
  ip: z.string().optional(),
  host: z.string().optional(),
  /** Folder, project or zone the VM is listed under. */
  group: z.string().optional(),
  provider: ProviderKind,
  /**
   * The provider's own state as a short display string: Nova's status with its task state
   * ('ACTIVE', 'ACTIVE · powering-off', 'ERROR'), vCenter's power state ('POWERED_OFF'), ZStack's
   * state ('Running', 'Starting'). Absent when the provider has none (a plain VNC host).
   */
  status: z.string().max(1000).optional(),
  /** The provider's own status fields as display strings (e.g. power_state: POWERED_ON); never secrets. */
  raw: z.record(z.string(), z.string()),
})
export type Vm = z.infer<typeof Vm>

/** Power in a row: one character instead of a word, 50,000 times. */
export const POWER_CODES = { on: 1, off: 0, suspended: 2, unknown: 3 } as const satisfies Record<PowerState, number>
export const POWER_BY_CODE: readonly PowerState[] = ['off', 'on', 'suspended', 'unknown']

/**
 * Whether a row's lazily filled fields (guest OS, IP, and host where the list lacks it) are known:
 * 0 not fetched yet, 1 filled, 2 the provider could not tell (Tools not running, an error).
 */
export const DetailState = z.union([z.literal(0), z.literal(1), z.literal(2)])
export type DetailState = z.infer<typeof DetailState>

const Text = z.string().max(1000)

/**
 * A VM as it crosses the wire: `[id, name, power, host, group, guestOs, ip, details, status]`,
 * with '' for unknown text, `power` a POWER_CODES value and `status` the provider's own state
 * (Vm.status). About 75 bytes of JSON a VM.
 */
export const VmRowTuple = z.tuple([
  z.string().min(1).max(500),
  Text,
  z.number().int().min(0).max(3),
  Text,
  Text,
  Text,
  Text,
  DetailState,
  Text,
])
export type VmRow = z.infer<typeof VmRowTuple>

const short = (v: unknown, max: number): boolean => typeof v === 'string' && v.length <= max

/**
 * The same check as VmRowTuple, by hand: the event bus parses every batch, and zod's tuple
 * costs about 2 µs a row (0.1–0.2 s for 50,000 VMs) where this costs a few dozen ns. The row
 * is passed on as is: it must be exactly nine fields of the right types, nothing more.
 */
export function isVmRow(v: unknown): v is VmRow {
  return (
    Array.isArray(v) &&
    v.length === 9 &&
    short(v[0], 500) &&
    (v[0] as string).length > 0 &&
    short(v[1], 1000) &&
    (v[2] === 0 || v[2] === 1 || v[2] === 2 || v[2] === 3) &&
    short(v[3], 1000) &&
    short(v[4], 1000) &&
    short(v[5], 1000) &&
    short(v[6], 1000) &&
    (v[7] === 0 || v[7] === 1 || v[7] === 2) &&
    short(v[8], 1000)
  )
}

export const VmRow = z.custom<VmRow>(isVmRow, 'Not a VM row: [id, name, power 0–3, host, group, guestOs, ip, details 0–2, status].')

/**
 * Rows as an `inventory.rows` event carries them: by column, one array per field, so a batch of
 * 5,000 VMs is a dozen arrays to write and parse rather than 5,000 small ones. Host, group,
 * guest OS and status repeat over thousands of VMs, so each distinct text goes once into
 * `strings` and their columns hold its index: a third of the bytes of plain rows, and one string
 * object per distinct text in the renderer.
 */
export interface PackedRows {
  strings: string[]
  ids: string[]
  names: string[]
  /** POWER_CODES values. */
  power: number[]
  host: number[]
  group: number[]
  guestOs: number[]
  ip: string[]
  details: DetailState[]
  status: number[]
}

/** The columns of PackedRows, in VmRow order; the ones holding an index into `strings` are marked. */
const COLUMNS = [
  ['ids', 'id'],
  ['names', 'text'],
  ['power', 'power'],
  ['host', 'index'],
  ['group', 'index'],
  ['guestOs', 'index'],
  ['ip', 'text'],
  ['details', 'details'],
  ['status', 'index'],
] as const satisfies readonly (readonly [Exclude<keyof PackedRows, 'strings'>, string])[]

/** Packs rows for the wire (see PackedRows). */
export function packRows(rows: readonly VmRow[]): PackedRows {
  const strings: string[] = []
  const index = new Map<string, number>()
  const ix = (text: string): number => {
    let i = index.get(text)
    if (i === undefined) {
      i = strings.push(text) - 1
      index.set(text, i)
    }
    return i
  }
  const n = rows.length
  const p: PackedRows = {
    strings,
    ids: new Array<string>(n),
    names: new Array<string>(n),
    power: new Array<number>(n),
    host: new Array<number>(n),
    group: new Array<number>(n),
    guestOs: new Array<number>(n),
    ip: new Array<string>(n),
    details: new Array<DetailState>(n),
    status: new Array<number>(n),
  }
  for (let i = 0; i < n; i++) {
    const r = rows[i] as VmRow
    p.ids[i] = r[0]
    p.names[i] = r[1]
    p.power[i] = r[2]
    p.host[i] = ix(r[3])
    p.group[i] = ix(r[4])
    p.guestOs[i] = ix(r[5])
    p.ip[i] = r[6]
    p.details[i] = r[7]
    p.status[i] = ix(r[8])
  }
  return p
}

/** How many rows a packed batch holds. */
export const packedCount = (p: PackedRows): number => p.ids.length

/** Row `i` of a packed batch written into `row` (one array refilled for a whole batch, where a reader keeps the fields and not the array). */
export function unpackRowInto(p: PackedRows, i: number, row: VmRow): VmRow {
  const s = p.strings
  row[0] = p.ids[i] as string
  row[1] = p.names[i] as string
  row[2] = p.power[i] as number
  row[3] = s[p.host[i] as number] as string
  row[4] = s[p.group[i] as number] as string
  row[5] = s[p.guestOs[i] as number] as string
  row[6] = p.ip[i] as string
  row[7] = p.details[i] as DetailState
  row[8] = s[p.status[i] as number] as string
  return row
}

/** Row `i` of a packed batch as a plain row. */
export function unpackRow(p: PackedRows, i: number): VmRow {
  return unpackRowInto(p, i, ['-', '', 0, '', '', '', '', 0, ''])
}

/** Every row of a packed batch as plain rows. */
export function unpackRows(p: PackedRows): VmRow[] {
  return p.ids.map((_, i) => unpackRow(p, i))
}

const isIndex = (v: unknown, size: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < size

/** Whether a value is right for a column of this kind (isVmRow's rules, field by field). */
function holds(kind: (typeof COLUMNS)[number][1], v: unknown, strings: number): boolean {
  switch (kind) {
    case 'id':
      return short(v, 500) && (v as string).length > 0
    case 'text':
      return short(v, 1000)
    case 'power':
      return v === 0 || v === 1 || v === 2 || v === 3
    case 'details':
      return v === 0 || v === 1 || v === 2
    case 'index':
      return isIndex(v, strings)
  }
}

function columnHolds(kind: (typeof COLUMNS)[number][1], column: unknown[], strings: number): boolean {
  // A loop, not every(): this runs over each column of every batch of 50,000 VMs.
  for (let i = 0; i < column.length; i++) if (!holds(kind, column[i], strings)) return false
  return true
}

/** isVmRow's rules for a packed batch: columns of one length, every index naming one of its strings, nothing more. */
export function isPackedRows(v: unknown): v is PackedRows {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false
  const record = v as Record<string, unknown>
  if (Object.keys(record).length !== COLUMNS.length + 1) return false
  const { strings } = record
  if (!Array.isArray(strings) || !strings.every((t) => short(t, 1000))) return false
  const ids = record.ids
  if (!Array.isArray(ids)) return false
  return COLUMNS.every(([name, kind]) => {
    const column = record[name]
    return Array.isArray(column) && column.length === ids.length && columnHolds(kind, column, strings.length)
  })
}

export const PackedVmRows = z.custom<PackedRows>(
  isPackedRows,
  'Not packed VM rows: {strings, ids, names, power 0–3, host#, group#, guestOs#, ip, details 0–2, status#}, columns of one length.',
)

/** Where a connection is: idle (not connected), connecting (logging in, first listing), ready, error. */
export const ConnectionPhase = z.enum(['idle', 'connecting', 'ready', 'error'])
export type ConnectionPhase = z.infer<typeof ConnectionPhase>

/** One saved connection's live state. A failing connection keeps its last rows, marked stale. */
export const ConnectionState = z.strictObject({
  connectionId: z.string().min(1).max(200),
  /** The profile's name, for display. */
  name: z.string(),
  provider: ProviderKind,
  phase: ConnectionPhase,
  /** True while a listing runs (first load or refresh). */
  loading: z.boolean(),
  /** VMs known now. */
  vmCount: z.number().int().nonnegative(),
  /** What went wrong (TLS_UNTRUSTED carries the certificate in `detail`, for the trust prompt). */
  error: WireError.optional(),
  /** ISO 8601: when the rows stopped being current (the refresh that failed). */
  staleSince: z.string().optional(),
  /** ISO 8601: when the last complete listing finished. */
  loadedAt: z.string().optional(),
})
export type ConnectionState = z.infer<typeof ConnectionState>

/** What the user may ask a VM to do. 'shutdown' asks the guest (needs its tools). */
export const PowerAction = z.enum(['on', 'off', 'reset', 'suspend', 'shutdown'])
export type PowerAction = z.infer<typeof PowerAction>

/** Most refs one `inventory.details` call takes: the rows on screen, not the inventory. */
export const MAX_DETAIL_REFS = 200

const ByConnection = z.strictObject({ connectionId: z.string().min(1).max(200) })

export const inventoryCalls = {
  'inventory.sync': call(
    'Every connection\'s state, and (as inventory.rows events, sent before this reply) every known VM: for a renderer that (re)loads.',
    z.strictObject({}),
    z.strictObject({ connections: z.array(ConnectionState) }),
  ),
  'inventory.connect': call(
    'Connect a saved profile (or reconnect it) and stream its VMs; returns at once, progress comes as events. VAULT_LOCKED when locked.',
    ByConnection,
    ConnectionState,
  ),
  'inventory.refresh': call(
    'List a connection (every connection when no id is given) again and merge: added, changed and removed VMs arrive as events.',
    z.strictObject({ connectionId: z.string().min(1).max(200).optional() }),
    z.strictObject({ connections: z.array(ConnectionState) }),
  ),
  'inventory.disconnect': call('Close a connection and drop its VMs.', ByConnection, z.strictObject({ ok: z.literal(true) })),
  'inventory.details': call(
    'Guest OS, IP and host of the given VMs (the rows on screen): cached, fetched a few at a time. Rows of failed lookups have details state 2.',
    z.strictObject({ refs: z.array(VmRef).min(1).max(MAX_DETAIL_REFS) }),
    z.strictObject({ rows: z.array(z.strictObject({ connectionId: z.string(), row: VmRow })) }),
  ),
  'inventory.power': call(
    'Power action on one VM; resolves with its row once the server confirmed the new state (guest shutdown: once it was accepted).',
    z.strictObject({ ref: VmRef, action: PowerAction }),
    z.strictObject({ connectionId: z.string(), row: VmRow }),
  ),
}

export const inventoryEvents = {
  'inventory.rows': event(
    'VMs added or changed (`upsert`, packed: see PackedRows) and removed (`remove`, ids) on one connection, batched; `reset` drops the connection\'s rows first.',
    z.strictObject({
      connectionId: z.string(),
      provider: ProviderKind,
      reset: z.boolean().optional(),
      upsert: PackedVmRows,
      remove: z.array(z.string()),
    }),
  ),
  'inventory.connection': event('A connection\'s state changed (or it was removed: `removed: true`).', ConnectionState.extend({ removed: z.boolean().optional() })),
}
