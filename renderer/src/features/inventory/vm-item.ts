import { POWER_BY_CODE, type PowerAction, type PowerState, type ProviderKind, type VmRef, type VmRow } from '../../../../contract/inventory'

/** How far a row's lazily filled fields (guest OS, IP) are: not asked, on their way, filled, not obtainable. */
export type DetailPhase = 'none' | 'loading' | 'done' | 'unavailable'

/**
 * One VM as the renderer holds it: one object per VM for its lifetime, updated in place, so the
 * sorted view (arrays of these objects) stays valid without sorting 50,000 rows again when a
 * row's details or power change. Readers re-render on the store's `rev`.
 */
export interface VmItem {
  /** `${connectionId}/${id}`: unique across connections. */
  readonly key: string
  readonly connectionId: string
  readonly id: string
  readonly provider: ProviderKind
  name: string
  /** Lower-case name: the default sort key, computed once per change. */
  lname: string
  power: PowerState
  host: string
  group: string
  guestOs: string
  ip: string
  details: DetailPhase
  /** The provider's own state ('ACTIVE · powering-off', 'POWERED_OFF', 'Running'); '' when it has none. */
  status: string
  /** A power action sent and not yet confirmed. */
  pending: PowerAction | undefined
  /** Lower-case name, IP, guest OS and status: what the filter box matches, computed once per change. */
  search: string
}

export const keyOf = (ref: VmRef): string => `${ref.connectionId}/${ref.id}`

export function refOf(item: Pick<VmItem, 'connectionId' | 'id'>): VmRef {
  return { connectionId: item.connectionId, id: item.id }
}

const DETAILS: readonly DetailPhase[] = ['none', 'done', 'unavailable']

/**
 * Provider statuses, each kept once with its lower-case form: 50,000 VMs share a few dozen
 * ('POWERED_ON', 'ACTIVE · powering-off'), and the copy each parsed row brings is then dropped
 * instead of held (with a lower-cased twin) for the VM's lifetime.
 */
const statuses = new Map<string, { status: string; lower: string }>()
/** A bound for odd providers whose statuses are all different: past it they are simply not shared. */
const MAX_SHARED_STATUSES = 1000

function sharedStatus(status: string): { status: string; lower: string } {
  let known = statuses.get(status)
  if (known === undefined) {
    known = { status, lower: status.toLowerCase() }
    if (statuses.size < MAX_SHARED_STATUSES) statuses.set(status, known)
  }
  return known
}

/**
 * A wire row as an item: `existing` updated in place, or a new item. A row that still lacks
 * details keeps the "loading" mark; a row from the server ends any pending power action.
 */
export function applyRow(connectionId: string, provider: ProviderKind, row: VmRow, existing?: VmItem): VmItem {
  const [id, name, power, host, group, guestOs, ip, details, rowStatus] = row
  const phase = DETAILS[details] ?? 'none'
  const status = sharedStatus(rowStatus)
  const item: VmItem = existing ?? {
    key: `${connectionId}/${id}`,
    connectionId,
    id,
    provider,
    name,
    lname: '',
    power: 'unknown',
    host,
    group,
    guestOs,
    ip,
    details: 'none',
    status: status.status,
    pending: undefined,
    search: '',
  }
  if (item.name !== name || item.lname === '') {
    item.name = name
    item.lname = name.toLowerCase()
  }
  item.power = POWER_BY_CODE[power] ?? 'unknown'
  item.host = host
  item.group = group
  item.guestOs = guestOs
  item.ip = ip
  item.details = phase === 'none' && existing?.details === 'loading' ? 'loading' : phase
  item.status = status.status
  const search = `${item.lname}\u0001${ip}\u0001${guestOs.toLowerCase()}\u0001${status.lower}`
  if (search !== item.search) {
    item.search = search
    searchChanged = true
  }
  return item
}

let searchChanged = false

/** Whether any `applyRow` since the last call changed what the filter matches (and resets the flag). */
export function takeSearchChanged(): boolean {
  const changed = searchChanged
  searchChanged = false
  return changed
}
