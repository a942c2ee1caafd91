import crypto from 'node:crypto'
import type http from 'node:http'
import net from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import { pipeEnds, tcpEnd, webSocketEnd } from '../../main/services/consoles/pipe'
import type { Log } from '../../main/services/log/log'

/** Where a ticket leads: a TCP console source (QEMU's VNC or serial port, the built-in RFB server). */
export interface BridgeTarget {
  host: '127.0.0.1'
  port: number
}

/** Fault knobs of a console proxy, read on every upgrade. */
export interface BridgeFaults {
  /** Answer every upgrade with this HTTP status (e.g. 403 from a proxy in front, 404), tickets untouched. */
  refuseStatus?: number | undefined
  /** Accept with this subprotocol whatever the client offered (a proxy of another kind or version). */
  subprotocol?: string | undefined
}

const STATUS_TEXT: Readonly<Record<number, string>> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 410: 'Gone', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' }

export interface WsBridgeOptions {
  /** A subprotocol the client must offer, and that we then select ('binary' for ESXi WebMKS). */
  requireProtocol?: string
  /** Decides on the Origin header; by default any origin, or none, is accepted. */
  checkOrigin?: (origin: string | undefined) => boolean
  /** How long an unused ticket stays valid. */
  ticketTtlMs?: number
  /** The lab's fault knobs for this proxy (default none). */
  faults?: () => BridgeFaults
  log?: Log
}

/**
 * The WebSocket end of a lab console proxy (WebMKS, nova-novncproxy, ZStack's websockify):
 * the lab issues a ticket for a TCP source, and one WebSocket upgrade carrying that ticket
 * is bridged to it, binary frames both ways with backpressure. A ticket works once: the
 * first upgrade that presents it consumes it, whatever happens next.
 */
export class WsBridge {
  private readonly tickets = new Map<string, { target: BridgeTarget; timer: NodeJS.Timeout }>()
  private readonly wss: WebSocketServer
  private readonly sockets = new Set<Duplex>()

  constructor(private readonly options: WsBridgeOptions = {}) {
    this.wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      maxPayload: 4 * 1024 * 1024,
      handleProtocols: (offered) => {
        const forced = options.faults?.().subprotocol
        if (forced !== undefined) return forced
        if (options.requireProtocol) return offered.has(options.requireProtocol) ? options.requireProtocol : false
        return offered.has('binary') ? 'binary' : false
      },
    })
  }

  /** A new single-use ticket (128 random bits, hex) for target. */
  issue(target: BridgeTarget): string {
    const ticket = crypto.randomBytes(16).toString('hex')
    const timer = setTimeout(() => this.tickets.delete(ticket), this.options.ticketTtlMs ?? 60_000)
    timer.unref()
    this.tickets.set(ticket, { target, timer })
    return ticket
  }

  /** Whether a ticket is still unused. */
  has(ticket: string): boolean {
    return this.tickets.has(ticket)
  }

  /**
   * Handles one upgrade request whose ticket the caller has taken from its URL. Refuses
   * with 404 (unknown or used ticket), 403 (origin) or 400 (missing subprotocol), or with
   * the `refuseStatus` fault knob's status before looking at the ticket.
   */
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, ticket: string | undefined): void {
    const status = this.options.faults?.().refuseStatus
    if (status !== undefined) return refuse(socket, status, STATUS_TEXT[status] ?? 'Refused')
    const entry = ticket ? this.tickets.get(ticket) : undefined
    if (!entry || !ticket) return refuse(socket, 404, 'Not Found')
    this.tickets.delete(ticket)
    clearTimeout(entry.timer)
    if (this.options.checkOrigin && !this.options.checkOrigin(req.headers.origin)) return refuse(socket, 403, 'Forbidden')
    if (this.options.requireProtocol) {
      const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim())
      if (!offered.includes(this.options.requireProtocol)) return refuse(socket, 400, 'Bad Request')
    }
    this.sockets.add(socket)
    socket.once('close', () => this.sockets.delete(socket))
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const upstream = net.connect({ host: entry.target.host, port: entry.target.port })
      upstream.setNoDelay(true)
      this.sockets.add(upstream)
      upstream.once('close', () => this.sockets.delete(upstream))
      pipeEnds(webSocketEnd(ws), tcpEnd(upstream), {
        highWaterMark: 1024 * 1024,
        lowWaterMark: 256 * 1024,
        describe: (side, closed) => (side === 'b' ? `console source closed: ${closed.reason}` : closed.reason),
        onClosed: (side, closed) => this.options.log?.debug('ws-bridge: closed', { side, reason: closed.reason }),
      })
    })
  }

  /**
   * Serves upgrades on a lab server: `ticketOf` returns the ticket of a request this bridge
   * should take (e.g. from `?token=` or a path), or null to leave the request alone.
   */
  attach(server: http.Server, ticketOf: (url: URL, req: http.IncomingMessage) => string | undefined | null): void {
    server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      const ticket = ticketOf(new URL(req.url ?? '/', 'http://127.0.0.1'), req)
      if (ticket === null) return
      this.handleUpgrade(req, socket, head, ticket)
    })
  }

  /** Forgets every ticket and drops every bridged connection. */
  close(): void {
    for (const { timer } of this.tickets.values()) clearTimeout(timer)
    this.tickets.clear()
    for (const s of this.sockets) s.destroy()
    this.wss.close()
  }
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}
