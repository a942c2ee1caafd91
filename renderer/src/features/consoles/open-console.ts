// Opening consoles: one tab per VM and console kind (`console:<connection>/<vm>/<kind>`); the
// same VM opened again activates its tab. "Open" on a VM in the inventory (Enter, double-click,
// the row menu, the quick switcher) opens its graphical console; VMRC goes outside Porthole.
import type { ProviderKind, VmRef } from '../../../../contract/inventory'
import { invoke } from '../../api'
import { notifyError, notifyInfo } from '../../store/notify'
import { useTabs } from '../../store/tabs'
import { setOpenVmHandler } from '../inventory/open-vm'
import { useInventory } from '../inventory/store'
import { keyOf } from '../inventory/vm-item'

/** Which embedded consoles a provider offers (vCenter has no serial console; Nova has both). */
export const CONSOLE_KINDS: Record<ProviderKind, ReadonlyArray<'rfb' | 'serial'>> = {
  vsphere: ['rfb'],
  openstack: ['rfb', 'serial'],
  zstack: ['rfb'],
  vnc: ['rfb'],
}

export function consoleTabId(ref: VmRef, kind: 'rfb' | 'serial'): string {
  return `console:${ref.connectionId}/${ref.id}/${kind}`
}

/** The VM's name and provider, from the inventory. */
function vmInfo(ref: VmRef): { name: string; provider: ProviderKind } {
  const item = useInventory.getState().items.get(keyOf(ref))
  return { name: item?.name ?? ref.id, provider: item?.provider ?? 'vsphere' }
}

/** Opens (or activates) the console tab of a VM. */
export function openConsole(ref: VmRef, kind: 'rfb' | 'serial' = 'rfb'): void {
  const { name, provider } = vmInfo(ref)
  if (!CONSOLE_KINDS[provider].includes(kind)) {
    notifyInfo(`${name} has no ${kind === 'serial' ? 'serial' : 'graphical'} console Porthole can show.`)
    return
  }
  useTabs.getState().open({
    kind: 'console',
    id: consoleTabId(ref, kind),
    title: kind === 'serial' ? `${name} (serial)` : name,
    params: { ref, protocol: kind, name, provider },
  })
}

/** Asks main to start VMware Remote Console for a vCenter VM (desktop app only). */
export async function openInVmrc(ref: VmRef): Promise<void> {
  try {
    await invoke('console.open', { ref, kind: 'vmrc' })
    notifyInfo(`VMware Remote Console is opening ${vmInfo(ref).name}.`)
  } catch (err) {
    notifyError(err, 'Could not open VMware Remote Console')
  }
}

/** The console entries of the VM row menu, for the VM the menu is about. */
export function consoleMenuEntries(ref: VmRef | undefined): Array<{ id: string; label: string; disabled: boolean; run(): void }> {
  const provider = ref ? vmInfo(ref).provider : undefined
  const entries = [{ id: 'console', label: 'Open console', disabled: !ref, run: () => ref && openConsole(ref, 'rfb') }]
  if (provider === 'openstack') entries.push({ id: 'serial', label: 'Open serial console', disabled: !ref, run: () => ref && openConsole(ref, 'serial') })
  if (provider === 'vsphere') entries.push({ id: 'vmrc', label: 'Open in VMRC', disabled: !ref, run: () => ref && void openInVmrc(ref) })
  return entries
}

let installed = false

/** Makes "open a VM" open its console (once). */
export function installConsoleOpening(): void {
  if (installed) return
  installed = true
  setOpenVmHandler((ref) => openConsole(ref, 'rfb'))
}
