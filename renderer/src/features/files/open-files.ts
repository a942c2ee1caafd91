import type { VmRef } from '../../../../contract/inventory'
import { useTabs } from '../../store/tabs'

/** The tab id of a VM's file browser: opening it again activates the open one. */
export const filesTabId = (vm: VmRef): string => `files:${vm.connectionId}/${vm.id}`

/** Opens (or activates) the file browser of a VM: from the VM's context menu. */
export function openFiles(vm: VmRef, vmName: string): void {
  useTabs.getState().open({ kind: 'files', id: filesTabId(vm), title: `Files · ${vmName}`, params: { vm, vmName } })
}
