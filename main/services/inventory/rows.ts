// The compact row (contract VmRow) main keeps per VM and sends as is: the merge of a listing
// into the rows known, and the lazily filled fields carried across refreshes.
import { POWER_BY_CODE, POWER_CODES, type PowerState, type Vm, type VmRow } from '../../../contract/inventory'
import type { VmDetails } from '../providers/provider'
import { guestOsName } from './guest-os-names'

/** Indexes into a VmRow, named. */
export const R = { id: 0, name: 1, power: 2, host: 3, group: 4, guestOs: 5, ip: 6, details: 7, status: 8 } as const

/** A listed VM as a row, keeping the lazily filled fields of the row it replaces (unless the VM's power changed: its IP may have). */
export function rowOf(vm: Vm, previous?: VmRow): VmRow {
  const power = POWER_CODES[vm.power]
  const keep = previous !== undefined && previous[R.power] === power
  // A list call that gives guest OS or IP (OpenStack, say) fills the row at once.
  const listed = vm.guestOs !== undefined || vm.ip !== undefined
  return [
    vm.ref.id,
    vm.name,
    power,
    vm.host ?? '',
    vm.group ?? '',
    vm.guestOs !== undefined ? guestOsName(vm.guestOs) : keep ? previous[R.guestOs] : '',
    vm.ip ?? (keep ? previous[R.ip] : ''),
    listed ? 1 : keep ? previous[R.details] : 0,
    vm.status ?? '',
  ]
}

/**
 * A row a provider listed without details (VmPage.rows, details state 0), keeping the lazily
 * filled fields of the row it replaces unless the VM's power changed: what `rowOf` does for a
 * Vm whose list gave no guest OS or IP.
 */
export function withListedDetails(listed: VmRow, previous?: VmRow): VmRow {
  if (previous === undefined || listed[R.details] !== 0 || previous[R.power] !== listed[R.power]) return listed
  return [listed[R.id], listed[R.name], listed[R.power], listed[R.host], listed[R.group], previous[R.guestOs], previous[R.ip], previous[R.details], listed[R.status]]
}

export function sameRow(a: VmRow, b: VmRow): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

export function powerOf(row: VmRow): PowerState {
  return POWER_BY_CODE[row[R.power]] ?? 'unknown'
}

/**
 * The row with a new power state and, when the provider said it, its own status. A power change
 * forgets the details (a new boot may have a new IP) and, said without a status, the old status
 * too: it described the state the VM left. The same row comes back when nothing changed.
 */
export function withPower(row: VmRow, power: PowerState, status?: string): VmRow {
  const code = POWER_CODES[power]
  if (row[R.power] === code) {
    if (status === undefined || status === row[R.status]) return row
    return [row[R.id], row[R.name], code, row[R.host], row[R.group], row[R.guestOs], row[R.ip], row[R.details], status]
  }
  return [row[R.id], row[R.name], code, row[R.host], row[R.group], row[R.guestOs], '', 0, status ?? '']
}

/** The row with details filled (state 1), or marked as not obtainable (state 2). */
export function withDetails(row: VmRow, details: VmDetails | undefined): VmRow {
  if (!details) return [row[R.id], row[R.name], row[R.power], row[R.host], row[R.group], row[R.guestOs], row[R.ip], 2, row[R.status]]
  const guestOs = details.guestOs !== undefined ? guestOsName(details.guestOs) : row[R.guestOs]
  return [row[R.id], row[R.name], row[R.power], row[R.host], row[R.group], guestOs, details.ip ?? '', 1, row[R.status]]
}
