// The insides of the lab's guests: process tables and directory trees (built lazily per VM on
// first use, so 50,000 VMs cost nothing until a guest is touched) and pending guest power changes.
import type { Vm } from './inventory'
import type { FileTree } from './guest-files'
import type { ProcessTable } from './guest-processes'

export type GuestTransition = 'SHUTTING_DOWN' | 'RESETTING' | 'STANDBY'

/** Trees and tables of at most this many guests are kept; older ones are rebuilt on demand. */
const KEEP = 2000

export class GuestWorld {
  readonly processes = new Map<string, ProcessTable>()
  readonly files = new Map<string, FileTree>()
  /** The per-VM `processes` knob: how many steady processes the guest's table holds (filler pads it). */
  readonly processCounts = new Map<string, number>()
  private readonly pending = new Map<string, { state: GuestTransition; timer: NodeJS.Timeout | undefined }>()

  constructor(readonly now: () => number = Date.now) {}

  /** The cached value for `vm`, made by `build` when absent. */
  cached<T>(map: Map<string, T>, vm: Vm, build: () => T): T {
    let value = map.get(vm.id)
    if (value === undefined) {
      if (map.size >= KEEP) map.delete(map.keys().next().value as string)
      value = build()
      map.set(vm.id, value)
    }
    return value
  }

  /** Sets (or with undefined clears) a VM's process count; its table is rebuilt at the next call. */
  setProcessCount(vmId: string, count: number | undefined): void {
    if (count === undefined) this.processCounts.delete(vmId)
    else this.processCounts.set(vmId, count)
    this.processes.delete(vmId)
  }

  /** The guest power change under way, if any. */
  transition(vmId: string): GuestTransition | undefined {
    return this.pending.get(vmId)?.state
  }

  /** Starts a guest shutdown/reboot/standby that lands after `delayMs`; `onDown` runs when the VM leaves POWERED_ON. */
  startTransition(vm: Vm, action: 'shutdown' | 'reboot' | 'standby', delayMs: number, onDown: () => void = () => undefined): void {
    const state: GuestTransition = action === 'shutdown' ? 'SHUTTING_DOWN' : action === 'reboot' ? 'RESETTING' : 'STANDBY'
    const land = (): void => {
      this.pending.delete(vm.id)
      this.processes.delete(vm.id)
      if (action === 'reboot') {
        vm.bootedAt = this.now()
        return
      }
      vm.power = action === 'shutdown' ? 'POWERED_OFF' : 'SUSPENDED'
      onDown()
    }
    if (delayMs === 0) return land()
    const timer = setTimeout(land, delayMs)
    timer.unref()
    this.pending.set(vm.id, { state, timer })
  }

  /** A hard power change: the guest's processes are gone and pending guest changes are moot. */
  powerChanged(vm: Vm): void {
    const p = this.pending.get(vm.id)
    if (p?.timer) clearTimeout(p.timer)
    this.pending.delete(vm.id)
    this.processes.delete(vm.id)
    vm.bootedAt = this.now()
  }

  stop(): void {
    for (const p of this.pending.values()) if (p.timer) clearTimeout(p.timer)
    this.pending.clear()
  }
}
