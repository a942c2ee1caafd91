// The simulated vCenter's objects: datacenters, VM folders, clusters, hosts, resource pools and
// VMs, seeded deterministically and indexed so every list filter is a map lookup (50,000 VMs
// seed in a few tens of milliseconds).
import { LINUX_OSES, WINDOWS_OSES, type GuestOs } from './guest-os'
import { random } from './random'

export type PowerState = 'POWERED_ON' | 'POWERED_OFF' | 'SUSPENDED'
export type ToolsState = 'running' | 'not_running' | 'unsupported'

export interface Datacenter {
  id: string
  name: string
  vmFolder: string
  hostFolder: string
  datastoreFolder: string
  networkFolder: string
}
export interface Folder {
  id: string
  name: string
  type: 'VIRTUAL_MACHINE' | 'HOST' | 'DATASTORE' | 'NETWORK' | 'DATACENTER'
  datacenter: string | undefined
  parent: string | undefined
}
export interface Cluster {
  id: string
  name: string
  datacenter: string
  folder: string
  resourcePool: string
  haEnabled: boolean
  drsEnabled: boolean
}
export interface Host {
  id: string
  name: string
  datacenter: string
  cluster: string | undefined
  folder: string
  connectionState: 'CONNECTED' | 'DISCONNECTED' | 'NOT_RESPONDING'
}
export interface ResourcePool {
  id: string
  name: string
  datacenter: string
  cluster: string
  parent: string | undefined
}
export interface Vm {
  id: string
  /** Position in `Inventory.vms`; the indexes hold these. */
  index: number
  name: string
  datacenter: string
  folder: string
  cluster: string
  host: string
  resourcePool: string
  os: GuestOs
  cpuCount: number
  memoryMiB: number
  diskGiB: number
  /** Stable per-VM draws in [0,1) that the fault fractions compare against. */
  powerDraw: number
  toolsDraw: number
  power: PowerState
  /** Set by a lab control call; wins over the tools-not-running fraction. */
  toolsOverride: ToolsState | undefined
  /** Lab knobs: power and guest calls answer RESOURCE_BUSY; get answers RESOURCE_INACCESSIBLE. */
  busy: boolean
  inaccessible: boolean
  /** Whether the guest has an address (a few are still waiting for DHCP). */
  hasIp: boolean
  /** When the guest last booted (ms), for process start times. */
  bootedAt: number
  /** Taken away by the lab control (`DELETE /lab/vms/{vm}`): in no list, no lookup finds it. */
  removed?: boolean
}

export interface Inventory {
  datacenters: Datacenter[]
  folders: Folder[]
  clusters: Cluster[]
  hosts: Host[]
  resourcePools: ResourcePool[]
  vms: Vm[]
  /** VM by id; ids are `vm-<1000 + position>`, so this is arithmetic, not a 50,000-entry map. */
  vmById: { get(id: string): Vm | undefined; has(id: string): boolean }
  /** VM positions per filter value, for the list call. */
  index: {
    /** Names are unique in the lab (counters per role and environment). */
    byName: Map<string, number>
    byFolder: Map<string, number[]>
    byDatacenter: Map<string, number[]>
    byHost: Map<string, number[]>
    byCluster: Map<string, number[]>
    byResourcePool: Map<string, number[]>
  }
}

const SITES = [
  { name: 'DC-Amsterdam', short: 'ams' },
  { name: 'DC-Frankfurt', short: 'fra' },
  { name: 'DC-Dallas', short: 'dal' },
]

/** Workload roles: name prefix, VM folder, OS family and typical size. */
const ROLES = [
  { prefix: 'web', folder: 'Web', os: 'linux', cpu: [2, 4], mem: [4096, 8192] },
  { prefix: 'nginx', folder: 'Web', os: 'linux', cpu: [2], mem: [2048] },
  { prefix: 'haproxy', folder: 'Web', os: 'linux', cpu: [2], mem: [2048] },
  { prefix: 'app', folder: 'Applications', os: 'linux', cpu: [4, 8], mem: [8192, 16384] },
  { prefix: 'api', folder: 'Applications', os: 'linux', cpu: [4], mem: [8192] },
  { prefix: 'db', folder: 'Databases', os: 'linux', cpu: [8, 16], mem: [32768, 65536] },
  { prefix: 'pg', folder: 'Databases', os: 'linux', cpu: [8], mem: [32768] },
  { prefix: 'redis', folder: 'Databases', os: 'linux', cpu: [2], mem: [8192] },
  { prefix: 'sql', folder: 'Databases', os: 'windows', cpu: [8], mem: [32768] },
  { prefix: 'k8s-node', folder: 'Kubernetes', os: 'linux', cpu: [8, 16], mem: [32768] },
  { prefix: 'k8s-master', folder: 'Kubernetes', os: 'linux', cpu: [4], mem: [8192] },
  { prefix: 'win-dc', folder: 'Infrastructure', os: 'windows', cpu: [2], mem: [4096] },
  { prefix: 'dns', folder: 'Infrastructure', os: 'linux', cpu: [1, 2], mem: [2048] },
  { prefix: 'mon', folder: 'Infrastructure', os: 'linux', cpu: [4], mem: [8192] },
  { prefix: 'log', folder: 'Infrastructure', os: 'linux', cpu: [4], mem: [16384] },
  { prefix: 'exch', folder: 'Infrastructure', os: 'windows', cpu: [8], mem: [32768] },
  { prefix: 'jenkins-agent', folder: 'CI', os: 'linux', cpu: [4], mem: [8192] },
  { prefix: 'gitlab-runner', folder: 'CI', os: 'linux', cpu: [4], mem: [8192] },
  { prefix: 'rds', folder: 'Desktops', os: 'windows', cpu: [4], mem: [16384] },
  { prefix: 'vdi', folder: 'Desktops', os: 'windows', cpu: [2], mem: [4096] },
  { prefix: 'dev', folder: 'Development', os: 'linux', cpu: [2, 4], mem: [4096, 8192] },
] as const
const ENVS = ['prod', 'stg', 'test', ''] as const
const FOLDERS = [...new Set(ROLES.map((r) => r.folder))]
const VMS_PER_HOST = 40
const HOSTS_PER_CLUSTER = 8

/** Builds the whole inventory for `vmCount` VMs; the same seed always gives the same objects. */
export function seedInventory(vmCount: number, seed: number): Inventory {
  const rand = random(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T
  let moref = 1
  const next = (): number => ++moref

  const siteCount = vmCount >= 1000 ? 3 : 2
  const hostCount = Math.max(siteCount * 2, Math.ceil(vmCount / VMS_PER_HOST))
  const vms: Vm[] = []
  const inv: Inventory = {
    datacenters: [],
    folders: [],
    clusters: [],
    hosts: [],
    resourcePools: [],
    vms,
    vmById: {
      get: (id) => {
        const m = /^vm-(\d+)$/.exec(id)
        const vm = m ? vms[Number(m[1]) - 1000] : undefined
        return vm?.id === id && vm.removed !== true ? vm : undefined
      },
      has: (id) => inv.vmById.get(id) !== undefined,
    },
    index: {
      byName: new Map(),
      byFolder: new Map(),
      byDatacenter: new Map(),
      byHost: new Map(),
      byCluster: new Map(),
      byResourcePool: new Map(),
    },
  }
  const rootFolder: Folder = { id: 'group-d1', name: 'Datacenters', type: 'DATACENTER', datacenter: undefined, parent: undefined }
  inv.folders.push(rootFolder)

  // Per site: its folders, then clusters of hosts.
  const siteFolders: Map<string, Folder>[] = []
  const siteHosts: Host[][] = []
  for (let s = 0; s < siteCount; s++) {
    const site = SITES[s] as (typeof SITES)[number]
    const dcId = `datacenter-${next()}`
    const folderOf = (type: Folder['type'], name: string, parent?: string): Folder => {
      const prefix = { VIRTUAL_MACHINE: 'v', HOST: 'h', DATASTORE: 's', NETWORK: 'n', DATACENTER: 'd' }[type]
      const f: Folder = { id: `group-${prefix}${next()}`, name, type, datacenter: dcId, parent }
      inv.folders.push(f)
      return f
    }
    const vmRoot = folderOf('VIRTUAL_MACHINE', 'vm')
    const hostRoot = folderOf('HOST', 'host')
    const dsRoot = folderOf('DATASTORE', 'datastore')
    const netRoot = folderOf('NETWORK', 'network')
    inv.datacenters.push({
      id: dcId,
      name: site.name,
      vmFolder: vmRoot.id,
      hostFolder: hostRoot.id,
      datastoreFolder: dsRoot.id,
      networkFolder: netRoot.id,
    })
    const leaves = new Map<string, Folder>()
    for (const name of FOLDERS) leaves.set(name, folderOf('VIRTUAL_MACHINE', name, vmRoot.id))
    siteFolders.push(leaves)

    const hostsHere = Math.floor(hostCount / siteCount) + (s < hostCount % siteCount ? 1 : 0)
    const clusterCount = Math.max(1, Math.ceil(hostsHere / HOSTS_PER_CLUSTER))
    const hosts: Host[] = []
    let hostNo = 0
    for (let c = 0; c < clusterCount; c++) {
      const clusterId = `domain-c${next()}`
      const poolId = `resgroup-${next()}`
      const kind = c % 3 === 2 ? 'Dev' : 'Prod'
      inv.clusters.push({
        id: clusterId,
        name: `${site.short.toUpperCase()}-${kind}-${String(c + 1).padStart(2, '0')}`,
        datacenter: dcId,
        folder: hostRoot.id,
        resourcePool: poolId,
        haEnabled: kind === 'Prod',
        drsEnabled: true,
      })
      inv.resourcePools.push({ id: poolId, name: 'Resources', datacenter: dcId, cluster: clusterId, parent: undefined })
      const inThis = Math.min(HOSTS_PER_CLUSTER, hostsHere - c * HOSTS_PER_CLUSTER)
      for (let h = 0; h < Math.max(1, inThis); h++) {
        hostNo++
        const host: Host = {
          id: `host-${next()}`,
          name: `esx-${site.short}-${String(hostNo).padStart(3, '0')}.lab.local`,
          datacenter: dcId,
          cluster: clusterId,
          folder: hostRoot.id,
          connectionState: 'CONNECTED',
        }
        hosts.push(host)
        inv.hosts.push(host)
      }
    }
    siteHosts.push(hosts)
  }
  const clusterById = new Map(inv.clusters.map((c) => [c.id, c]))

  const counters = new Map<string, number>()
  const bootBase = Date.UTC(2026, 0, 5, 6, 0, 0)
  for (let i = 0; i < vmCount; i++) {
    const role = pick(ROLES)
    const env = pick(ENVS)
    const stem = env ? `${role.prefix}-${env}` : role.prefix
    const n = (counters.get(stem) ?? 0) + 1
    counters.set(stem, n)
    const name = `${stem}-${String(n).padStart(2, '0')}`
    const s = i % siteCount
    const dc = inv.datacenters[s] as Datacenter
    const host = pick(siteHosts[s] as Host[])
    const cluster = clusterById.get(host.cluster as string) as Cluster
    const folder = (siteFolders[s] as Map<string, Folder>).get(role.folder) as Folder
    const os = pick(role.os === 'windows' ? WINDOWS_OSES : LINUX_OSES)
    const vm: Vm = {
      id: `vm-${1000 + i}`,
      index: i,
      name,
      datacenter: dc.id,
      folder: folder.id,
      cluster: cluster.id,
      host: host.id,
      resourcePool: cluster.resourcePool,
      os,
      cpuCount: pick(role.cpu),
      memoryMiB: pick(role.mem),
      diskGiB: pick([40, 60, 100, 200]),
      powerDraw: rand(),
      toolsDraw: rand(),
      power: 'POWERED_ON',
      toolsOverride: undefined,
      busy: false,
      inaccessible: false,
      hasIp: rand() >= 0.02,
      bootedAt: bootBase + Math.floor(rand() * 30 * 86_400_000),
    }
    inv.vms.push(vm)
    inv.index.byName.set(name, i)
    push(inv.index.byFolder, folder.id, i)
    push(inv.index.byDatacenter, dc.id, i)
    push(inv.index.byHost, host.id, i)
    push(inv.index.byCluster, cluster.id, i)
    push(inv.index.byResourcePool, cluster.resourcePool, i)
  }
  return inv
}

/**
 * A new VM placed like `like` (same datacenter, folder, cluster, host) under a new name: the lab
 * control's "someone created a VM". Its id continues the sequence; it is listed from now on.
 */
export function addVm(inv: Inventory, like: Vm, name: string, power: PowerState): Vm {
  const index = inv.vms.length
  const vm: Vm = { ...like, id: `vm-${1000 + index}`, index, name, power, toolsOverride: undefined, busy: false, inaccessible: false, removed: false }
  inv.vms.push(vm)
  inv.index.byName.set(name, index)
  push(inv.index.byFolder, vm.folder, index)
  push(inv.index.byDatacenter, vm.datacenter, index)
  push(inv.index.byHost, vm.host, index)
  push(inv.index.byCluster, vm.cluster, index)
  push(inv.index.byResourcePool, vm.resourcePool, index)
  return vm
}

/** Takes a VM away ("someone deleted it"): out of every index and list, 404 for calls about it. */
export function removeVm(inv: Inventory, vm: Vm): void {
  vm.removed = true
  inv.index.byName.delete(vm.name)
  const drop = (map: Map<string, number[]>, key: string): void => {
    const list = map.get(key)
    const at = list?.indexOf(vm.index) ?? -1
    if (list && at >= 0) list.splice(at, 1)
  }
  drop(inv.index.byFolder, vm.folder)
  drop(inv.index.byDatacenter, vm.datacenter)
  drop(inv.index.byHost, vm.host)
  drop(inv.index.byCluster, vm.cluster)
  drop(inv.index.byResourcePool, vm.resourcePool)
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

/** Re-derives every VM's power state from the fractions (power actions taken so far are lost). */
export function applyPowerFractions(inv: Inventory, offFraction: number, suspendedFraction: number): void {
  for (const vm of inv.vms) {
    vm.power =
      vm.powerDraw < offFraction ? 'POWERED_OFF' : vm.powerDraw < offFraction + suspendedFraction ? 'SUSPENDED' : 'POWERED_ON'
  }
}

/** Whether the VM's guest tools answer, from its power, its override and the fraction. */
export function toolsState(vm: Vm, notRunningFraction: number): ToolsState {
  if (vm.power !== 'POWERED_ON') return 'not_running'
  if (vm.toolsOverride) return vm.toolsOverride
  return vm.toolsDraw < notRunningFraction ? 'not_running' : 'running'
}

/** Identifiers derived from the VM's position, made when asked for (seeding stays cheap). */
export function vmIdentity(vm: Vm, seed: number): { biosUuid: string; instanceUuid: string; macAddress: string; ip: string | undefined } {
  const rand = random(seed * 31 + vm.index)
  const hex = (n: number): string =>
    Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('')
  const uuid = (head: string): string => `${head}${hex(4)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`
  const i = vm.index
  const byte = (v: number): string => (v & 255).toString(16).padStart(2, '0')
  const site = Number.parseInt(vm.datacenter.replace(/\D/g, ''), 10) % 200
  return {
    biosUuid: uuid('4210'),
    instanceUuid: uuid('5010'),
    macAddress: `00:50:56:${byte((i >> 16) & 63)}:${byte(i >> 8)}:${byte(i)}`,
    ip: vm.hasIp ? `10.${site}.${(i >> 8) & 255}.${(i & 255) || 1}` : undefined,
  }
}
