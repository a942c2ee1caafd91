// The ZStack lab on the wire, as ZStack's REST server behaves (reference/zstack.md §9 checklist):
// raw HTTP on both listeners, no provider code involved.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { startZstackLab, type ZstackLab } from '../../lab/zstack/simulator'

const DATE = /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/
const sha512 = (s: string): string => crypto.createHash('sha512').update(s).digest('hex')

let dataDir: string
let lab: ZstackLab
let agent: Agent
let skew = 0

interface Answer {
  status: number
  text: string
  json: Record<string, unknown>
}

async function call(method: string, url: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const res = await request(url, {
    method: method as 'GET',
    headers: { ...(options.body !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...options.headers },
    body: options.body !== undefined ? JSON.stringify(options.body) : null,
    dispatcher: agent,
  })
  const text = await res.body.text()
  let json: Record<string, unknown> = {}
  try {
    json = JSON.parse(text) as Record<string, unknown>
  } catch {
    // plain text
  }
  return { status: res.statusCode, text, json }
}

const api = (p: string, base = lab.httpUrl): string => `${base}/zstack/v1${p}`

async function login(base = lab.httpUrl): Promise<string> {
  const a = await call('PUT', api('/accounts/login', base), { body: { logInByAccount: { accountName: 'admin', password: sha512(lab.password) } } })
  expect(a.status).toBe(200)
  return (a.json.inventory as { uuid: string }).uuid
}

const oauth = (s: string): Record<string, string> => ({ authorization: `OAuth ${s}` })

/** Follows a 202's location on the lab's own listener (the location names the decoy address). */
async function finish(accepted: Answer, headers: Record<string, string> = {}): Promise<{ answer: Answer; polls: Answer[] }> {
  expect(accepted.status).toBe(202)
  const location = String(accepted.json.location)
  const rest = location.slice(location.indexOf('/zstack/v1/api-jobs/'))
  const polls: Answer[] = []
  const deadline = Date.now() + 10_000
  for (;;) {
    const a = await call('GET', `${lab.httpUrl}${rest}`, { headers })
    if (a.status !== 202) return { answer: a, polls }
    polls.push(a)
    if (Date.now() > deadline) throw new Error('job did not finish')
    await new Promise((r) => setTimeout(r, 20))
  }
}

function vmWhere(pred: (v: ZstackLab['state']['inv']['vms'][number]) => boolean): string {
  const vm = lab.state.inv.vms.find((v) => v.type === 'UserVm' && pred(v))
  if (!vm) throw new Error('no such VM in the lab')
  return vm.uuid
}

/** Opens a websocket; resolves with the first message, or with how it failed before opening. */
function firstMessage(url: string, protocols: string[] = ['binary']): Promise<{ opened: boolean; protocol?: string; data?: Buffer; error?: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocols)
    ws.once('message', (data: Buffer) => {
      const protocol = ws.protocol
      ws.terminate()
      resolve({ opened: true, protocol, data })
    })
    ws.once('error', (e) => resolve({ opened: false, error: e.message }))
    ws.once('unexpected-response', (_q, r) => resolve({ opened: false, error: `HTTP ${r.statusCode}` }))
  })
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zstack-lab-'))
  lab = await startZstackLab({
    vms: 600,
    seed: 5,
    dataDir,
    consoleBackend: 'builtin',
    faults: { actionMs: 150, quickJobMs: 10 },
    now: () => Date.now() + skew,
  })
  agent = new Agent({ connect: { ca: lab.certificate.cert } })
})

afterAll(async () => {
  await agent?.close()
  await lab?.stop()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('ZStack lab wire format', () => {
  it('logs in by account with the SHA-512 hex password on both listeners; plaintext fails with ID.1000', async () => {
    for (const base of [lab.httpUrl, lab.url]) {
      const a = await call('PUT', api('/accounts/login', base), {
        body: { logInByAccount: { accountName: 'admin', password: sha512(lab.password) } },
        headers: { 'x-json-schema': 'true', 'x-job-uuid': crypto.randomBytes(16).toString('hex') },
      })
      expect(a.status).toBe(200)
      const inv = a.json.inventory as Record<string, string>
      expect(inv.uuid).toMatch(/^[0-9a-f]{32}$/)
      expect(inv.userUuid).toBe(inv.accountUuid)
      expect(inv.createDate).toMatch(DATE)
      expect(inv.expiredDate).toMatch(DATE)
      expect(a.json.schema).toEqual({ inventory: 'org.zstack.header.identity.SessionInventory' })
    }
    const bad = await call('PUT', api('/accounts/login'), { body: { logInByAccount: { accountName: 'admin', password: lab.password } } })
    expect(bad.status).toBe(503)
    expect(bad.json.error).toEqual({ code: 'ID.1000', description: 'Unable to authenticate a user', details: 'wrong account name or password' })
    // The stale "logIn" key is not this path's action: 400 plain text.
    const stale = await call('PUT', api('/accounts/login'), { body: { logIn: { accountName: 'admin', password: sha512(lab.password) } } })
    expect(stale.status).toBe(400)
    expect(stale.text).toContain("the body doesn't contain action mapping")
    const version = await call('PUT', api('/management-nodes/actions'), { body: { getVersion: {} } })
    expect(version.json).toEqual({ version: expect.any(String) })
  })

  it('checks Authorization on every call: 400 text at the HTTP layer, ID.1001 for unknown sessions (sync 503, async via the job)', async () => {
    const missing = await call('GET', api('/vm-instances?limit=1'))
    expect(missing).toMatchObject({ status: 400, text: "missing header 'Authorization'" })
    const basic = await call('GET', api('/vm-instances?limit=1'), { headers: { authorization: 'Basic eDp5' } })
    expect(basic.status).toBe(400)
    expect(basic.json).toEqual({})
    const unknown = await call('GET', api('/vm-instances?limit=1'), { headers: oauth('0'.repeat(32)) })
    expect(unknown.status).toBe(503)
    expect((unknown.json.error as { code: string }).code).toBe('ID.1001')
    const accepted = await call('PUT', api(`/vm-instances/${vmWhere((v) => v.state === 'Running')}/actions`), {
      body: { rebootVmInstance: {} },
      headers: oauth('0'.repeat(32)),
    })
    const { answer } = await finish(accepted)
    expect(answer.status).toBe(503)
    expect((answer.json.error as { code: string }).code).toBe('ID.1001')
    expect(await call('GET', api('/nothing/here'), { headers: oauth('x') })).toMatchObject({ status: 404, text: 'no api mapping to /v1/nothing/here' })
  })

  it('queries VMs with conditions, paging, counts and sort; the client must filter out appliance and destroyed VMs', async () => {
    const s = await login()
    const count = async (q: string): Promise<number> => {
      const a = await call('GET', api(`/vm-instances?count=true${q}`), { headers: oauth(s) })
      expect(Object.keys(a.json).sort()).toEqual(['schema', 'total'])
      return a.json.total as number
    }
    const all = await count('')
    const appliances = await count('&q=type=ApplianceVm')
    const destroyed = await count('&q=state=Destroyed')
    const wanted = await count('&q=type=UserVm&q=state!?=Destroyed,Expunging')
    expect(all).toBe(600)
    expect(appliances).toBeGreaterThan(0)
    expect(destroyed).toBeGreaterThan(0)
    expect(wanted).toBe(all - appliances - destroyed)

    const page = await call('GET', api('/vm-instances?q=type=UserVm&limit=50&start=10&replyWithCount=true&sort=%2Bname'), { headers: oauth(s) })
    const rows = page.json.inventories as Record<string, unknown>[]
    expect(rows).toHaveLength(50)
    expect(page.json.total).toBe(all - appliances)
    const names = rows.map((r) => String(r.name))
    expect(names).toEqual([...names].sort())
    // Gson omits nulls: no "null" anywhere, and stopped VMs have no hostUuid.
    expect(page.text).not.toContain('null')
    for (const r of rows) {
      expect(r.createDate).toMatch(DATE)
      if (r.state === 'Stopped') expect(r).not.toHaveProperty('hostUuid')
      if (r.state === 'Running') expect(r.hostUuid).toMatch(/^[0-9a-f]{32}$/)
    }
    expect((page.json.schema as Record<string, string>)['inventories[0]']).toBe('org.zstack.header.vm.VmInstanceInventory')

    const uuid = String(rows[0]?.uuid)
    const one = await call('GET', api(`/vm-instances/${uuid}?fields=name&q=state=Nothing`), { headers: oauth(s) })
    expect((one.json.inventories as unknown[]).length).toBe(1)
    const none = await call('GET', api(`/vm-instances/${'f'.repeat(32)}`), { headers: oauth(s) })
    expect(none).toMatchObject({ status: 200, json: { inventories: [] } })
    const projected = await call('GET', api('/vm-instances?limit=2&fields=uuid,state'), { headers: oauth(s) })
    for (const r of projected.json.inventories as Record<string, unknown>[]) expect(Object.keys(r).sort()).toEqual(['state', 'uuid'])
    const badOp = await call('GET', api('/vm-instances?q=name'), { headers: oauth(s) })
    expect(badOp.status).toBe(400)
    expect(badOp.text).toContain("doesn't contain any query operator")
    const zones = await call('GET', api('/zones'), { headers: oauth(s) })
    const clusters = await call('GET', api('/clusters?q=zone.name=ZONE-Hangzhou'), { headers: oauth(s) })
    expect((zones.json.inventories as unknown[]).length).toBe(2)
    expect((clusters.json.inventories as unknown[]).length).toBeGreaterThan(0)
  })

  it('runs actions as jobs: 202 + location on another host:port, 202 {} while running, then 200; X-Job-UUID is the job id', async () => {
    const s = await login()
    const vm = vmWhere((v) => v.state === 'Stopped')
    const jobUuid = crypto.randomBytes(16).toString('hex')
    const accepted = await call('PUT', api(`/vm-instances/${vm}/actions`), {
      body: { startVmInstance: {}, systemTags: [], userTags: [] },
      headers: { ...oauth(s), 'x-job-uuid': jobUuid, 'x-json-schema': 'true', 'x-session-id': s },
    })
    expect(accepted.status).toBe(202)
    const location = new URL(String(accepted.json.location))
    expect(location.pathname).toBe(`/zstack/v1/api-jobs/${jobUuid}`)
    expect(location.host).not.toBe(new URL(lab.httpUrl).host)
    expect(location.host).not.toBe(new URL(lab.url).host)
    expect(accepted.json.apiTimeout).toEqual(expect.any(Number))
    // The VM shows its transitional state while the job runs.
    const during = await call('GET', api(`/vm-instances/${vm}`), { headers: oauth(s) })
    expect((during.json.inventories as { state: string }[])[0]?.state).toBe('Starting')
    const { answer, polls } = await finish(accepted, { 'x-json-schema': 'true' })
    expect(polls.length).toBeGreaterThan(0)
    for (const p of polls) expect(p.json).toEqual({})
    expect(answer.status).toBe(200)
    expect(answer.json.inventory).toMatchObject({ uuid: vm, state: 'Running' })
    expect(answer.json.schema).toMatchObject({ inventory: 'org.zstack.header.vm.VmInstanceInventory' })
    // The same job id again is refused; malformed ids too.
    const dup = await call('PUT', api(`/vm-instances/${vm}/actions`), { body: { rebootVmInstance: {} }, headers: { ...oauth(s), 'x-job-uuid': jobUuid } })
    expect(dup).toMatchObject({ status: 400, text: `Duplicate job uuid[${jobUuid}]` })
    const short = await call('PUT', api(`/vm-instances/${vm}/actions`), { body: { rebootVmInstance: {} }, headers: { ...oauth(s), 'x-job-uuid': 'abc' } })
    expect(short.status).toBe(400)
    expect(await call('GET', api(`/api-jobs/${'e'.repeat(32)}`))).toMatchObject({ status: 404, text: 'the job has been expired' })
    expect((await call('DELETE', api(`/api-jobs/${jobUuid}`))).status).toBe(405)
    expect(lab.decoyHits()).toBe(0)
  })

  it('fails illegal transitions with SYS.1006 caused by VM.1010, unknown VMs with SYS.1003, bad stop types with SYS.1007', async () => {
    const s = await login()
    const stopped = vmWhere((v) => v.state === 'Stopped')
    const reboot = await finish(await call('PUT', api(`/vm-instances/${stopped}/actions`), { body: { rebootVmInstance: {} }, headers: oauth(s) }))
    expect(reboot.answer.status).toBe(503)
    expect(reboot.answer.json.error).toMatchObject({ code: 'SYS.1006', cause: { code: 'VM.1010' } })
    const unknown = await finish(await call('PUT', api(`/vm-instances/${'a'.repeat(32)}/actions`), { body: { startVmInstance: {} }, headers: oauth(s) }))
    expect(unknown.answer.json.error).toMatchObject({ code: 'SYS.1003', description: 'A resource can not be found' })
    const running = vmWhere((v) => v.state === 'Running')
    const bad = await finish(await call('PUT', api(`/vm-instances/${running}/actions`), { body: { stopVmInstance: { type: 'hard' } }, headers: oauth(s) }))
    expect(bad.answer.json.error).toMatchObject({ code: 'SYS.1007' })
    // Start of a running VM is a no-op success.
    const noop = await finish(await call('PUT', api(`/vm-instances/${running}/actions`), { body: { startVmInstance: {} }, headers: oauth(s) }))
    expect(noop.answer.status).toBe(200)
  })

  it('slides sessions on API calls (not on validate), renews them explicitly, and logs out', async () => {
    try {
      const s = await login()
      const valid = async (): Promise<boolean> => (await call('GET', api(`/accounts/sessions/${s}/valid`))).json.valid as boolean
      expect(await valid()).toBe(true)
      skew += 90 * 60_000
      expect((await call('GET', api('/zones'), { headers: oauth(s) })).status).toBe(200) // slides to now + 2 h
      skew += 90 * 60_000
      expect(await valid()).toBe(true) // 3 h after login, 1.5 h after use
      skew += 45 * 60_000
      expect(await valid()).toBe(false) // validate did not slide it
      const s2 = await login()
      const renewed = await finish(await call('PUT', api(`/accounts/sessions/${s2}/renew`), { body: { renewSession: { duration: 86_400 } }, headers: oauth(s2) }))
      expect(renewed.answer.json.inventory).toMatchObject({ uuid: s2 })
      skew += 20 * 3_600_000
      expect((await call('GET', api(`/accounts/sessions/${s2}/valid`))).json.valid).toBe(true)
      const out = await call('DELETE', api(`/accounts/sessions/${s2}`))
      expect(out).toMatchObject({ status: 200, json: {} })
      expect((await call('GET', api(`/accounts/sessions/${s2}/valid`))).json.valid).toBe(false)
      expect((await call('DELETE', api(`/accounts/sessions/${'0'.repeat(32)}`))).status).toBe(200)
    } finally {
      skew = 0
    }
  })

  it('grants console access through a job; the websockify endpoint bridges to RFB by ?token= and drops bad tokens', async () => {
    const s = await login()
    const vm = vmWhere((v) => v.state === 'Running')
    // A flat body leaves params empty: the job fails on the mandatory field.
    const flat = await finish(await call('POST', api('/consoles'), { body: { vmInstanceUuid: vm }, headers: oauth(s) }))
    expect(flat.answer.json.error).toMatchObject({ code: 'SYS.1007' })
    const granted = await finish(await call('POST', api('/consoles'), { body: { params: { vmInstanceUuid: vm, systemTags: [] } }, headers: oauth(s) }))
    expect(granted.answer.status).toBe(200)
    const c = granted.answer.json.inventory as { scheme: string; hostname: string; port: number; token: string; expiredDate: string }
    expect(c).toMatchObject({ scheme: 'http', hostname: '127.0.0.1', token: `${s}_${vm}`, targetScheme: 'vnc' })
    expect(c.expiredDate).toMatch(DATE)
    const base = `ws://${c.hostname}:${c.port}`
    const banner = await firstMessage(`${base}/websockify?token=${c.token}`)
    expect(banner.opened).toBe(true)
    expect(banner.protocol).toBe('binary')
    expect(banner.data?.toString('latin1')).toBe('RFB 003.008\n')
    // Any path; no subprotocol offered works too; the token is not single use.
    expect((await firstMessage(`${base}/?token=${c.token}`, [])).data?.toString('latin1')).toBe('RFB 003.008\n')
    expect((await firstMessage(`${base}/websockify`)).opened).toBe(false)
    expect((await firstMessage(`${base}/websockify?token=${s}_${'0'.repeat(32)}`)).opened).toBe(false)
    // The same request again gives the same token; a stopped VM gets none.
    const again = await finish(await call('POST', api('/consoles'), { body: { params: { vmInstanceUuid: vm } }, headers: oauth(s) }))
    expect((again.answer.json.inventory as { token: string }).token).toBe(c.token)
    const stopped = vmWhere((v) => v.state === 'Stopped')
    const refused = await finish(await call('POST', api('/consoles'), { body: { params: { vmInstanceUuid: stopped } }, headers: oauth(s) }))
    expect(refused.answer.json.error).toMatchObject({ code: 'SYS.1006' })
    // Logging out forgets the session's tokens.
    await call('DELETE', api(`/accounts/sessions/${s}`))
    expect((await firstMessage(`${base}/websockify?token=${c.token}`)).opened).toBe(false)
  })

  it('console tokens end with their lifetime and when the VM stops', async () => {
    const s = await login()
    const ask = async (vm: string): Promise<{ port: number; token: string }> =>
      (await finish(await call('POST', api('/consoles'), { body: { params: { vmInstanceUuid: vm } }, headers: oauth(s) }))).answer.json.inventory as {
        port: number
        token: string
      }
    const banner = async (c: { port: number; token: string }): Promise<boolean> =>
      (await firstMessage(`ws://127.0.0.1:${c.port}/websockify?token=${c.token}`)).data?.toString('latin1') === 'RFB 003.008\n'
    const aging = await ask(vmWhere((v) => v.state === 'Running'))
    expect(await banner(aging)).toBe(true)
    try {
      skew += 31 * 60_000
      expect(await banner(aging)).toBe(false)
    } finally {
      skew = 0
    }
    const vm = vmWhere((v) => v.state === 'Running')
    const c = await ask(vm)
    expect(await banner(c)).toBe(true)
    const stop = await finish(await call('PUT', api(`/vm-instances/${vm}/actions`), { body: { stopVmInstance: { type: 'cold' } }, headers: oauth(s) }))
    expect(stop.answer.status).toBe(200)
    expect(await banner(c)).toBe(false)
  })

  it('refuses a login beyond identity/session.maxConcurrent with ID.1006', async () => {
    lab.setFaults({ expireSessions: true, maxSessions: 2 })
    try {
      await login()
      await login()
      const third = await call('PUT', api('/accounts/login'), { body: { logInByAccount: { accountName: 'admin', password: sha512(lab.password) } } })
      expect(third.status).toBe(503)
      expect(third.json.error).toMatchObject({ code: 'ID.1006', description: 'Max number of active sessions exceeded' })
    } finally {
      lab.setFaults({ maxSessions: 500 })
    }
  })

  it('the console proxy exits when idle and the next console request starts it again', async () => {
    lab.setFaults({ consoleIdleSeconds: 0.3 })
    try {
      const s = await login()
      const vm = vmWhere((v) => v.state === 'Running')
      const ask = async (): Promise<{ port: number; token: string }> =>
        (await finish(await call('POST', api('/consoles'), { body: { params: { vmInstanceUuid: vm } }, headers: oauth(s) }))).answer.json.inventory as {
          port: number
          token: string
        }
      const first = await ask()
      const starts = lab.state.consoles.starts
      const deadline = Date.now() + 5000
      while (lab.state.consoles.running && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      expect(lab.state.consoles.running).toBe(false)
      expect((await firstMessage(`ws://127.0.0.1:${first.port}/websockify?token=${first.token}`)).error).toMatch(/ECONNREFUSED/)
      const second = await ask()
      expect(lab.state.consoles.starts).toBe(starts + 1)
      expect((await firstMessage(`ws://127.0.0.1:${second.port}/websockify?token=${second.token}`)).data?.toString('latin1')).toBe('RFB 003.008\n')
    } finally {
      lab.setFaults({ consoleIdleSeconds: 60 })
    }
  })

  it('runtime knobs: latency, session timeout, powered-off fraction, every job failing or hanging', async () => {
    const s = await login()
    const admin = { authorization: `Bearer ${lab.adminToken}` }
    try {
      expect((await call('POST', `${lab.httpUrl}/lab/faults`, { body: { latencyMs: 150 }, headers: admin })).status).toBe(200)
      const started = Date.now()
      await call('GET', api('/zones'), { headers: oauth(s) })
      expect(Date.now() - started).toBeGreaterThanOrEqual(140)
      lab.setFaults({ latencyMs: 0, sessionTimeoutSeconds: 60 })
      const short = await login()
      skew += 61_000
      expect((await call('GET', api('/zones'), { headers: oauth(short) })).json.error).toMatchObject({ code: 'ID.1001' })
      skew = 0
      const stoppedCount = async (): Promise<number> =>
        (await call('GET', api('/vm-instances?count=true&q=type=UserVm&q=state=Stopped'), { headers: oauth(s) })).json.total as number
      lab.setFaults({ sessionTimeoutSeconds: 7200, poweredOffFraction: 0.9 })
      const many = await stoppedCount()
      lab.setFaults({ poweredOffFraction: 0.1 })
      const few = await stoppedCount()
      expect(many).toBeGreaterThan(few * 4)
      lab.setFaults({ jobOutcome: 'fail' })
      const vm = vmWhere((v) => v.state === 'Running')
      const failed = await finish(await call('PUT', api(`/vm-instances/${vm}/actions`), { body: { rebootVmInstance: {} }, headers: oauth(s) }))
      expect(failed.answer.json.error).toMatchObject({ code: 'VM.1003', description: 'Unable to reboot a vm' })
      expect(lab.state.inv.vmByUuid.get(vm)?.state).toBe('Running')
      lab.setFaults({ jobOutcome: 'hang' })
      const accepted = await call('PUT', api(`/vm-instances/${vm}/actions`), { body: { rebootVmInstance: {} }, headers: oauth(s) })
      const rest = String(accepted.json.location).slice(String(accepted.json.location).indexOf('/zstack/v1/'))
      await new Promise((r) => setTimeout(r, lab.state.faults.actionMs + 200))
      expect((await call('GET', `${lab.httpUrl}${rest}`)).status).toBe(202)
      // The control endpoint brings a stuck VM back.
      const reset = await call('POST', `${lab.url}/lab/vms/${vm}`, { body: { state: 'Running' }, headers: admin })
      expect(reset.json).toMatchObject({ uuid: vm, state: 'Running' })
    } finally {
      skew = 0
      lab.setFaults({ latencyMs: 0, sessionTimeoutSeconds: 7200, poweredOffFraction: 0.25, jobOutcome: 'succeed' })
    }
  })

  it('error-rate knob: SYS.1012 in sync replies and through jobs; control endpoint needs the admin token', async () => {
    const s = await login()
    const ctl = await call('POST', `${lab.url}/lab/faults`, { body: { errorRate: 1 }, headers: { authorization: `Bearer ${lab.adminToken}` } })
    expect(ctl.status).toBe(200)
    try {
      const sync = await call('GET', api('/zones'), { headers: oauth(s) })
      expect(sync.status).toBe(503)
      expect(sync.json.error).toMatchObject({ code: 'SYS.1012', description: 'The management node is unavailable' })
      const job = await finish(await call('PUT', api(`/vm-instances/${vmWhere((v) => v.state === 'Running')}/actions`), { body: { rebootVmInstance: {} }, headers: oauth(s) }))
      expect(job.answer.json.error).toMatchObject({ code: 'SYS.1012' })
    } finally {
      lab.setFaults({ errorRate: 0 })
    }
    expect((await call('GET', `${lab.httpUrl}/lab/state`)).status).toBe(401)
    const state = await call('GET', `${lab.httpUrl}/lab/state`, { headers: { authorization: `Bearer ${lab.adminToken}` } })
    expect(state.json).toMatchObject({ vms: 600, decoyHits: 0 })
  })
})
