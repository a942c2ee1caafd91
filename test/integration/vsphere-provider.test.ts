// The vCenter provider against the vCenter lab over real HTTPS on 127.0.0.1: both API styles,
// re-login, the partitioned listing of 50,000 VMs, error mapping, abort and timeout, and guest
// credentials versus an expired session.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Agent } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Vm as VmSchema } from '../../contract/inventory'
import { startVsphereLab, type VsphereLab } from '../../lab/vsphere/simulator'
import { VsphereClient } from '../../main/services/providers/vsphere/client'
import { VsphereProvider, type VsphereProviderOptions } from '../../main/services/providers/vsphere/vsphere-provider'
import { codeOf, errorOf } from '../helpers/error-of'
import { listAll } from '../helpers/provider-calls'

const GUEST = { username: 'root', password: 'porthole-guest' }
const never = new AbortController().signal

let dataDir: string
let lab: VsphereLab
let agent: Agent
/** Added to the lab's clock, to idle sessions out without waiting. */
let skew = 0

function provider(extra: Partial<VsphereProviderOptions> = {}, target: VsphereLab = lab): VsphereProvider {
  return new VsphereProvider({
    connectionId: 'conn-1',
    baseUrl: target.url,
    username: target.user,
    password: target.password,
    dispatcher: agent,
    ...extra,
  })
}

/** A VM of the lab in the given state, with Tools running, of the given family. */
function vmIn(power: 'POWERED_ON' | 'POWERED_OFF' | 'SUSPENDED', family: 'LINUX' | 'WINDOWS' = 'LINUX', target: VsphereLab = lab): string {
  const vm = target.state.inv.vms.find(
    (v) => v.power === power && v.os.family === family && !v.busy && v.toolsDraw >= target.state.faults.toolsNotRunningFraction,
  )
  if (!vm) throw new Error(`no ${power} ${family} VM`)
  return vm.id
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsphere-provider-'))
  lab = await startVsphereLab({ vms: 400, seed: 3, dataDir, faults: { guestPowerDelayMs: 0 }, now: () => Date.now() + skew })
  // Trust exactly the lab's certificate, as a pinned/CA-file profile would.
  agent = new Agent({ connect: { ca: lab.certificate().cert } })
})

afterAll(async () => {
  await agent?.close()
  await lab?.stop()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('vSphere provider against the lab', () => {
  it('detects /api, lists every VM once with normalized fields the contract accepts', async () => {
    const p = provider()
    await p.login(never)
    expect(p.style).toBe('api')
    const vms = await listAll(p)
    expect(vms).toHaveLength(400)
    expect(new Set(vms.map((v) => v.ref.id)).size).toBe(400)
    for (const vm of vms) VmSchema.parse(vm)
    const sample = vms.find((v) => v.ref.id === lab.state.inv.vms[0]?.id)
    expect(sample).toMatchObject({ name: lab.state.inv.vms[0]?.name, provider: 'vsphere', ref: { connectionId: 'conn-1' } })
    const powers = new Set(vms.map((v) => v.power))
    expect(powers).toEqual(new Set(['on', 'off', 'suspended']))
    // vCenter's own power state is the status the inventory shows.
    for (const vm of vms) expect(vm.status).toBe(lab.state.inv.vmById.get(vm.ref.id)?.power)
    // Listed per datacenter and folder (the default): every VM has its group.
    const folderOf = new Map(lab.state.inv.folders.map((f) => [f.id, f.name]))
    const dcOf = new Map(lab.state.inv.datacenters.map((d) => [d.id, d.name]))
    for (const vm of vms) {
      const truth = lab.state.inv.vmById.get(vm.ref.id)!
      expect(vm.group).toBe(`${dcOf.get(truth.datacenter)}/${folderOf.get(truth.folder)}`)
    }
    await p.logout(never)
  })

  it('groupBy none lists a small inventory in one call; by folder it costs a call per folder, never per VM', async () => {
    const flat = provider({ groupBy: 'none' })
    await flat.login(never)
    let before = lab.state.requests
    const vms = await listAll(flat)
    expect(vms).toHaveLength(400)
    expect(lab.state.requests - before).toBe(1)
    expect(vms.every((v) => v.group === undefined)).toBe(true)

    const grouped = provider()
    await grouped.login(never)
    before = lab.state.requests
    await listAll(grouped)
    const vmFolders = lab.state.inv.folders.filter((f) => f.type === 'VIRTUAL_MACHINE').length
    // datacenter list + a folder list per datacenter + a VM list per folder
    expect(lab.state.requests - before).toBe(1 + lab.state.inv.datacenters.length + vmFolders)
  })

  it('falls back to /rest when the server has no /api (7.0 GA/U1) and does everything there', async () => {
    await lab.setFaults({ restOnly: true })
    try {
      const p = provider()
      await p.login(never)
      expect(p.style).toBe('rest')
      expect(await listAll(p)).toHaveLength(400)
      const off = vmIn('POWERED_OFF')
      await p.power(off, 'on', never)
      expect(lab.state.inv.vmById.get(off)?.power).toBe('POWERED_ON')
      const ticket = await p.consoleTicket(off, 'rfb', never)
      expect(ticket).toMatchObject({ kind: 'rfb', subprotocols: ['binary'] })
      expect(ticket.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/ticket\//)
      expect((await p.getVm(off, never)).guestOs).toBe(lab.state.inv.vmById.get(off)?.os.id)
      expect(await codeOf(p.guest.listProcesses(off, GUEST, never))).toBe('UNSUPPORTED')
      await p.power(off, 'off', never)
    } finally {
      await lab.setFaults({ restOnly: false })
    }
  })

  it('a forced /rest style works against a server that has both', async () => {
    const p = provider({ style: 'rest' })
    await p.login(never)
    expect(p.style).toBe('rest')
    expect(await listAll(p)).toHaveLength(400)
  })

  it('re-logs in once, silently, when the session expired (both styles)', async () => {
    for (const style of ['api', 'rest'] as const) {
      const p = provider({ style })
      await p.login(never)
      await lab.setFaults({ expireSessions: true })
      expect(lab.state.sessions.size).toBe(0)
      const id = vmIn('POWERED_ON')
      expect((await p.getVm(id, never)).name).toBe(lab.state.inv.vmById.get(id)?.name)
      expect(lab.state.sessions.size).toBe(1)
    }
  })

  it('concurrent calls that all find the session expired share one re-login', async () => {
    const p = provider()
    await p.login(never)
    const ids = lab.state.inv.vms.slice(0, 12).map((v) => v.id)
    // Warm 12 keep-alive connections so the 401s below come back together, not one handshake apart.
    await Promise.all(ids.map((id) => p.getVm(id, never)))
    await lab.setFaults({ expireSessions: true })
    const names = await Promise.all(ids.map(async (id) => (await p.getVm(id, never)).name))
    expect(names).toEqual(lab.state.inv.vms.slice(0, 12).map((v) => v.name))
    expect(lab.state.sessions.size).toBe(1)
  })

  it('re-logs in after an idle expiry (sessionExpirySeconds)', async () => {
    const p = provider()
    await p.login(never)
    await lab.setFaults({ sessionExpirySeconds: 60 })
    try {
      skew += 61_000 // the lab's clock moves on; the token idled out
      const before = lab.state.sessions.size
      expect(await listAll(p)).toHaveLength(400)
      expect(lab.state.sessions.size).toBe(before) // the stale one was dropped, one new one made
    } finally {
      await lab.setFaults({ sessionExpirySeconds: 1800 })
    }
  })

  it('wrong vCenter credentials are AUTH_FAILED with the server message, and no endless re-login', async () => {
    const p = provider({ password: 'wrong' })
    const err = await errorOf(p.login(never))
    expect(err.code).toBe('AUTH_FAILED')
    expect(err.message).toBe('Authentication required.')
    expect(err.detail).toMatchObject({ vsphereType: 'UNAUTHENTICATED', status: 401 })
  })

  it('wrong guest credentials are GUEST_AUTH_FAILED and keep the session; an expired session is re-logged in', async () => {
    const p = provider()
    await p.login(never)
    const id = vmIn('POWERED_ON')
    const sessions = lab.state.sessions.size
    const wrong = await errorOf(p.guest.listProcesses(id, { ...GUEST, password: 'bad' }, never))
    expect(wrong.code).toBe('GUEST_AUTH_FAILED')
    expect(wrong.message).toBe('Failed to authenticate with the guest operating system using the supplied credentials.')
    expect(lab.state.sessions.size).toBe(sessions) // no re-login for a guest password

    await lab.setFaults({ expireSessions: true })
    const procs = await p.guest.listProcesses(id, GUEST, never)
    expect(procs.some((x) => x.pid === 1 && x.name === 'systemd')).toBe(true)
    expect(lab.state.sessions.size).toBe(1)

    // Both at once: session expired and a wrong guest password → re-login, then the guest error.
    await lab.setFaults({ expireSessions: true })
    expect(await codeOf(p.guest.listProcesses(id, { ...GUEST, password: 'bad' }, never))).toBe('GUEST_AUTH_FAILED')
    expect(lab.state.sessions.size).toBe(1)

    const page = await p.guest.listFiles(id, GUEST, '/var/log/app', { index: 0, size: 100 }, never)
    expect(page.entries).toHaveLength(100)
    expect(page.nextIndex).toBe(100)
    const last = await p.guest.listFiles(id, GUEST, '/var/log/app', { index: 200, size: 100 }, never)
    expect(last.nextIndex).toBeUndefined()
    expect(last.entries).toHaveLength(page.total - 200)
  })

  it('power actions reach the lab; an action already in effect is a success', async () => {
    const p = provider()
    const id = vmIn('POWERED_OFF')
    const vm = lab.state.inv.vmById.get(id)!
    await p.power(id, 'off', never) // already off: 400 already_in_desired_state → fine
    await p.power(id, 'on', never)
    expect(vm.power).toBe('POWERED_ON')
    await p.power(id, 'suspend', never)
    expect(vm.power).toBe('SUSPENDED')
    expect(await p.powerState(id, never)).toBe('suspended')
    await p.power(id, 'on', never)
    await p.power(id, 'reset', never)
    expect(vm.power).toBe('POWERED_ON')
    await p.power(id, 'reboot', never)
    expect(vm.power).toBe('POWERED_ON')
    await p.power(id, 'shutdown', never)
    expect(vm.power).toBe('POWERED_OFF')
    expect(await codeOf(p.power(id, 'reset', never))).toBe('VM_STATE')
    expect(await codeOf(p.power(id, 'suspend', never))).toBe('VM_STATE')
  })

  it('guest identity and VM details; Tools not running is "no guest info", not a failure', async () => {
    const p = provider()
    const id = vmIn('POWERED_ON', 'WINDOWS')
    const vm = lab.state.inv.vmById.get(id)!
    const details = await p.vmDetails(id, never)
    expect(details.guestOs).toBe(vm.os.fullName)
    expect(details.hostName).toBe(vm.name.toUpperCase())
    const off = vmIn('POWERED_OFF')
    expect(await p.guestIdentity(off, never)).toBeUndefined()
    expect(await p.vmDetails(off, never)).toEqual({ guestOs: lab.state.inv.vmById.get(off)?.os.id })
  })

  it('console tickets: WEBMKS when on (single use in the registry), VMRC any time, WEBMKS refused when off', async () => {
    const p = provider()
    const on = vmIn('POWERED_ON')
    const webmks = await p.consoleTicket(on, 'rfb', never)
    const ticketId = new URL(webmks.url).pathname.split('/').pop() as string
    expect(lab.tickets.consume(ticketId)?.vm).toBe(on)
    expect(lab.tickets.consume(ticketId)).toBeUndefined()
    const off = vmIn('POWERED_OFF')
    const vmrc = await p.consoleTicket(off, 'external', never)
    expect(vmrc.kind).toBe('external')
    expect(vmrc.url).toMatch(new RegExp(`^vmrc://clone:cst-VCT-[0-9a-f]+--tp-[0-9A-F-]+@127\\.0\\.0\\.1:${lab.port}/\\?moid=${off}$`))
    const refused = await errorOf(p.consoleTicket(off, 'rfb', never))
    expect(refused.code).toBe('VM_STATE')
    expect(refused.detail?.vsphereType).toBe('NOT_ALLOWED_IN_CURRENT_STATE')
    expect(await codeOf(p.consoleTicket(on, 'serial', never))).toBe('UNSUPPORTED')
  })

  it('maps every documented error type to its code, in both styles, by type not status', async () => {
    for (const style of ['api', 'rest'] as const) {
      const client = new VsphereClient({ baseUrl: lab.url, username: lab.user, password: lab.password, dispatcher: agent, style })
      const p = provider({ style })
      const on = vmIn('POWERED_ON')
      const off = vmIn('POWERED_OFF')
      const vm = lab.state.inv.vmById.get(on)!
      // 404 NOT_FOUND
      expect(await codeOf(p.getVm('vm-424242', never))).toBe('NOT_FOUND')
      // 400 ALREADY_IN_DESIRED_STATE (the provider hides it for power(); the client maps it)
      const already = await errorOf(client.call({ method: 'POST', api: `/vcenter/vm/${off}/power?action=stop`, rest: `/vcenter/vm/${off}/power/stop` }, never))
      expect([already.code, already.detail?.status]).toEqual(['VM_STATE', 400])
      // 400 INVALID_ARGUMENT
      const invalid = await errorOf(client.call({ method: 'GET', api: '/vcenter/vm?power_states=ON', rest: '/vcenter/vm?filter.power_states=ON' }, never))
      expect([invalid.code, invalid.detail?.vsphereType]).toEqual(['PROVIDER_ERROR', 'INVALID_ARGUMENT'])
      // 500 (/api) / 400 (/rest) UNABLE_TO_ALLOCATE_RESOURCE
      await lab.setFaults({ listCap: 10 })
      const cap = await errorOf(client.call({ method: 'GET', api: '/vcenter/vm', rest: '/vcenter/vm' }, never))
      await lab.setFaults({ listCap: 4000 })
      expect([cap.code, cap.detail?.status, cap.detail?.messageId]).toEqual([
        'PROVIDER_ERROR',
        style === 'api' ? 500 : 400,
        'com.vmware.api.vcenter.vm.too_many_matches',
      ])
      // 500 / 400 RESOURCE_BUSY → CONFLICT, retryable; 500 / 400 RESOURCE_INACCESSIBLE → PROVIDER_ERROR
      vm.busy = true
      vm.inaccessible = true
      try {
        const busy = await errorOf(p.power(on, 'reset', never))
        expect([busy.code, busy.retryable, busy.detail?.status]).toEqual(['CONFLICT', true, style === 'api' ? 500 : 400])
        const inaccessible = await errorOf(p.getVm(on, never))
        expect([inaccessible.code, inaccessible.detail?.vsphereType]).toEqual(['PROVIDER_ERROR', 'RESOURCE_INACCESSIBLE'])
      } finally {
        vm.busy = false
        vm.inaccessible = false
      }
      // 503 tools_not_running → TOOLS_NOT_RUNNING
      vm.toolsOverride = 'not_running'
      expect(await codeOf(p.power(on, 'shutdown', never))).toBe('TOOLS_NOT_RUNNING')
      // 400 UNSUPPORTED
      vm.toolsOverride = 'unsupported'
      expect(await codeOf(p.power(on, 'standby', never))).toBe('UNSUPPORTED')
      vm.toolsOverride = undefined
      // 503 SERVICE_UNAVAILABLE (not Tools) → PROVIDER_UNAVAILABLE, retryable
      await lab.setFaults({ errorRate: 1 })
      const down = await errorOf(p.getVm(on, never))
      await lab.setFaults({ errorRate: 0 })
      expect([down.code, down.retryable, down.detail?.status]).toEqual(['PROVIDER_UNAVAILABLE', true, 503])
      // 404 OPERATION_NOT_FOUND → UNSUPPORTED
      expect(await codeOf(client.call({ method: 'GET', api: '/vcenter/teapot', rest: '/vcenter/teapot' }, never))).toBe('UNSUPPORTED')
      if (style === 'api') {
        // 403 UNAUTHORIZED → PERMISSION_DENIED (a guest user may not kill pid 1)
        const op = {
          method: 'POST' as const,
          api: `/vcenter/vm/${on}/guest/processes/1?action=delete`,
          rest: '',
          apiBody: { credentials: { type: 'USERNAME_PASSWORD', interactive_session: false, user_name: 'root', password: 'porthole-guest' } },
          guest: true,
        }
        expect(await codeOf(client.call(op, never))).toBe('PERMISSION_DENIED')
        // 400 NOT_ALLOWED_IN_CURRENT_STATE for guest operations on a VM that is off
        expect(await codeOf(p.guest.listProcesses(off, GUEST, never))).toBe('VM_STATE')
      }
    }
  })

  it('an untrusted certificate is TLS_UNTRUSTED, never ignored', async () => {
    const stranger = new Agent()
    try {
      const p = new VsphereProvider({ connectionId: 'c', baseUrl: lab.url, username: lab.user, password: lab.password, dispatcher: stranger })
      expect(await codeOf(p.login(never))).toBe('TLS_UNTRUSTED')
    } finally {
      await stranger.close()
    }
  })

  it('honours an AbortSignal (CANCELLED) and a timeout (TIMEOUT) while the server is slow', async () => {
    await lab.setFaults({ latencyMs: 2500 })
    try {
      const p = provider()
      const controller = new AbortController()
      const started = Date.now()
      const pending = codeOf(listAll(p, controller.signal))
      setTimeout(() => controller.abort(), 100)
      expect(await pending).toBe('CANCELLED')
      expect(Date.now() - started).toBeLessThan(2000)

      // Two callers share one login: the first one cancelling does not fail the second.
      const shared = provider({ timeoutMs: 10_000 })
      const quitter = new AbortController()
      const first = codeOf(shared.getVm(lab.state.inv.vms[0]!.id, quitter.signal))
      const second = shared.getVm(lab.state.inv.vms[0]!.id, never)
      setTimeout(() => quitter.abort(), 100)
      expect(await first).toBe('CANCELLED')
      expect((await second).name).toBe(lab.state.inv.vms[0]!.name)

      const hasty = provider({ timeoutMs: 200 })
      const t0 = Date.now()
      expect(await codeOf(hasty.login(never))).toBe('TIMEOUT')
      expect(Date.now() - t0).toBeLessThan(2000)
      const already = new AbortController()
      already.abort()
      expect(await codeOf(hasty.power('vm-1', 'on', already.signal))).toBe('CANCELLED')
    } finally {
      await lab.setFaults({ latencyMs: 0 })
    }
  })

  it('partitions down to host and power state when even small parts exceed the cap; gives up cleanly when it cannot', async () => {
    const small = await startVsphereLab({ vms: 3000, seed: 11, dataDir, faults: { listCap: 20 } })
    const smallAgent = new Agent({ connect: { ca: small.certificate().cert } })
    try {
      const p = new VsphereProvider({ connectionId: 'c2', baseUrl: small.url, username: small.user, password: small.password, dispatcher: smallAgent })
      const vms = await listAll(p)
      expect(vms).toHaveLength(3000)
      expect(new Set(vms.map((v) => v.ref.id))).toEqual(new Set(small.state.inv.vms.map((v) => v.id)))
      // The filter a part was listed with tells its VMs' folder, cluster and (at host level) host.
      const hostName = new Map(small.state.inv.hosts.map((h) => [h.id, h.name]))
      const clusterName = new Map(small.state.inv.clusters.map((c) => [c.id, c.name]))
      for (const vm of vms) {
        const truth = small.state.inv.vmById.get(vm.ref.id)!
        if (vm.host !== undefined) expect(vm.host).toBe(hostName.get(truth.host))
        expect(vm.raw.cluster).toBe(clusterName.get(truth.cluster))
        expect(vm.group?.endsWith(`/${small.state.inv.folders.find((f) => f.id === truth.folder)?.name}`)).toBe(true)
      }
      expect(vms.filter((v) => v.host !== undefined).length).toBeGreaterThan(1000)
      await small.setFaults({ listCap: 1 })
      const err = await errorOf(listAll(p))
      expect(err.code).toBe('PROVIDER_ERROR')
      expect(err.detail?.messageId).toBe('com.vmware.api.vcenter.vm.too_many_matches')
    } finally {
      await smallAgent.close()
      await small.stop()
    }
  })

  it('lists 50,000 VMs completely through the cap, none missing or duplicated', async () => {
    const big = await startVsphereLab({ vms: 50_000, seed: 1, dataDir })
    const bigAgent = new Agent({ connect: { ca: big.certificate().cert } })
    try {
      const truth = new Set(big.state.inv.vms.map((v) => v.id))
      for (const groupBy of ['none', 'folder'] as const) {
        const p = new VsphereProvider({ connectionId: 'big', baseUrl: big.url, username: big.user, password: big.password, dispatcher: bigAgent, groupBy })
        await p.login(never)
        const before = big.state.requests
        const t0 = performance.now()
        const vms = await listAll(p)
        const ms = performance.now() - t0
        const ids = vms.map((v) => v.ref.id)
        expect(ids).toHaveLength(50_000)
        expect(new Set(ids)).toEqual(truth)
        // 'none' starts unfiltered, is refused (cap 4,000) and partitions; either way every VM gets its folder.
        expect(vms.every((v) => v.group !== undefined)).toBe(true)
        console.log(JSON.stringify({ bench: 'vsphere.list_50k', groupBy, ms: Math.round(ms), calls: big.state.requests - before, vms: ids.length }))
        expect(ms).toBeLessThan(25_000)
      }
    } finally {
      await bigAgent.close()
      await big.stop()
    }
  })
})
