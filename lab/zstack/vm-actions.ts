// VM power actions as async jobs (reference §5): allowed states per action, the transitional
// state visible while the job runs, SYS.1006 with cause VM.1010 for an illegal transition, and
// the job-outcome knobs (fail with VM.1001/1002/1003, or never finish).
import type { Vm, VmState } from './inventory'
import type { JobResult } from './jobs'
import { vmInventory } from './render'
import { findVm, wait, type LabState } from './state'
import { err, schemaOf, zerror, ZstackError, type KnownCode } from './wire'

interface ActionRule {
  msg: string
  allowed: readonly VmState[]
  /** Already there: the job succeeds at once without changing anything. */
  noop?: VmState
  during: VmState
  after: VmState
  failCode: KnownCode
}

export const ACTIONS: Record<string, ActionRule> = {
  startVmInstance: { msg: 'APIStartVmInstanceMsg', allowed: ['Created', 'Stopped', 'Running', 'Crashed'], noop: 'Running', during: 'Starting', after: 'Running', failCode: 'VM.1001' },
  stopVmInstance: { msg: 'APIStopVmInstanceMsg', allowed: ['Running', 'Stopped', 'Paused', 'Unknown', 'NoState', 'Crashed'], noop: 'Stopped', during: 'Stopping', after: 'Stopped', failCode: 'VM.1002' },
  rebootVmInstance: { msg: 'APIRebootVmInstanceMsg', allowed: ['Running', 'NoState', 'Crashed'], during: 'Rebooting', after: 'Running', failCode: 'VM.1003' },
  pauseVmInstance: { msg: 'APIPauseVmInstanceMsg', allowed: ['Running'], during: 'Pausing', after: 'Paused', failCode: 'VM.1002' },
  resumeVmInstance: { msg: 'APIResumeVmInstanceMsg', allowed: ['Paused'], during: 'Resuming', after: 'Running', failCode: 'VM.1001' },
}

const STOP_TYPES = ['grace', 'cold']

/** Runs one action for the job; resolves with the job's result (or never, when told to hang). */
export async function runAction(state: LabState, uuid: string, action: string, params: Record<string, unknown>): Promise<JobResult> {
  const rule = ACTIONS[action]
  if (!rule) throw new Error(`unknown action ${action}`)
  try {
    if (action === 'stopVmInstance' && params.type !== undefined && !STOP_TYPES.includes(String(params.type))) {
      throw zerror('SYS.1007', `valid value for field[type] of message[${rule.msg}] are [${STOP_TYPES.join(', ')}], but ${String(params.type)} found`)
    }
    const vm = findVm(state, uuid)
    if (vm.state === rule.noop) return vmResult(vm)
    if (!rule.allowed.includes(vm.state)) {
      throw zerror(
        'SYS.1006',
        `vm[uuid:${vm.uuid}] is not in state of [${rule.allowed.join(', ')}], current state is ${vm.state}`,
        err('VM.1010', `current vm instance state[${vm.state}] doesn't allow to proceed message[org.zstack.header.vm.${rule.msg}], allowed states are [${rule.allowed.join(', ')}]`),
      )
    }
    const before = vm.state
    const outcome = state.jobOverrides.get(vm.uuid) ?? state.faults.jobOutcome
    vm.state = rule.during
    state.inv.version++
    if (rule.after !== 'Running') state.consoles.forgetVm(vm.uuid)
    if (outcome === 'hang') return await new Promise<never>(() => undefined)
    await wait(state, state.faults.actionMs)
    vm.lastOpDate = state.now()
    state.inv.version++
    if (outcome === 'fail' || vm.state !== rule.during) {
      if (vm.state === rule.during) vm.state = before
      return { ok: false, error: err(rule.failCode, `lab fault: the KVM agent on host[uuid:${vm.lastHostUuid}] failed to ${action.replace('VmInstance', '')} vm[uuid:${vm.uuid}, name:${vm.name}]`) }
    }
    vm.state = rule.after
    return vmResult(vm)
  } catch (e) {
    if (e instanceof ZstackError) return { ok: false, error: e.body }
    throw e
  }
}

function vmResult(vm: Vm): JobResult {
  const inventory = vmInventory(vm)
  return { ok: true, body: { inventory }, schema: schemaOf('inventory', 'vm', inventory) }
}
