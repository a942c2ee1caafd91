import fs from 'node:fs'
import http from 'node:http'
import net, { type AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { AppInfo, DEFAULT_SETTINGS } from '../../contract/index'
import { createClient, type ClientTransport, type PortholeApi } from '../../contract/client'
import type { Dispatch } from '../../contract/serve'
import { ClientFrame, CloseCode, MAX_FRAME_BYTES } from '../../contract/wire'
import { connectWebSocket, type WebSocketLike } from '../../contract/ws-client'
import { createHost, type Host } from '../host'
import { memoryLog } from '../services/log/log'
import type { SettingsStore } from '../services/settings/settings-service'
import { attachWebSocketTransport, newToken } from './websocket'

const PATH = '/porthole'
const HELLO_TIMEOUT_MS = 300

/** Waits for a condition with a deadline, instead of sleeping and hoping. */
async function until(what: string, condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

function memoryStore(): SettingsStore {
  let stored: unknown
  return { read: () => stored, write: (value) => (stored = value) }
}

interface Harness {
  url: string
  origin: string
  token: string
  host: Host
  log: ReturnType<typeof memoryLog>
  clients(): number
  /** Signals of `test.hold` calls in flight, in arrival order. */
  held: AbortSignal[]
  /** Names of every call the transport dispatched. */
  dispatched: unknown[]
  close(): Promise<void>
}

let harness: Harness
let dataDir: string
const sockets: WebSocket[] = []

async function start(): Promise<Harness> {
  const log = memoryLog()
  const host = createHost({ dataDir, version: '1.2.3', platform: 'linux', settingsStore: memoryStore(), log })
  const held: AbortSignal[] = []
  const dispatched: unknown[] = []
  // `test.hold` stands for a long call: it answers only when its caller goes away.
  const dispatch: Dispatch = (name, payload, ctx) => {
    dispatched.push(name)
    if (name !== 'test.hold') return host.dispatch(name, payload, ctx)
    held.push(ctx.signal)
    return new Promise((resolve) =>
      ctx.signal.addEventListener('abort', () =>
        resolve({ ok: false, error: { code: 'CANCELLED', message: 'Cancelled.', retryable: false } }),
      ),
    )
  }
  const server = http.createServer((_req, res) => res.writeHead(404).end())
  const token = newToken()
  let origin = ''
  const transport = attachWebSocketTransport({
    server,
    path: PATH,
    token,
    origin: () => origin,
    dispatch,
    events: host.events,
    log,
    helloTimeoutMs: HELLO_TIMEOUT_MS,
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  origin = `http://127.0.0.1:${port}`
  return {
    url: `ws://127.0.0.1:${port}${PATH}`,
    origin,
    token,
    host,
    log,
    held,
    dispatched,
    clients: transport.clients,
    async close() {
      transport.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** A `ws` socket with the page's Origin, as the browser would open it. */
function openSocket(url: string, origin: string | undefined): WebSocket {
  const ws = new WebSocket(url, origin === undefined ? {} : { origin })
  // The client emits 'error' before 'close' on a refused upgrade; the tests read the close.
  ws.on('error', () => {})
  sockets.push(ws)
  return ws
}

/** The real browser client over a `ws` socket. */
async function goodClient(): Promise<{ api: PortholeApi; transport: ClientTransport; socket: WebSocket }> {
  let socket: WebSocket | undefined
  const transport = await connectWebSocket(harness.url, harness.token, (url): WebSocketLike => {
    socket = openSocket(url, harness.origin)
    return socket
  })
  if (!socket) throw new Error('factory not called')
  return { api: createClient(transport), transport, socket }
}

interface RawClient {
  ws: WebSocket
  frames: unknown[]
  closed: Promise<{ code: number; reason: string }>
  opened: Promise<void>
}

function rawClient(options: { origin?: string | undefined; path?: string } = { origin: harness.origin }): RawClient {
  const url = options.path ? harness.url.replace(PATH, options.path) : harness.url
  const ws = openSocket(url, options.origin)
  const frames: unknown[] = []
  ws.on('message', (data) => frames.push(JSON.parse(String(data))))
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  )
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('close', () => reject(new Error('closed before open')))
  })
  opened.catch(() => {})
  return { ws, frames, closed, opened }
}

/** An authenticated raw client: hello sent and `ready` received. */
async function helloClient(): Promise<RawClient> {
  const client = rawClient()
  await client.opened
  client.ws.send(JSON.stringify({ type: 'hello', token: harness.token }))
  await until('ready', () => client.frames.length > 0)
  expect(client.frames[0]).toEqual({ type: 'ready' })
  return client
}

/** The HTTP status an upgrade was refused with. */
function refusedStatus(options: { origin?: string | undefined; path?: string }): Promise<number> {
  const url = options.path ? harness.url.replace(PATH, options.path) : harness.url
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options.origin === undefined ? {} : { origin: options.origin })
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      res.resume()
      ws.terminate()
    })
    ws.on('open', () => reject(new Error('upgrade was accepted')))
    ws.on('error', () => {})
  })
}

async function expectAppInfo(api: PortholeApi): Promise<void> {
  const result = await api.call('app.info', {})
  expect(result).toEqual({ ok: true, value: { name: 'Porthole', version: '1.2.3', platform: 'linux', transport: 'websocket' } })
  if (result.ok) expect(AppInfo.parse(result.value)).toEqual(result.value)
}

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-ws-'))
  harness = await start()
})

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate()
  await harness.close()
  await harness.host.dispose()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('WebSocket transport', () => {
  it('round-trips app.info through the browser client', async () => {
    const { api } = await goodClient()
    await expectAppInfo(api)
    expect(harness.clients()).toBe(1)
  })

  it('carries INVALID_INPUT back for a malformed payload without closing the socket', async () => {
    const { api, transport } = await goodClient()
    expect(await transport.invoke('settings.set', { theme: 'neon' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(await transport.invoke('no.such.call', {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    await expectAppInfo(api)
  })

  it('hands an undefined payload (its key dropped by JSON) to the call schema instead of closing the socket', async () => {
    const { api, transport } = await goodClient()
    const held = transport.invoke('test.hold', undefined)
    await until('the held call in flight', () => harness.held.length === 1)
    expect(await transport.invoke('app.info', undefined)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(harness.dispatched).toEqual(['test.hold', 'app.info'])
    // The socket and the call in flight on it survived.
    expect(harness.held[0]?.aborted).toBe(false)
    await expectAppInfo(api)
    void held
  })

  describe('refuses a bad client and keeps serving a good one', () => {
    let good: PortholeApi
    beforeEach(async () => {
      good = (await goodClient()).api
      await expectAppInfo(good)
    })
    afterEach(async () => {
      await expectAppInfo(good)
      expect(harness.clients()).toBe(1)
    })

    it('closes with 4001 when no hello comes before the timeout', async () => {
      // Taken before connecting: the server's timer cannot start earlier, so this bound holds under any load.
      const t0 = Date.now()
      const bad = rawClient()
      await bad.opened
      expect((await bad.closed).code).toBe(CloseCode.badToken)
      expect(Date.now() - t0).toBeGreaterThanOrEqual(HELLO_TIMEOUT_MS - 5)
      expect(bad.frames).toEqual([])
    })

    it('closes with 4001 on a wrong token', async () => {
      for (const token of ['', 'x', newToken(), harness.token.slice(1), harness.token + '0', harness.token.toUpperCase()]) {
        if (token === harness.token) continue
        const bad = rawClient()
        await bad.opened
        bad.ws.send(JSON.stringify({ type: 'hello', token }))
        expect((await bad.closed).code, `token ${JSON.stringify(token)}`).toBe(CloseCode.badToken)
        expect(bad.frames).toEqual([])
      }
    })

    it('refuses the upgrade with 403 for a wrong or missing Origin', async () => {
      const port = new URL(harness.origin).port
      for (const origin of [
        'http://evil.example',
        'null',
        `http://localhost:${port}`,
        `https://127.0.0.1:${port}`,
        `http://127.0.0.1:${Number(port) + 1}`,
        `${harness.origin}/`,
      ]) {
        expect(await refusedStatus({ origin }), origin).toBe(403)
      }
      expect(await refusedStatus({ origin: undefined })).toBe(403)
      expect(harness.dispatched).toEqual(['app.info'])
    })

    it('refuses the upgrade with 404 on a wrong path and 400 on a target that does not parse', async () => {
      for (const p of ['/', '/porthole/', '/Porthole', '/porthole/x', '/relay/1']) {
        expect(await refusedStatus({ origin: harness.origin, path: p }), p).toBe(404)
      }
      // An absolute-form request target that is not a URL: it must be refused, not crash the host.
      const port = Number(new URL(harness.origin).port)
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1')
        let text = ''
        socket.on('data', (d) => (text += d.toString()))
        socket.on('end', () => resolve(text))
        socket.on('error', reject)
        socket.setTimeout(3000, () => reject(new Error('no reply to the unparsable target')))
        socket.write(
          'GET http://[ HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
            `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: ${harness.origin}\r\n\r\n`,
        )
      })
      expect(reply).toMatch(/^HTTP\/1\.1 400 /)
    })

    it('closes with 1009 on a frame over MAX_FRAME_BYTES, before or after hello', async () => {
      const oversized = JSON.stringify({ type: 'call', id: 1, name: 'app.info', payload: { pad: 'x'.repeat(MAX_FRAME_BYTES) } })
      const early = rawClient()
      await early.opened
      early.ws.send(oversized)
      expect((await early.closed).code).toBe(CloseCode.tooBig)

      const authed = await helloClient()
      authed.ws.send(oversized)
      expect((await authed.closed).code).toBe(CloseCode.tooBig)
      expect(authed.frames).toEqual([{ type: 'ready' }])

      // Fragments each under the limit count as one message over it.
      const fragmented = await helloClient()
      const half = oversized.slice(0, oversized.length / 2)
      fragmented.ws.send(half, { fin: false })
      fragmented.ws.send(oversized.slice(half.length), { fin: true })
      expect((await fragmented.closed).code).toBe(CloseCode.tooBig)
      // A frame just under the limit is read and answered (here: refused as input, the socket stays open).
      const fits = await helloClient()
      const pad = 'x'.repeat(MAX_FRAME_BYTES - 200)
      fits.ws.send(JSON.stringify({ type: 'call', id: 7, name: 'app.info', payload: { pad } }))
      await until('reply to the near-limit frame', () => fits.frames.length > 1)
      expect(fits.frames[1]).toMatchObject({ type: 'result', id: 7, ok: false, error: { code: 'INVALID_INPUT' } })
      fits.ws.close()
      await fits.closed
    })

    const malformed: [string, (ws: WebSocket) => void][] = [
      ['not JSON', (ws) => ws.send('{"type":"call",')],
      ['binary', (ws) => ws.send(Buffer.from(JSON.stringify({ type: 'call', id: 1, name: 'app.info', payload: {} })), { binary: true })],
      ['a JSON array', (ws) => ws.send('[]')],
      ['a JSON string', (ws) => ws.send('"hello"')],
      ['an unknown type', (ws) => ws.send(JSON.stringify({ type: 'subscribe', id: 1 }))],
      ['a call without an id', (ws) => ws.send(JSON.stringify({ type: 'call', name: 'app.info', payload: {} }))],
      ['a negative id', (ws) => ws.send(JSON.stringify({ type: 'call', id: -1, name: 'app.info', payload: {} }))],
      ['a fractional id', (ws) => ws.send(JSON.stringify({ type: 'call', id: 1.5, name: 'app.info', payload: {} }))],
      ['a name that is not a string', (ws) => ws.send(JSON.stringify({ type: 'call', id: 1, name: ['app.info'], payload: {} }))],
      ['an extra key', (ws) => ws.send(JSON.stringify({ type: 'call', id: 1, name: 'app.info', payload: {}, admin: true }))],
      ['a __proto__ key', (ws) => ws.send('{"type":"call","id":1,"name":"app.info","payload":{},"__proto__":{"ok":true}}')],
      ['a second hello', (ws) => ws.send(JSON.stringify({ type: 'hello', token: harness.token }))],
    ]

    it.each(malformed)('closes an authenticated socket with 4002 on %s', async (_what, sendBad) => {
      const bad = await helloClient()
      sendBad(bad.ws)
      // A call right behind the bad frame must not run: the socket is already closing.
      bad.ws.send(JSON.stringify({ type: 'call', id: 99, name: 'test.hold', payload: {} }))
      expect((await bad.closed).code).toBe(CloseCode.malformed)
      expect(bad.frames).toEqual([{ type: 'ready' }])
      expect(harness.held).toEqual([])
    })

    it('closes with 4002 on any generated frame that is not a call, and runs nothing', async () => {
      const isCall = (text: string): boolean => {
        try {
          return ClientFrame.safeParse(JSON.parse(text)).data?.type === 'call'
        } catch {
          return false
        }
      }
      const nearCall = fc
        .record(
          {
            type: fc.constantFrom('call', 'hello', 'result', 'CALL', ''),
            id: fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 4 }), fc.constant(null)),
            name: fc.oneof(fc.constantFrom('app.info', '__proto__'), fc.string({ maxLength: 200 }), fc.integer()),
            payload: fc.jsonValue({ maxDepth: 2 }),
            token: fc.string({ maxLength: 8 }),
          },
          { requiredKeys: [] },
        )
        .map((frame) => JSON.stringify(frame))
      const frames = fc.oneof(fc.string({ maxLength: 64 }), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), nearCall)
      let tried = 0
      await fc.assert(
        fc.asyncProperty(frames, async (text) => {
          fc.pre(!isCall(text))
          tried++
          const bad = await helloClient()
          bad.ws.send(text)
          expect((await bad.closed).code).toBe(CloseCode.malformed)
          expect(bad.frames).toEqual([{ type: 'ready' }])
        }),
        { numRuns: 150 },
      )
      expect(tried).toBe(150)
      // The good client's one app.info call is all the transport dispatched.
      expect(harness.dispatched).toEqual(['app.info'])
    })

    it('closes with 4002 on a call before hello, and with 4002 on a hello of the wrong shape', async () => {
      const early = rawClient()
      await early.opened
      early.ws.send(JSON.stringify({ type: 'call', id: 1, name: 'app.info', payload: {} }))
      expect((await early.closed).code).toBe(CloseCode.malformed)
      expect(early.frames).toEqual([])

      for (const hello of [{ type: 'hello' }, { type: 'hello', token: 42 }, { type: 'hello', token: 'x'.repeat(257) }]) {
        const bad = rawClient()
        await bad.opened
        bad.ws.send(JSON.stringify(hello))
        expect((await bad.closed).code, JSON.stringify(hello).slice(0, 40)).toBe(CloseCode.malformed)
      }
      // Only the good client's calls were ever dispatched.
      expect(harness.dispatched).toEqual(['app.info'])
    })
  })

  it('sends events to authenticated sockets only', async () => {
    const { api } = await goodClient()
    const seen: unknown[] = []
    api.on('settings.changed', (s) => seen.push(s))
    const waiting = rawClient()
    await waiting.opened

    const dark = { ...DEFAULT_SETTINGS, theme: 'dark' as const }
    harness.host.events.emit('settings.changed', dark)
    await until('the event at the good client', () => seen.length === 1)
    expect(seen).toEqual([dark])

    // The transport sends to every authenticated socket in the same turn; had the waiting
    // socket been among them, the event would sit before its `ready`.
    waiting.ws.send(JSON.stringify({ type: 'hello', token: harness.token }))
    await until('ready', () => waiting.frames.length > 0)
    expect(waiting.frames).toEqual([{ type: 'ready' }])

    const light = { ...DEFAULT_SETTINGS, theme: 'light' as const }
    expect(await api.call('settings.set', { theme: 'light' })).toEqual({ ok: true, value: light })
    await until('the second event at both', () => seen.length === 2 && waiting.frames.length === 2)
    expect(waiting.frames[1]).toEqual({ type: 'event', name: 'settings.changed', payload: light })
  })

  it('aborts the in-flight call of a socket that closes, and only that one', async () => {
    const first = await goodClient()
    const second = await goodClient()
    const pendingFirst = first.transport.invoke('test.hold', {})
    const pendingSecond = second.transport.invoke('test.hold', {})
    await until('both calls in flight', () => harness.held.length === 2)
    const [signalFirst, signalSecond] = harness.held as [AbortSignal, AbortSignal]
    expect(signalFirst.aborted).toBe(false)

    first.socket.close()
    await until('the first call aborted', () => signalFirst.aborted)
    expect(await pendingFirst).toMatchObject({ ok: false, error: { code: 'PROVIDER_UNAVAILABLE', retryable: true } })
    expect(signalSecond.aborted).toBe(false)
    await expectAppInfo(second.api)
    await until('one client left', () => harness.clients() === 1)

    second.socket.terminate()
    await until('the second call aborted', () => signalSecond.aborted)
    expect(await pendingSecond).toMatchObject({ ok: false, error: { code: 'PROVIDER_UNAVAILABLE' } })
  })

  it('aborts every call in flight when the transport closes', async () => {
    const first = await goodClient()
    const second = await goodClient()
    const pending = [first.transport.invoke('test.hold', {}), second.transport.invoke('test.hold', {})]
    await until('both calls in flight', () => harness.held.length === 2)
    await harness.close()
    await until('both calls aborted', () => harness.held.every((signal) => signal.aborted))
    for (const result of await Promise.all(pending)) expect(result).toMatchObject({ ok: false, error: { code: 'PROVIDER_UNAVAILABLE' } })
    expect(harness.clients()).toBe(0)
  })

  it('rejects connectWebSocket with the close code when the token is wrong', async () => {
    const attempt = connectWebSocket(harness.url, 'not-the-token', (url): WebSocketLike => openSocket(url, harness.origin))
    await expect(attempt).rejects.toThrow(/4001/)
  })
})
