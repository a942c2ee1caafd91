// The simulated cloud: one domain, two projects, two regions, users and an application
// credential (Keystone), and servers seeded deterministically into every project × region
// (Nova). Indexed so a page, a marker or an id is a map lookup: 50,000 servers seed in well
// under a second.
import { random } from '../vsphere/random'

export const REGIONS = ['RegionOne', 'RegionTwo'] as const
export type Region = (typeof REGIONS)[number]
export const INTERFACES = ['public', 'internal', 'admin'] as const
export type Interface = (typeof INTERFACES)[number]

export interface Domain {
  id: string
  name: string
}
export interface Project {
  id: string
  name: string
  domain: Domain
}
export interface User {
  id: string
  name: string
  domain: Domain
  password: string
  /** Role names per project id (implied roles included). */
  roles: Map<string, string[]>
}
export interface AppCredential {
  id: string
  name: string
  secret: string
  user: User
  project: Project
  roles: string[]
}

export type VmState = 'active' | 'stopped' | 'building' | 'paused' | 'suspended' | 'error' | 'shelved_offloaded'

export interface Flavor {
  id: string
  name: string
  vcpus: number
  ram: number
  disk: number
}

export interface Server {
  id: string
  name: string
  project: Project
  region: Region
  /** Position in its project × region list (newest first, as Nova sorts by default). */
  position: number
  userId: string
  created: string
  flavor: Flavor
  /** Image id, or '' for a server booted from a volume. */
  image: string
  ip: string
  mac: string
  host: string
  hostId: string
  /** Stable draws in [0,1) that the state fractions compare against. */
  powerDraw: number
  stateDraw: number
  vmState: VmState
  powerState: number
  taskState: string | null
  /** A start/stop/reboot under way: the state it lands in and when. */
  pending: { until: number; vmState: VmState; powerState: number } | undefined
  /** Set by a lab control call; wins over the fractions. */
  override: VmState | undefined
  /** An action changed it: the fractions no longer apply. */
  touched: boolean
  locked: boolean
  updated: string
}

export interface Image {
  id: string
  name: string
}

export interface World {
  domain: Domain
  /** Glance's images (the lab serves a minimal image list so real clients can look names up). */
  images: Image[]
  projects: Project[]
  users: User[]
  appCredential: AppCredential
  servers: Server[]
  serverById: Map<string, Server>
  /** `${projectId}|${region}` → servers, newest first. */
  byScope: Map<string, Server[]>
}

export const scopeKey = (projectId: string, region: string): string => `${projectId}|${region}`

export function uuid(rand: () => number): string {
  const hex = hexId(rand)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`
}

export function hexId(rand: () => number, length = 32): string {
  let out = ''
  while (out.length < length) out += Math.floor(rand() * 0x100000000).toString(16).padStart(8, '0')
  return out.slice(0, length)
}

const FLAVORS: Flavor[] = [
  { id: '1', name: 'm1.tiny', vcpus: 1, ram: 512, disk: 1 },
  { id: '2', name: 'm1.small', vcpus: 1, ram: 2048, disk: 20 },
  { id: '3', name: 'm1.medium', vcpus: 2, ram: 4096, disk: 40 },
  { id: '4', name: 'm1.large', vcpus: 4, ram: 8192, disk: 80 },
]
const ROLES = ['web', 'db', 'cache', 'worker', 'build', 'api', 'queue', 'mon']

export const LAB_PASSWORD = 'Porthole-demo-1!'
export const APP_CREDENTIAL_SECRET = 'porthole-lab-appcred-secret'

/** Power state integers (nova/compute/power_state.py). */
export const POWER = { NOSTATE: 0, RUNNING: 1, PAUSED: 3, SHUTDOWN: 4, SUSPENDED: 7 } as const

const POWER_OF: Record<VmState, number> = {
  active: POWER.RUNNING,
  stopped: POWER.SHUTDOWN,
  building: POWER.NOSTATE,
  paused: POWER.PAUSED,
  suspended: POWER.SUSPENDED,
  error: POWER.SHUTDOWN,
  shelved_offloaded: POWER.SHUTDOWN,
}

export function powerOf(state: VmState): number {
  return POWER_OF[state]
}

/** The state the fractions give a server that nobody has touched. */
function derivedState(s: Server, poweredOffFraction: number): VmState {
  if (s.powerDraw < poweredOffFraction) return 'stopped'
  if (s.stateDraw < 0.02) return 'suspended'
  if (s.stateDraw < 0.03) return 'paused'
  if (s.stateDraw < 0.035) return 'error'
  if (s.stateDraw < 0.04) return 'building'
  return 'active'
}

/** Re-derives the state of every server without an override or an action under way. */
export function applyFractions(world: World, poweredOffFraction: number): void {
  for (const s of world.servers) {
    if (s.override || s.pending || s.touched) continue
    s.vmState = derivedState(s, poweredOffFraction)
    s.powerState = POWER_OF[s.vmState]
    s.taskState = s.vmState === 'building' ? 'spawning' : null
  }
}

/** Seeds the cloud: the same seed gives the same ids, names and states. */
export function seedWorld(count: number, seed: number, poweredOffFraction: number): World {
  const rand = random(seed)
  const domain: Domain = { id: 'default', name: 'Default' }
  const projects: Project[] = ['demo', 'ops'].map((name) => ({ id: hexId(rand), name, domain }))
  const [demo, ops] = projects as [Project, Project]
  const all = ['admin', 'member', 'reader']
  const admin: User = {
    id: hexId(rand),
    name: 'admin',
    domain,
    password: LAB_PASSWORD,
    roles: new Map([
      [demo.id, all],
      [ops.id, all],
    ]),
  }
  const alice: User = { id: hexId(rand), name: 'alice', domain, password: LAB_PASSWORD, roles: new Map([[demo.id, ['member', 'reader']]]) }
  const appCredential: AppCredential = {
    id: hexId(rand),
    name: 'porthole-lab',
    secret: APP_CREDENTIAL_SECRET,
    user: admin,
    project: ops,
    roles: ['member', 'reader'],
  }
  const images: Image[] = ['cirros-0.6.2', 'debian-12', 'ubuntu-24.04', 'rocky-9', 'windows-server-2022', 'fedora-40'].map((name) => ({ id: uuid(rand), name }))
  const servers: Server[] = []
  const serverById = new Map<string, Server>()
  const byScope = new Map<string, Server[]>()
  const scopes = projects.flatMap((p) => REGIONS.map((r) => ({ project: p, region: r })))
  for (const sc of scopes) byScope.set(scopeKey(sc.project.id, sc.region), [])
  const t0 = Date.UTC(2026, 0, 1)
  for (let i = 0; i < count; i++) {
    const sc = scopes[i % scopes.length] as (typeof scopes)[number]
    const list = byScope.get(scopeKey(sc.project.id, sc.region)) as Server[]
    const position = list.length
    const r = sc.region === 'RegionOne' ? 1 : 2
    const host = `compute-r${r}-${String(Math.floor(rand() * 40)).padStart(2, '0')}`
    const created = new Date(t0 - i * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const n = position + 1
    const s: Server = {
      id: uuid(rand),
      name: `${sc.project.name}-${ROLES[n % ROLES.length] as string}-r${r}-${String(n).padStart(5, '0')}`,
      project: sc.project,
      region: sc.region,
      position,
      userId: admin.id,
      created,
      updated: created,
      flavor: FLAVORS[Math.floor(rand() * FLAVORS.length)] as Flavor,
      image: rand() < 0.1 ? '' : (images[Math.floor(rand() * images.length)] as Image).id,
      ip: `10.${sc.project === demo ? r : r + 10}.${Math.floor(position / 250) % 256}.${(position % 250) + 2}`,
      mac: `fa:16:3e:${hexId(rand, 6).match(/../g)?.join(':') ?? '00:00:00'}`,
      host,
      hostId: hexId(rand, 56),
      powerDraw: rand(),
      stateDraw: rand(),
      vmState: 'active',
      powerState: POWER.RUNNING,
      taskState: null,
      pending: undefined,
      override: undefined,
      touched: false,
      locked: false,
    }
    list.push(s)
    servers.push(s)
    serverById.set(s.id, s)
  }
  const world: World = { domain, images, projects, users: [admin, alice], appCredential, servers, serverById, byScope }
  applyFractions(world, poweredOffFraction)
  return world
}

/** Nova's status for a vm_state and task_state (nova/api/openstack/common.py `_STATE_MAP`, the part the lab uses). */
export function statusOf(s: Pick<Server, 'vmState' | 'taskState'>): string {
  const t = s.taskState
  switch (s.vmState) {
    case 'active':
      if (t === 'rebooting' || t === 'reboot_pending' || t === 'reboot_started') return 'REBOOT'
      if (t === 'rebooting_hard' || t === 'reboot_pending_hard' || t === 'reboot_started_hard') return 'HARD_REBOOT'
      return 'ACTIVE'
    case 'stopped':
      if (t === 'rebooting_hard' || t === 'reboot_pending_hard' || t === 'reboot_started_hard') return 'HARD_REBOOT'
      return 'SHUTOFF'
    case 'building':
      return 'BUILD'
    case 'paused':
      return 'PAUSED'
    case 'suspended':
      return 'SUSPENDED'
    case 'error':
      return 'ERROR'
    case 'shelved_offloaded':
      return 'SHELVED_OFFLOADED'
  }
}

/** Lands an action whose delay has passed. */
export function settle(s: Server, now: number): void {
  if (s.pending && now >= s.pending.until) {
    s.vmState = s.pending.vmState
    s.powerState = s.pending.powerState
    s.taskState = null
    s.pending = undefined
    s.updated = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z')
  }
}
