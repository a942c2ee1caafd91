// The lab-only control endpoint (`/lab/…`, bearer admin token): fault knobs and per-VM faults at
// runtime, so tests and demos can flip them. Not part of vSphere's API.
import { controlEndpoint } from '../control-endpoint'
import type { TransferRegistry } from './esxi-transfer'
import { FaultsPatch, NewVm, VmPatch, type Faults } from './faults'
import { addVm, removeVm, toolsState } from './inventory'
import type { LabState } from './state'
import { sendJson } from './wire'

export interface ControlOptions {
  state: LabState
  adminToken: string
  setFaults(patch: FaultsPatch): Promise<Faults>
  /** SHA-256 of the certificate served now. */
  fingerprint(): string
  /** Guest file transfer URLs (for /lab/state). */
  transfers?: TransferRegistry
}

/**
 * GET/POST /lab/faults (knobs; POST takes a partial patch plus `rotateCertificate` /
 * `expireSessions`), POST /lab/vms/{vm} (tools, power, busy, inaccessible, processes), POST /lab/vms
 * (a new VM: `{name, like?, power?}`), DELETE /lab/vms/{vm} (it is gone), GET /lab/state.
 */
export function controlHandler({ state, adminToken, setFaults, fingerprint, transfers }: ControlOptions) {
  return controlEndpoint(adminToken, sendJson, async (req, res, pathname, json) => {
    if (pathname === '/lab/faults' && req.method === 'GET') return sendJson(res, 200, state.faults)
    if (pathname === '/lab/faults' && req.method === 'POST') {
      const patch = FaultsPatch.safeParse(json)
      if (!patch.success) return sendJson(res, 400, { error: patch.error.message })
      const applied = await setFaults(patch.data)
      return sendJson(res, 200, { faults: applied, fingerprint: fingerprint() })
    }
    if (pathname === '/lab/vms' && req.method === 'POST') {
      const spec = NewVm.safeParse(json)
      if (!spec.success) return sendJson(res, 400, { error: spec.error.message })
      if (state.inv.index.byName.has(spec.data.name)) return sendJson(res, 400, { error: 'A VM has that name.' })
      const like = spec.data.like === undefined ? state.inv.vms.find((v) => v.removed !== true) : state.inv.vmById.get(spec.data.like)
      if (!like) return sendJson(res, 404, { error: 'No VM to place it like.' })
      const vm = addVm(state.inv, like, spec.data.name, spec.data.power ?? 'POWERED_ON')
      return sendJson(res, 201, { vm: vm.id, name: vm.name, power: vm.power })
    }
    const vmPath = /^\/lab\/vms\/([^/]+)$/.exec(pathname)
    if (vmPath && req.method === 'DELETE') {
      const vm = state.inv.vmById.get(decodeURIComponent(vmPath[1] as string))
      if (!vm) return sendJson(res, 404, { error: 'No such VM.' })
      state.tickets.revokeVm(vm.id, 'WEBMKS')
      removeVm(state.inv, vm)
      return sendJson(res, 200, { vm: vm.id, removed: true })
    }
    if (vmPath && req.method === 'POST') {
      const vm = state.inv.vmById.get(decodeURIComponent(vmPath[1] as string))
      if (!vm) return sendJson(res, 404, { error: 'No such VM.' })
      const patch = VmPatch.safeParse(json)
      if (!patch.success) return sendJson(res, 400, { error: patch.error.message })
      const p = patch.data
      if (p.tools !== undefined) vm.toolsOverride = p.tools ?? undefined
      if (p.power !== undefined && p.power !== vm.power) {
        if (p.power !== 'POWERED_ON') state.tickets.revokeVm(vm.id, 'WEBMKS')
        state.guests.powerChanged(vm)
        vm.power = p.power
      }
      if (p.busy !== undefined) vm.busy = p.busy
      if (p.inaccessible !== undefined) vm.inaccessible = p.inaccessible
      if (p.processes !== undefined) state.guests.setProcessCount(vm.id, p.processes ?? undefined)
      return sendJson(res, 200, {
        vm: vm.id,
        name: vm.name,
        power: vm.power,
        tools: toolsState(vm, state.faults.toolsNotRunningFraction),
        busy: vm.busy,
        inaccessible: vm.inaccessible,
        processes: state.guests.processCounts.get(vm.id) ?? null,
      })
    }
    if (pathname === '/lab/state' && req.method === 'GET') {
      return sendJson(res, 200, {
        vms: state.inv.vms.length,
        datacenters: state.inv.datacenters.length,
        clusters: state.inv.clusters.length,
        hosts: state.inv.hosts.length,
        folders: state.inv.folders.length,
        sessions: state.sessions.size,
        requests: state.requests,
        tickets: state.tickets.size,
        transferUrls: transfers?.size ?? 0,
        transfersActive: transfers?.active ?? 0,
        fingerprint: fingerprint(),
      })
    }
    return sendJson(res, 404, { error: 'Unknown lab control path.' })
  })
}
