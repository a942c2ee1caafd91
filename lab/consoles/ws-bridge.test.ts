import http from 'node:http'
import type net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { RfbClient } from '../../test/helpers/rfb-client'
import { startRfbServer } from './rfb-server'
import { BAR_COLOURS } from './test-pattern'
import { WsBridge, type WsBridgeOptions } from './ws-bridge'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** A lab HTTP server whose /ticket/<t> upgrades go to a bridge in front of a built-in RFB server. */
async function lab(options: WsBridgeOptions = {}): Promise<{ bridge: WsBridge; base: string; vnc: number }> {
  const rfb = await startRfbServer({ name: 'bridged' })
  cleanups.push(() => rfb.close())
  const bridge = new WsBridge(options)
  cleanups.push(() => bridge.close())
  const server = http.createServer()
  bridge.attach(server, (url) => (url.pathname.startsWith('/ticket/') ? url.pathname.slice('/ticket/'.length) : null))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  cleanups.push(() => new Promise((r) => server.close(r)))
  return { bridge, base: `ws://127.0.0.1:${(server.address() as net.AddressInfo).port}`, vnc: rfb.port }
}

function status(url: string, options: { protocols?: string[]; origin?: string } = {}): Promise<number | 'open'> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options.protocols ?? [], options.origin ? { origin: options.origin } : {})
    ws.once('open', () => {
      ws.terminate()
      resolve('open')
    })
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.once('error', reject)
  })
}

describe('ws-bridge', () => {
  it('bridges one WebSocket per ticket to the TCP console source', async () => {
    const { bridge, base, vnc } = await lab()
    const ticket = bridge.issue({ host: '127.0.0.1', port: vnc })
    expect(ticket).toMatch(/^[0-9a-f]{32}$/)
    const c = await RfbClient.websocket(`${base}/ticket/${ticket}`)
    cleanups.push(() => c.close())
    await c.waitFor(() => c.pixel(250, 100) === BAR_COLOURS[3], 'the test pattern')
    expect(bridge.has(ticket)).toBe(false)
    expect(await status(`${base}/ticket/${ticket}`)).toBe(404)
    expect(await status(`${base}/ticket/unknown`)).toBe(404)
  })

  it('requires the subprotocol it was told to (ESXi WebMKS: binary), and spends the ticket anyway', async () => {
    const { bridge, base, vnc } = await lab({ requireProtocol: 'binary' })
    const t1 = bridge.issue({ host: '127.0.0.1', port: vnc })
    expect(await status(`${base}/ticket/${t1}`)).toBe(400)
    expect(await status(`${base}/ticket/${t1}`, { protocols: ['binary'] })).toBe(404)
    const t2 = bridge.issue({ host: '127.0.0.1', port: vnc })
    const c = await RfbClient.websocket(`${base}/ticket/${t2}`, { protocols: ['binary'] })
    cleanups.push(() => c.close())
    await c.waitFor(() => c.updates > 0, 'a frame')
  })

  it('checks the Origin when asked to (nova-novncproxy does)', async () => {
    const { bridge, base, vnc } = await lab({ checkOrigin: (o) => o === 'https://nova.lab' })
    expect(await status(`${base}/ticket/${bridge.issue({ host: '127.0.0.1', port: vnc })}`, { origin: 'https://evil' })).toBe(403)
    expect(await status(`${base}/ticket/${bridge.issue({ host: '127.0.0.1', port: vnc })}`, { origin: 'https://nova.lab' })).toBe('open')
  })

  it('forgets tickets unused after their lifetime', async () => {
    const { bridge, base, vnc } = await lab({ ticketTtlMs: 50 })
    const ticket = bridge.issue({ host: '127.0.0.1', port: vnc })
    const deadline = Date.now() + 5000
    while (bridge.has(ticket) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
    expect(await status(`${base}/ticket/${ticket}`)).toBe(404)
  })
})
