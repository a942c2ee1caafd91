// Which handler answers which vSphere path, in both styles: /api uses `?action=` for custom
// operations; /rest uses path segments for hard power (`/power/start`), `?~action=get` for the
// session, and wraps request specs (`{"spec": …}`). Guest operations exist on /api only.
import { guestFiles, guestTransfer } from './guest-files'
import { guestProcesses } from './guest-processes'
import { getObject, listClusters, listDatacenters, listFolders, listHosts, listResourcePools, listVms } from './lists'
import { actionOf, findVm, type Call, type LabState } from './state'
import { createTicket, getPower, getVm, guestIdentity, guestPower, guestPowerAction, powerAction } from './vms'
import { message, VapiError, type Reply } from './wire'

export function operationNotFound(method: string, path: string): VapiError {
  return new VapiError('OPERATION_NOT_FOUND', [
    message('com.vmware.vapi.rest.operation_not_found', `No operation matches ${method} ${path}.`, method, path),
  ])
}

/** Answers one authenticated vSphere call (session calls are handled before this). */
export function route(state: LabState, call: Call): Reply {
  const { method, segments: s, style } = call
  const miss = (): never => {
    throw operationNotFound(method, `/${style}/${s.join('/')}`)
  }
  if (s[0] !== 'vcenter' || s.length < 2) return miss()
  const kind = s[1] as string

  if (kind !== 'vm') {
    if (method !== 'GET') return miss()
    if (s.length === 2) {
      const lists: Record<string, (st: LabState, c: Call) => Reply> = {
        datacenter: listDatacenters,
        folder: listFolders,
        cluster: listClusters,
        host: listHosts,
        'resource-pool': listResourcePools,
      }
      const list = lists[kind]
      return list ? list(state, call) : miss()
    }
    if (s.length === 3 && (kind === 'datacenter' || kind === 'cluster' || kind === 'resource-pool')) {
      return getObject(state, kind, s[2] as string)
    }
    return miss()
  }

  if (s.length === 2) return method === 'GET' ? listVms(state, call) : miss()
  const vm = findVm(state, s[2] as string)
  const rest = s.slice(3).join('/')
  if (rest === '') return method === 'GET' ? getVm(state, vm) : miss()

  if (rest === 'power') {
    if (method === 'GET') return getPower(vm)
    if (method === 'POST' && style === 'api') return powerAction(state, vm, actionOf(call) ?? '')
    return miss()
  }
  if (style === 'rest' && method === 'POST' && s[3] === 'power' && s.length === 5) return powerAction(state, vm, s[4] as string)
  if (rest === 'guest/identity' && method === 'GET') return guestIdentity(state, vm)
  if (rest === 'guest/power') {
    if (method === 'GET') return guestPower(state, vm)
    if (method === 'POST') return guestPowerAction(state, vm, actionOf(call))
    return miss()
  }
  if (rest === 'console/tickets' && method === 'POST') return createTicket(state, call, vm.id)

  // Guest processes and filesystem: /api only (absent from the GA /rest specs).
  if (style === 'api' && method === 'POST' && s[3] === 'guest') {
    if (s[4] === 'processes' && s.length <= 6) return guestProcesses(state, call, vm, s[5])
    if (s[4] === 'filesystem' && s[5] === 'files' && s.length <= 7) return guestFiles(state, call, vm, s[6])
    if (s[4] === 'filesystem' && s.length === 5) return guestTransfer(state, call, vm)
  }
  return miss()
}
