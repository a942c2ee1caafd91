// The ZStack provider against the ZStack lab on 127.0.0.1 (plain HTTP, as ZStack runs by
// default, and HTTPS with the lab's certificate trusted): login, expiry and re-login (sync and
// through jobs), explicit renewal, the normalized listing, power jobs that succeed, fail, hang
// or are aborted, every error path, the job location rewrite, and console tickets whose
// websockify URL reaches the RFB server.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Agent } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ErrorCode } from '../../contract/errors'
import { Vm as VmSchema, type Vm } from '../../contract/inventory'
import { startZstackLab, type ZstackLab } from '../../lab/zstack/simulator'
import { ZstackProvider, type ZstackProviderOptions } from '../../main/services/providers/zstack/zstack-provider'
import { BAR_COLOURS } from '../../lab/consoles/test-pattern'
import { ConsoleRelay } from '../../main/services/consoles/relay'
import { memoryLog } from '../../main/services/log/log'
import { RfbClient } from '../helpers/rfb-client'
import { errorOf } from '../helpers/error-of'
import { listAll } from '../helpers/provider-calls'

const never = new AbortController().signal

let dataDir: string
let lab: ZstackLab
let agent: Agent
let skew = 0

function provider(extra: Partial<ZstackProviderOptions> = {}): ZstackProvider {
  return new ZstackProvider({
    connectionId: 'zs-1',
    baseUrl: lab.httpUrl,
    accountName: lab.account,
    password: lab.password,
    dispatcher: agent,
    pollInitialMs: 30,
    pollMaxMs: 150,
    ...extra,
  })
}

const codeOf = async (promise: Promise<unknown>): Promise<ErrorCode> => (await errorOf(promise)).code

/** A user VM of the lab in that state, not used by an earlier test. */
const taken = new Set<string>()
function vmIn(state: string): string {
  const vm = lab.state.inv.vms.find((v) => v.type === 'UserVm' && v.state === state && !taken.has(v.uuid))
  if (!vm) throw new Error(`no ${state} VM left`)
  taken.add(vm.uuid)
  return vm.uuid
}

const stateOf = (uuid: string): string | undefined => lab.state.inv.vmByUuid.get(uuid)?.state

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zstack-provider-'))
  lab = await startZstackLab({
    vms: 700,
    seed: 11,
    dataDir,
    consoleBackend: 'builtin',
    faults: { actionMs: 120, quickJobMs: 10 },
    now: () => Date.now() + skew,
  })
  agent = new Agent({ connect: { ca: lab.certificate.cert } })
})

afterAll(async () => {
  await agent?.close()
  await lab?.stop()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('ZStack provider against the lab', () => {
  it('lists every user VM once, normalized: no appliance or destroyed VMs, group zone / cluster, power from state', async () => {
    const p = provider({ pageSize: 100 })
    const vms = await listAll(p)
    const expected = lab.state.inv.vms.filter((v) => v.type === 'UserVm' && v.state !== 'Destroyed')
    expect(vms).toHaveLength(expected.length)
    expect(new Set(vms.map((v) => v.ref.id))).toEqual(new Set(expected.map((v) => v.uuid)))
    for (const vm of vms) VmSchema.parse(vm)
    const byId = new Map(vms.map((v) => [v.ref.id, v]))
    for (const labVm of expected) {
      const vm = byId.get(labVm.uuid) as Vm
      const zone = lab.state.inv.zoneByUuid.get(labVm.zoneUuid)?.name
      const cluster = lab.state.inv.clusterByUuid.get(labVm.clusterUuid)?.name
      expect(vm.group).toBe(`${zone} / ${cluster}`)
      expect(vm.raw.state).toBe(labVm.state)
      expect(vm.status).toBe(labVm.state)
      const power: Partial<Record<string, string>> = { Running: 'on', Stopped: 'off', Paused: 'suspended' }
      expect(vm.power).toBe(power[labVm.state] ?? 'unknown')
      expect(vm.ip).toBe(labVm.nic.ip)
      expect(vm.guestOs).toBe(labVm.guestOsType)
      expect(vm.provider).toBe('zstack')
      if (labVm.state === 'Running') expect(vm.host).toBe(lab.state.inv.hostByUuid.get(labVm.lastHostUuid)?.name)
      else if (labVm.state === 'Stopped') expect(vm.host).toBeUndefined()
    }
    expect(new Set(vms.map((v) => v.power))).toEqual(new Set(['on', 'off', 'suspended']))
    await p.logout(never)
  })

  it('maps transitional and odd states to unknown, keeping ZStack state as a display field', async () => {
    const p = provider()
    const vm = vmIn('Running')
    const ctl = (state: string): Promise<Response> =>
      fetch(`${lab.httpUrl}/lab/vms/${vm}`, { method: 'POST', headers: { authorization: `Bearer ${lab.adminToken}` }, body: JSON.stringify({ state }) })
    expect((await ctl('Crashed')).status).toBe(200)
    expect(await p.vmPower(vm, never)).toBe('unknown')
    expect(await p.vmStatus(vm, never)).toEqual({ power: 'unknown', status: 'Crashed' })
    await ctl('Unknown')
    const row = (await listAll(p)).find((v) => v.ref.id === vm)
    expect(row).toMatchObject({ power: 'unknown', status: 'Unknown', raw: { state: 'Unknown' } })
    await ctl('Running')
  })

  it('refuses a wrong password with AUTH_FAILED and ZStack details; works over HTTPS with the lab certificate, refuses it untrusted', async () => {
    const wrong = await errorOf(provider({ password: 'nope' }).login(never))
    expect(wrong.code).toBe('AUTH_FAILED')
    expect(wrong.message).toBe('wrong account name or password')
    expect(wrong.detail).toMatchObject({ zstackCode: 'ID.1000', status: 503 })
    const secure = provider({ baseUrl: `${lab.url}/zstack/v1/` })
    await secure.login(never)
    expect((await secure.vmDetails(vmIn('Running'), never)).ip).toMatch(/^10\./)
    const untrusting = new Agent()
    try {
      expect(await codeOf(provider({ baseUrl: lab.url, dispatcher: untrusting }).login(never))).toBe('TLS_UNTRUSTED')
    } finally {
      await untrusting.close()
    }
    expect(await codeOf(provider({ baseUrl: 'http://127.0.0.1:1' }).login(never))).toBe('PROVIDER_UNAVAILABLE')
  })

  it('too many sessions (ID.1006) is RATE_LIMITED, not retried, with a hint', async () => {
    lab.setFaults({ expireSessions: true, maxSessions: 1 })
    try {
      await provider().login(never)
      const err = await errorOf(provider().login(never))
      expect(err).toMatchObject({ code: 'RATE_LIMITED', retryable: false })
      expect(err.message).toContain('Log out other sessions')
    } finally {
      lab.setFaults({ maxSessions: 500 })
    }
  })

  it('re-logs in once, silently, when the session expired: on queries and on jobs (resubmitted, run once)', async () => {
    const p = provider()
    await p.login(never)
    lab.setFaults({ expireSessions: true })
    expect(lab.state.sessions.size).toBe(0)
    const vm = vmIn('Running')
    expect(await p.vmPower(vm, never)).toBe('on')
    expect(lab.state.sessions.size).toBe(1)
    // Expired again: the action's job fails with ID.1001, the provider logs in and resubmits.
    lab.setFaults({ expireSessions: true })
    const jobsBefore = lab.state.jobs.size
    await p.power(vm, 'off', never)
    expect(stateOf(vm)).toBe('Stopped')
    expect(lab.state.jobs.size - jobsBefore).toBe(2)
    expect(lab.state.sessions.size).toBe(1)
    // Concurrent calls that all find it expired share one login.
    lab.setFaults({ expireSessions: true })
    const ids = lab.state.inv.vms.slice(0, 8).map((v) => v.uuid)
    await Promise.all(ids.map((id) => p.vmPower(id, never)))
    expect(lab.state.sessions.size).toBe(1)
  })

  it('sessions slide with use, and renewSession extends an idle one', async () => {
    try {
      const p = provider()
      await p.login(never)
      skew += 100 * 60_000
      await p.vmPower(lab.state.inv.vms[0]?.uuid ?? '', never) // slides to now + 2 h
      skew += 100 * 60_000
      expect(await p.client.sessionValid(never)).toBe(true)
      await p.renewSession(never, 86_400)
      skew += 10 * 3_600_000
      expect(await p.client.sessionValid(never)).toBe(true)
      skew += 20 * 3_600_000
      expect(await p.client.sessionValid(never)).toBe(false)
      // Gone: the next call logs in again by itself.
      expect(await p.vmPower(lab.state.inv.vms[0]?.uuid ?? '', never)).toEqual(expect.any(String))
      expect(await p.client.sessionValid(never)).toBe(true)
    } finally {
      skew = 0
    }
  })

  it('power actions run as jobs polled on our base URL (never the location host): start, stop, shutdown, reboot, pause, resume', async () => {
    const p = provider()
    const vm = vmIn('Stopped')
    await p.power(vm, 'on', never)
    expect(stateOf(vm)).toBe('Running')
    await p.power(vm, 'reboot', never)
    expect(stateOf(vm)).toBe('Running')
    await p.power(vm, 'suspend', never)
    expect(stateOf(vm)).toBe('Paused')
    expect(await p.vmPower(vm, never)).toBe('suspended')
    // "On" for a paused VM resumes it.
    await p.power(vm, 'on', never)
    expect(stateOf(vm)).toBe('Running')
    await p.power(vm, 'shutdown', never)
    expect(stateOf(vm)).toBe('Stopped')
    // Already stopped: ZStack succeeds without doing anything.
    await p.power(vm, 'off', never)
    expect(lab.decoyHits()).toBe(0)
    expect(await codeOf(p.power(vm, 'standby', never))).toBe('UNSUPPORTED')
  })

  it('maps job failures: wrong state → VM_STATE, unknown VM → NOT_FOUND, failed start → PROVIDER_ERROR with details', async () => {
    const p = provider()
    const stopped = vmIn('Stopped')
    const state = await errorOf(p.power(stopped, 'reboot', never))
    expect(state.code).toBe('VM_STATE')
    expect(state.message).toContain('is not in state of')
    expect(state.detail).toMatchObject({ zstackCode: 'SYS.1006', causes: ['VM.1010'] })
    const gone = await errorOf(p.power('f'.repeat(32), 'on', never))
    expect(gone.code).toBe('NOT_FOUND')
    expect(gone.detail).toMatchObject({ zstackCode: 'SYS.1003' })
    expect(await codeOf(p.vmDetails('f'.repeat(32), never))).toBe('NOT_FOUND')
    const failing = vmIn('Stopped')
    await fetch(`${lab.httpUrl}/lab/vms/${failing}`, { method: 'POST', headers: { authorization: `Bearer ${lab.adminToken}` }, body: '{"jobs":"fail"}' })
    const failed = await errorOf(p.power(failing, 'on', never))
    expect(failed.code).toBe('PROVIDER_ERROR')
    expect(failed.message).toContain('failed to start')
    expect(failed.detail).toMatchObject({ zstackCode: 'VM.1001', description: 'Unable to start a vm' })
    expect(stateOf(failing)).toBe('Stopped')
  })

  it('a job that never finishes ends in TIMEOUT at the deadline; abort ends the wait at once with CANCELLED', async () => {
    const hanging = vmIn('Running')
    await fetch(`${lab.httpUrl}/lab/vms/${hanging}`, { method: 'POST', headers: { authorization: `Bearer ${lab.adminToken}` }, body: '{"jobs":"hang"}' })
    let started = Date.now()
    const timeout = await errorOf(provider({ actionTimeoutMs: 600 }).power(hanging, 'reboot', never))
    expect(timeout.code).toBe('TIMEOUT')
    expect(timeout.retryable).toBe(true)
    expect(timeout.detail?.jobUuid).toMatch(/^[0-9a-f]{32}$/)
    expect(Date.now() - started).toBeGreaterThanOrEqual(550)
    expect(Date.now() - started).toBeLessThan(5000)
    expect(stateOf(hanging)).toBe('Rebooting')

    const other = vmIn('Running')
    await fetch(`${lab.httpUrl}/lab/vms/${other}`, { method: 'POST', headers: { authorization: `Bearer ${lab.adminToken}` }, body: '{"jobs":"hang"}' })
    const ac = new AbortController()
    started = Date.now()
    setTimeout(() => ac.abort(), 300)
    expect(await codeOf(provider({ pollInitialMs: 5000 }).power(other, 'off', ac.signal))).toBe('CANCELLED')
    expect(Date.now() - started).toBeLessThan(2000)
    // An aborted listing stops too.
    const ac2 = new AbortController()
    ac2.abort()
    expect(await codeOf(listAll(provider(), ac2.signal))).toBe('CANCELLED')
  })

  it('the management node unavailable (SYS.1012) is PROVIDER_UNAVAILABLE, retryable, for queries and jobs', async () => {
    const p = provider()
    await p.login(never)
    lab.setFaults({ errorRate: 1 })
    try {
      const list = await errorOf(listAll(p))
      expect(list).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true })
      expect(list.detail).toMatchObject({ zstackCode: 'SYS.1012' })
      expect(await codeOf(p.power(vmIn('Running'), 'reboot', never))).toBe('PROVIDER_UNAVAILABLE')
    } finally {
      lab.setFaults({ errorRate: 0 })
    }
  })

  it('console tickets: ws://hostname:port/websockify?token=… with subprotocol binary; RFB arrives through the lab proxy', async () => {
    const p = provider()
    const vm = vmIn('Running')
    const ticket = await p.consoleTicket(vm, 'rfb', never)
    expect(ticket.kind).toBe('rfb')
    expect(ticket.subprotocols).toEqual(['binary'])
    const url = new URL(ticket.url)
    expect(url.protocol).toBe('ws:')
    expect(url.pathname).toBe('/websockify')
    expect(url.searchParams.get('token')).toMatch(new RegExp(`^[0-9a-f]{32}_${vm}$`))
    const rfb = await RfbClient.websocket(ticket.url, { protocols: ticket.subprotocols ?? [] })
    try {
      expect(rfb.name).toBe(lab.state.inv.vmByUuid.get(vm)?.name)
      await rfb.waitFor(() => rfb.updates > 0, 'a framebuffer update')
    } finally {
      rfb.close()
    }
    // A per-connection override of the proxy host, and wss:// when the proxy has a certificate.
    const overridden = await p.consoleTicket(vm, 'rfb', never)
    expect(new URL(overridden.url).hostname).toBe('127.0.0.1')
    const other = provider({ consoleHost: 'localhost', consoleTls: true })
    expect(new URL((await other.consoleTicket(vm, 'rfb', never)).url)).toMatchObject({ protocol: 'wss:', hostname: 'localhost' })
    // The hostname ZStack chose (consoleProxyOverriddenIp) may be an IPv6 address: bracketed, never connected to here.
    lab.setFaults({ consoleHostname: 'fd00::5' })
    try {
      expect((await p.consoleTicket(vm, 'rfb', never)).url).toMatch(/^ws:\/\/\[fd00::5\]:\d+\/websockify\?token=/)
    } finally {
      lab.setFaults({ consoleHostname: '127.0.0.1' })
    }
    expect(await codeOf(p.consoleTicket(vmIn('Stopped'), 'rfb', never))).toBe('VM_STATE')
    expect(await codeOf(p.consoleTicket(vm, 'serial', never))).toBe('UNSUPPORTED')
    expect(lab.decoyHits()).toBe(0)
  })

  it('the ticket works as the relay upstream: the renderer side sees only a loopback relay URL, the test pattern arrives', async () => {
    const origin = 'http://127.0.0.1:5173'
    const relay = new ConsoleRelay({ log: memoryLog(), allowedOrigins: () => [origin] })
    await relay.start()
    try {
      const ticket = await provider().consoleTicket(vmIn('Running'), 'rfb', never)
      const token = new URL(ticket.url).searchParams.get('token') ?? ''
      const reg = relay.register({ upstream: { kind: 'websocket', url: ticket.url, protocols: ticket.subprotocols ?? [] }, protocol: 'rfb' })
      expect(reg.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/relay\//)
      expect(reg.url).not.toContain(token)
      expect(reg.url).not.toContain(token.split('_')[0])
      const c = await RfbClient.websocket(reg.url, { headers: { Origin: origin } })
      try {
        await c.waitFor(() => c.pixel(250, 100) === BAR_COLOURS[3], 'the test pattern through the relay')
      } finally {
        c.close()
      }
    } finally {
      await relay.stop()
    }
  })
})
