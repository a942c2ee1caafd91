// What every ZStack lab handler sees: the inventory, the knobs, sessions, jobs and the console
// proxy, plus per-VM lab overrides.
import type { ConsoleProxy } from './console-proxy'
import type { Faults, JobOutcome } from './faults'
import type { Inventory, Vm } from './inventory'
import type { Jobs } from './jobs'
import type { Sessions } from './sessions'
import { zerror } from './wire'

export interface LabState {
  inv: Inventory
  faults: Faults
  sessions: Sessions
  jobs: Jobs
  consoles: ConsoleProxy
  /** Per-VM job outcomes set through `POST /lab/vms/{uuid}`. */
  jobOverrides: Map<string, JobOutcome>
  /** Timers of running actions, cleared when the lab stops. */
  timers: Set<NodeJS.Timeout>
  /** The account every lab login belongs to. */
  accountUuid: string
  now(): number
}

/** The VM with that uuid, or the SYS.1003 an API interceptor gives for an unknown resource. */
export function findVm(state: LabState, uuid: string): Vm {
  const vm = state.inv.vmByUuid.get(uuid)
  if (!vm) throw zerror('SYS.1003', `invalid field[uuid], resource[uuid:${uuid}, type:VmInstanceVO] not found`)
  return vm
}

/** Resolves after `ms` unless the lab stops first (then never). */
export function wait(state: LabState, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      state.timers.delete(t)
      resolve()
    }, ms)
    state.timers.add(t)
  })
}
