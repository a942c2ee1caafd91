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
  /** Lower-case name, IP and guest OS: what the filter box matches (with `status`); '' until `searchOf` makes it. */
  search: string
}

export const keyOf = (ref: VmRef): string => `${ref.connectionId}/${ref.id}`

export function refOf(item: Pick<VmItem, 'connectionId' | 'id'>): VmRef {
  return { connectionId: item.connectionId, id: item.id }
}

const DETAILS: readonly DetailPhase[] = ['none', 'done', 'unavailable']

/**
 * Provider statuses, each kept once: 50,000 VMs share a few dozen ('POWERED_ON', 'ACTIVE ·
 * powering-off'), so the copy each parsed row brings is dropped instead of held for the VM's
 * lifetime, and the filter asks a few dozen statuses, not every VM, whether they match a word.
 */
const statuses = new Map<string, string>()
/** A bound for odd providers whose statuses are all different: past it they are no longer shared. */
const MAX_SHARED_STATUSES = 1000
let unshared = false

function sharedStatus(status: string): string {
  const known = statuses.get(status)
  if (known !== undefined) return known
  if (statuses.size < MAX_SHARED_STATUSES) statuses.set(status, status)
  else unshared = true
  return status
}

/**
 * Whether a (lower-case) word of the filter begins one of the status's words ('off' finds
 * 'POWERED_OFF' and 'ACTIVE · powering-off', 'powering-of' too). By word starts, not anywhere
 * inside: 'we' or 'on' typed on the way to a name must not match every 'POWERED_ON' VM.
 */
export function statusHasWord(status: string, word: string): boolean {
  const lower = status.toLowerCase()
  for (let i = 0; i <= lower.length - word.length; i++) {
    const starts = i === 0 || !/[\p{L}\p{N}]/u.test(lower[i - 1] as string)
    if (starts && lower.startsWith(word, i)) return true
  }
  return false
}

/**
 * Which statuses have a word beginning with a (lower-case) word of the filter: undefined when
 * none does, the common case of a name or address typed, which then costs the filter nothing per VM.
 */
export function statusMatcher(word: string): ((status: string) => boolean) | undefined {
  // Past the bound, some statuses are not in the Map: each VM's is asked.
  if (unshared) return (status) => statusHasWord(status, word)
  let hits: Set<string> | undefined
  for (const status of statuses.keys()) {
    if (statusHasWord(status, word)) (hits ??= new Set()).add(status)
  }
  return hits && ((status) => hits.has(status))
}

/**
 * A wire row as an item: `existing` updated in place, or a new item (`key` is its key when the
 * caller has it at hand). A row that still lacks details keeps the "loading" mark; a row from
 * the server ends any pending power action.
 */
export function applyRow(connectionId: string, provider: ProviderKind, row: VmRow, existing?: VmItem, key?: string): VmItem {
  const [id, name, power, host, group, guestOs, ip, details, rowStatus] = row
  const phase = DETAILS[details] ?? 'none'
  const status = sharedStatus(rowStatus)
  if (existing === undefined) {
    // What the filter matches is made when a filter first needs it (searchOf): a load of 50,000 VMs does not build 50,000 strings nobody may ask for.
    return {
      key: key ?? `${connectionId}/${id}`,
      connectionId,
      id,
      provider,
      name,
      lname: name.toLowerCase(),
      power: POWER_BY_CODE[power] ?? 'unknown',
      host,
      group,
      guestOs,
      ip,
      details: phase,
      status,
      pending: undefined,
      search: '',
    }
  }
  const item = existing
  // The status is matched apart from `search` (statusMatcher), but the filter must run again all the same.
  if (item.name !== name || item.ip !== ip || item.guestOs !== guestOs || item.status !== status) {
    if (item.name !== name) {
      item.name = name
      item.lname = name.toLowerCase()
    }
    item.ip = ip
    item.guestOs = guestOs
    item.status = status
    item.search = ''
    searchChanged = true
  }
  item.power = POWER_BY_CODE[power] ?? 'unknown'
  item.host = host
  item.group = group
  item.details = phase === 'none' && item.details === 'loading' ? 'loading' : phase
  return item
}

/** What the filter box matches in an item: lower-case name, IP and guest OS, made on first use and again after they change. */
export function searchOf(item: VmItem): string {
  if (item.search === '') item.search = `${item.lname}\u0001${item.ip}\u0001${item.guestOs.toLowerCase()}`
  return item.search
}

let searchChanged = false

/** Whether any `applyRow` since the last call changed what the filter matches (and resets the flag). */
export function takeSearchChanged(): boolean {
  const changed = searchChanged
  searchChanged = false
  return changed
}
