// The OpenStack lab's wire format, checked with raw HTTPS requests (reference openstack.md and
// its "Read this first" list): Keystone's token and errors, Nova's version documents and
// microversion headers, paging, actions, remote consoles, faults and the control endpoint.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { startOpenstackLab, type OpenstackLab } from './simulator'
import { seedWorld, statusOf } from './world'

let dataDir: string
let lab: OpenstackLab
let agent: Agent
let token: string
let compute: string
let computeR2: string

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  json: () => Record<string, unknown>
}

async function call(method: string, url: string, options: { headers?: Record<string, string>; body?: unknown } = {}): Promise<Answer> {
  const res = await request(url, {
    method: method as 'GET',
    dispatcher: agent,
    headers: { ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
    body: options.body !== undefined ? JSON.stringify(options.body) : null,
  })
  const text = await res.body.text()
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> }
}

const authed = (extra: Record<string, string> = {}): Record<string, string> => ({ 'x-auth-token': token, ...extra })
const mv = (v: string): Record<string, string> => authed({ 'openstack-api-version': `compute ${v}`, 'x-openstack-nova-api-version': v })

function passwordAuth(project = 'demo'): unknown {
  return {
    auth: {
      identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password: lab.password } } },
      scope: { project: { name: project, domain: { id: 'default' } } },
    },
  }
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'openstack-lab-'))
  lab = await startOpenstackLab({ vms: 40, seed: 7, dataDir, faults: { actionDelayMs: 60_000 } })
  agent = new Agent({ connect: { ca: lab.certificate().cert } })
  const a = await call('POST', `${lab.authUrl}/auth/tokens`, { body: passwordAuth() })
  token = a.headers['x-subject-token'] as string
  const catalog = (a.json().token as { catalog: { type: string; endpoints: { interface: string; region_id: string; url: string }[] }[] }).catalog
  const endpoints = catalog.find((c) => c.type === 'compute')?.endpoints ?? []
  compute = endpoints.find((e) => e.interface === 'public' && e.region_id === 'RegionOne')?.url ?? ''
  computeR2 = endpoints.find((e) => e.interface === 'public' && e.region_id === 'RegionTwo')?.url ?? ''
})

afterAll(async () => {
  await agent?.close()
  await lab?.stop()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('Keystone', () => {
  it('answers 201 with X-Subject-Token, a project-scoped token, implied roles and a catalog of 2 regions × 3 interfaces', async () => {
    const a = await call('POST', `${lab.authUrl}/auth/tokens`, { body: passwordAuth('ops') })
    expect(a.status).toBe(201)
    expect(a.headers['x-subject-token']).toMatch(/^gAAAAAB/)
    expect(a.headers.vary).toBe('X-Auth-Token')
    const t = a.json().token as Record<string, unknown>
    expect(t.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
    expect(t.project).toMatchObject({ name: 'ops', domain: { id: 'default', name: 'Default' } })
    expect((t.roles as { name: string }[]).map((r) => r.name)).toEqual(['admin', 'member', 'reader'])
    const nova = (t.catalog as { type: string; endpoints: { interface: string; region: string; url: string }[] }[]).find((c) => c.type === 'compute')
    expect(nova?.endpoints.map((e) => `${e.region}/${e.interface}`)).toEqual([
      'RegionOne/public',
      'RegionOne/internal',
      'RegionOne/admin',
      'RegionTwo/public',
      'RegionTwo/internal',
      'RegionTwo/admin',
    ])
  })

  it('refuses bad credentials vaguely with WWW-Authenticate, a scoped app credential with its own message, a malformed body with a schema dump', async () => {
    const bad = await call('POST', `${lab.authUrl}/auth/tokens`, {
      body: { auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: 'x' } } } } },
    })
    expect(bad.status).toBe(401)
    expect(bad.json()).toEqual({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } })
    expect(bad.headers['www-authenticate']).toBe(`Keystone uri="${lab.url}/identity"`)
    const ac = lab.appCredential
    const scoped = await call('POST', `${lab.authUrl}/auth/tokens`, {
      body: { auth: { identity: { methods: ['application_credential'], application_credential: { id: ac.id, secret: ac.secret } }, scope: { project: { id: 'x' } } } },
    })
    expect(scoped.status).toBe(401)
    expect(scoped.json()).toEqual({
      error: { code: 401, title: 'Unauthorized', message: 'Error authenticating with application credential: Application credentials cannot request a scope.', identity: {} },
    })
    const malformed = await call('POST', `${lab.authUrl}/auth/tokens`, { body: { auth: { identity: {} } } })
    expect(malformed.status).toBe(400)
    expect((malformed.json().error as { message: string }).message.length).toBeGreaterThan(300)
  })

  it('an application credential token names it and has the credential project catalog', async () => {
    const ac = lab.appCredential
    const a = await call('POST', `${lab.authUrl}/auth/tokens`, {
      body: { auth: { identity: { methods: ['application_credential'], application_credential: { id: ac.id, secret: ac.secret } } } },
    })
    expect(a.status).toBe(201)
    expect(a.json().token).toMatchObject({ methods: ['application_credential'], application_credential: { id: ac.id, name: ac.name, restricted: true }, project: { name: 'ops' } })
  })

  it('identity version discovery: 300 with versions.values at the root, 200 at /v3', async () => {
    const root = await call('GET', `${lab.url}/identity/`)
    expect(root.status).toBe(300)
    expect((root.json().versions as { values: { id: string }[] }).values[0]?.id).toBe('v3.14')
    expect((await call('GET', lab.authUrl)).status).toBe(200)
  })
})

describe('Nova versions and microversion headers', () => {
  const root = (): string => compute.replace(/\/v2\.1$/, '')
  it('GET / is 200 with both versions and no microversion headers; /v2.1 and /v2.1/ give the one entry with them', async () => {
    const r = await call('GET', `${root()}/`)
    expect(r.status).toBe(200)
    expect(r.headers['openstack-api-version']).toBeUndefined()
    expect((r.json().versions as { id: string; version: string }[]).map((v) => [v.id, v.version])).toEqual([
      ['v2.0', ''],
      ['v2.1', '2.100'],
    ])
    for (const url of [`${root()}/v2.1`, `${root()}/v2.1/`]) {
      const v = await call('GET', url)
      expect(v.status).toBe(200)
      expect(v.json().version).toMatchObject({ id: 'v2.1', version: '2.100', min_version: '2.1' })
      expect(v.headers['openstack-api-version']).toBe('compute 2.1')
      expect(v.headers['x-openstack-nova-api-version']).toBe('2.1')
      expect(v.headers.vary).toBe('OpenStack-API-Version, X-OpenStack-Nova-API-Version')
    }
    expect((await call('GET', `${root()}/v3`)).status).toBe(300)
  })

  it('negotiates: latest, legacy header, modern wins, other services ignored, 406 echoing the rejected version, 400 without headers', async () => {
    const url = `${compute}/servers/detail?limit=1`
    const version = async (headers: Record<string, string>): Promise<[number, unknown]> => {
      const r = await call('GET', url, { headers: authed(headers) })
      return [r.status, r.headers['openstack-api-version']]
    }
    expect(await version({})).toEqual([200, 'compute 2.1'])
    expect(await version({ 'openstack-api-version': 'compute latest' })).toEqual([200, 'compute 2.100'])
    expect(await version({ 'x-openstack-nova-api-version': '2.12' })).toEqual([200, 'compute 2.12'])
    expect(await version({ 'openstack-api-version': 'compute 2.30', 'x-openstack-nova-api-version': '2.12' })).toEqual([200, 'compute 2.30'])
    expect(await version({ 'openstack-api-version': 'volume 3.50' })).toEqual([200, 'compute 2.1'])
    const r406 = await call('GET', url, { headers: mv('2.200') })
    expect([r406.status, r406.headers['openstack-api-version']]).toEqual([406, 'compute 2.200'])
    expect(r406.json()).toEqual({ computeFault: { code: 406, message: 'Version 2.200 is not supported by the API. Minimum is 2.1 and maximum is 2.100.' } })
    const r400 = await call('GET', url, { headers: authed({ 'openstack-api-version': 'compute 2.x' }) })
    expect([r400.status, r400.headers['openstack-api-version']]).toEqual([400, undefined])
    expect(Object.keys(r400.json())).toEqual(['badRequest'])
  })

  it("a bad token is keystonemiddleware's 401 without microversion headers; an unknown path is the router's 404", async () => {
    const r = await call('GET', `${compute}/servers/detail`, { headers: { 'x-auth-token': 'nope', 'openstack-api-version': 'compute 2.60' } })
    expect(r.status).toBe(401)
    expect(r.json()).toEqual({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } })
    expect(r.headers['www-authenticate']).toBe(`Keystone uri="${lab.url}/identity"`)
    expect(r.headers['openstack-api-version']).toBeUndefined()
    const nf = await call('GET', `${compute}/nothing-here`, { headers: mv('2.60') })
    expect(nf.status).toBe(404)
    expect(nf.json()).toEqual({ message: 'The resource could not be found.<br /><br />\n\n\n', code: '404 Not Found', title: 'Not Found' })
    expect(nf.headers['openstack-api-version']).toBeUndefined()
  })
})

describe('Nova servers', () => {
  it('pages with limit/marker: links only on full pages, a full last page followed by an empty one', async () => {
    const scope = lab.world.servers.filter((s) => s.project.name === 'demo' && s.region === 'RegionOne')
    expect(scope).toHaveLength(10)
    const ids: string[] = []
    let url: string | undefined = `${compute}/servers/detail?limit=5`
    const linkCounts: number[] = []
    while (url) {
      const page = (await call('GET', url, { headers: authed() })).json() as { servers: { id: string }[]; servers_links?: { rel: string; href: string }[] }
      ids.push(...page.servers.map((s) => s.id))
      linkCounts.push(page.servers_links?.length ?? 0)
      url = page.servers_links?.find((l) => l.rel === 'next')?.href
    }
    expect(ids).toEqual(scope.map((s) => s.id))
    expect(linkCounts).toEqual([1, 1, 0])
    expect((await call('GET', `${compute}/servers/detail?limit=0`, { headers: authed() })).json()).toEqual({ servers: [] })
    const bad = await call('GET', `${compute}/servers/detail?marker=zzz`, { headers: authed() })
    expect([bad.status, bad.json()]).toEqual([400, { badRequest: { code: 400, message: 'marker [zzz] not found' } }])
    expect((await call('GET', `${compute}/servers/detail?limit=-1`, { headers: authed() })).status).toBe(400)
    // A RegionTwo URL carries the project id; its next links do too.
    const r2 = (await call('GET', `${computeR2}/servers/detail?limit=2`, { headers: authed() })).json() as { servers_links: { href: string }[] }
    expect(r2.servers_links[0]?.href).toContain(`${computeR2}/servers/detail?limit=2&marker=`)
  })

  it('shows fields by microversion and status', async () => {
    const active = lab.world.servers.find((s) => s.project.name === 'demo' && s.region === 'RegionOne' && statusOf(s) === 'ACTIVE')!
    const off = lab.world.servers.find((s) => s.project.name === 'demo' && s.region === 'RegionOne' && statusOf(s) === 'SHUTOFF')!
    const at = async (id: string, v: string): Promise<Record<string, unknown>> =>
      (await call('GET', `${compute}/servers/${id}`, { headers: mv(v) })).json().server as Record<string, unknown>
    const old = await at(active.id, '2.1')
    expect(old).toMatchObject({ accessIPv4: '', accessIPv6: '', config_drive: '', key_name: null, 'OS-DCF:diskConfig': 'MANUAL', progress: 0 })
    expect(old.flavor).toMatchObject({ id: active.flavor.id })
    expect(old.locked).toBeUndefined()
    const modern = await at(active.id, '2.100')
    expect(modern.flavor).toMatchObject({ original_name: active.flavor.name, vcpus: active.flavor.vcpus })
    expect(modern).toMatchObject({ locked: false, tags: [], server_groups: [], 'OS-EXT-SRV-ATTR:hostname': active.name, scheduler_hints: {} })
    expect('progress' in (await at(off.id, '2.60'))).toBe(false)
    const missing = await call('GET', `${compute}/servers/00000000-0000-4000-a000-000000000000`, { headers: mv('2.60') })
    expect([missing.status, missing.headers['openstack-api-version']]).toEqual([404, 'compute 2.60'])
    // A server of another region is not found through this region's endpoint.
    const other = lab.world.servers.find((s) => s.project.name === 'demo' && s.region === 'RegionTwo')!
    expect((await call('GET', `${compute}/servers/${other.id}`, { headers: authed() })).status).toBe(404)
  })

  it('actions answer 202 with Content-Length 0 and keep their task_state until the delay passes', async () => {
    const s = lab.world.servers.find((x) => x.project.name === 'demo' && x.region === 'RegionOne' && statusOf(x) === 'ACTIVE' && !x.pending)!
    const r = await call('POST', `${compute}/servers/${s.id}/action`, { headers: authed(), body: { 'os-stop': null } })
    expect([r.status, r.headers['content-length'], r.headers['content-type'], r.text]).toEqual([202, '0', 'application/json', ''])
    const shown = (await call('GET', `${compute}/servers/${s.id}`, { headers: authed() })).json().server as Record<string, unknown>
    expect(shown).toMatchObject({ status: 'ACTIVE', 'OS-EXT-STS:task_state': 'powering-off' })
    const again = await call('POST', `${compute}/servers/${s.id}/action`, { headers: authed(), body: { 'os-stop': null } })
    expect(again.json()).toEqual({ conflictingRequest: { code: 409, message: `Cannot 'stop' instance ${s.id} while it is in task_state powering-off` } })
    const unknown = await call('POST', `${compute}/servers/00000000-0000-4000-a000-000000000000/action`, { headers: authed(), body: { 'os-stop': null } })
    expect(unknown.json()).toEqual({ itemNotFound: { code: 404, message: 'Instance 00000000-0000-4000-a000-000000000000 has no mapping to a cell.' } })
  })

  it('remote consoles: 404 below 2.6, the novnc URL with the token in path=, 409 for a server without a host', async () => {
    const s = lab.world.servers.find((x) => x.project.name === 'demo' && x.region === 'RegionOne' && statusOf(x) === 'SHUTOFF')!
    const body = { remote_console: { protocol: 'vnc', type: 'novnc' } }
    const old = await call('POST', `${compute}/servers/${s.id}/remote-consoles`, { headers: mv('2.5'), body })
    expect([old.status, old.json(), old.headers['openstack-api-version']]).toEqual([404, { itemNotFound: { code: 404, message: 'The resource could not be found.' } }, 'compute 2.5'])
    expect((await call('POST', `${compute}/servers/${s.id}/remote-consoles`, { headers: authed(), body })).status).toBe(404)
    // A SHUTOFF server still gets a URL (the failure comes at connect time).
    const ok = await call('POST', `${compute}/servers/${s.id}/remote-consoles`, { headers: mv('2.6'), body })
    expect(ok.status).toBe(200)
    expect((ok.json().remote_console as { url: string }).url).toMatch(
      new RegExp(`^${lab.consoles.novncBase.replace(/\./g, '\\.')}/vnc_auto\\.html\\?path=%3Ftoken%3D[0-9a-f-]{36}$`),
    )
    const ctl = await request(`${lab.url}/lab/servers/${s.id}`, { method: 'POST', dispatcher: agent, headers: { authorization: `Bearer ${lab.adminToken}` }, body: '{"status":"SHELVED_OFFLOADED"}' })
    expect(ctl.statusCode).toBe(200)
    await ctl.body.text()
    const notReady = await call('POST', `${compute}/servers/${s.id}/remote-consoles`, { headers: mv('2.6'), body })
    expect(notReady.json()).toEqual({ conflictingRequest: { code: 409, message: `Instance ${s.id} is not ready` } })
  })
})

describe('console fault knobs', () => {
  /** How the noVNC proxy answers an upgrade: its status (and chosen subprotocol) or 'dropped'. */
  function upgrade(url: string): Promise<{ status: number; protocol?: string | undefined }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, ['binary'], { ca: lab.certificate().cert, origin: lab.consoles.novncBase })
      ws.once('upgrade', (res) => {
        resolve({ status: 101, protocol: res.headers['sec-websocket-protocol'] })
        ws.terminate()
      })
      ws.once('unexpected-response', (_req, res) => {
        resolve({ status: res.statusCode ?? 0 })
        ws.terminate()
      })
      ws.once('error', (err) => (/subprotocol/.test(err.message) ? undefined : reject(err)))
    })
  }

  it('refuses consoles by policy, hands out a known token, refuses upgrades, picks another subprotocol', async () => {
    const s = lab.world.servers.find((x) => x.project.name === 'demo' && x.region === 'RegionOne' && statusOf(x) === 'ACTIVE')!
    const body = { remote_console: { protocol: 'vnc', type: 'novnc' } }
    const ask = (): Promise<Answer> => call('POST', `${compute}/servers/${s.id}/remote-consoles`, { headers: mv('2.6'), body })
    try {
      await lab.setFaults({ consoleForbidden: true })
      const refused = await ask()
      expect([refused.status, refused.json()]).toEqual([403, { forbidden: { code: 403, message: "Policy doesn't allow os_compute_api:os-remote-consoles to be performed." } }])

      const canary = '0c0ffee0-dead-4bee-f000-00000000ca1a'
      await lab.setFaults({ consoleForbidden: false, consoleToken: canary })
      const url = (await ask()).json().remote_console as { url: string }
      expect(url.url).toBe(`${lab.consoles.novncBase}/vnc_auto.html?path=${encodeURIComponent(`?token=${canary}`)}`)
      const wss = `${lab.consoles.novncBase.replace(/^https/, 'wss')}/?token=${canary}`
      expect(await upgrade(wss)).toEqual({ status: 101, protocol: 'binary' })

      await lab.setFaults({ consoleProxyStatus: 403 })
      expect(await upgrade(wss)).toEqual({ status: 403 })
      await lab.setFaults({ consoleProxyStatus: null, consoleProxySubprotocol: 'base64' })
      expect(await upgrade(wss)).toEqual({ status: 101, protocol: 'base64' })
    } finally {
      await lab.setFaults({ consoleForbidden: false, consoleToken: null, consoleProxyStatus: null, consoleProxySubprotocol: null })
    }
  })
})

describe('lab control and seeding', () => {
  it('needs the admin token; rotates the certificate; changes knobs at runtime', async () => {
    expect((await call('GET', `${lab.url}/lab/faults`)).status).toBe(401)
    const before = lab.certificate().sha256
    const oldCert = lab.certificate().cert
    const r = await call('POST', `${lab.url}/lab/faults`, { headers: { authorization: `Bearer ${lab.adminToken}` }, body: { rotateCertificate: true, maxMicroversion: '2.5' } })
    expect(r.status).toBe(200)
    expect(r.json().fingerprint).not.toBe(before)
    expect(lab.faults().maxMicroversion).toBe('2.5')
    // New connections: the new certificate verifies, the old trust does not.
    const fresh = new Agent({ connect: { ca: lab.certificate().cert } })
    const v = await request(`${compute}/`, { dispatcher: fresh })
    expect(((await v.body.json()) as { version: { version: string } }).version.version).toBe('2.5')
    await fresh.close()
    const stale = new Agent({ connect: { ca: oldCert } })
    await expect(request(`${compute}/`, { dispatcher: stale })).rejects.toThrow()
    await stale.close()
    await lab.setFaults({ maxMicroversion: '2.100' })
    await agent.close()
    agent = new Agent({ connect: { ca: lab.certificate().cert } })
  })

  it('seeds deterministically and indexes every server by scope position', () => {
    const a = seedWorld(2000, 42, 0.2)
    const b = seedWorld(2000, 42, 0.2)
    expect(a.servers.map((s) => s.id)).toEqual(b.servers.map((s) => s.id))
    expect(new Set(a.servers.map((s) => s.id)).size).toBe(2000)
    for (const list of a.byScope.values()) list.forEach((s, i) => expect(s.position).toBe(i))
    const off = a.servers.filter((s) => statusOf(s) === 'SHUTOFF').length / 2000
    expect(off).toBeGreaterThan(0.15)
    expect(off).toBeLessThan(0.25)
  })
})
