// The connection doctor in Chromium against the provider labs and their console knobs: OpenStack
// (Nova refuses the console by policy, a proxy in front refuses the websocket, the proxy answers
// another subprotocol), vCenter (a powered-off VM, the ESXi host's certificate changed after it
// was pinned) and ZStack (a console host name that does not resolve, one that cannot be reached,
// a stopped VM). Each shows its own step and message (screenshots); the diagnostics copied from
// every case carry none of the canary console tickets and tokens the labs were told to issue, nor
// the API tokens and passwords.
import dns from 'node:dns/promises'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import type { Page } from '@playwright/test'
import { Agent, request } from 'undici'
import { startOpenstackLab } from '../../lab/openstack/simulator'
import { statusOf } from '../../lab/openstack/world'
import { startVsphereLab } from '../../lab/vsphere/simulator'
import { startZstackLab } from '../../lab/zstack/simulator'
import { Cleanups, closeConsole, expectDoctor, expectNoCanary, findVm, openConsole, openShell, type DoctorCase } from './console-doctor-helpers'
import { addOpenstackLabProfile } from './console-helpers'
import { expect, test, type Porthole } from './fixtures'

/** The labs are told to issue these: a Nova console token (a UUID) and a vCenter ticket id (32 hex digits). */
const CANARY_NOVA_TOKEN = '0c0ffee0-dead-4bee-f000-00000000ca1a'
const CANARY_VCENTER_TICKET = 'c0ffee00c0ffee00c0ffee00c0ffee01'
/** A name under the reserved `.invalid` TLD (RFC 6761): it never resolves. */
const UNRESOLVABLE = 'console.zstack-lab.invalid'
/**
 * An address connect() refuses at once with ENETUNREACH: Linux will not open a TCP connection to
 * a multicast group (tcp_v4_connect refuses the multicast route), so no packet leaves the machine
 * and the answer does not depend on this machine's routes, firewall or network (checked below).
 */
const UNREACHABLE = '224.0.0.1'

const cleanups = new Cleanups()
test.afterEach(() => cleanups.run())

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  cleanups.add(() => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** POSTs a lab control knob (`/lab/…`, bearer admin token) over the lab's own TLS. */
async function labControl(base: string, adminToken: string, ca: string, pathname: string, body: unknown): Promise<void> {
  const agent = new Agent({ connect: { ca } })
  try {
    const res = await request(`${base}${pathname}`, { method: 'POST', dispatcher: agent, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const text = await res.body.text()
    expect(res.statusCode, text).toBe(200)
  } finally {
    await agent.close()
  }
}

/** Pins a certificate as the demo lab does (the UI's prompt is another spec's subject). */
async function pin(porthole: Porthole, profileId: string, url: string): Promise<string> {
  const trust = porthole.host.host.trust
  const probe = await trust.probe(profileId, url, { mode: 'pinned' })
  await trust.trust(profileId, probe.host, probe.port, probe.certificate.fingerprint256)
  return probe.certificate.fingerprint256
}

async function failure(page: Page, name: string, c: DoctorCase): Promise<string> {
  const console_ = await openConsole(page, name)
  const copied = await expectDoctor(page, console_, c)
  await closeConsole(page, console_, name)
  return copied
}

test('OpenStack: console refused by policy, websocket refused by a proxy, another subprotocol; no canary token copied', async ({ page, porthole, context }) => {
  test.setTimeout(60_000)
  const dir = tempDir('porthole-e2e-doctor-os-')
  const lab = await startOpenstackLab({ vms: 24, seed: 3, dataDir: dir, faults: { poweredOffFraction: 0, consoleToken: CANARY_NOVA_TOKEN } })
  cleanups.add(() => lab.stop())
  const keystoneTokens: string[] = []
  const issue = lab.tokens.issue.bind(lab.tokens)
  lab.tokens.issue = (record, lifetime) => {
    const issued = issue(record, lifetime)
    keystoneTokens.push(issued.token)
    return issued
  }
  await addOpenstackLabProfile(porthole, lab, dir)
  const servers = [...lab.world.servers.values()].filter((s) => s.project.name === lab.project && s.region === 'RegionOne' && statusOf(s) === 'ACTIVE')
  const unique = servers.filter((s) => servers.filter((o) => o.name === s.name).length === 1)
  expect(unique.length).toBeGreaterThanOrEqual(3)
  const [refused, proxied, otherProtocol] = unique as [(typeof unique)[0], (typeof unique)[0], (typeof unique)[0]]
  await openShell(page, porthole, context)
  await findVm(page, refused.name)

  const copied: string[] = []
  await lab.setFaults({ consoleForbidden: true })
  copied.push(await failure(page, refused.name, { step: 'ticket', cause: 'ticket-refused', title: 'The provider refused a console ticket', reason: "Policy doesn't allow os_compute_api:os-remote-consoles" }))
  await lab.setFaults({ consoleForbidden: false, consoleProxyStatus: 403 })
  copied.push(await failure(page, proxied.name, { step: 'websocket', cause: 'websocket-refused', title: 'The console proxy refused the connection', reason: 'answered HTTP 403 Forbidden' }))
  await lab.setFaults({ consoleProxyStatus: null, consoleProxySubprotocol: 'base64' })
  copied.push(await failure(page, otherProtocol.name, { step: 'websocket', cause: 'subprotocol', title: 'The console proxy does not speak the expected protocol', reason: 'chose subprotocol "base64"; Porthole asked for "binary"' }))

  expect(keystoneTokens.length).toBeGreaterThan(0)
  expectNoCanary(copied, [CANARY_NOVA_TOKEN, ...keystoneTokens, lab.password])
})

test('vCenter: a powered-off VM, the ESXi host certificate changed (both fingerprints); no canary ticket copied', async ({ page, porthole, context }) => {
  test.setTimeout(60_000)
  const dir = tempDir('porthole-e2e-doctor-vc-')
  const lab = await startVsphereLab({ vms: 8, seed: 5, dataDir: dir, webmks: { backend: 'builtin' }, faults: { poweredOffFraction: 0, suspendedFraction: 0, consoleTicketId: CANARY_VCENTER_TICKET } })
  cleanups.add(() => lab.stop())
  const webmks = lab.webmks!
  const sessions: string[] = []
  const create = lab.state.sessions.create.bind(lab.state.sessions)
  lab.state.sessions.create = (user) => {
    const token = create(user)
    sessions.push(token)
    return token
  }
  const added = await porthole.api.call('profiles.add', { kind: 'vsphere', name: 'Lab vCenter', endpoint: lab.url, user: lab.user, trust: { mode: 'pinned' }, secret: lab.password })
  if (!added.ok) throw new Error(added.error.message)
  await pin(porthole, added.value.id, lab.url)
  // The ESXi host's certificate was trusted before (a console that worked yesterday)…
  const pinned = await pin(porthole, added.value.id, webmks.base.replace(/^wss:/, 'https:'))
  const [off, rotated] = lab.state.inv.vms.filter((v) => lab.state.inv.vms.filter((o) => o.name === v.name).length === 1) as [(typeof lab.state.inv.vms)[0], (typeof lab.state.inv.vms)[0]]
  await openShell(page, porthole, context)
  await findVm(page, off.name)

  const copied: string[] = []
  await labControl(lab.url, lab.adminToken, lab.certificate().cert, `/lab/vms/${off.id}`, { power: 'POWERED_OFF' })
  copied.push(await failure(page, off.name, { step: 'ticket', cause: 'vm-off', title: 'The VM is powered off or suspended', reason: 'it is POWERED_OFF', shot: 'vm-off-vcenter' }))

  // …and today it presents another one (lab knob).
  await lab.setFaults({ rotateWebmksCertificate: true })
  const presented = webmks.certificate().sha256
  expect(presented).not.toBe(pinned)
  const console_ = await openConsole(page, rotated.name)
  const prompt = page.getByRole('dialog', { name: /certificate/i })
  await expect(prompt).toBeVisible({ timeout: 20_000 })
  await prompt.getByRole('button', { name: 'Keep the pinned certificate' }).click()
  const doctor = console_.getByTestId('console-doctor')
  await expect(doctor).toContainText(`trusted before SHA-256 ${pinned}`)
  await expect(doctor).toContainText(`presented now SHA-256 ${presented}`)
  copied.push(await expectDoctor(page, console_, { step: 'tls', cause: 'certificate', title: 'The console host’s certificate changed' }))
  expect(copied.at(-1)).toContain(pinned)
  await closeConsole(page, console_, rotated.name)

  expect(sessions.length).toBeGreaterThan(0)
  expectNoCanary(copied, [CANARY_VCENTER_TICKET, ...sessions, lab.password])
})

test('ZStack: console host name not found, host unreachable, a stopped VM; no session token copied', async ({ page, porthole, context }) => {
  test.setTimeout(60_000)
  // Both failures must come from the system at once, here as in a sandbox without network.
  const t0 = Date.now()
  await expect(dns.lookup(UNRESOLVABLE)).rejects.toMatchObject({ code: expect.stringMatching(/^(ENOTFOUND|EAI_AGAIN)$/) as unknown })
  const unreachable = await new Promise<string | undefined>((resolve) => {
    const s = net.connect({ host: UNREACHABLE, port: 5900 })
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code))
    s.once('connect', () => (s.destroy(), resolve('connected')))
  })
  expect(unreachable).toMatch(/^(ENETUNREACH|EHOSTUNREACH)$/)
  expect(Date.now() - t0, 'the resolver and connect() answer at once').toBeLessThan(2_000)

  const dir = tempDir('porthole-e2e-doctor-zs-')
  const lab = await startZstackLab({ vms: 12, seed: 6, dataDir: dir, consoleBackend: 'builtin', faults: { poweredOffFraction: 0, pausedFraction: 0 } })
  cleanups.add(() => lab.stop())
  // ZStack console tokens are `<session>_<vm>`: the API session token rides in every console URL.
  const sessions: string[] = []
  const create = lab.state.sessions.create.bind(lab.state.sessions)
  lab.state.sessions.create = (account) => {
    const s = create(account)
    sessions.push(s.uuid)
    return s
  }
  const added = await porthole.api.call('profiles.add', { kind: 'zstack', name: 'Lab ZStack', endpoint: lab.url, user: lab.account, trust: { mode: 'pinned' }, secret: lab.password })
  if (!added.ok) throw new Error(added.error.message)
  await pin(porthole, added.value.id, lab.url)
  const users = lab.state.inv.vms.filter((v) => v.type === 'UserVm' && v.state === 'Running')
  const unique = users.filter((v) => users.filter((o) => o.name === v.name).length === 1)
  const [unresolved, unrouted, stopped] = unique as [(typeof unique)[0], (typeof unique)[0], (typeof unique)[0]]
  await openShell(page, porthole, context)
  await findVm(page, unresolved.name)

  const copied: string[] = []
  lab.setFaults({ consoleHostname: UNRESOLVABLE })
  copied.push(await failure(page, unresolved.name, { step: 'network', cause: 'dns', title: 'The console’s host name was not found', reason: UNRESOLVABLE }))
  lab.setFaults({ consoleHostname: UNREACHABLE })
  copied.push(await failure(page, unrouted.name, { step: 'network', cause: 'unreachable', title: 'The console’s host cannot be reached', reason: /ENETUNREACH|EHOSTUNREACH/ }))
  lab.setFaults({ consoleHostname: '127.0.0.1' })
  await labControl(lab.url, lab.adminToken, lab.certificate.cert, `/lab/vms/${stopped.uuid}`, { state: 'Stopped' })
  copied.push(await failure(page, stopped.name, { step: 'ticket', cause: 'vm-off', title: 'The VM is powered off or suspended', reason: 'current state is Stopped', shot: 'vm-off-zstack' }))

  expect(sessions.length).toBeGreaterThan(0)
  expectNoCanary(copied, [...sessions, ...unique.map((v) => `${sessions[0]}_${v.uuid}`), lab.password])
})
