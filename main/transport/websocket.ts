import crypto from 'node:crypto'
import type http from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { ClientFrame, CloseCode, MAX_FRAME_BYTES, type ServerFrame } from '../../contract/wire'
import type { Dispatch } from '../../contract/serve'
import type { EventBus } from '../event-bus'
import type { Log } from '../services/log/log'

export interface WebSocketTransportOptions {
  /** The HTTP server to attach to; it must listen on 127.0.0.1 only. */
  server: http.Server
  path: string
  /** 256-bit secret, hex; the page gets it in its URL fragment, never in a request line. */
  token: string
  /** The one Origin allowed to connect: the page that serves the renderer. */
  origin: () => string
  dispatch: Dispatch
  events: EventBus
  log: Log
  /** How long a new socket may take to send its token. */
  helloTimeoutMs?: number
}

export function newToken(): string {
  return crypto.randomBytes(32).toString('hex')
}

function sameSecret(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a).digest()
  const hb = crypto.createHash('sha256').update(b).digest()
  return crypto.timingSafeEqual(ha, hb)
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

/**
 * The browser harness's transport: the same contract as Electron IPC, over a loopback
 * WebSocket. A socket must come from the renderer's own origin and present the token in
 * its first frame; a malformed or oversized frame closes that socket and no other.
 */
export function attachWebSocketTransport(options: WebSocketTransportOptions): { close(): void; clients(): number } {
  const { log, dispatch, events } = options
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })
  const authed = new Set<WebSocket>()

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    let pathname: string
    try {
      pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    } catch {
      // An absolute-form target such as `http://[` does not parse; thrown here it would take the host down.
      return refuseUpgrade(socket, 400, 'Bad Request')
    }
    if (pathname !== options.path) return refuseUpgrade(socket, 404, 'Not Found')
    if (req.headers.origin !== options.origin()) {
      log.warn('websocket refused: wrong origin', { origin: req.headers.origin ?? '(none)' })
      return refuseUpgrade(socket, 403, 'Forbidden')
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws))
  }

  function send(ws: WebSocket, frame: ServerFrame): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame))
  }

  function onConnection(ws: WebSocket): void {
    const abort = new AbortController()
    let ok = false
    const helloTimer = setTimeout(() => ws.close(CloseCode.badToken, 'no token'), options.helloTimeoutMs ?? 5000)
    ws.on('close', () => {
      clearTimeout(helloTimer)
      authed.delete(ws)
      abort.abort()
    })
    ws.on('error', (err) => log.warn('websocket error', { error: err.message }))
    ws.on('message', (data, isBinary) => {
      // Once we have decided to close, frames already in flight behind the bad one must not run.
      if (ws.readyState !== ws.OPEN) return
      let frame: ClientFrame
      try {
        if (isBinary) throw new Error('binary frame')
        const raw: unknown = JSON.parse(data.toString())
        const parsed = ClientFrame.safeParse(raw)
        if (!parsed.success) throw new Error('frame does not match the wire schema')
        frame = parsed.data
      } catch (err) {
        log.warn('websocket closed: malformed frame', { error: (err as Error).message })
        ws.close(CloseCode.malformed, 'malformed frame')
        return
      }
      if (!ok) {
        if (frame.type !== 'hello') {
          ws.close(CloseCode.malformed, 'expected hello')
          return
        }
        if (!sameSecret(frame.token, options.token)) {
          log.warn('websocket refused: bad token')
          ws.close(CloseCode.badToken, 'bad token')
          return
        }
        ok = true
        clearTimeout(helloTimer)
        authed.add(ws)
        send(ws, { type: 'ready' })
        return
      }
      if (frame.type !== 'call') {
        ws.close(CloseCode.malformed, 'unexpected hello')
        return
      }
      const { id } = frame
      void dispatch(frame.name, frame.payload, { transport: 'websocket', signal: abort.signal }).then((result) =>
        send(ws, result.ok ? { type: 'result', id, ok: true, value: result.value } : { type: 'result', id, ok: false, error: result.error }),
      )
    })
  }

  const unsubscribe = events.subscribe((name, payload) => {
    for (const ws of authed) send(ws, { type: 'event', name, payload })
  })
  options.server.on('upgrade', onUpgrade)

  return {
    close() {
      unsubscribe()
      options.server.off('upgrade', onUpgrade)
      for (const ws of wss.clients) ws.terminate()
      wss.close()
    },
    clients: () => authed.size,
  }
}
