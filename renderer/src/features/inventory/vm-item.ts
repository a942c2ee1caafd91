import { POWER_BY_CODE, type PowerAction, type PowerState, type ProviderKind, type VmRef, type VmRow } from '../../../../contract/inventory'

/** How far a row's lazily filled fields (guest OS, IP) are: not asked, on their way, filled, not obtainable. */
export type DetailPhase = 'none' | 'loading' | 'done' | 'unavailable'

/** One VM as the renderer holds it (one object per VM; 50,000 of them stay small). */
export interface VmItem {
  /** `${connectionId}/${id}`: unique across connections. */
  readonly key: string
  readonly connectionId: string
  readonly id: string
  readonly provider: ProviderKind
  readonly name: string
  readonly power: PowerState
  readonly host: string
  readonly group: string
  readonly guestOs: string
  readonly ip: string
  readonly details: DetailPhase
  /** A power action sent and not yet confirmed. */
  readonly pending?: PowerAction
  /** Lower-case name, IP and guest OS: what the filter box matches, computed once per change. */
  readonly search: string
}

export const keyOf = (ref: VmRef): string => `${ref.connectionId}/${ref.id}`

export function refOf(item: Pick<VmItem, 'connectionId' | 'id'>): VmRef {
  return { connectionId: item.connectionId, id: item.id }
}

const DETAILS: readonly DetailPhase[] = ['none', 'done', 'unavailable']

/** A wire row as an item; a row that still lacks details keeps the "loading" mark of the item it replaces. */
export function itemOf(connectionId: string, provider: ProviderKind, row: VmRow, previous?: VmItem): VmItem {
  const [id, name, power, host, group, guestOs, ip, details] = row
  const phase = DETAILS[details] ?? 'none'
  return {
    key: `${connectionId}/${id}`,
    connectionId,
    id,
    provider,
    name,
    power: POWER_BY_CODE[power] ?? 'unknown',
    host,
    group,
    guestOs,
    ip,
    details: phase === 'none' && previous?.details === 'loading' ? 'loading' : phase,
    search: `${name}\u0001${ip}\u0001${guestOs}`.toLowerCase(),
  }
}
