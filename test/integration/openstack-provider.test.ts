// The OpenStack provider against the OpenStack lab over real HTTPS on 127.0.0.1: both auth
// methods, endpoint selection by region and interface, microversion negotiation (including a
// cloud below 2.6), actions with their task_state, every documented error mapped, token expiry
// mid-listing, and console tickets through the lab's noVNC and serial proxies.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { Vm as VmSchema } from '../../contract/inventory'
import { startOpenstackLab, type OpenstackLab } from '../../lab/openstack/simulator'
import { statusOf } from '../../lab/openstack/world'
import { OpenstackClient } from '../../main/services/providers/openstack/client'
import type { KeystoneCredentials } from '../../main/services/providers/openstack/keystone'
import { OpenstackProvider, type OpenstackProviderOptions } from '../../main/services/providers/openstack/openstack-provider'
import { codeOf, errorOf } from '../helpers/error-of'
import { listAll } from '../helpers/provider-calls'

const never = new AbortController().signal
let dataDir: string
let lab: OpenstackLab
let agent: Agent

function password(extra: Partial<Extract<KeystoneCredentials, { method: 'password' }>> = {}): KeystoneCredentials {
  return { method: 'password', username: lab.user, userDomainName: 'Default', password: lab.password, projectName: 'demo', projectDomainName: 'Default', ...extra }
}

function provider(extra: Partial<OpenstackProviderOptions> = {}, target: OpenstackLab = lab): OpenstackProvider {
  return new OpenstackProvider({ connectionId: 'os-1', authUrl: target.authUrl, credentials: password(), dispatcher: agent, ...extra })
}

/** A server of project/region in a Nova status, untouched by other tests. */
const used = new Set<string>()
function serverIn(status: string, project = 'demo', region = 'RegionOne', target: OpenstackLab = lab): string {
  const s = target.world.servers.find((x) => !used.has(x.id) && x.project.name === project && x.region === region && statusOf(x) === status && !x.locked)
  if (!s) throw new Error(`no ${status} server in ${project}/${region}`)
  used.add(s.id)
  return s.id
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, deadlineMs = 5000): Promise<T> {
  const end = Date.now() + deadlineMs
  for (;;) {
    const v = await probe()
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

async function labState(target: OpenstackLab = lab): Promise<{ hits: Record<string, number>; unauthorized: number; tokensIssued: number }> {
  const res = await request(`${target.url}/lab/state`, { headers: { authorization: `Bearer ${target.adminToken}` }, dispatcher: agent })
  return (await res.body.json()) as { hits: Record<string, number>; unauthorized: number; tokensIssued: number }
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'openstack-provider-'))
  lab = await startOpenstackLab({ vms: 800, seed: 5, dataDir, faults: { actionDelayMs: 150 } })
  agent = new Agent({ connect: { ca: lab.certificate().cert } })
})

afterAll(async () => {
  await agent?.close()
  await lab?.stop()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('OpenStack provider: authentication', () => {
  it('password with user and project by name+domain lists the project of the region, normalized', async () => {
    const p = provider()
    await p.login(never)
    expect(p.session).toMatchObject({ user: 'admin', project: { name: 'demo' }, region: 'RegionOne', microversion: '2.100', maxVersion: '2.100', minVersion: '2.1' })
    const vms = await listAll(p)
    const truth = lab.world.servers.filter((s) => s.project.name === 'demo' && s.region === 'RegionOne')
    expect(vms.map((v) => v.ref.id).sort()).toEqual(truth.map((s) => s.id).sort())
    for (const vm of vms) VmSchema.parse(vm)
    const first = vms.find((v) => v.ref.id === truth[0]?.id)
    expect(first).toMatchObject({ name: truth[0]?.name, provider: 'openstack', group: 'demo / RegionOne', ip: truth[0]?.ip, ref: { connectionId: 'os-1' } })
    expect(first?.raw).toMatchObject({ status: statusOf(truth[0]!), vm_state: truth[0]?.vmState, project: 'demo', region: 'RegionOne' })
    // Status → power: ACTIVE on, SHUTOFF off, SUSPENDED/PAUSED suspended, the rest unknown.
    for (const vm of vms) {
      const expected = { ACTIVE: 'on', SHUTOFF: 'off', SUSPENDED: 'suspended', PAUSED: 'suspended' }[vm.raw.status ?? ''] ?? 'unknown'
      expect(vm.power).toBe(expected)
    }
    expect(new Set(vms.map((v) => v.power))).toEqual(new Set(['on', 'off', 'suspended', 'unknown']))
    // Nova's own status stays visible: its status, with the task under way ('BUILD · spawning').
    const byId = new Map(truth.map((s) => [s.id, s]))
    for (const vm of vms) {
      const s = byId.get(vm.ref.id)!
      // An ERROR server says why, in the lab's (Nova's) fault message.
      const expected = s.taskState !== null ? `${statusOf(s)} · ${s.taskState}` : statusOf(s) === 'ERROR' ? 'ERROR · No valid host was found.' : statusOf(s)
      expect(vm.status).toBe(expected)
    }
    expect(vms.filter((v) => v.status?.startsWith('ERROR')).every((v) => v.power === 'unknown')).toBe(true)
    await p.logout(never)
  })

  it('a server Nova put in ERROR says why: its fault message joins the status, on one line', async () => {
    const id = serverIn('ACTIVE')
    const res = await request(`${lab.url}/lab/servers/${encodeURIComponent(id)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${lab.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'ERROR' }),
      dispatcher: agent,
    })
    expect(res.statusCode).toBe(200)
    await res.body.dump()
    const p = provider()
    await p.login(never)
    const vm = await p.getServer(id, never)
    expect(vm.status).toBe('ERROR · No valid host was found.')
    expect(vm.power).toBe('unknown')
    expect(vm.raw.fault).toBe('No valid host was found. ')
  })

  it('password with user and project by id', async () => {
    const admin = lab.world.users.find((u) => u.name === 'admin')!
    const ops = lab.world.projects.find((x) => x.name === 'ops')!
    const p = provider({ credentials: { method: 'password', userId: admin.id, password: lab.password, projectId: ops.id } })
    await p.login(never)
    expect(p.session?.project).toEqual({ id: ops.id, name: 'ops' })
    const vms = await listAll(p)
    expect(vms.length).toBe(lab.world.servers.filter((s) => s.project === ops && s.region === 'RegionOne').length)
    expect(vms.every((v) => v.group === 'ops / RegionOne')).toBe(true)
  })

  it('application credential by id and by name+user, sent without a scope', async () => {
    const ac = lab.appCredential
    for (const credentials of [
      { method: 'application-credential', id: ac.id, secret: ac.secret },
      { method: 'application-credential', name: ac.name, username: 'admin', userDomainName: 'Default', secret: ac.secret },
    ] satisfies KeystoneCredentials[]) {
      const p = provider({ credentials })
      await p.login(never)
      expect(p.session?.project?.name).toBe('ops')
      expect((await listAll(p)).length).toBe(lab.world.servers.filter((s) => s.project.name === 'ops' && s.region === 'RegionOne').length)
    }
    // What Keystone says to a client that does send a scope with one (the provider never does).
    const res = await request(`${lab.authUrl}/auth/tokens`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth: { identity: { methods: ['application_credential'], application_credential: { id: ac.id, secret: ac.secret } }, scope: { project: { name: 'ops', domain: { id: 'default' } } } } }),
    })
    expect(res.statusCode).toBe(401)
    const body = (await res.body.json()) as { error: { message: string } }
    expect(body.error.message).toContain('Application credentials cannot request a scope.')
  })

  it('wrong password, wrong secret, unknown project: AUTH_FAILED with a readable message', async () => {
    for (const credentials of [
      password({ password: 'wrong' }),
      password({ projectName: 'nope' }),
      { method: 'application-credential', id: lab.appCredential.id, secret: 'wrong' },
    ] satisfies KeystoneCredentials[]) {
      const err = await errorOf(provider({ credentials }).login(never))
      expect(err.code).toBe('AUTH_FAILED')
      expect(err.message).toMatch(/Keystone refused the credentials/)
      expect(err.detail).toMatchObject({ status: 401 })
    }
  })

  it('alice sees demo only; her token cannot scope to ops', async () => {
    const err = await errorOf(provider({ credentials: password({ username: 'alice', projectName: 'ops' }) }).login(never))
    expect(err.code).toBe('AUTH_FAILED')
    const p = provider({ credentials: password({ username: 'alice' }) })
    await p.login(never)
    expect(p.session?.project?.name).toBe('demo')
    // Not admin: no OS-EXT-SRV-ATTR:* fields, so no host.
    expect((await listAll(p)).every((v) => v.host === undefined)).toBe(true)
  })
})

describe('OpenStack provider: endpoint selection', () => {
  it('uses the catalog endpoint of the configured interface and region (RegionTwo URLs carry the project id)', async () => {
    const before = (await labState()).hits
    const p = provider({ region: 'RegionTwo', interface: 'internal' })
    await p.login(never)
    expect(p.session?.computeUrl).toMatch(/\/r2\/internal\/compute\/v2\.1\/[0-9a-f]{32}$/)
    const vms = await listAll(p)
    const truth = lab.world.servers.filter((s) => s.project.name === 'demo' && s.region === 'RegionTwo')
    expect(vms.map((v) => v.ref.id).sort()).toEqual(truth.map((s) => s.id).sort())
    expect(vms.every((v) => v.group === 'demo / RegionTwo')).toBe(true)
    const after = (await labState()).hits
    expect((after['RegionTwo/internal'] ?? 0) - (before['RegionTwo/internal'] ?? 0)).toBeGreaterThanOrEqual(2)
    expect(after['RegionTwo/public'] ?? 0).toBe(before['RegionTwo/public'] ?? 0)
  })

  it('admin interface of RegionOne', async () => {
    const p = provider({ region: 'RegionOne', interface: 'admin' })
    await p.login(never)
    expect(p.session?.computeUrl).toMatch(/\/r1\/admin\/compute\/v2\.1$/)
  })

  it('an unknown region is NOT_FOUND naming the regions the catalog has', async () => {
    const err = await errorOf(provider({ region: 'RegionNine' }).login(never))
    expect(err.code).toBe('NOT_FOUND')
    expect(err.message).toContain('RegionOne, RegionTwo')
  })
})

describe('OpenStack provider: microversions', () => {
  it('takes the highest both sides support', async () => {
    await lab.setFaults({ maxMicroversion: '2.93' })
    try {
      const p = provider()
      await p.login(never)
      expect(p.session).toMatchObject({ microversion: '2.93', maxVersion: '2.93' })
      const capped = provider({ maxMicroversion: '2.60' })
      await capped.login(never)
      expect(capped.session?.microversion).toBe('2.60')
    } finally {
      await lab.setFaults({ maxMicroversion: '2.100' })
    }
    await lab.setFaults({ maxMicroversion: '2.200' })
    try {
      const p = provider()
      await p.login(never)
      expect(p.session).toMatchObject({ microversion: '2.100', maxVersion: '2.200' })
      expect((await listAll(p)).length).toBeGreaterThan(0)
    } finally {
      await lab.setFaults({ maxMicroversion: '2.100' })
    }
  })

  it('a cloud whose maximum is 2.5 lists and acts, but consoles are unavailable with the reason', async () => {
    const legacyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'openstack-legacy-'))
    const legacy = await startOpenstackLab({ vms: 40, seed: 9, dataDir: legacyDir, faults: { maxMicroversion: '2.5', actionDelayMs: 0 } })
    const legacyAgent = new Agent({ connect: { ca: legacy.certificate().cert } })
    try {
      const p = provider({ dispatcher: legacyAgent }, legacy)
      await p.login(never)
      expect(p.session?.microversion).toBe('2.5')
      expect((await listAll(p)).length).toBe(10)
      const id = serverIn('ACTIVE', 'demo', 'RegionOne', legacy)
      const err = await errorOf(p.consoleTicket(id, 'rfb', never))
      expect(err.code).toBe('UNSUPPORTED')
      expect(err.message).toBe('Consoles need compute API microversion 2.6 or later (remote consoles); this cloud offers maximum microversion 2.5.')
      expect((await p.consoleSupport(never)).available).toEqual([])
      // The legacy action still answers there (opt-in).
      expect(await p.legacyVncConsole(id, never)).toMatch(/vnc_auto\.html\?path=%3Ftoken%3D[0-9a-f-]{36}$/)
    } finally {
      await legacyAgent.close()
      await legacy.stop()
      fs.rmSync(legacyDir, { recursive: true, force: true })
    }
  })
})

describe('OpenStack provider: actions', () => {
  it('stop shows task_state powering-off, then SHUTOFF; start brings it back', async () => {
    const p = provider()
    const id = serverIn('ACTIVE')
    await p.power(id, 'off', never)
    const during = await p.getServer(id, never)
    expect(during.raw).toMatchObject({ status: 'ACTIVE', task_state: 'powering-off' })
    // The status the inventory shows: Nova's, with the task under way.
    expect(during.status).toBe('ACTIVE · powering-off')
    const off = await until('SHUTOFF', async () => {
      const vm = await p.getServer(id, never)
      return vm.raw.status === 'SHUTOFF' ? vm : undefined
    })
    expect(off.power).toBe('off')
    expect(off.status).toBe('SHUTOFF')
    expect(off.raw.task_state).toBeUndefined()
    // Stopping again is no error (already there); starting twice is.
    await p.power(id, 'off', never)
    await p.power(id, 'on', never)
    expect((await p.getServer(id, never)).raw.task_state).toBe('powering-on')
    await until('ACTIVE', async () => ((await p.getServer(id, never)).raw.status === 'ACTIVE' ? true : undefined))
  })

  it('soft reboot shows REBOOT, hard reboot HARD_REBOOT; hard reboot of a SHUTOFF server is accepted, soft is VM_STATE', async () => {
    const p = provider()
    const a = serverIn('ACTIVE')
    await p.power(a, 'reboot', never)
    expect((await p.getServer(a, never)).raw.status).toBe('REBOOT')
    await until('ACTIVE', async () => ((await p.getServer(a, never)).raw.status === 'ACTIVE' ? true : undefined))
    await p.power(a, 'reset', never)
    expect((await p.getServer(a, never)).raw.status).toBe('HARD_REBOOT')

    const off = serverIn('SHUTOFF')
    const err = await errorOf(p.power(off, 'reboot', never))
    expect(err.code).toBe('VM_STATE')
    expect(err.message).toBe(`Cannot 'reboot' instance ${off} while it is in vm_state stopped`)
    expect(err.detail).toMatchObject({ status: 409, fault: 'conflictingRequest' })
    await p.power(off, 'reset', never)
    await until('ACTIVE', async () => ((await p.getServer(off, never)).raw.status === 'ACTIVE' ? true : undefined))
  })

  it('on resumes a SUSPENDED server and unpauses a PAUSED one', async () => {
    const p = provider()
    for (const status of ['SUSPENDED', 'PAUSED']) {
      const id = serverIn(status)
      await p.power(id, 'on', never)
      await until('ACTIVE', async () => ((await p.getServer(id, never)).raw.status === 'ACTIVE' ? true : undefined))
    }
  })
})

describe('OpenStack provider: errors', () => {
  it('maps every documented Nova error', async () => {
    const p = provider()
    await p.login(never)
    const client = new OpenstackClient({ authUrl: lab.authUrl, credentials: password(), dispatcher: agent })
    await client.login(never)
    const missing = '00000000-0000-4000-a000-000000000000'

    // 404 itemNotFound: unknown server (GET and action have different messages).
    let err = await errorOf(p.getServer(missing, never))
    expect([err.code, err.message, err.detail?.fault]).toEqual(['NOT_FOUND', `Instance ${missing} could not be found.`, 'itemNotFound'])
    err = await errorOf(p.power(missing, 'reset', never))
    expect([err.code, err.message]).toEqual(['NOT_FOUND', `Instance ${missing} has no mapping to a cell.`])

    // 409 conflictingRequest: wrong state; locked is CONFLICT; task_state named while one runs.
    const active = serverIn('ACTIVE')
    const buf = await errorOf(client.compute('POST', `/servers/${active}/action`, { 'os-start': null }, 'action', never))
    expect([buf.code, buf.message]).toEqual(['VM_STATE', `Cannot 'start' instance ${active} while it is in vm_state active`])
    await p.power(active, 'off', never)
    err = await errorOf(p.power(active, 'reboot', never))
    expect(err.message).toBe(`Cannot 'reboot' instance ${active} while it is in task_state powering-off`)
    const locked = serverIn('ACTIVE')
    await request(`${lab.url}/lab/servers/${locked}`, { method: 'POST', dispatcher: agent, headers: { authorization: `Bearer ${lab.adminToken}` }, body: '{"locked":true}' })
    err = await errorOf(p.power(locked, 'off', never))
    expect([err.code, err.message]).toEqual(['CONFLICT', `Instance ${locked} is locked`])

    // 400 badRequest: reboot type, marker, limit.
    err = await errorOf(client.compute('POST', `/servers/${locked}/action`, { reboot: { type: 'WARM' } }, 'action', never))
    expect(err.code).toBe('PROVIDER_ERROR')
    expect(err.message).toContain("'WARM' is not one of ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft']")
    err = await errorOf(client.compute('GET', '/servers/detail?marker=nope', undefined, 'list', never))
    expect([err.code, err.message, err.detail?.fault]).toEqual(['PROVIDER_ERROR', 'marker [nope] not found', 'badRequest'])
    err = await errorOf(client.compute('GET', '/servers/detail?limit=-1', undefined, 'list', never))
    expect(err.detail).toMatchObject({ status: 400 })
    expect(await client.compute('GET', '/servers/detail?limit=0', undefined, 'list', never)).toEqual({ servers: [] })

    // The router's three-key 404 for an unknown path.
    err = await errorOf(client.compute('GET', '/no-such-thing', undefined, 'server', never))
    expect([err.code, err.message]).toEqual(['NOT_FOUND', 'The OpenStack endpoint has no such path (HTTP 404).'])

    // 406: a microversion the server does not have.
    err = await errorOf(client.compute('GET', '/servers/detail?limit=1', undefined, 'list', never, '2.200'))
    expect([err.code, err.message, err.detail?.fault]).toEqual(['UNSUPPORTED', 'Version 2.200 is not supported by the API. Minimum is 2.1 and maximum is 2.100.', 'computeFault'])

    // 503 (lab fault injection): PROVIDER_UNAVAILABLE, retryable, after the GET was tried 3 times.
    await lab.setFaults({ errorRate: 1 })
    try {
      const before = (await labState()).hits['RegionOne/public'] ?? 0
      err = await errorOf(listAll(p))
      expect([err.code, err.retryable, err.detail?.fault]).toEqual(['PROVIDER_UNAVAILABLE', true, 'serviceUnavailable'])
      expect(((await labState()).hits['RegionOne/public'] ?? 0) - before).toBe(3)
      // An action is never repeated.
      const target = serverIn('ACTIVE')
      const mid = (await labState()).hits['RegionOne/public'] ?? 0
      expect((await errorOf(client.compute('POST', `/servers/${target}/action`, { 'os-stop': null }, 'action', never))).code).toBe('PROVIDER_UNAVAILABLE')
      expect(((await labState()).hits['RegionOne/public'] ?? 0) - mid).toBe(1)
    } finally {
      await lab.setFaults({ errorRate: 0 })
    }
    // Occasional 503s are ridden out: a listing of small pages completes.
    await lab.setFaults({ errorRate: 0.1 })
    try {
      const flaky = provider({ pageSize: 5, retries: 5 })
      await flaky.login(never)
      const before = (await labState()).hits['RegionOne/public'] ?? 0
      const vms = await listAll(flaky)
      const count = lab.world.servers.filter((x) => x.project.name === 'demo' && x.region === 'RegionOne').length
      expect(new Set(vms.map((v) => v.ref.id)).size).toBe(count)
      // More requests than pages: some pages were asked for again.
      expect(((await labState()).hits['RegionOne/public'] ?? 0) - before).toBeGreaterThan(Math.ceil(count / 5) + 1)
    } finally {
      await lab.setFaults({ errorRate: 0 })
    }
  })

  it('console errors: 409 not ready, 501 not offered, 400 wrong type, 400 mks below 2.8', async () => {
    const p = provider()
    const building = serverIn('BUILD')
    let err = await errorOf(p.consoleTicket(building, 'rfb', never))
    expect([err.code, err.message]).toEqual(['VM_STATE', `Instance ${building} is not ready`])
    const active = serverIn('ACTIVE')
    err = await errorOf(p.remoteConsole(active, { protocol: 'mks', type: 'webmks' }, never))
    expect([err.code, err.message, err.detail?.status]).toEqual(['UNSUPPORTED', 'The requested functionality is not supported.', 501])
    await lab.setFaults({ consoleTypes: ['novnc'] })
    try {
      err = await errorOf(p.consoleTicket(active, 'serial', never))
      expect([err.code, err.detail?.fault]).toEqual(['UNSUPPORTED', 'notImplemented'])
    } finally {
      await lab.setFaults({ consoleTypes: ['novnc', 'spice-html5', 'serial'] })
    }
    const client = new OpenstackClient({ authUrl: lab.authUrl, credentials: password(), dispatcher: agent })
    await client.login(never)
    const rc = (protocol: string, type: string, version: string): Promise<unknown> =>
      client.compute('POST', `/servers/${active}/remote-consoles`, { remote_console: { protocol, type } }, 'console', never, version)
    err = await errorOf(rc('vnc', 'xvpvnc', '2.6'))
    expect([err.code, err.message]).toEqual(['UNSUPPORTED', 'Invalid console type xvpvnc'])
    err = await errorOf(rc('vnc', 'serial', '2.6'))
    expect([err.code, err.message]).toEqual(['UNSUPPORTED', 'Invalid console type serial'])
    err = await errorOf(rc('rdp', 'rdp-html5', '2.6'))
    expect([err.code, err.message]).toEqual(['UNSUPPORTED', 'Unavailable console type rdp.'])
    err = await errorOf(rc('mks', 'webmks', '2.7'))
    expect(err.message).toContain("'mks' is not one of ['vnc', 'spice', 'rdp', 'serial']")
    err = await errorOf(rc('spice', 'spice-direct', '2.98'))
    expect(err.message).toContain("Value: spice-direct. 'spice-direct' is not one of")
    // Below 2.6 the route does not exist: "not found" that is not about the server.
    err = await errorOf(rc('vnc', 'novnc', '2.5'))
    expect([err.code, err.message]).toEqual(['NOT_FOUND', 'The resource could not be found.'])
    // Which kinds this deployment offers: the default lab has vnc, serial and spice-html5.
    const offered = await p.offeredConsoles(active, never)
    expect(offered.offered.map((k) => k.type)).toEqual(['novnc', 'serial', 'spice-html5'])
    expect(offered.refused.map((r) => [r.kind.type, r.message])).toEqual([
      ['webmks', 'The requested functionality is not supported.'],
      ['spice-direct', 'The requested functionality is not supported.'],
    ])
    // Every type the deployment offers, at the versions they need.
    await lab.setFaults({ consoleTypes: ['novnc', 'spice-html5', 'serial', 'webmks', 'spice-direct'] })
    try {
      for (const kind of (await p.consoleSupport(never)).available) {
        const got = await p.remoteConsole(active, kind, never)
        expect(got).toMatchObject({ protocol: kind.protocol, type: kind.type })
        expect(got.url).toMatch(/token(=|%3D)[0-9a-f-]{36}$/)
      }
    } finally {
      await lab.setFaults({ consoleTypes: ['novnc', 'spice-html5', 'serial'] })
    }
  })

  it('TLS: an untrusted lab certificate is TLS_UNTRUSTED; timeouts and cancellation', async () => {
    const strict = new Agent()
    try {
      expect(await codeOf(provider({ dispatcher: strict }).login(never))).toBe('TLS_UNTRUSTED')
    } finally {
      await strict.close()
    }
    await lab.setFaults({ latencyMs: 400 })
    try {
      expect(await codeOf(provider({ timeoutMs: 100 }).login(never))).toBe('TIMEOUT')
      const ac = new AbortController()
      const pending = provider().login(ac.signal)
      setTimeout(() => ac.abort(), 50)
      expect(await codeOf(pending)).toBe('CANCELLED')
    } finally {
      await lab.setFaults({ latencyMs: 0 })
    }
  })
})

describe('OpenStack provider: tokens', () => {
  it('a token revoked mid-listing is renewed once and the listing goes on: none missing, none twice', async () => {
    const p = provider({ pageSize: 25 })
    await p.login(never)
    const before = await labState()
    const seen: string[] = []
    let pages = 0
    for await (const page of p.listVms(never)) {
      seen.push(...page.vms.map((v) => v.ref.id))
      if (++pages === 2) await lab.setFaults({ expireTokens: true })
    }
    const truth = lab.world.servers.filter((s) => s.project.name === 'demo' && s.region === 'RegionOne').map((s) => s.id)
    expect(seen.length).toBe(truth.length)
    expect(new Set(seen)).toEqual(new Set(truth))
    const after = await labState()
    expect(after.unauthorized - before.unauthorized).toBe(1)
    expect(after.tokensIssued - before.tokensIssued).toBe(1)
  })

  it('concurrent calls that all meet a revoked token share one renewal', async () => {
    // This provider's own logins, counted on its dispatcher: the lab's counter would also see
    // tokens other tests' providers still ask for (under load, one came late and made this flaky).
    let logins = 0
    const counting = agent.compose((dispatch) => (opts, handler) => {
      if (opts.method === 'POST' && String(opts.path).endsWith('/auth/tokens')) logins++
      return dispatch(opts, handler)
    })
    const p = provider({ dispatcher: counting })
    await p.login(never)
    const ids = lab.world.servers.filter((s) => s.project.name === 'demo' && s.region === 'RegionOne').slice(0, 12).map((s) => s.id)
    await Promise.all(ids.map((id) => p.getServer(id, never)))
    await lab.setFaults({ expireTokens: true })
    const before = logins
    const names = await Promise.all(ids.map(async (id) => (await p.getServer(id, never)).name))
    expect(names).toEqual(ids.map((id) => lab.world.serverById.get(id)?.name))
    expect(logins - before).toBe(1)
  })

  it('renews before expires_at without waiting for a 401', async () => {
    let skew = 0
    const p = provider({ now: () => Date.now() + skew, renewBeforeMs: 60_000 })
    await p.login(never)
    const first = p.session!
    const before = await labState()
    skew = first.expiresAt - Date.now() - 30_000 // 30 s before expiry: inside the margin
    await p.getServer(serverIn('ACTIVE'), never)
    const after = await labState()
    expect(after.tokensIssued - before.tokensIssued).toBe(1)
    expect(after.unauthorized).toBe(before.unauthorized)
    expect(p.session!.expiresAt).toBeGreaterThan(first.expiresAt)
  })

  it('a lab token lifetime shorter than the margin still works (renewal capped at a quarter of the lifetime)', async () => {
    await lab.setFaults({ tokenExpirySeconds: 60 })
    try {
      const p = provider()
      await p.login(never)
      const before = await labState()
      await listAll(p)
      expect((await labState()).tokensIssued).toBe(before.tokensIssued)
    } finally {
      await lab.setFaults({ tokenExpirySeconds: 3600 })
    }
  })

  it('a 401 that persists after one renewal is AUTH_FAILED, not a loop', async () => {
    // A lab whose clock jumps 2 s at every look while tokens live 1 s: Keystone issues tokens
    // that Nova refuses at once, whatever the client does.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openstack-refusing-'))
    let t = Date.now()
    const refusing = await startOpenstackLab({ vms: 8, seed: 2, dataDir: dir, faults: { tokenExpirySeconds: 1 }, now: () => (t += 2000) })
    const refusingAgent = new Agent({ connect: { ca: refusing.certificate().cert } })
    try {
      const p = provider({ dispatcher: refusingAgent }, refusing)
      await p.login(never)
      const issued = refusing.tokens.issued
      const err = await errorOf(p.getServer(refusing.world.servers[0]!.id, never))
      expect([err.code, err.message]).toEqual(['AUTH_FAILED', 'The request you have made requires authentication.'])
      expect(refusing.tokens.issued - issued).toBe(1)
      expect(refusing.stats.unauthorized).toBe(2)
    } finally {
      await refusingAgent.close()
      await refusing.stop()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

function connect(url: string, options: { origin?: string; protocols?: string[] } = {}): Promise<{ first: Buffer | undefined; code: number; status?: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options.protocols ?? ['binary'], { ca: lab.certificate().cert, ...(options.origin ? { origin: options.origin } : {}) })
    let first: Buffer | undefined
    ws.once('message', (data: Buffer) => {
      first = data
      ws.close()
    })
    ws.once('close', (code) => resolve({ first, code }))
    ws.once('unexpected-response', (_req, res) => {
      resolve({ first: undefined, code: 0, status: res.statusCode ?? 0 })
    })
    ws.once('error', (e) => {
      if (!('status' in e)) return
      reject(e)
    })
  })
}

describe('OpenStack provider: console tickets through the lab proxies', () => {
  it('rfb: the noVNC URL becomes wss://host:port/?token=…, reusable, and speaks RFB 3.8', async () => {
    const p = provider()
    const id = serverIn('ACTIVE')
    const ticket = await p.consoleTicket(id, 'rfb', never)
    expect(ticket).toMatchObject({ kind: 'rfb', subprotocols: ['binary'] })
    expect(ticket.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f-]{36}$/)
    for (let i = 0; i < 2; i++) {
      const r = await connect(ticket.url)
      expect(r.first?.toString('latin1')).toBe('RFB 003.008\n')
    }
    // Origin must be the proxy's own host (literally) and scheme; a bad one is dropped after the 101.
    const host = new URL(ticket.url).host
    expect((await connect(ticket.url, { origin: `https://${host}` })).first?.toString('latin1')).toBe('RFB 003.008\n')
    for (const origin of [`https://localhost:${new URL(ticket.url).port}`, `http://${host}`, 'https://evil.example']) {
      const r = await connect(ticket.url, { origin })
      expect(r).toMatchObject({ first: undefined, code: 1006 })
    }
    // An unknown token looks the same; a subprotocol other than binary is refused before the upgrade.
    expect(await connect(ticket.url.replace(/token=.*/, 'token=00000000-0000-4000-a000-000000000000'))).toMatchObject({ first: undefined, code: 1006 })
    expect(await connect(ticket.url, { protocols: ['base64'] })).toMatchObject({ status: 400 })
    // The token may come as a cookie instead of in the query.
    const cookie = await new Promise<string>((resolve, reject) => {
      const url = new URL(ticket.url)
      const ws = new WebSocket(`${url.protocol}//${url.host}/`, ['binary'], { ca: lab.certificate().cert, headers: { cookie: `token=${url.searchParams.get('token') ?? ''}` } })
      ws.once('message', (data: Buffer) => {
        resolve(data.toString('latin1'))
        ws.close()
      })
      ws.once('error', reject)
    })
    expect(cookie).toBe('RFB 003.008\n')
  })

  it('serial: the serial proxy bridges to the console source; a SHUTOFF server gets a URL that then fails', async () => {
    const p = provider()
    const ticket = await p.consoleTicket(serverIn('ACTIVE'), 'serial', never)
    expect(ticket.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f-]{36}$/)
    const r = await connect(ticket.url)
    expect(r.first?.toString()).toContain('Porthole lab serial console')
    const off = await p.consoleTicket(serverIn('SHUTOFF'), 'rfb', never)
    expect(await connect(off.url)).toMatchObject({ first: undefined, code: 1006 })
  })
})
