// The list calls: VMs (reference §2.1, with the result cap) and the inventory objects a client
// partitions by (datacenters, VM folders, clusters, hosts, resource pools — "Read this first" 8, 17).
import { matches, readFilters, type FilterSpec } from './filters'
import type { Vm } from './inventory'
import { type Call, type LabState } from './state'
import { message, ok, VapiError, type Reply } from './wire'

const POWER_STATES = ['POWERED_OFF', 'POWERED_ON', 'SUSPENDED'] as const

const VM_FILTERS: FilterSpec = {
  vms: {},
  names: {},
  folders: {},
  datacenters: {},
  hosts: {},
  clusters: {},
  resource_pools: {},
  power_states: { values: POWER_STATES },
}

/** Caps of the other list calls (reference "Read this first" 8). */
const HOST_CAP = 2500
const OTHER_CAP = 1000

function tooMany(kind: string, what: string): VapiError {
  return new VapiError('UNABLE_TO_ALLOCATE_RESOURCE', [
    message(`com.vmware.api.vcenter.${kind}.too_many_matches`, `Too many ${what}. Add more filter criteria to reduce the number.`),
  ])
}

/** GET vcenter/vm: every filter, the cap, summaries of `{vm, name, power_state, cpu_count, memory_size_MiB}`. */
export function listVms(state: LabState, call: Call): Reply {
  const filters = readFilters(call.query, call.style, VM_FILTERS)
  const { index, vms, vmById } = state.inv
  // Start from the smallest indexed candidate set, then check every filter on each candidate.
  let base: number[] | undefined
  const consider = (list: number[]): void => {
    if (!base || list.length < base.length) base = list
  }
  const union = (map: Map<string, number[]>, values: string[] | undefined): void => {
    if (!values) return
    // Distinct values: each VM sits under one value per index, so the union has no repeats.
    consider([...new Set(values)].flatMap((v) => map.get(v) ?? []))
  }
  const vmIds = filters.get('vms')
  if (vmIds) consider([...new Set(vmIds)].flatMap((id) => (vmById.has(id) ? [(vmById.get(id) as Vm).index] : [])))
  const names = filters.get('names')
  if (names) consider([...new Set(names)].flatMap((n) => (index.byName.has(n) ? [index.byName.get(n) as number] : [])))
  union(index.byFolder, filters.get('folders'))
  union(index.byDatacenter, filters.get('datacenters'))
  union(index.byHost, filters.get('hosts'))
  union(index.byCluster, filters.get('clusters'))
  union(index.byResourcePool, filters.get('resource_pools'))

  const sets = new Map([...filters].map(([k, v]) => [k, new Set(v)]))
  const allows = (key: string, value: string): boolean => sets.get(key)?.has(value) ?? true
  const test = (vm: Vm): boolean =>
    allows('vms', vm.id) &&
    allows('names', vm.name) &&
    allows('folders', vm.folder) &&
    allows('datacenters', vm.datacenter) &&
    allows('hosts', vm.host) &&
    allows('clusters', vm.cluster) &&
    allows('resource_pools', vm.resourcePool) &&
    allows('power_states', vm.power)

  const cap = state.faults.listCap
  const found: Vm[] = []
  const visit = (vm: Vm): void => {
    if (vm.removed === true || !test(vm)) return
    found.push(vm)
    if (found.length > cap) throw tooMany('vm', 'virtual machines')
  }
  if (base) for (const i of base) visit(vms[i] as Vm)
  else for (const vm of vms) visit(vm)
  found.sort((a, b) => a.index - b.index)
  return ok(
    found.map((vm) =>
      vm.inaccessible
        ? { vm: vm.id, name: vm.name, power_state: vm.power }
        : { vm: vm.id, name: vm.name, power_state: vm.power, cpu_count: vm.cpuCount, memory_size_MiB: vm.memoryMiB },
    ),
  )
}

function capped<T>(items: T[], cap: number, kind: string, what: string): T[] {
  if (items.length > cap) throw tooMany(kind, what)
  return items
}

/** GET vcenter/datacenter. */
export function listDatacenters(state: LabState, call: Call): Reply {
  const f = readFilters(call.query, call.style, { datacenters: {}, names: {}, folders: {} })
  const rows = state.inv.datacenters.filter((d) => matches(f, { datacenters: d.id, names: d.name, folders: 'group-d1' }))
  return ok(capped(rows, OTHER_CAP, 'datacenter', 'datacenters').map((d) => ({ datacenter: d.id, name: d.name })))
}

/** GET vcenter/folder. */
export function listFolders(state: LabState, call: Call): Reply {
  const f = readFilters(call.query, call.style, {
    folders: {},
    names: {},
    type: { values: ['DATACENTER', 'DATASTORE', 'HOST', 'NETWORK', 'VIRTUAL_MACHINE'] },
    parent_folders: {},
    datacenters: {},
  })
  const rows = state.inv.folders.filter((x) =>
    matches(f, { folders: x.id, names: x.name, type: x.type, parent_folders: x.parent, datacenters: x.datacenter }),
  )
  return ok(capped(rows, OTHER_CAP, 'folder', 'folders').map((x) => ({ folder: x.id, name: x.name, type: x.type })))
}

/** GET vcenter/cluster. */
export function listClusters(state: LabState, call: Call): Reply {
  const f = readFilters(call.query, call.style, { clusters: {}, names: {}, folders: {}, datacenters: {} })
  const rows = state.inv.clusters.filter((c) =>
    matches(f, { clusters: c.id, names: c.name, folders: c.folder, datacenters: c.datacenter }),
  )
  return ok(
    capped(rows, OTHER_CAP, 'cluster', 'clusters').map((c) => ({
      cluster: c.id,
      name: c.name,
      ha_enabled: c.haEnabled,
      drs_enabled: c.drsEnabled,
    })),
  )
}

/** GET vcenter/host. */
export function listHosts(state: LabState, call: Call): Reply {
  const f = readFilters(call.query, call.style, {
    hosts: {},
    names: {},
    folders: {},
    datacenters: {},
    standalone: { boolean: true },
    clusters: {},
    connection_states: { values: ['CONNECTED', 'DISCONNECTED', 'NOT_RESPONDING'] },
  })
  const rows = state.inv.hosts.filter((h) =>
    matches(f, {
      hosts: h.id,
      names: h.name,
      folders: h.folder,
      datacenters: h.datacenter,
      standalone: String(h.cluster === undefined),
      clusters: h.cluster,
      connection_states: h.connectionState,
    }),
  )
  return ok(
    capped(rows, HOST_CAP, 'host', 'hosts').map((h) => ({
      host: h.id,
      name: h.name,
      connection_state: h.connectionState,
      power_state: 'POWERED_ON',
    })),
  )
}

/** GET vcenter/resource-pool. */
export function listResourcePools(state: LabState, call: Call): Reply {
  const f = readFilters(call.query, call.style, {
    resource_pools: {},
    names: {},
    parent_resource_pools: {},
    datacenters: {},
    hosts: {},
    clusters: {},
  })
  const hostsOf = new Map<string, string[]>()
  if (f.has('hosts')) for (const h of state.inv.hosts) if (h.cluster) hostsOf.set(h.cluster, [...(hostsOf.get(h.cluster) ?? []), h.id])
  const rows = state.inv.resourcePools.filter((p) => {
    const hosts = f.get('hosts')
    if (hosts && !(hostsOf.get(p.cluster) ?? []).some((h) => hosts.includes(h))) return false
    const rest = new Map([...f].filter(([k]) => k !== 'hosts'))
    return matches(rest, {
      resource_pools: p.id,
      names: p.name,
      parent_resource_pools: p.parent,
      datacenters: p.datacenter,
      clusters: p.cluster,
    })
  })
  return ok(capped(rows, OTHER_CAP, 'resource_pool', 'resource pools').map((p) => ({ resource_pool: p.id, name: p.name })))
}

function notFound(kind: string, id: string): VapiError {
  return new VapiError('NOT_FOUND', [message(`com.vmware.api.vcenter.${kind}.not_found`, `The ${kind} '${id}' does not exist.`, id)])
}

/** GET vcenter/datacenter/{id}, vcenter/cluster/{id}, vcenter/resource-pool/{id}. */
export function getObject(state: LabState, kind: 'datacenter' | 'cluster' | 'resource-pool', id: string): Reply {
  if (kind === 'datacenter') {
    const d = state.inv.datacenters.find((x) => x.id === id)
    if (!d) throw notFound('datacenter', id)
    return ok({
      name: d.name,
      datastore_folder: d.datastoreFolder,
      host_folder: d.hostFolder,
      network_folder: d.networkFolder,
      vm_folder: d.vmFolder,
    })
  }
  if (kind === 'cluster') {
    const c = state.inv.clusters.find((x) => x.id === id)
    if (!c) throw notFound('cluster', id)
    return ok({ name: c.name, resource_pool: c.resourcePool })
  }
  const p = state.inv.resourcePools.find((x) => x.id === id)
  if (!p) throw notFound('resource_pool', id)
  return ok({ name: p.name, resource_pools: [] })
}

