import type { PowerState, ProviderKind, VmRef } from '../../../contract/inventory'
import { openProcesses } from '../features/processes/open-processes'

/** What a VM menu entry sees of the VM it acts on. */
export interface VmMenuTarget {
  ref: VmRef
  name: string
  provider: ProviderKind
  power: PowerState
}

export interface VmMenuItem {
  id: string
  /** Menu label; end with "…" when it opens something that asks more. */
  label: string
  /** Whether the entry is enabled for this VM (one VM selected). */
  applies(vm: VmMenuTarget): boolean
  run(vm: VmMenuTarget): void
}

/**
 * Extension point: entries a feature adds to the VM context menu (after "Open"), for one
 * selected VM. One line per feature.
 */
export const vmMenuItems: readonly VmMenuItem[] = [
  { id: 'processes', label: 'Processes…', applies: (vm) => vm.provider === 'vsphere' && vm.power === 'on', run: (vm) => openProcesses(vm.ref, vm.name) },
]
