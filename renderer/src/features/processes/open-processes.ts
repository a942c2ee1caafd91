import type { VmRef } from '../../../../contract/inventory'
import { useTabs } from '../../store/tabs'

/** The tab id of a VM's process viewer: opening it again activates the open one. */
export const processesTabId = (vm: VmRef): string => `processes:${vm.connectionId}/${vm.id}`

/** Opens (or activates) the process viewer of a VM: from the VM's context menu, later from its console tab. */
export function openProcesses(vm: VmRef, vmName: string): void {
  useTabs.getState().open({ kind: 'processes', id: processesTabId(vm), title: `Processes · ${vmName}`, params: { vm, vmName } })
}
