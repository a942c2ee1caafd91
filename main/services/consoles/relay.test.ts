import crypto from 'node:crypto'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import v8 from 'node:v8'
import vm from 'node:vm'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { startRfbServer, type RfbServer } from '../../../lab/consoles/rfb-server'
import { generateCertificate } from '../../../lab/vsphere/certificate'
import { WsBridge, type BridgeFaults } from '../../../lab/consoles/ws-bridge'
import { BAR_COLOURS } from '../../../lab/consoles/test-pattern'
import { RfbClient } from '../../../test/helpers/rfb-client'
import { PortholeError } from '../../../contract/errors'
import { memoryLog } from '../log/log'
import { ConsoleRelay, RELAY_REFUSAL, type RelayOptions, type RelaySessionInfo } from './relay'

const ORIGIN = 'http://127.0.0.1:5173'
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function relay(options: Partial<RelayOptions> = {}): Promise<ConsoleRelay> {
  const r = new ConsoleRelay({ log: memoryLog(), allowedOrigins: () => [ORIGIN], ...options })
  await r.start()
  cleanups.push(() => r.stop())
  return r
}

async function rfbServer(options: { password?: string } = {}): Promise<RfbServer> {
  const s = await startRfbServer({ name: 'relay-vm', ...options })
  cleanups.push(() => s.close())
  return s
}

/** A TCP server on 127.0.0.1 that hands each connection to onSocket. */
async function tcpServer(onSocket: (s: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((s) => {
    sockets.add(s)
    s.on('error', () => undefined)
    onSocket(s)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  cleanups.push(() => {
    for (const s of sockets) s.destroy()
    return new Promise((r) => server.close(r))
  })
  return (server.address() as net.AddressInfo).port
}

/** A lab console proxy: the bridge on `server` (http or https) at /ticket/<id>, listening on 127.0.0.1; both closed after the test. Returns the port. */
async function serveBridge(bridge: WsBridge, server: http.Server | https.Server): Promise<number> {
  cleanups.push(() => bridge.close())
  bridge.attach(server, (url) => (url.pathname.startsWith('/ticket/') ? url.pathname.slice(8) : null))
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()))
  cleanups.push(() => new Promise((res) => server.close(res)))
  return (server.address() as net.AddressInfo).port
}

/** Opens a renderer-side socket; resolves with it, or with the HTTP status of a refusal. */
function openRenderer(url: string, origin: string | null = ORIGIN): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {})
    ws.once('open', () => {
      cleanups.push(() => ws.terminate())
      resolve(ws)
    })
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.once('error', reject)
  })
}

function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })))
}

async function until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('console relay: one-time ids', () => {
  it('hands out a loopback URL with a 256-bit id and a separate handle', async () => {
    const r = await relay()
    const reg = r.register({ upstream: { kind: 'tcp', host: '127.0.0.1', port: 1 }, protocol: 'rfb' })
    expect(reg.url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:${r.listeningPort()}/relay/[A-Za-z0-9_-]{43}$`))
    expect(reg.url).not.toContain(reg.handle)
    expect(r.session(reg.handle)?.state).toBe('waiting')
  })

  it('refuses unknown ids (404), used ids (410) and other origins (403, without spending the id)', async () => {
    const s = await rfbServer()
    const r = await relay()
    const reg = r.register({ upstream: { kind: 'tcp', host: '127.0.0.1', port: s.port }, protocol: 'rfb' })
    const port = r.listeningPort()
    expect(await openRenderer(`ws://127.0.0.1:${port}/relay/${'A'.repeat(43)}`)).toBe(RELAY_REFUSAL.unknown)
    expect(await openRenderer(`ws://127.0.0.1:${port}/relay/short`)).toBe(RELAY_REFUSAL.unknown)
    expect(await openRenderer(reg.url, 'http://evil.example')).toBe(RELAY_REFUSAL.origin)
    expect(await openRenderer(reg.url, null)).toBe(RELAY_REFUSAL.origin)
    expect(await openRenderer(reg.url.replace('127.0.0.1', 'localhost'))).toBe(RELAY_REFUSAL.origin)
    const first = await openRenderer(reg.url)
    expect(first).toBeInstanceOf(WebSocket)
    expect(await openRenderer(reg.url)).toBe(RELAY_REFUSAL.spent)
  })

  it('ends a session whose upgrade request was malformed (the id is spent)', async () => {
    const r = await relay()
    const reg = r.register({ upstream: { kind: 'tcp', host: '127.0.0.1', port: 1 }, protocol: 'rfb' })
    const { pathname } = new URL(reg.url)
    const answer = await new Promise<string>((resolve) => {
      const sock = net.connect({ host: '127.0.0.1', port: r.listeningPort() }, () => {
        // An upgrade without Sec-WebSocket-Key: ws refuses it with 400.
        sock.write(`GET ${pathname} HTTP/1.1\r\nHost: 127.0.0.1:${r.listeningPort()}\r\nOrigin: ${ORIGIN}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n`)
      })
      let text = ''
      sock.on('data', (d: Buffer) => (text += d.toString()))
      sock.on('close', () => resolve(text))
    })
    expect(answer).toMatch(/^HTTP\/1\.1 400/)
    await until(() => r.session(reg.handle)?.state === 'closed', 'the session to end')
    expect(await openRenderer(reg.url)).toBe(RELAY_REFUSAL.spent)
  })

  it('closes every session on closeAll and keeps serving new ones', async () => {
    const port = await tcpServer(() => undefined)
    const r = await relay()
    const a = r.register({ upstream: { kind: 'tcp', host: '127.0.0.1', port }, protocol: 'serial' })
    const waiting = r.register({ upstream: { kind: 'tcp', host: '127.0.0.1', port }, protocol: 'serial' })
    const ws = (await openRenderer(a.url)) as WebSocket
    await until(() => r.session(a.handle)?.state === 'open', 'open')
    const end = closed(ws)
    r.closeAll('the vault locked')
    expect((await end).reason).toBe('the vault locked')
    expect(r.session(waiting.handle)?.state).toBe('closed')
    expect(await openRenderer(waiting.url)).toBe(RELAY_REFUSAL.spent)
    const b = r.register({ upstream: { kind: 'tcp', host: '127.0.0.1', port }, protocol: 'serial' })
    expect(await openRenderer(b.url)).toBeInstanceOf(WebSocket)
  })

  it('expires ids unused after the TTL (410) and reports it', async () => {
    const r = await relay({ ttlMs: 150 })
    const states: RelaySessionInfo[] = []
    r.onState((i) => states.push(i))
    const reg = r.register({ upstream: { kind: 'tcp', host: '127.0.0.1', port: 1 }, protocol: 'serial' })
    await until(() => r.session(reg.handle)?.state === 'closed', 'expiry')
    expect(r.session(reg.handle)?.closedBy).toBe('expired')
    expect(states.map((s) => s.state)).toEqual(['closed'])
    expect(await openRenderer(reg.url)).toBe(RELAY_REFUSAL.spent)
  })
  it('withdraws the URL of a session closed before it was used', async () => {
    const r = await relay()
    const reg = r.register({ upstream: { kind: 'tcp', host: '127.0.0.1', port: 1 }, protocol: 'rfb' })
    r.close(reg.handle, 'the tab was closed')
    expect(r.session(reg.handle)).toMatchObject({ state: 'closed', closedBy: 'relay', closeReason: 'the tab was closed' })
    expect(await openRenderer(reg.url)).toBe(RELAY_REFUSAL.spent)
  })
})

describe('console relay: piping', () => {
  it('carries RFB end to end from a plain TCP VNC server, both ways', async () => {
    const s = await rfbServer()
    const r = await relay()
    const reg = r.register({ upstream: { kind: 'tcp', host: '127.0.0.1', port: s.port }, protocol: 'rfb', label: 'vm' })
    const c = await RfbClient.websocket(reg.url, { headers: { Origin: ORIGIN } })
    cleanups.push(() => c.close())
    await c.waitFor(() => c.updates > 0 && c.pixel(10, 10) === BAR_COLOURS[0], 'the test pattern')
    expect(c.name).toBe('relay-vm')
    c.type('hi')
    await until(() => s.keys.length === 4, 'the keys at the server')
    expect(s.keys.map((k) => k.keysym)).toEqual([0x68, 0x68, 0x69, 0x69])
    expect(r.session(reg.handle)?.state).toBe('open')
    await until(() => r.session(reg.handle)?.bytesToRenderer === c.bytesReceived, 'byte counters to settle')
    expect(c.bytesReceived).toBeGreaterThan(640 * 480 * 4)
  })

  it('counts bytes exactly in both directions', async () => {
    let received = 0
    const port = await tcpServer((sock) => {
      sock.write(Buffer.alloc(12_345, 1))
      sock.on('data', (d: Buffer) => (received += d.length))
    })
    const r = await relay()
    const reg = r.register({ upstream: { kind: 'tcp', host: '127.0.0.1', port }, protocol: 'serial' })
    const ws = (await openRenderer(reg.url)) as WebSocket
    let got = 0
    ws.on('message', (d: Buffer) => (got += d.length))
    ws.send(Buffer.alloc(777))
    ws.send('text frames are passed on as bytes')
    await until(() => got === 12_345 && received === 777 + 34, 'all bytes')
    const info = r.session(reg.handle)!
    expect([info.bytesToRenderer, info.bytesFromRenderer]).toEqual([12_345, 811])
  })

  it('opens a ws upstream with the subprotocol, origin and TLS options it is given', async () => {
    const s = await rfbServer()
    const bridge = new WsBridge({ requireProtocol: 'binary', checkOrigin: (o) => o === 'https://proxy.lab' })
    const port = await serveBridge(bridge, http.createServer())
    const asked: string[] = []
    const r = await relay({ wsOptionsFor: (url) => (asked.push(url), {}) })

    const url = `ws://127.0.0.1:${port}/ticket/${bridge.issue({ host: '127.0.0.1', port: s.port })}`
    const reg = r.register({ upstream: { kind: 'websocket', url, protocols: ['binary'], origin: 'https://proxy.lab' }, protocol: 'rfb' })
    const c = await RfbClient.websocket(reg.url, { headers: { Origin: ORIGIN } })
    cleanups.push(() => c.close())
    await c.waitFor(() => c.pixel(90, 10) === BAR_COLOURS[1], 'the test pattern through the bridge')
    expect(asked).toEqual([url])

    // Without the subprotocol the proxy refuses, and the tab is told why.
    // A session's own options (its profile's trust) win over the relay's default.
    const perSession: string[] = []
    const url3 = `ws://127.0.0.1:${port}/ticket/${bridge.issue({ host: '127.0.0.1', port: s.port })}`
    const reg3 = r.register({
      upstream: { kind: 'websocket', url: url3, protocols: ['binary'], origin: 'https://proxy.lab', wsOptionsFor: (u) => (perSession.push(u), {}) },
      protocol: 'rfb',
    })
    const c3 = await RfbClient.websocket(reg3.url, { headers: { Origin: ORIGIN } })
    cleanups.push(() => c3.close())
    await c3.waitFor(() => c3.updates > 0, 'a frame')
    expect([perSession, asked]).toEqual([[url3], [url]])

    const url2 = `ws://127.0.0.1:${port}/ticket/${bridge.issue({ host: '127.0.0.1', port: s.port })}`
    const reg2 = r.register({ upstream: { kind: 'websocket', url: url2, origin: 'https://proxy.lab' }, protocol: 'rfb' })
    const ws = (await openRenderer(reg2.url)) as WebSocket
    const end = await closed(ws)
    expect(end.code).toBe(1011)
    expect(end.reason).toMatch(/HTTP 400/)
    expect(r.session(reg2.handle)?.closedBy).toBe('upstream')
  })

  it('reaches a wss console proxy only with the trust its session brings', async () => {
    const s = await rfbServer()
    const cert = await generateCertificate('127.0.0.1')
    const bridge = new WsBridge({ requireProtocol: 'binary' })
    const port = await serveBridge(bridge, https.createServer({ cert: cert.cert, key: cert.key }))
    const r = await relay()
    const ticketUrl = (): string => `wss://127.0.0.1:${port}/ticket/${bridge.issue({ host: '127.0.0.1', port: s.port })}`

    const trusted = r.register({
      upstream: { kind: 'websocket', url: ticketUrl(), protocols: ['binary'], wsOptionsFor: () => ({ ca: cert.cert }) },
      protocol: 'rfb',
    })
    const c = await RfbClient.websocket(trusted.url, { headers: { Origin: ORIGIN } })
    cleanups.push(() => c.close())
    await c.waitFor(() => c.pixel(10, 10) === BAR_COLOURS[0], 'the test pattern over wss')

    const untrusted = r.register({ upstream: { kind: 'websocket', url: ticketUrl(), protocols: ['binary'] }, protocol: 'rfb' })
    const ws = (await openRenderer(untrusted.url)) as WebSocket
    expect((await closed(ws)).reason).toMatch(/could not reach the console: self-signed certificate/)
  })

  it('keeps what a ws upstream sends in the same packet as its 101 response (QEMU does)', async () => {
    // A hand-made WebSocket server: the upgrade answer and the first binary frame in one write.
    const port = await tcpServer((sock) => {
      sock.once('data', (req: Buffer) => {
        const key = /Sec-WebSocket-Key: (.+)\r\n/i.exec(req.toString())?.[1] ?? ''
        const accept = crypto.createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64')
        const payload = Buffer.from('RFB 003.008\n')
        sock.write(
          Buffer.concat([
            Buffer.from(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`),
            Buffer.from([0x82, payload.length]),
            payload,
          ]),
        )
      })
    })
    const r = await relay()
    const reg = r.register({ upstream: { kind: 'websocket', url: `ws://127.0.0.1:${port}/` }, protocol: 'rfb' })
    const ws = (await openRenderer(reg.url)) as WebSocket
    const first = await new Promise<Buffer>((res) => ws.once('message', (d: Buffer) => res(d)))
    expect(first.toString()).toBe('RFB 003.008\n')
  })

  it('closes the upstream when the renderer closes, and the renderer when the upstream closes', async () => {
    const upstreams: net.Socket[] = []
    const port = await tcpServer((sock) => upstreams.push(sock))
    const r = await relay()

    const a = r.register({ upstream: { kind: 'tcp', host: '127.0.0.1', port }, protocol: 'serial' })
    const wsA = (await openRenderer(a.url)) as WebSocket
    await until(() => upstreams.length === 1 && r.session(a.handle)?.state === 'open', 'upstream A')
    const upstreamGone = new Promise<void>((res) => upstreams[0]!.once('close', () => res()))
    wsA.close()
    await upstreamGone
    await until(() => r.session(a.handle)?.state === 'closed', 'session A closed')
    expect(r.session(a.handle)?.closedBy).toBe('renderer')

    const b = r.register({ upstream: { kind: 'tcp', host: '127.0.0.1', port }, protocol: 'serial' })
    const wsB = (await openRenderer(b.url)) as WebSocket
    await until(() => upstreams.length === 2 && r.session(b.handle)?.state === 'open', 'upstream B')
    const rendererGone = closed(wsB)
    upstreams[1]!.end()
    const end = await rendererGone
    expect(end.code).toBe(1000)
    expect(end.reason).toMatch(/^the console closed/)
    expect(r.session(b.handle)?.closedBy).toBe('upstream')
    // The doctor: the session was open, then the console side closed it.
    expect(r.session(b.handle)?.diagnosis).toMatchObject({ step: 'session', cause: 'upstream-closed' })
    expect(r.session(b.handle)?.timings.map((t) => `${t.step}:${t.ok}`)).toEqual(['network:true', 'session:false'])
    // A renderer closing is no failure: no diagnosis.
    expect(r.session(a.handle)?.diagnosis).toBeUndefined()
  })

  it('tells the renderer when the upstream cannot be reached', async () => {
    // A port that was just listening and is closed now: nothing answers there.
    const probe = net.createServer()
    await new Promise<void>((res) => probe.listen(0, '127.0.0.1', () => res()))
    const port = (probe.address() as net.AddressInfo).port
    await new Promise((res) => probe.close(res))
    const r = await relay()
    const reg = r.register({ upstream: { kind: 'tcp', host: '127.0.0.1', port }, protocol: 'rfb' })
    const ws = (await openRenderer(reg.url)) as WebSocket
    const end = await closed(ws)
    expect(end.code).toBe(1011)
    expect(end.reason).toMatch(/could not reach the console: connect ECONNREFUSED/)
    expect(r.session(reg.handle)).toMatchObject({
      state: 'closed',
      closedBy: 'upstream',
      error: { code: 'PROVIDER_UNAVAILABLE', retryable: true },
      diagnosis: { step: 'network', cause: 'port-closed', title: 'Nothing answers on the console’s port' },
    })
  })

  it('says which status a console proxy refused with, and which subprotocol it chose instead of the one asked for', async () => {
    const s = await rfbServer()
    let faults: BridgeFaults = { refuseStatus: 403 }
    const bridge = new WsBridge({ requireProtocol: 'binary', faults: () => faults })
    const port = await serveBridge(bridge, http.createServer())
    const r = await relay()
    const attempt = async (): Promise<RelaySessionInfo | undefined> => {
      const url = `ws://127.0.0.1:${port}/ticket/${bridge.issue({ host: '127.0.0.1', port: s.port })}`
      const reg = r.register({ upstream: { kind: 'websocket', url, protocols: ['binary'] }, protocol: 'rfb' })
      await closed((await openRenderer(reg.url)) as WebSocket)
      return r.session(reg.handle)
    }
    expect(await attempt()).toMatchObject({
      closedBy: 'upstream',
      error: { code: 'PROVIDER_UNAVAILABLE', message: 'could not reach the console: the console proxy answered HTTP 403 Forbidden' },
      diagnosis: { step: 'websocket', cause: 'websocket-refused' },
    })
    faults = { subprotocol: 'base64' }
    expect(await attempt()).toMatchObject({
      error: { message: 'could not reach the console: the console proxy chose subprotocol "base64"; Porthole asked for "binary"' },
      diagnosis: { step: 'websocket', cause: 'subprotocol' },
    })
  })

  it('keeps the trust module\'s error (TLS_UNTRUSTED with its fingerprint) for the tab', async () => {
    const r = await relay({
      wsOptionsFor: () => {
        throw new PortholeError('TLS_UNTRUSTED', 'certificate changed', { detail: { fingerprint: 'AB:CD' } })
      },
    })
    const reg = r.register({ upstream: { kind: 'websocket', url: 'wss://127.0.0.1:1/ticket/x' }, protocol: 'rfb' })
    const ws = (await openRenderer(reg.url)) as WebSocket
    const end = await closed(ws)
    expect(end.code).toBe(1011)
    expect(r.session(reg.handle)?.error).toEqual({
      code: 'TLS_UNTRUSTED',
      message: 'certificate changed',
      detail: { fingerprint: 'AB:CD' },
      retryable: false,
    })
  })

  it('closes every session when it stops', async () => {
    const port = await tcpServer(() => undefined)
    const r = await relay()
    const reg = r.register({ upstream: { kind: 'tcp', host: '127.0.0.1', port }, protocol: 'serial' })
    const ws = (await openRenderer(reg.url)) as WebSocket
    await until(() => r.session(reg.handle)?.state === 'open', 'open')
    const end = closed(ws)
    await r.stop()
    expect((await end).reason).toMatch(/shutting down/)
  })

  it('stops within its grace period even when a renderer never answers the close', async () => {
    const port = await tcpServer(() => undefined)
    const r = await relay()
    const reg = r.register({ upstream: { kind: 'tcp', host: '127.0.0.1', port }, protocol: 'serial' })
    const ws = (await openRenderer(reg.url)) as WebSocket
    await until(() => r.session(reg.handle)?.state === 'open', 'open')
    ws.pause() // reads nothing, so never answers the close frame
    const end = closed(ws)
    await r.stop() // would wait ws's 30 s closing timeout without the grace period
    ws.resume()
    expect((await end).reason).toMatch(/shutting down/)
  }, 10_000)
})

describe('console relay: VNC password answered in main', () => {
  it('passes VNC Authentication upstream and offers the renderer security None', async () => {
    const s = await rfbServer({ password: 'pw12345' })
    const r = await relay()
    const reg = r.register({ upstream: { kind: 'tcp', host: '127.0.0.1', port: s.port }, protocol: 'rfb', vncPassword: 'pw12345' })
    const c = await RfbClient.websocket(reg.url, { headers: { Origin: ORIGIN } }) // asks for None; throws if not offered
    cleanups.push(() => c.close())
    await c.waitFor(() => c.pixel(10, 10) === BAR_COLOURS[0], 'the test pattern')
    c.type('x')
    await until(() => s.keys.length === 2, 'keys')
  })

  it('closes the tab with a reason when the password is wrong', async () => {
    const s = await rfbServer({ password: 'right' })
    const r = await relay()
    const reg = r.register({ upstream: { kind: 'tcp', host: '127.0.0.1', port: s.port }, protocol: 'rfb', vncPassword: 'wrong' })
    const ws = (await openRenderer(reg.url)) as WebSocket
    const end = await closed(ws)
    expect(end.reason).toMatch(/refused the password: Authentication failed/)
    expect(r.session(reg.handle)).toMatchObject({ closedBy: 'upstream', error: { code: 'AUTH_FAILED', retryable: false }, diagnosis: { step: 'rfb', cause: 'vnc-password' } })
    expect(r.session(reg.handle)?.timings.map((t) => `${t.step}:${t.ok}`)).toEqual(['network:true', 'rfb:false'])
  })
})

/** A full garbage collection, so memory figures count what is still held, not what awaits collection. */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc')
  ;(vm.runInNewContext('gc') as () => void)()
}

describe('console relay: backpressure', () => {
  const TOTAL = 64 * 1024 * 1024
  const CHUNK = 64 * 1024
  const HWM = 256 * 1024

  /** A TCP upstream that pushes TOTAL bytes as fast as its socket takes them. */
  async function tcpPusher(progress: { pushed: number }): Promise<{ kind: 'tcp'; host: string; port: number }> {
    const chunk = Buffer.alloc(CHUNK, 0x5a)
    const port = await tcpServer((sock) => {
      const push = (): void => {
        while (progress.pushed < TOTAL) {
          progress.pushed += CHUNK
          if (!sock.write(chunk)) return void sock.once('drain', push)
        }
      }
      push()
    })
    return { kind: 'tcp', host: '127.0.0.1', port }
  }

  /** A WebSocket upstream that pushes TOTAL bytes, one message in flight at a time. */
  async function wsPusher(progress: { pushed: number }): Promise<{ kind: 'websocket'; url: string }> {
    const chunk = Buffer.alloc(CHUNK, 0x5a)
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false })
    await new Promise<void>((res) => wss.once('listening', () => res()))
    cleanups.push(() => {
      for (const c of wss.clients) c.terminate()
      return new Promise((res) => wss.close(res))
    })
    wss.on('connection', (ws) => {
      const push = (): void => {
        if (progress.pushed >= TOTAL || ws.readyState !== ws.OPEN) return
        progress.pushed += CHUNK
        ws.send(chunk, () => push())
      }
      push()
    })
    return { kind: 'websocket', url: `ws://127.0.0.1:${(wss.address() as net.AddressInfo).port}/` }
  }

  for (const [name, pusher] of [
    ['raw TCP', tcpPusher],
    ['WebSocket', wsPusher],
  ] as const) {
    it(`pauses a ${name} upstream while the renderer does not read, then delivers everything`, async () => {
      const progress = { pushed: 0 }
      const upstream = await pusher(progress)
      const r = await relay({ highWaterMark: HWM, lowWaterMark: HWM / 4 })
      const reg = r.register({ upstream, protocol: 'rfb' })
      collectGarbage()
      const before = process.memoryUsage()
      const ws = new WebSocket(reg.url, { origin: ORIGIN, perMessageDeflate: false })
      cleanups.push(() => ws.terminate())
      let got = 0
      ws.on('message', (d: Buffer) => (got += d.length))
      await new Promise<void>((res) => ws.once('open', () => res()))
      ws.pause() // the renderer stops reading: bytes pile up in the kernel, then in the relay

      // Wait until the upstream stalls: no progress for a full second.
      let last = -1
      let still = 0
      await until(() => {
        if (progress.pushed === last) still++
        else [last, still] = [progress.pushed, 0]
        return still >= 50
      }, 'the upstream to stall', 30_000)
      const info = r.session(reg.handle)!
      collectGarbage()
      const after = process.memoryUsage()
      const grown = after.arrayBuffers + after.external - (before.arrayBuffers + before.external)
      console.log(
        JSON.stringify({
          bench: 'relay.backpressure',
          upstream: name,
          pushed_before_stall: progress.pushed,
          relay_buffered: info.bufferedToRenderer,
          relayed: info.bytesToRenderer,
          buffer_growth: grown,
        }),
      )
      expect(progress.pushed).toBeLessThan(TOTAL / 2)
      expect(info.bufferedToRenderer).toBeLessThanOrEqual(HWM + CHUNK)
      // Loose: process-wide figures include other sockets; unbounded buffering would hold ~60 MB.
      expect(grown).toBeLessThan(32 * 1024 * 1024)

      ws.resume()
      await until(() => got === TOTAL, `all ${TOTAL} bytes at the renderer (got ${got})`, 60_000)
      expect(r.session(reg.handle)?.bytesToRenderer).toBe(TOTAL)
    }, 120_000)
  }
})
