// The lab-only control endpoint (`/lab/…`, bearer admin token) on both listeners: fault knobs
// and per-VM faults at runtime. Not part of ZStack's API.
import { controlEndpoint } from '../control-endpoint'
import { FaultsPatch, VmPatch, type Faults } from './faults'
import type { LabState } from './state'
import { sendJson } from './wire'

export interface ControlOptions {
  state: LabState
  adminToken: string
  setFaults(patch: FaultsPatch): Faults
  /** Requests that reached the management node's internal address (a client that did not rewrite). */
  decoyHits(): number
}

/**
 * GET/POST /lab/faults (knobs; POST takes a partial patch plus `expireSessions`),
 * POST /lab/vms/{uuid} (`state`, `jobs`), GET /lab/state.
 */
export function controlHandler({ state, adminToken, setFaults, decoyHits }: ControlOptions) {
  return controlEndpoint(adminToken, sendJson, async (req, res, pathname, json) => {
    if (pathname === '/lab/faults' && req.method === 'GET') return sendJson(res, 200, state.faults)
    if (pathname === '/lab/faults' && req.method === 'POST') {
      const patch = FaultsPatch.safeParse(json)
      if (!patch.success) return sendJson(res, 400, { error: patch.error.message })
      return sendJson(res, 200, { faults: setFaults(patch.data) })
    }
    const vmPath = /^\/lab\/vms\/([^/]+)$/.exec(pathname)
    if (vmPath && req.method === 'POST') {
      const vm = state.inv.vmByUuid.get(decodeURIComponent(vmPath[1] as string))
      if (!vm) return sendJson(res, 404, { error: 'No such VM.' })
      const patch = VmPatch.safeParse(json)
      if (!patch.success) return sendJson(res, 400, { error: patch.error.message })
      const p = patch.data
      if (p.jobs === null) state.jobOverrides.delete(vm.uuid)
      else if (p.jobs !== undefined) state.jobOverrides.set(vm.uuid, p.jobs)
      if (p.state !== undefined && p.state !== vm.state) {
        if (p.state !== 'Running' && p.state !== 'Paused') state.consoles.forgetVm(vm.uuid)
        vm.state = p.state
        vm.lastOpDate = state.now()
        state.inv.version++
      }
      return sendJson(res, 200, { uuid: vm.uuid, name: vm.name, state: vm.state, jobs: state.jobOverrides.get(vm.uuid) ?? null })
    }
    if (pathname === '/lab/state' && req.method === 'GET') {
      return sendJson(res, 200, {
        vms: state.inv.vms.length,
        zones: state.inv.zones.length,
        clusters: state.inv.clusters.length,
        hosts: state.inv.hosts.length,
        sessions: state.sessions.size,
        jobs: state.jobs.size,
        runningJobs: state.jobs.running,
        consoleProxy: { running: state.consoles.running, port: state.consoles.port, connections: state.consoles.connections, tokens: state.consoles.tokenCount },
        decoyHits: decoyHits(),
      })
    }
    return sendJson(res, 404, { error: 'Unknown lab control path.' })
  })
}
