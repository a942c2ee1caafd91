import type { PowerState, ProviderKind, VmRef } from '../../../contract/inventory'
import { openProcesses } from '../features/processes/open-processes'
import { openFiles } from '../features/files/open-files'
import { CONSOLE_KINDS, openConsole, openInVmrc } from '../features/consoles/open-console'

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
  { id: 'console', label: 'Open console', applies: (vm) => vm.provider === 'vnc' || vm.power !== 'off', run: (vm) => openConsole(vm.ref, 'rfb') },
  { id: 'serial', label: 'Open serial console', applies: (vm) => CONSOLE_KINDS[vm.provider].includes('serial'), run: (vm) => openConsole(vm.ref, 'serial') },
  { id: 'vmrc', label: 'Open in VMRC', applies: (vm) => vm.provider === 'vsphere', run: (vm) => void openInVmrc(vm.ref) },
  { id: 'processes', label: 'Processes…', applies: (vm) => vm.provider === 'vsphere' && vm.power === 'on', run: (vm) => openProcesses(vm.ref, vm.name) },
  { id: 'files', label: 'Browse files…', applies: (vm) => vm.provider === 'vsphere' && vm.power === 'on', run: (vm) => openFiles(vm.ref, vm.name) },
]
