// A Nova server as `GET /servers/detail` and `GET /servers/{id}` render it at a microversion
// (reference openstack.md §3.1 and "Read this first" 6): which keys appear depends on the
// version, the status and whether the caller is admin.
import { statusOf, type Server } from './world'

/** 2.N → N, for comparisons (2.10 > 2.9). */
export function minor(version: string): number {
  return Number(version.split('.')[1] ?? 0)
}

const PROGRESS_STATUSES = new Set(['ACTIVE', 'BUILD', 'REBUILD', 'RESIZE', 'VERIFY_RESIZE', 'MIGRATING'])

export interface ViewContext {
  /** The versioned base the request used, e.g. https://127.0.0.1:1234/r1/public/compute/v2.1 */
  versionedBase: string
  /** The unversioned base, for bookmark links. */
  root: string
  version: string
  admin: boolean
  /** GET /servers/{id} shows a few keys the list does not. */
  single: boolean
}

function links(ctx: ViewContext, kind: string, id: string, projectId: string): unknown[] {
  return [
    { rel: 'self', href: `${ctx.versionedBase}/${projectId}/${kind}/${id}` },
    { rel: 'bookmark', href: `${ctx.root}/${projectId}/${kind}/${id}` },
  ]
}

/** The short form of `GET /servers`. */
export function serverSummary(ctx: ViewContext, s: Server): Record<string, unknown> {
  return { id: s.id, name: s.name, links: links(ctx, 'servers', s.id, s.project.id) }
}

/** The full server object. */
export function serverDetail(ctx: ViewContext, s: Server): Record<string, unknown> {
  const v = minor(ctx.version)
  const status = statusOf(s)
  const pid = s.project.id
  const flavor =
    v >= 47
      ? { vcpus: s.flavor.vcpus, ram: s.flavor.ram, disk: s.flavor.disk, ephemeral: 0, swap: 0, original_name: s.flavor.name }
      : { id: s.flavor.id, links: [{ rel: 'bookmark', href: `${ctx.root}/${pid}/flavors/${s.flavor.id}` }] }
  const image =
    s.image === ''
      ? ''
      : { id: s.image, links: [{ rel: 'bookmark', href: `${ctx.root}/${pid}/images/${s.image}` }], ...(v >= 98 ? { properties: {} } : {}) }
  const out: Record<string, unknown> = {
    id: s.id,
    name: s.name,
    status,
    tenant_id: pid,
    user_id: s.userId,
    metadata: {},
    hostId: s.vmState === 'building' ? '' : s.hostId,
    image,
    flavor,
    created: s.created,
    updated: s.updated,
    addresses: {
      private: [{ version: 4, addr: s.ip, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': s.mac }],
    },
    accessIPv4: '',
    accessIPv6: '',
    links: links(ctx, 'servers', s.id, pid),
    'OS-DCF:diskConfig': 'MANUAL',
    'OS-EXT-AZ:availability_zone': s.vmState === 'building' ? '' : 'nova',
    config_drive: '',
    key_name: null,
    'OS-SRV-USG:launched_at': s.vmState === 'building' ? null : `${s.created.replace(/Z$/, '')}.000000`,
    'OS-SRV-USG:terminated_at': null,
    security_groups: [{ name: 'default' }],
    'OS-EXT-STS:task_state': s.taskState,
    'OS-EXT-STS:vm_state': s.vmState,
    'OS-EXT-STS:power_state': s.powerState,
    'os-extended-volumes:volumes_attached': [],
  }
  if (PROGRESS_STATUSES.has(status)) out.progress = 0
  if (s.vmState === 'error') out.fault = { code: 500, message: 'No valid host was found. ', created: s.updated }
  if (ctx.admin) {
    out['OS-EXT-SRV-ATTR:host'] = s.vmState === 'building' ? null : s.host
    out['OS-EXT-SRV-ATTR:hypervisor_hostname'] = s.vmState === 'building' ? null : `${s.host}.lab.local`
    out['OS-EXT-SRV-ATTR:instance_name'] = `instance-${s.id.slice(0, 8)}`
  }
  if (v >= 9) out.locked = s.locked
  if (v >= 19) out.description = null
  if (v >= 26) out.tags = []
  if (v >= 63) out.trusted_image_certificates = null
  if (v >= 71 && ctx.single) out.server_groups = []
  if (v >= 73) out.locked_reason = null
  if (v >= 90) out['OS-EXT-SRV-ATTR:hostname'] = s.name
  if (v >= 96) out.pinned_availability_zone = null
  if (v >= 100) out.scheduler_hints = {}
  return out
}
