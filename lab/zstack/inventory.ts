// The simulated ZStack's objects: zones, clusters, KVM hosts and VMs (user VMs, virtual-router
// appliance VMs, destroyed VMs in the recycle bin), seeded deterministically. 50,000 VMs seed in
// well under a second.
import { random } from '../vsphere/random'

export type VmState =
  | 'Created' | 'Starting' | 'Running' | 'Stopping' | 'Stopped' | 'Rebooting' | 'Destroying' | 'Destroyed'
  | 'Migrating' | 'Expunging' | 'Pausing' | 'Paused' | 'Resuming' | 'VolumeMigrating' | 'VolumeRecovering'
  | 'Error' | 'NoState' | 'Unknown' | 'Crashed'

export interface Zone {
  uuid: string
  name: string
  description: string
  createDate: number
}
export interface Cluster {
  uuid: string
  name: string
  zoneUuid: string
  createDate: number
}
export interface Host {
  uuid: string
  name: string
  zoneUuid: string
  clusterUuid: string
  managementIp: string
  createDate: number
}
export interface Nic {
  uuid: string
  l3NetworkUuid: string
  ip: string
  mac: string
  netmask: string
  gateway: string
}
export interface Vm {
  uuid: string
  index: number
  name: string
  type: 'UserVm' | 'ApplianceVm'
  state: VmState
  zoneUuid: string
  clusterUuid: string
  /** Where it runs, or last ran (hostUuid is shown only while it runs). */
  lastHostUuid: string
  imageUuid: string
  instanceOfferingUuid: string
  rootVolumeUuid: string
  platform: 'Linux' | 'Windows'
  guestOsType: string
  architecture: 'x86_64' | 'aarch64'
  cpuNum: number
  memorySize: number
  createDate: number
  lastOpDate: number
  nic: Nic
  /** Stable draw in [0,1) the power fractions compare against. */
  powerDraw: number
  /** In the recycle bin from the start (never changed by the fractions). */
  destroyed: boolean
}

export interface Inventory {
  zones: Zone[]
  clusters: Cluster[]
  hosts: Host[]
  vms: Vm[]
  zoneByUuid: Map<string, Zone>
  clusterByUuid: Map<string, Cluster>
  hostByUuid: Map<string, Host>
  vmByUuid: Map<string, Vm>
  /** Bumped on every VM change, so cached query results know they are stale. */
  version: number
}

const ZONES = [
  { name: 'ZONE-Hangzhou', description: 'Hangzhou data centre' },
  { name: 'ZONE-Beijing', description: 'Beijing data centre' },
  { name: 'ZONE-Shenzhen', description: 'Shenzhen data centre' },
]
const ROLES = [
  { prefix: 'web', os: 'linux', cpu: [2, 4], memGiB: [4, 8] },
  { prefix: 'app', os: 'linux', cpu: [4, 8], memGiB: [8, 16] },
  { prefix: 'mysql', os: 'linux', cpu: [8, 16], memGiB: [32, 64] },
  { prefix: 'redis', os: 'linux', cpu: [2], memGiB: [8] },
  { prefix: 'k8s-worker', os: 'linux', cpu: [8, 16], memGiB: [32] },
  { prefix: 'k8s-master', os: 'linux', cpu: [4], memGiB: [8] },
  { prefix: 'sqlserver', os: 'windows', cpu: [8], memGiB: [32] },
  { prefix: 'ad', os: 'windows', cpu: [2], memGiB: [4] },
  { prefix: 'jenkins', os: 'linux', cpu: [4], memGiB: [8] },
  { prefix: 'elk', os: 'linux', cpu: [8], memGiB: [16] },
] as const
const ENVS = ['prod', 'test', 'dev']
const LINUX = ['CentOS 7', 'Rocky Linux 8', 'Ubuntu 22.04', 'Kylin V10', 'Debian 12']
const WINDOWS = ['Windows Server 2019', 'Windows Server 2022']
const VMS_PER_HOST = 40
const HOSTS_PER_CLUSTER = 8
/** One virtual router per this many VMs; a share of user VMs sit in the recycle bin. */
const ROUTER_EVERY = 60
const DESTROYED_FRACTION = 0.02
const GIB = 1024 ** 3

function uuids(rand: () => number): () => string {
  return () => {
    let s = ''
    for (let i = 0; i < 4; i++) s += Math.floor(rand() * 0x1_0000_0000).toString(16).padStart(8, '0')
    return s
  }
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T
}

/** A deterministic inventory of `count` VMs (the appliance VMs and destroyed VMs included). */
export function seedInventory(count: number, seed: number): Inventory {
  const rand = random(seed)
  const uuid = uuids(random(seed ^ 0x2a57))
  const epoch = Date.UTC(2024, 0, 8, 2, 0, 0)
  const hostCount = Math.max(1, Math.ceil(count / VMS_PER_HOST))
  const zoneCount = count >= 1000 ? 3 : count >= 100 ? 2 : 1
  const zones: Zone[] = ZONES.slice(0, zoneCount).map((z, i) => ({ uuid: uuid(), ...z, createDate: epoch + i * 3_600_000 }))
  const clusters: Cluster[] = []
  const hosts: Host[] = []
  for (let h = 0; h < hostCount; h++) {
    const zi = h % zoneCount
    const zone = zones[zi] as Zone
    const inZone = Math.floor(h / zoneCount)
    const ci = Math.floor(inZone / HOSTS_PER_CLUSTER)
    const clusterName = `Cluster-${zone.name.slice(5, 8).toUpperCase()}-${String(ci + 1).padStart(2, '0')}`
    let cluster = clusters.find((c) => c.zoneUuid === zone.uuid && c.name === clusterName)
    if (!cluster) {
      cluster = { uuid: uuid(), name: clusterName, zoneUuid: zone.uuid, createDate: epoch + 86_400_000 + clusters.length * 60_000 }
      clusters.push(cluster)
    }
    const n = (inZone % HOSTS_PER_CLUSTER) + 1
    hosts.push({
      uuid: uuid(),
      name: `kvm-${zone.name.slice(5, 8).toLowerCase()}-${String(ci + 1).padStart(2, '0')}-${String(n).padStart(2, '0')}`,
      zoneUuid: zone.uuid,
      clusterUuid: cluster.uuid,
      managementIp: `172.${20 + zi}.${ci % 250}.${10 + n}`,
      createDate: cluster.createDate + n * 1000,
    })
  }
  const l3 = zones.map(() => uuid())
  const images = { linux: LINUX.map(() => uuid()), windows: WINDOWS.map(() => uuid()), router: uuid() }
  const offerings = Array.from({ length: 6 }, () => uuid())
  const counters = new Map<string, number>()
  const vms: Vm[] = []
  for (let i = 0; i < count; i++) {
    const host = hosts[Math.floor(i / VMS_PER_HOST) % hosts.length] as Host
    const zi = zones.findIndex((z) => z.uuid === host.zoneUuid)
    const router = i % ROUTER_EVERY === ROUTER_EVERY - 1
    let name: string
    let os: 'linux' | 'windows'
    let cpuNum: number
    let memGiB: number
    if (router) {
      name = `vrouter-${(zones[zi] as Zone).name.slice(5).toLowerCase()}-${String(Math.floor(i / ROUTER_EVERY) + 1).padStart(3, '0')}`
      os = 'linux'
      cpuNum = 2
      memGiB = 2
    } else {
      const role = pick(rand, ROLES)
      const env = pick(rand, ENVS)
      const key = `${role.prefix}-${env}`
      const n = (counters.get(key) ?? 0) + 1
      counters.set(key, n)
      name = `${key}-${String(n).padStart(2, '0')}`
      os = role.os
      cpuNum = pick(rand, role.cpu)
      memGiB = pick(rand, role.memGiB)
    }
    const osList = os === 'windows' ? WINDOWS : LINUX
    const osIndex = router ? 0 : Math.floor(rand() * osList.length)
    const created = epoch + 2 * 86_400_000 + i * 37_000
    const octet = i % 250
    const vm: Vm = {
      uuid: uuid(),
      index: i,
      name,
      type: router ? 'ApplianceVm' : 'UserVm',
      state: 'Running',
      zoneUuid: host.zoneUuid,
      clusterUuid: host.clusterUuid,
      lastHostUuid: host.uuid,
      imageUuid: router ? images.router : ((os === 'windows' ? images.windows : images.linux)[osIndex] as string),
      instanceOfferingUuid: offerings[cpuNum % offerings.length] as string,
      rootVolumeUuid: uuid(),
      platform: os === 'windows' ? 'Windows' : 'Linux',
      guestOsType: router ? 'VyOS 1.1.7' : (osList[osIndex] as string),
      architecture: rand() < 0.05 ? 'aarch64' : 'x86_64',
      cpuNum,
      memorySize: memGiB * GIB,
      createDate: created,
      lastOpDate: created + 600_000,
      nic: {
        uuid: uuid(),
        l3NetworkUuid: l3[zi] as string,
        ip: `10.${zi}.${Math.floor(i / 250) % 256}.${octet + 2}`,
        mac: `fa:${[(i >> 24) & 255, (i >> 16) & 255, (i >> 8) & 255, i & 255, zi].map((b) => b.toString(16).padStart(2, '0')).join(':')}`,
        netmask: '255.255.0.0',
        gateway: `10.${zi}.0.1`,
      },
      powerDraw: rand(),
      destroyed: !router && rand() < DESTROYED_FRACTION,
    }
    vms.push(vm)
  }
  const inv: Inventory = {
    zones,
    clusters,
    hosts,
    vms,
    zoneByUuid: new Map(zones.map((z) => [z.uuid, z])),
    clusterByUuid: new Map(clusters.map((c) => [c.uuid, c])),
    hostByUuid: new Map(hosts.map((h) => [h.uuid, h])),
    vmByUuid: new Map(vms.map((v) => [v.uuid, v])),
    version: 0,
  }
  return inv
}

/** Settled states the fractions may overwrite (a VM mid-action keeps its transitional state). */
const SETTLED: ReadonlySet<VmState> = new Set(['Running', 'Stopped', 'Paused'])

/** Re-derives every settled user VM's state from the fractions (appliance VMs always run). */
export function applyPowerFractions(inv: Inventory, stopped: number, paused: number): void {
  for (const vm of inv.vms) {
    if (vm.destroyed) {
      vm.state = 'Destroyed'
      continue
    }
    if (vm.type === 'ApplianceVm' || !SETTLED.has(vm.state)) continue
    vm.state = vm.powerDraw < stopped ? 'Stopped' : vm.powerDraw < stopped + paused ? 'Paused' : 'Running'
  }
  inv.version++
}
