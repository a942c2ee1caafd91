// The lab's objects as ZStack's inventories (VmInstanceInventory, VmNicInventory, ZoneInventory,
// ClusterInventory, KVMHostInventory), and what each query may filter and sort on.
import { zstackDate } from './dates'
import type { Cluster, Host, Inventory, Vm, VmState, Zone } from './inventory'
import type { Queryable, Scalar } from './query'

/** States in which a VM has a host (hostUuid is absent otherwise, reference §4). */
const ON_HOST: ReadonlySet<VmState> = new Set([
  'Starting', 'Running', 'Stopping', 'Rebooting', 'Migrating', 'Pausing', 'Paused', 'Resuming', 'Unknown', 'Crashed', 'NoState',
])

export function hostOf(vm: Vm): string | undefined {
  return ON_HOST.has(vm.state) ? vm.lastHostUuid : undefined
}

/** The VM as VmInstanceInventory; null fields are simply absent. */
export function vmInventory(vm: Vm): Record<string, unknown> {
  const created = zstackDate(vm.createDate)
  return {
    uuid: vm.uuid,
    name: vm.name,
    zoneUuid: vm.zoneUuid,
    clusterUuid: vm.clusterUuid,
    imageUuid: vm.imageUuid,
    hostUuid: hostOf(vm),
    lastHostUuid: vm.lastHostUuid,
    instanceOfferingUuid: vm.instanceOfferingUuid,
    rootVolumeUuid: vm.rootVolumeUuid,
    platform: vm.platform,
    architecture: vm.architecture,
    guestOsType: vm.guestOsType,
    defaultL3NetworkUuid: vm.nic.l3NetworkUuid,
    type: vm.type,
    hypervisorType: 'KVM',
    memorySize: vm.memorySize,
    reservedMemorySize: 0,
    cpuNum: vm.cpuNum,
    cpuSpeed: 0,
    allocatorStrategy: vm.type === 'ApplianceVm' ? 'LeastVmPreferredHostAllocatorStrategy' : 'LastHostPreferredAllocatorStrategy',
    createDate: created,
    lastOpDate: zstackDate(vm.lastOpDate),
    state: vm.state,
    vmNics: [
      {
        uuid: vm.nic.uuid,
        vmInstanceUuid: vm.uuid,
        l3NetworkUuid: vm.nic.l3NetworkUuid,
        ip: vm.nic.ip,
        mac: vm.nic.mac,
        hypervisorType: 'KVM',
        netmask: vm.nic.netmask,
        gateway: vm.nic.gateway,
        ipVersion: 4,
        deviceId: 0,
        driverType: vm.platform === 'Windows' ? 'e1000' : 'virtio',
        type: 'VNIC',
        state: 'enable',
        internalName: `vnic${vm.index + 1}.0`,
        createDate: created,
        lastOpDate: created,
      },
    ],
  }
}

export function zoneInventory(z: Zone): Record<string, unknown> {
  const d = zstackDate(z.createDate)
  return { uuid: z.uuid, name: z.name, description: z.description, state: 'Enabled', type: 'zstack', isDefault: false, createDate: d, lastOpDate: d }
}

export function clusterInventory(c: Cluster): Record<string, unknown> {
  const d = zstackDate(c.createDate)
  return {
    uuid: c.uuid, name: c.name, state: 'Enabled', hypervisorType: 'KVM', zoneUuid: c.zoneUuid, type: 'zstack', architecture: 'x86_64',
    createDate: d, lastOpDate: d,
  }
}

export function hostInventory(h: Host): Record<string, unknown> {
  const d = zstackDate(h.createDate)
  return {
    uuid: h.uuid, name: h.name, zoneUuid: h.zoneUuid, clusterUuid: h.clusterUuid, managementIp: h.managementIp,
    hypervisorType: 'KVM', state: 'Enabled', status: 'Connected', architecture: 'x86_64', username: 'root', sshPort: 22,
    createDate: d, lastOpDate: d,
  }
}

const text = (v: string | undefined): Scalar => v ?? null

/** What `q=`, `sort=` and `fields=` may name on `/vm-instances` (joined fields with dots). */
export function vmQueryable(inv: Inventory): Queryable<Vm> {
  const fields: Record<string, (vm: Vm) => Scalar> = {
    uuid: (v) => v.uuid,
    name: (v) => v.name,
    type: (v) => v.type,
    state: (v) => v.state,
    zoneUuid: (v) => v.zoneUuid,
    clusterUuid: (v) => v.clusterUuid,
    hostUuid: (v) => text(hostOf(v)),
    lastHostUuid: (v) => v.lastHostUuid,
    imageUuid: (v) => v.imageUuid,
    instanceOfferingUuid: (v) => v.instanceOfferingUuid,
    rootVolumeUuid: (v) => v.rootVolumeUuid,
    defaultL3NetworkUuid: (v) => v.nic.l3NetworkUuid,
    hypervisorType: () => 'KVM',
    platform: (v) => v.platform,
    architecture: (v) => v.architecture,
    guestOsType: (v) => v.guestOsType,
    cpuNum: (v) => v.cpuNum,
    memorySize: (v) => v.memorySize,
    createDate: (v) => v.createDate,
    lastOpDate: (v) => v.lastOpDate,
    description: () => null,
    'vmNics.ip': (v) => v.nic.ip,
    'vmNics.mac': (v) => v.nic.mac,
    'vmNics.uuid': (v) => v.nic.uuid,
    'vmNics.l3NetworkUuid': (v) => v.nic.l3NetworkUuid,
    'zone.name': (v) => text(inv.zoneByUuid.get(v.zoneUuid)?.name),
    'cluster.name': (v) => text(inv.clusterByUuid.get(v.clusterUuid)?.name),
    'host.name': (v) => text(inv.hostByUuid.get(hostOf(v) ?? '')?.name),
    'host.managementIp': (v) => text(inv.hostByUuid.get(hostOf(v) ?? '')?.managementIp),
  }
  return { className: 'VmInstanceInventory', fields, dates: new Set(['createDate', 'lastOpDate']) }
}

export const zoneQueryable: Queryable<Zone> = {
  className: 'ZoneInventory',
  fields: { uuid: (z) => z.uuid, name: (z) => z.name, description: (z) => z.description, state: () => 'Enabled', createDate: (z) => z.createDate },
  dates: new Set(['createDate']),
}

export function clusterQueryable(inv: Inventory): Queryable<Cluster> {
  return {
    className: 'ClusterInventory',
    fields: {
      uuid: (c) => c.uuid, name: (c) => c.name, zoneUuid: (c) => c.zoneUuid, hypervisorType: () => 'KVM', state: () => 'Enabled',
      createDate: (c) => c.createDate, 'zone.name': (c) => text(inv.zoneByUuid.get(c.zoneUuid)?.name),
    },
    dates: new Set(['createDate']),
  }
}

export const hostQueryable: Queryable<Host> = {
  className: 'HostInventory',
  fields: {
    uuid: (h) => h.uuid, name: (h) => h.name, zoneUuid: (h) => h.zoneUuid, clusterUuid: (h) => h.clusterUuid,
    managementIp: (h) => h.managementIp, hypervisorType: () => 'KVM', state: () => 'Enabled', status: () => 'Connected',
    createDate: (h) => h.createDate,
  },
  dates: new Set(['createDate']),
}
