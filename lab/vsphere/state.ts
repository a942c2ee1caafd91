// What every vCenter lab handler sees: the inventory, the knobs, sessions, tickets and guests,
// plus the parsed request.
import type { Faults } from './faults'
import type { GuestWorld } from './guest-world'
import type { Inventory, Vm } from './inventory'
import type { Session, Sessions } from './sessions'
import type { TicketRegistry } from './tickets'
import { message, VapiError, type Style } from './wire'

export interface LabState {
  inv: Inventory
  /** The seed the inventory was made from (derived identifiers use it too). */
  seed: number
  faults: Faults
  sessions: Sessions
  /** vSphere calls answered so far (not /lab), for tests that count round trips. */
  requests: number
  tickets: TicketRegistry
  guests: GuestWorld
  /** This vCenter's instance UUID, as error args render VMs (`vm-42:<uuid>`). */
  instanceUuid: string
  /** host:port of the API, for VMRC tickets. */
  authority(): string
  /** Base of WebMKS ticket URLs (`wss://127.0.0.1:<port>`). */
  webmksBase(): string
  /** SHA-1 thumbprint of the serving certificate, '-' separated. */
  thumbprint(): string
  now(): number
}

export interface Call {
  style: Style
  method: string
  /** Path segments after /api or /rest, percent-decoded. */
  segments: string[]
  query: URLSearchParams
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown
  session: Session
}

/** The VM named in the path, or 404 not_found with vCenter's message. */
export function findVm(state: LabState, id: string): Vm {
  const vm = state.inv.vmById.get(id)
  if (!vm) {
    const ref = `${id}:${state.instanceUuid}`
    throw new VapiError('NOT_FOUND', [
      message('com.vmware.api.vcenter.vm.not_found', `Virtual machine with identifier '${ref}' does not exist.`, ref),
    ])
  }
  return vm
}

export function vmRef(state: LabState, vm: Vm): string {
  return `${vm.id}:${state.instanceUuid}`
}

/** The query's `action` (/api) or `~action`, if any. */
export function actionOf(call: Call): string | undefined {
  return call.query.get('action') ?? call.query.get('~action') ?? undefined
}
