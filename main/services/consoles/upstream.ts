import net from 'node:net'
import { WebSocket, type ClientOptions } from 'ws'
import { tcpEnd, webSocketEnd, type ConsoleEnd } from './pipe'
import { RfbHandshakeError, handshakeIo, type HandshakeIo } from './rfb-auth-proxy'

/** Where a console's bytes come from. */
export type RelayUpstream =
  | { kind: 'tcp'; host: string; port: number }
  | {
      kind: 'websocket'
      /** ws:// or wss:// with the provider's ticket in it; it never leaves main. */
      url: string
      /** Subprotocols to offer, e.g. ['binary'] for ESXi WebMKS. */
      protocols?: string[]
      /** The Origin header to send; left out when undefined (nova-novncproxy wants its own). */
      origin?: string
      headers?: Record<string, string>
      /**
       * ws client options for this URL: the profile's TLS trust, e.g.
       * `(url) => trust.wsOptionsFor(profileId, policy, url)`. Overrides the relay's default.
       */
      wsOptionsFor?: (url: string) => ClientOptions | Promise<ClientOptions>
    }

export interface OpenDefaults {
  /** ws client options when the upstream brings none of its own. */
  wsOptionsFor: ((url: string) => ClientOptions | Promise<ClientOptions>) | undefined
  /** The WebSocket handshake deadline. */
  timeoutMs: number
}

/** Opens the upstream, paused; resolves once bytes can flow. */
export async function openUpstream(up: RelayUpstream, defaults: OpenDefaults): Promise<Upstream> {
  if (up.kind === 'tcp') {
    const socket = net.connect({ host: up.host, port: up.port })
    socket.on('error', () => undefined) // 'close' follows, and is handled
    socket.setNoDelay(true)
    socket.pause()
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve())
      socket.once('error', reject)
    })
    return { kind: 'tcp', socket, takeEarly: () => Buffer.alloc(0) }
  }
  const optionsFor = up.wsOptionsFor ?? defaults.wsOptionsFor
  const base = optionsFor ? await optionsFor(up.url) : {}
  const options: ClientOptions = {
    ...base,
    perMessageDeflate: false,
    handshakeTimeout: defaults.timeoutMs,
    headers: { ...(base.headers ?? {}), ...(up.headers ?? {}) },
    ...(up.origin !== undefined ? { origin: up.origin } : {}),
  }
  const ws = new WebSocket(up.url, up.protocols ?? [], options)
  ws.on('error', () => undefined) // 'close' follows, and is handled
  // A server that speaks first (RFB does) may send in the same packet as its 101
  // response; ws emits that message in the same tick as 'open', so catch it from the start.
  const early: Buffer[] = []
  const collect = (data: Buffer | ArrayBuffer | Buffer[]): void => {
    early.push(toBuffer(data))
  }
  ws.on('message', collect)
  // ws says only "Server sent an invalid subprotocol": the doctor shows what was asked and chosen.
  let chosen: string | undefined
  ws.once('upgrade', (res) => {
    const header = res.headers['sec-websocket-protocol']
    chosen = Array.isArray(header) ? header.join(', ') : header
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', (err) => reject(/subprotocol/i.test(err.message) ? new Error(subprotocolMismatch(up.protocols ?? [], chosen)) : err))
    ws.once('unexpected-response', (_req, res) => {
      reject(new Error(`the console proxy answered HTTP ${res.statusCode ?? '?'}${res.statusMessage ? ` ${res.statusMessage}` : ''}`))
      res.resume()
      ws.terminate()
    })
  })
  ws.pause()
  return {
    kind: 'ws',
    ws,
    takeEarly: () => {
      ws.off('message', collect)
      return Buffer.concat(early)
    },
  }
}

function subprotocolMismatch(asked: readonly string[], chosen: string | undefined): string {
  const wanted = asked.length > 0 ? asked.map((p) => `"${p}"`).join(' or ') : 'none'
  return chosen === undefined
    ? `the console proxy answered without a subprotocol; Porthole asked for ${wanted}`
    : `the console proxy chose subprotocol "${chosen.slice(0, 100)}"; Porthole asked for ${wanted}`
}

/** The upstream connection before the pipe wraps it. */
export type Upstream = ({ kind: 'tcp'; socket: net.Socket } | { kind: 'ws'; ws: WebSocket }) & {
  /** Stops collecting and returns what arrived before anyone listened. */
  takeEarly: () => Buffer
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)
}

export function endOf(up: Upstream): ConsoleEnd {
  return up.kind === 'tcp' ? tcpEnd(up.socket) : webSocketEnd(up.ws)
}

export function resumeUpstream(up: Upstream): void {
  if (up.kind === 'tcp') up.socket.resume()
  else up.ws.resume()
}

/** Raw reads on one side for the relay's own RFB handshake; detaching pauses it again. */
export function ioOf(up: Upstream, early: Buffer): HandshakeIo {
  if (up.kind === 'tcp') {
    const { socket } = up
    return handshakeIo(
      early,
      (data) => socket.write(data),
      (onChunk, onEnd) => {
        const onClose = (): void => onEnd(new RfbHandshakeError('the console closed during the handshake'))
        socket.on('data', onChunk)
        socket.on('close', onClose)
        socket.resume()
        return () => {
          socket.pause()
          socket.off('data', onChunk)
          socket.off('close', onClose)
        }
      },
    )
  }
  const { ws } = up
  return handshakeIo(
    early,
    (data) => ws.send(data, { binary: true }),
    (onChunk, onEnd) => {
      const onMessage = (data: Buffer | ArrayBuffer | Buffer[]): void => onChunk(toBuffer(data))
      const onClose = (): void => onEnd(new RfbHandshakeError('the connection closed during the handshake'))
      ws.on('message', onMessage)
      ws.on('close', onClose)
      ws.resume()
      return () => {
        ws.pause()
        ws.off('message', onMessage)
        ws.off('close', onClose)
      }
    },
  )
}
