// Nova's and Keystone's published API sample bodies (copied by hand from the reference into
// main/services/providers/openstack/fixtures/api-samples.json), served verbatim by a plain HTTP
// server on 127.0.0.1: the provider logs in, discovers the version, lists, opens a console and
// maps every fault sample.
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { Agent } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Vm as VmSchema, type Vm } from '../../contract/inventory'
import { faultError, parseFault } from '../../main/services/providers/openstack/errors'
import { OpenstackProvider } from '../../main/services/providers/openstack/openstack-provider'

const samples = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../main/services/providers/openstack/fixtures/api-samples.json'), 'utf8'),
) as Record<string, unknown> & { faults: [number, unknown, string][] }

const never = new AbortController().signal
let server: http.Server
let origin: string
let agent: Agent
const requests: { method: string; url: string; headers: http.IncomingHttpHeaders }[] = []

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers })
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      const text = JSON.stringify(body)
        .replaceAll('http://example.com:6080', 'http://127.0.0.1:6080')
        .replaceAll('http://example.com', origin).replaceAll('http://openstack.example.com', `${origin}/compute`)
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers })
      res.end(text)
    }
    const url = new URL(req.url ?? '/', origin)
    if (req.method === 'POST' && url.pathname === '/identity/v3/auth/tokens') return reply(201, samples.keystoneToken, { 'x-subject-token': 'gAAAAABsample' })
    if (req.method === 'POST' && url.pathname === '/unversioned/v3/auth/tokens') {
      // The same token with an unversioned compute URL in the catalog.
      const text = JSON.stringify(samples.keystoneToken).replace('http://example.com/compute/v2.1', `${origin}/compute`)
      return reply(201, JSON.parse(text), { 'x-subject-token': 'gAAAAABsample' })
    }
    if (url.pathname === '/compute/v2.1/') return reply(200, samples.version)
    if (url.pathname === '/compute/v2.1/servers/detail') {
      // The sample page links to a next page; that one is empty and unlinked (a full last page).
      return url.searchParams.has('marker') ? reply(200, { servers: [] }) : reply(200, samples.serversDetail)
    }
    if (req.method === 'POST' && /^\/compute\/v2\.1\/servers\/[^/]+\/remote-consoles$/.test(url.pathname)) return reply(200, samples.remoteConsole)
    reply(404, { itemNotFound: { code: 404, message: 'The resource could not be found.' } })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  agent = new Agent()
})

afterAll(async () => {
  await agent.close()
  await new Promise((r) => server.close(r))
})

describe('Nova and Keystone API samples', () => {
  it('log in, discover, list and open a console from the sample bodies', async () => {
    // The sample token expired in 2015: a clock of that day keeps it usable without renewal.
    const p = new OpenstackProvider({
      connectionId: 'samples',
      authUrl: `${origin}/identity/v3`,
      credentials: { method: 'password', username: 'admin', password: 'secret', projectName: 'admin' },
      dispatcher: agent,
      now: () => Date.parse('2015-11-07T02:00:00Z'),
    })
    await p.login(never)
    expect(p.session).toMatchObject({ user: 'admin', project: { id: 'a6944d763bf64ee6a275f1263fae0352', name: 'admin' }, region: 'RegionOne', maxVersion: '2.104', microversion: '2.100' })
    expect(p.session?.computeUrl).toBe(`${origin}/compute/v2.1`)

    const vms: Vm[] = []
    for await (const page of p.listVms(never)) vms.push(...page.vms)
    for (const vm of vms) VmSchema.parse(vm)
    expect(vms).toEqual([
      {
        ref: { connectionId: 'samples', id: 'f5dc173b-6804-445a-a6d8-c705dad5b5eb' },
        name: 'new-server-test',
        power: 'on',
        status: 'ACTIVE',
        ip: '192.168.1.30',
        group: 'admin / RegionOne',
        provider: 'openstack',
        raw: { status: 'ACTIVE', vm_state: 'active', power_state: 'RUNNING', flavor: '1', availability_zone: 'us-west', project: 'admin', region: 'RegionOne' },
      },
      {
        ref: { connectionId: 'samples', id: '9e5476bd-a4ec-4653-93d6-72c93aa682ba' },
        name: 'boot-from-volume-2.47',
        power: 'off',
        status: 'SHUTOFF · powering-on',
        group: 'admin / RegionOne',
        provider: 'openstack',
        raw: { status: 'SHUTOFF', task_state: 'powering-on', vm_state: 'stopped', power_state: 'SHUTDOWN', flavor: 'm1.tiny', project: 'admin', region: 'RegionOne' },
      },
      {
        ref: { connectionId: 'samples', id: '2ce4c5b3-2866-4972-93ce-77a2ea46a7f9' },
        name: '2ce4c5b3-2866-4972-93ce-77a2ea46a7f9',
        power: 'unknown',
        status: 'UNKNOWN',
        group: 'admin / RegionOne',
        provider: 'openstack',
        raw: { status: 'UNKNOWN', project: 'admin', region: 'RegionOne' },
      },
    ])
    // The next page was asked for with the marker from the link, at our own endpoint, with the token.
    const list = requests.filter((r) => r.url.startsWith('/compute/v2.1/servers/detail'))
    expect(list.map((r) => r.url)).toEqual(['/compute/v2.1/servers/detail?limit=1000', '/compute/v2.1/servers/detail?limit=1000&marker=2ce4c5b3-2866-4972-93ce-77a2ea46a7f9'])
    expect(list[0]?.headers).toMatchObject({ 'x-auth-token': 'gAAAAABsample', 'openstack-api-version': 'compute 2.100', 'x-openstack-nova-api-version': '2.100' })

    const ticket = await p.consoleTicket('f5dc173b-6804-445a-a6d8-c705dad5b5eb', 'rfb', never)
    expect(ticket.url).toBe('ws://127.0.0.1:6080/?token=b60bcfc3-5fd4-4d21-986c-e83379107819')
    const consoleReq = requests.find((r) => r.url.endsWith('/remote-consoles'))
    expect(consoleReq?.headers['openstack-api-version']).toBe('compute 2.100')
  })

  it('an unversioned compute URL in the catalog gets /v2.1 added', async () => {
    const p = new OpenstackProvider({
      connectionId: 'samples',
      authUrl: `${origin}/unversioned`,
      credentials: { method: 'application-credential', id: 'ac', secret: 's' },
      dispatcher: agent,
      now: () => Date.parse('2015-11-07T02:00:00Z'),
    })
    await p.login(never)
    expect(p.session).toMatchObject({ computeUrl: `${origin}/compute/v2.1`, microversion: '2.100' })
    let n = 0
    for await (const page of p.listVms(never)) n += page.vms.length
    expect(n).toBe(3)
  })

  it('every fault sample maps to its contract code and keeps the server message', () => {
    for (const [status, body, code] of samples.faults) {
      const err = faultError(parseFault(status, JSON.stringify(body)), 'server')
      expect(err.code, JSON.stringify(body)).toBe(code)
    }
    const over = faultError(parseFault(429, JSON.stringify(samples.faults[5]?.[1])), 'list')
    expect([over.retryable, over.detail?.retryAfterSeconds]).toEqual([true, 30])
    const state = faultError(parseFault(409, JSON.stringify(samples.faults[2]?.[1])), 'action')
    expect(state.message).toBe("Cannot 'start' instance 9f7d… while it is in vm_state active")
    // Keystone's 400 is a schema dump: shown as a short sentence instead.
    const bad = faultError(parseFault(400, JSON.stringify(samples.keystoneBadRequest)), 'auth')
    expect(bad.message).toBe('Keystone refused the authentication request as malformed.')
  })
})
