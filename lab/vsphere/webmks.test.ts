import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { BAR_COLOURS } from '../consoles/test-pattern'
import { ConsoleRelay } from '../../main/services/consoles/relay'
import { memoryLog } from '../../main/services/log/log'
import { RfbClient } from '../../test/helpers/rfb-client'
import { startVsphereLab, type VsphereLab } from './simulator'

const ORIGIN = 'http://127.0.0.1:5173'
let lab: VsphereLab
let dir: string
let relay: ConsoleRelay

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'webmks-'))
  lab = await startVsphereLab({ vms: 20, seed: 3, dataDir: dir, webmks: { backend: 'builtin' }, faults: { poweredOffFraction: 0, suspendedFraction: 0 } })
  // The relay trusts exactly the lab ESXi's certificate, as a pinned profile would.
  relay = new ConsoleRelay({ log: memoryLog(), allowedOrigins: () => [ORIGIN], wsOptionsFor: () => ({ ca: lab.webmks!.certificate().cert }) })
  await relay.start()
})

afterAll(async () => {
  await relay.stop()
  await lab.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

async function webmksTicket(vm: string): Promise<string> {
  const agent = new Agent({ connect: { ca: lab.certificate().cert } })
  const auth = Buffer.from(`${lab.user}:${lab.password}`).toString('base64')
  const session = await request(`${lab.url}/api/session`, { method: 'POST', headers: { authorization: `Basic ${auth}` }, dispatcher: agent })
  const token = (await session.body.json()) as string
  const res = await request(`${lab.url}/api/vcenter/vm/${vm}/console/tickets`, {
    method: 'POST',
    headers: { 'vmware-api-session-id': token, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'WEBMKS' }),
    dispatcher: agent,
  })
  expect(res.statusCode).toBe(201)
  const { ticket } = (await res.body.json()) as { ticket: string }
  await agent.close()
  return ticket
}

/** The HTTP status of a refused upgrade, or 101 when it was accepted. */
function upgradeStatus(url: string, protocols: string[]): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocols, { ca: lab.webmks!.certificate().cert })
    ws.once('open', () => {
      ws.terminate()
      resolve(101)
    })
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.once('error', () => resolve(-1))
  })
}

describe('vCenter lab WebMKS listener', () => {
  it('WEBMKS tickets name the ESXi listener, which serves its own certificate', async () => {
    const vm = lab.state.inv.vms[0]!.id
    const ticket = await webmksTicket(vm)
    expect(ticket).toMatch(new RegExp(`^wss://127\\.0\\.0\\.1:${lab.webmks!.port}/ticket/[0-9a-f]{32}$`))
    expect(lab.webmks!.port).not.toBe(lab.port)
    expect(lab.webmks!.certificate().sha256).not.toBe(lab.certificate().sha256)
  })

  it('plain RFB 3.8 with no password through the relay, subprotocol binary; a ticket works once', async () => {
    const vm = lab.state.inv.vms[1]!
    const ticket = await webmksTicket(vm.id)
    const reg = relay.register({ upstream: { kind: 'websocket', url: ticket, protocols: ['binary'] }, protocol: 'rfb' })
    const client = await RfbClient.websocket(reg.url, { headers: { origin: ORIGIN } })
    try {
      expect(client.name).toBe(vm.name)
      client.requestUpdate(false)
      await client.waitFor(() => client.pixel(10, 10) === BAR_COLOURS[0], 'the built-in test pattern')
    } finally {
      client.close()
    }
    expect(await upgradeStatus(ticket, ['binary'])).toBe(404)
  })

  it('refuses a socket without the binary subprotocol (the ticket stays usable), unknown and VMRC tickets', async () => {
    const vm = lab.state.inv.vms[2]!.id
    const ticket = await webmksTicket(vm)
    expect(await upgradeStatus(ticket, [])).toBe(400)
    expect(await upgradeStatus(ticket, ['uint8utf8'])).toBe(400)
    expect(await upgradeStatus(ticket.replace(/[0-9a-f]{32}$/, '0'.repeat(32)), ['binary'])).toBe(404)
    const vmrc = lab.tickets.issue(vm, 'VMRC')
    expect(await upgradeStatus(`${lab.webmks!.base}/ticket/${vmrc.id}`, ['binary'])).toBe(404)
    expect(await upgradeStatus(ticket, ['binary'])).toBe(101)
  })

  it('knobs: a known ticket id, and a new ESXi certificate for new connections', async () => {
    const canary = 'c0ffee00c0ffee00c0ffee00c0ffee01'
    try {
      await lab.setFaults({ consoleTicketId: canary })
      const ticket = await webmksTicket(lab.state.inv.vms[3]!.id)
      expect(ticket).toBe(`${lab.webmks!.base}/ticket/${canary}`)
      const before = lab.webmks!.certificate()
      await lab.setFaults({ rotateWebmksCertificate: true })
      const after = lab.webmks!.certificate()
      expect(after.sha256).not.toBe(before.sha256)
      // vCenter's own certificate stays.
      expect(lab.certificate().sha256).not.toBe(after.sha256)
      const stale = await new Promise<string>((resolve) => {
        const ws = new WebSocket(ticket, ['binary'], { ca: before.cert })
        ws.once('open', () => resolve('open'))
        ws.once('error', (err) => resolve(err.message))
      })
      expect(stale).toMatch(/self[- ]signed|certificate/i)
      expect(await upgradeStatus(ticket, ['binary'])).toBe(101)
    } finally {
      await lab.setFaults({ consoleTicketId: null })
    }
  })
})
