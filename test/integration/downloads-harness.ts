// A real host (vault with tiny KDF costs, profiles, inventory, guest credentials, downloads)
// connected to a real vCenter lab on 127.0.0.1, for the downloads integration tests. Calls go
// through the host's dispatch, so every input and output is checked against the contract.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Agent, request } from 'undici'
import type { CallInput, CallOutput } from '../../contract/define'
import type { Download } from '../../contract/downloads'
import type { WireError } from '../../contract/errors'
import type { Calls } from '../../contract/index'
import { TlsUntrustedDetail } from '../../contract/tls'
import type { CallContext } from '../../contract/serve'
import { createHost, type Host, type HostOptions } from '../../main/host'
import { memoryLog } from '../../main/services/log/log'
import { GUEST_PASSWORD } from '../../lab/vsphere/guest-auth'
import type { Vm } from '../../lab/vsphere/inventory'
import { startVsphereLab, type VsphereLab } from '../../lab/vsphere/simulator'
import type { FaultsPatch } from '../../lab/vsphere/faults'

export const TINY_KDF = { m: 64, t: 1, p: 1 }

export interface DownloadsHarness {
  root: string
  downloadsDir: string
  host: Host
  lab: VsphereLab
  profileId: string
  /** A powered-on Linux VM with Tools running and its guest credentials given. */
  vm: Vm
  ref: { connectionId: string; id: string }
  events: { name: string; payload: unknown }[]
  call<K extends keyof Calls>(name: K, input: CallInput<Calls[K]>, ctx?: Partial<CallContext>): Promise<CallOutput<Calls[K]>>
  fail<K extends keyof Calls>(name: K, input: CallInput<Calls[K]>, ctx?: Partial<CallContext>): Promise<WireError>
  /** Starts a download and waits for it to end (done, failed or cancelled). */
  download(guestPath: string): Promise<Download>
  /** Trusts the certificate a TLS_UNTRUSTED download error names (what the UI's prompt does). */
  trustFrom(error: WireError | undefined): Promise<void>
  setFaults(patch: FaultsPatch): Promise<void>
  /** Per-VM lab faults through the lab's control endpoint (`POST /lab/vms/{vm}`), as an operator would flip them. */
  setVm(patch: { power?: 'POWERED_ON' | 'POWERED_OFF' | 'SUSPENDED' }): Promise<void>
  /** Pins the lab's ESXi certificate up front (tests that are not about the trust prompt). */
  trustEsxi(): Promise<void>
  /** Files in the downloads folder. */
  files(): string[]
  close(): Promise<void>
}

/** Waits for a condition with a deadline, instead of sleeping and hoping. */
export async function until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

export async function startDownloadsHarness(downloads: HostOptions['downloads'] = {}): Promise<DownloadsHarness> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-downloads-it-'))
  const dataDir = path.join(root, 'data')
  const downloadsDir = downloads.dir ?? path.join(root, 'Downloads')
  fs.mkdirSync(dataDir, { recursive: true })
  const lab = await startVsphereLab({ vms: 40, seed: 7, dataDir: path.join(root, 'lab'), faults: { toolsNotRunningFraction: 0, processChurnMs: 0 } })
  const log = memoryLog()
  let settings: unknown
  const host = createHost({
    dataDir,
    version: '0.0.0-test',
    platform: 'linux',
    settingsStore: { read: () => settings, write: (v) => (settings = v) },
    log,
    vault: { kdf: TINY_KDF },
    downloads: { ...downloads, dir: downloadsDir },
  })
  const events: { name: string; payload: unknown }[] = []
  host.events.subscribe((name, payload) => events.push({ name, payload }))
  const controller = new AbortController()
  const call = async <K extends keyof Calls>(name: K, input: CallInput<Calls[K]>, ctx: Partial<CallContext> = {}): Promise<CallOutput<Calls[K]>> => {
    const result = await host.dispatch(name, input, { transport: 'websocket', signal: controller.signal, ...ctx })
    if (!result.ok) throw Object.assign(new Error(`${String(name)}: ${result.error.code} ${result.error.message}`), { wire: result.error })
    return result.value as CallOutput<Calls[K]>
  }
  const fail = async <K extends keyof Calls>(name: K, input: CallInput<Calls[K]>, ctx: Partial<CallContext> = {}): Promise<WireError> => {
    const result = await host.dispatch(name, input, { transport: 'websocket', signal: controller.signal, ...ctx })
    if (result.ok) throw new Error(`${String(name)} was expected to fail`)
    return result.error
  }

  await call('vault.create', { password: 'master password for tests' })
  const profile = await call('profiles.add', {
    kind: 'vsphere',
    name: 'Lab vCenter',
    endpoint: lab.url,
    user: lab.user,
    trust: { mode: 'pinned' },
    secret: lab.password,
  })
  // vCenter's own certificate is trusted up front; the ESXi host's is left for each test.
  const probe = await host.trust.probe(profile.id, lab.url, { mode: 'pinned' })
  await host.trust.trust(profile.id, probe.host, probe.port, probe.certificate.fingerprint256)
  host.inventory.connect(profile.id)
  await host.inventory.settled(profile.id)
  const vm = lab.state.inv.vms.find((v) => v.power === 'POWERED_ON' && v.os.family === 'LINUX')
  if (!vm) throw new Error('the lab has no powered-on Linux VM')
  vm.toolsOverride = 'running'
  const ref = { connectionId: profile.id, id: vm.id }
  await call('guest.credentials.set', { vm: ref, type: 'password', user: 'root', password: GUEST_PASSWORD, remember: false })

  const harness: DownloadsHarness = {
    root,
    downloadsDir,
    host,
    lab,
    profileId: profile.id,
    vm,
    ref,
    events,
    call,
    fail,
    async download(guestPath) {
      const started = await call('downloads.start', { vm: ref, path: guestPath })
      return host.downloads.settled(started.id)
    },
    async trustFrom(error) {
      if (error?.code !== 'TLS_UNTRUSTED') throw new Error(`expected TLS_UNTRUSTED, got ${error?.code ?? 'nothing'}`)
      const detail = TlsUntrustedDetail.parse(error.detail)
      await call('tls.trust', { profileId: profile.id, host: detail.host, port: detail.port, fingerprint256: detail.fingerprint256 })
    },
    async trustEsxi() {
      const esxi = await host.trust.probe(profile.id, `https://127.0.0.1:${lab.esxi.port}`, { mode: 'pinned' })
      await host.trust.trust(profile.id, esxi.host, esxi.port, esxi.certificate.fingerprint256)
    },
    async setFaults(patch) {
      await lab.setFaults(patch)
    },
    async setVm(patch) {
      const agent = new Agent({ connect: { ca: lab.certificate().cert } })
      try {
        const res = await request(`${lab.url}/lab/vms/${vm.id}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${lab.adminToken}`, 'content-type': 'application/json' },
          body: JSON.stringify(patch),
          dispatcher: agent,
        })
        await res.body.dump()
        if (res.statusCode !== 200) throw new Error(`lab control answered ${res.statusCode}`)
      } finally {
        await agent.close()
      }
    },
    files: () => (fs.existsSync(downloadsDir) ? fs.readdirSync(downloadsDir).sort() : []),
    async close() {
      controller.abort()
      await host.dispose()
      await lab.stop()
      fs.rmSync(root, { recursive: true, force: true })
    },
  }
  return harness
}
