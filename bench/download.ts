// download: Porthole's guest file download (one streamed GET through the trust store into
// `<name>.part`, fsync, rename) against `curl` of a fresh transfer URL, for a 1 GiB file from the
// vCenter lab (in its own process). Both write to the same disk and both end durable (curl's
// file is fsynced after it exits, inside its timing). Interleaved A,B,A,B (5 pairs: both vary by a
// third from run to run on a shared disk) after a warm-up;
// medians. Also the peak RSS growth of the host process during Porthole's downloads.
// Prints one JSON line per figure.
import { execFile, fork } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Agent, request } from 'undici'
import { GUEST_PASSWORD } from '../lab/vsphere/guest-auth'
import { createHost } from '../main/host'
import { memoryLog } from '../main/services/log/log'
import type { BenchLab } from './download/lab-server'
import { median, print } from './statistics'

const FILE = '/home/demo/Downloads/big-1GiB.bin'
const SIZE = 1024 ** 3
const RUNS = 5
const MiB = 1024 * 1024

const round = (n: number, digits = 2): number => Number(n.toFixed(digits))

function startLab(): Promise<{ lab: BenchLab; stop(): Promise<void> }> {
  const child = fork(path.join(__dirname, 'download', 'lab-server.ts'), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`lab process exited (${code}) before it was ready`)))
    child.once('message', (message) => resolve({ lab: message as BenchLab, stop: async () => (child.disconnect(), await exited) }))
  })
}

/** A fresh transfer URL straight from the lab's API, `*` replaced by the host called (curl's side). */
async function freshUrl(lab: BenchLab): Promise<string> {
  const agent = new Agent({ connect: { rejectUnauthorized: false } })
  try {
    const login = await request(`${lab.url}/api/session`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${lab.user}:${lab.password}`).toString('base64')}` },
      dispatcher: agent,
    })
    const token = (await login.body.json()) as string
    const res = await request(`${lab.url}/api/vcenter/vm/${lab.vmId}/guest/filesystem?action=create`, {
      method: 'POST',
      headers: { 'vmware-api-session-id': token, 'content-type': 'application/json' },
      body: JSON.stringify({
        credentials: { type: 'USERNAME_PASSWORD', interactive_session: false, user_name: 'root', password: GUEST_PASSWORD },
        spec: { path: FILE },
      }),
      dispatcher: agent,
    })
    const url = (await res.body.json()) as string
    return url.replace('https://*', `https://${new URL(lab.url).hostname}`)
  } finally {
    await agent.close()
  }
}

/** curl of a fresh URL into `file`, then fsync: seconds. Into /dev/null: the lab's own ceiling. */
async function curlOnce(lab: BenchLab, file: string): Promise<number> {
  const url = await freshUrl(lab)
  const t0 = process.hrtime.bigint()
  await new Promise<void>((resolve, reject) => {
    execFile('curl', ['-k', '-s', '-f', '-o', file, url], (err) => (err ? reject(err) : resolve()))
  })
  if (file === '/dev/null') return Number(process.hrtime.bigint() - t0) / 1e9
  const fd = fs.openSync(file, 'r+')
  fs.fsyncSync(fd)
  fs.closeSync(fd)
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  if (fs.statSync(file).size !== SIZE) throw new Error('curl wrote a short file')
  return seconds
}

async function main(): Promise<void> {
  const curlCheck = await new Promise<boolean>((resolve) => execFile('curl', ['--version'], (err) => resolve(!err)))
  if (!curlCheck) throw new Error('curl is not installed: the baseline needs it')
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-bench-download-'))
  const downloadsDir = path.join(root, 'Downloads')
  const { lab, stop } = await startLab()
  let settings: unknown
  const host = createHost({
    dataDir: path.join(root, 'data'),
    version: 'bench',
    platform: process.platform,
    settingsStore: { read: () => settings, write: (v) => (settings = v) },
    log: memoryLog(),
    vault: { kdf: { m: 64, t: 1, p: 1 } },
    downloads: { dir: downloadsDir },
  })
  const ctx = { transport: 'websocket' as const, signal: new AbortController().signal }
  const call = async (name: string, input: unknown): Promise<unknown> => {
    const r = await host.dispatch(name, input, ctx)
    if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`)
    return r.value
  }
  try {
    await call('vault.create', { password: 'bench master password' })
    const profile = (await call('profiles.add', { kind: 'vsphere', name: 'Bench lab', endpoint: lab.url, user: lab.user, trust: { mode: 'pinned' }, secret: lab.password })) as { id: string }
    const ref = { connectionId: profile.id, id: lab.vmId }
    // Pin vCenter's and (after one refused download) the ESXi host's certificates, as a user would.
    const vc = await host.trust.probe(profile.id, lab.url, { mode: 'pinned' })
    await host.trust.trust(profile.id, vc.host, vc.port, vc.certificate.fingerprint256)
    host.inventory.connect(profile.id)
    await host.inventory.settled(profile.id)
    await call('guest.credentials.set', { vm: ref, type: 'password', user: 'root', password: GUEST_PASSWORD, remember: false })
    // Growth is counted from before the first (warm-up) download, so buffers kept after it count too.
    const before = process.memoryUsage.rss()
    const porthole = async (): Promise<{ seconds: number; rssGrowth: number }> => {
      let peak = process.memoryUsage.rss()
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10)
      const t0 = process.hrtime.bigint()
      const started = (await call('downloads.start', { vm: ref, path: FILE })) as { id: string }
      const done = await host.downloads.settled(started.id)
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9
      clearInterval(sampler)
      peak = Math.max(peak, process.memoryUsage.rss())
      if (done.state !== 'done') {
        const detail = done.error?.detail as { host?: string; port?: number; fingerprint256?: string } | undefined
        if (done.error?.code === 'TLS_UNTRUSTED' && detail?.host && detail.port && detail.fingerprint256) {
          await host.trust.trust(profile.id, detail.host, detail.port, detail.fingerprint256)
          return porthole()
        }
        throw new Error(`download ${done.state}: ${done.error?.message ?? ''}`)
      }
      fs.rmSync(path.join(downloadsDir, done.name))
      return { seconds, rssGrowth: (peak - before) / MiB }
    }
    const curlFile = path.join(root, 'curl.bin')

    // Warm-up, one of each.
    const warm = await porthole()
    await curlOnce(lab, curlFile)
    fs.rmSync(curlFile)
    const portholeRuns: number[] = []
    const curlRuns: number[] = []
    const rss: number[] = []
    for (let i = 0; i < RUNS; i++) {
      const p = await porthole()
      portholeRuns.push(SIZE / MiB / p.seconds)
      rss.push(p.rssGrowth)
      curlRuns.push(SIZE / MiB / (await curlOnce(lab, curlFile)))
      fs.rmSync(curlFile)
    }
    const ceiling = SIZE / MiB / (await curlOnce(lab, '/dev/null'))
    const p = median(portholeRuns)
    const c = median(curlRuns)
    print({ bench: 'download.throughput', file_mib: SIZE / MiB, porthole_mib_s: round(p, 1), curl_mib_s: round(c, 1), porthole_runs: portholeRuns.map((v) => round(v, 1)), curl_runs: curlRuns.map((v) => round(v, 1)), curl_to_dev_null_mib_s: round(ceiling, 1) })
    const ratio = p / c
    const growth = Math.max(warm.rssGrowth, ...rss)
    print({ bench: 'download.throughput_ratio', value: round(ratio, 3), unit: 'ratio', target: '>=0.9', met: ratio >= 0.9, runs: portholeRuns.map((v, i) => round(v / (curlRuns[i] as number), 2)) })
    print({ bench: 'download.rss_growth_mb', value: round(growth, 1), unit: 'MB', target: '<=64', met: growth <= 64, warmup: round(warm.rssGrowth, 1), runs: rss.map((v) => round(v, 1)) })
  } finally {
    await host.dispose()
    await stop()
    fs.rmSync(root, { recursive: true, force: true })
  }
}

void main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
