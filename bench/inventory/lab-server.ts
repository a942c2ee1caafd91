// The vCenter lab of the inventory benchmark, in its own process (as a real vCenter is another
// machine): it answers the host and the bare client alike, and records the VM list calls it
// answered, so the bare client can fetch exactly the pages the provider fetched.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startVsphereLab } from '../../lab/vsphere/simulator'

/** What the parent needs; sent over the fork channel. */
export interface BenchLab {
  url: string
  port: number
  user: string
  password: string
  cert: string
  sha256: string
}

export type LabMessage = { type: 'take-requests' | 'peek-requests' }
export interface LabRequests {
  type: 'requests'
  /** Path and query of each list call of the walk (VMs and the objects it partitions by), in order. */
  vmLists: string[]
  /** Every /api request answered, counted. */
  total: number
  /** Epoch ms of the first request and of the last answer sent. */
  first: number
  last: number
}

async function main(): Promise<void> {
  const vms = Number(process.env.BENCH_VMS ?? 50_000)
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-bench-lab-'))
  const lab = await startVsphereLab({ vms, seed: 1, dataDir })
  let vmLists: string[] = []
  let total = 0
  // Recorded as they arrive (before the lab answers): every list call of the walk, the ones
  // that failed with too_many_matches included, since the provider had to make them too.
  let first = 0
  let last = 0
  lab.server.prependListener('request', (req, res) => {
    const url = req.url ?? ''
    if (!url.startsWith('/api/')) return
    if (first === 0) first = Date.now()
    res.once('finish', () => (last = Date.now()))
    total++
    if (req.method === 'GET' && /^\/api\/vcenter\/(vm|folder|datacenter|cluster|host)(\?|$)/.test(url)) vmLists.push(url)
  })
  process.on('message', (message: LabMessage) => {
    if (message.type === 'peek-requests') process.send?.({ type: 'requests', vmLists, total, first, last } satisfies LabRequests)
    if (message.type === 'take-requests') {
      const reply: LabRequests = { type: 'requests', vmLists, total, first, last }
      vmLists = []
      total = 0
      first = 0
      last = 0
      process.send?.(reply)
    }
  })
  process.on('disconnect', () => {
    void lab.stop().then(() => {
      fs.rmSync(dataDir, { recursive: true, force: true })
      process.exit(0)
    })
  })
  const ready: BenchLab = { url: lab.url, port: lab.port, user: lab.user, password: lab.password, cert: lab.certificate().cert, sha256: lab.certificate().sha256 }
  process.send?.(ready)
}

void main()
