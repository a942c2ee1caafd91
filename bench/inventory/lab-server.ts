// The lab of the inventory benchmark, in its own process (as a real vCenter, OpenStack or ZStack
// is another machine): BENCH_LAB=vsphere (default), openstack or zstack. It answers the host and
// the bare client alike, and records the list calls it answered (with the headers that made
// them: token, microversion), so the bare client can fetch exactly what the provider fetched.
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startOpenstackLab } from '../../lab/openstack/simulator'
import { scopeKey } from '../../lab/openstack/world'
import { startVsphereLab } from '../../lab/vsphere/simulator'
import { startZstackLab } from '../../lab/zstack/simulator'

export type BenchLabKind = 'vsphere' | 'openstack' | 'zstack'

/** What the parent needs; sent over the fork channel. */
export interface BenchLab {
  kind: BenchLabKind
  /** vSphere and ZStack: the API base; OpenStack: the lab origin. */
  url: string
  /** OpenStack: Keystone's auth URL. */
  authUrl?: string
  port: number
  user: string
  password: string
  /** OpenStack: the project and region the benchmark's profile is scoped to. */
  project?: string
  region?: string
  domain?: string
  cert: string
  sha256: string
  /** VMs a listing of the profile must yield. */
  vms: number
}

export type LabMessage = { type: 'take-requests' | 'peek-requests' }

/** One recorded list call: path and query, and the headers the bare client must send too. */
export interface RecordedCall {
  url: string
  headers: Record<string, string>
}

export interface LabRequests {
  type: 'requests'
  /** Path and query of each list call of the walk (VMs and the objects it partitions or names by), in order. */
  vmLists: string[]
  /** The same calls with the headers they came with (OpenStack and ZStack). */
  calls: RecordedCall[]
  /** Every API request answered, counted. */
  total: number
  /** Epoch ms of the first request and of the last answer sent. */
  first: number
  last: number
  /** Each API request: epoch ms it arrived and its answer was sent, and its path (for BENCH_TIMELINE). */
  timeline: [number, number, string][]
}

/** Headers that select who asks and which answer shape (token, session, microversion). */
const REPLAYED = ['x-auth-token', 'openstack-api-version', 'x-openstack-nova-api-version', 'authorization', 'accept']

/** OpenStack: the benchmark's profile lists project demo in RegionOne, a quarter of the servers: seed 4× the figure. */
const OPENSTACK_SCOPES = 4
/** ZStack: one virtual router per 60 VMs and ~2 % in the recycle bin are not listed: seed a little more. */
const ZSTACK_SEED_FACTOR = 1.038

interface Started {
  lab: BenchLab
  server: Server
  /** Which requests are API calls, and which of those are the list calls to replay. */
  isApi(url: string): boolean
  isList(method: string, url: string): boolean
  stop(): Promise<void>
}

async function start(kind: BenchLabKind, vms: number, dataDir: string): Promise<Started> {
  if (kind === 'openstack') {
    const lab = await startOpenstackLab({ vms: vms * OPENSTACK_SCOPES, seed: 1, dataDir, consoleBackend: 'builtin' })
    const demo = lab.world.projects.find((p) => p.name === 'demo')
    if (!demo) throw new Error('the OpenStack lab has no project demo')
    const listed = lab.world.byScope.get(scopeKey(demo.id, 'RegionOne'))?.length ?? 0
    return {
      lab: {
        kind,
        url: lab.url,
        authUrl: lab.authUrl,
        port: lab.port,
        user: lab.user,
        password: lab.password,
        project: 'demo',
        region: 'RegionOne',
        domain: lab.domain,
        cert: lab.certificate().cert,
        sha256: lab.certificate().sha256,
        vms: listed,
      },
      server: lab.server,
      isApi: (url) => !url.startsWith('/lab/'),
      isList: (method, url) => method === 'GET' && /\/compute\/v2\.1\/servers\/detail(\?|$)/.test(url),
      stop: () => lab.stop(),
    }
  }
  if (kind === 'zstack') {
    const lab = await startZstackLab({ vms: Math.ceil(vms * ZSTACK_SEED_FACTOR), seed: 1, dataDir, consoleBackend: 'builtin' })
    const listed = lab.state.inv.vms.filter((v) => v.type === 'UserVm' && v.state !== 'Destroyed' && v.state !== 'Expunging').length
    return {
      lab: { kind, url: lab.url, port: Number(new URL(lab.url).port), user: lab.account, password: lab.password, cert: lab.certificate.cert, sha256: lab.certificate.sha256, vms: listed },
      server: lab.server,
      isApi: (url) => url.startsWith('/zstack/'),
      isList: (method, url) => method === 'GET' && /^\/zstack\/v1\/(vm-instances|zones|clusters|hosts)(\?|$)/.test(url),
      stop: () => lab.stop(),
    }
  }
  const lab = await startVsphereLab({ vms, seed: 1, dataDir, faults: { latencyMs: Number(process.env.BENCH_LAB_LATENCY ?? 0) } })
  return {
    lab: { kind, url: lab.url, port: lab.port, user: lab.user, password: lab.password, cert: lab.certificate().cert, sha256: lab.certificate().sha256, vms },
    server: lab.server,
    isApi: (url) => url.startsWith('/api/'),
    // Every list call of the walk, the ones that failed with too_many_matches included, since the provider had to make them too.
    isList: (method, url) => method === 'GET' && /^\/api\/vcenter\/(vm|folder|datacenter|cluster|host)(\?|$)/.test(url),
    stop: () => lab.stop(),
  }
}

async function main(): Promise<void> {
  const vms = Number(process.env.BENCH_VMS ?? 50_000)
  const kind = (process.env.BENCH_LAB ?? 'vsphere') as BenchLabKind
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-bench-lab-'))
  const started = await start(kind, vms, dataDir)
  let vmLists: string[] = []
  let calls: RecordedCall[] = []
  let total = 0
  let first = 0
  let last = 0
  let timeline: [number, number, string][] = []
  // Recorded as they arrive (before the lab answers).
  started.server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? ''
    if (!started.isApi(url)) return
    const arrived = Date.now()
    if (first === 0) first = arrived
    res.once('finish', () => {
      last = Date.now()
      timeline.push([arrived, last, url])
    })
    total++
    if (started.isList(req.method ?? 'GET', url)) {
      vmLists.push(url)
      const headers: Record<string, string> = {}
      for (const h of REPLAYED) {
        const v = req.headers[h]
        if (typeof v === 'string') headers[h] = v
      }
      calls.push({ url, headers })
    }
  })
  process.on('message', (message: LabMessage) => {
    const reply: LabRequests = { type: 'requests', vmLists, calls, total, first, last, timeline }
    if (message.type === 'take-requests') {
      vmLists = []
      calls = []
      total = 0
      first = 0
      last = 0
      timeline = []
    }
    process.send?.(reply)
  })
  process.on('disconnect', () => {
    void started.stop().then(() => {
      fs.rmSync(dataDir, { recursive: true, force: true })
      process.exit(0)
    })
  })
  process.send?.(started.lab)
}

void main()
