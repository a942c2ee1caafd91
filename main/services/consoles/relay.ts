import type { ConsoleDiagnosis, ConsoleTiming } from '../../../contract/consoles'
import { diagnose, type FailureFacts } from '../../../contract/console-doctor'
import crypto from 'node:crypto'
import http from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type ClientOptions, type WebSocket } from 'ws'
import { PortholeError, type WireError } from '../../../contract/errors'
import type { Log } from '../log/log'
import { pipeEnds, webSocketEnd, type EndClosed } from './pipe'
import { RfbHandshakeError, proxyVncAuth } from './rfb-auth-proxy'
import { endOf, ioOf, openUpstream, resumeUpstream, type RelayUpstream, type Upstream } from './upstream'

export type { RelayUpstream } from './upstream'

/** What `register` needs to know about one console. */
export interface RelaySessionSpec {
  upstream: RelayUpstream
  protocol: 'rfb' | 'serial'
  /** For logs and the status bar, e.g. the VM's name. */
  label?: string
  /**
   * An RFB password held in main: the relay answers the upstream's VNC Authentication
   * itself and offers the renderer security type None, so the password never reaches it.
   */
  vncPassword?: string
}

export type RelayState = 'waiting' | 'connecting' | 'open' | 'closed'

/** A session as the status bar sees it; `handle` is not a secret and cannot open anything. */
export interface RelaySessionInfo {
  handle: string
  label: string | undefined
  protocol: 'rfb' | 'serial'
  state: RelayState
  /** Bytes from the upstream to the renderer, and from the renderer to the upstream. */
  bytesToRenderer: number
  bytesFromRenderer: number
  /** Bytes waiting to be written to the renderer (bounded by the high-water mark plus one chunk). */
  bufferedToRenderer: number
  /** Why it closed, in words a tab can show. */
  closeReason?: string
  closedBy?: 'renderer' | 'upstream' | 'expired' | 'relay'
  /** Set when the session ended in failure: TIMEOUT, AUTH_FAILED, TLS_UNTRUSTED (from the trust module), PROVIDER_UNAVAILABLE… */
  error?: WireError
  /** The steps passed (and the one that failed), ms from the tab's connect. */
  timings: ConsoleTiming[]
  /** When it failed or the upstream dropped: the connection doctor's finding. */
  diagnosis?: ConsoleDiagnosis
}

export interface RelayOptions {
  log: Log
  /** The origins a renderer may connect from (the app's own); checked on every upgrade. */
  allowedOrigins: () => readonly string[]
  /**
   * Default ws client options (TLS trust) for an upstream URL, when a session brings none
   * of its own. Without either, upstreams get ws's defaults: system CAs only.
   */
  wsOptionsFor?: (url: string) => ClientOptions | Promise<ClientOptions>
  /** How long a registered id stays valid unused (default 30 s). */
  ttlMs?: number
  /** Backpressure thresholds on the bytes queued for either side (default 1 MiB / 256 KiB). */
  highWaterMark?: number
  lowWaterMark?: number
  /** Upstream connect (and VNC handshake) deadline (default 15 s). */
  connectTimeoutMs?: number
}

/** What `register` returns: the one-time URL goes to the renderer, the handle to status displays. */
export interface RelayRegistration {
  url: string
  handle: string
  expiresAt: number
}

/** How a refused renderer upgrade is answered (the browser sees only a failed WebSocket). */
export const RELAY_REFUSAL = {
  unknown: 404, // no such id, or a malformed path
  spent: 410, // the id was used already, or expired unused
  origin: 403, // not the app's origin, or not our Host
} as const

const SPENT_KEPT_MS = 10 * 60_000
/** How long a closed session's status stays readable. */
const CLOSED_KEPT_MS = 5 * 60_000
const SPENT_MAX = 10_000

interface Session {
  /** The secret in the URL; kept only to withdraw it if the session ends before use. */
  id: string
  spec: RelaySessionSpec
  info: RelaySessionInfo
  expiry: NodeJS.Timeout | undefined
  /** The renderer's socket once connected, for its live backlog. */
  renderer: WebSocket | undefined
  close: (reason: string, by: RelaySessionInfo['closedBy']) => void
  /** When the tab connected (the doctor's timings count from here). */
  startedAt?: number
}

/**
 * The console relay: a loopback WebSocket server in main. `register` turns a provider's
 * console ticket into a one-time `ws://127.0.0.1:<port>/relay/<id>`; the renderer's noVNC
 * or xterm connects there, and the relay opens the upstream (wss/ws with the profile's
 * trust, or raw TCP) and pipes bytes both ways with backpressure.
 */
export class ConsoleRelay {
  private server: http.Server | undefined
  private port = 0
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1024 * 1024 })
  /** Live sessions by their secret id; the id is removed the moment it is used or expires. */
  private readonly byId = new Map<string, Session>()
  private readonly byHandle = new Map<string, Session>()
  /** Ids already used or expired, so a retry can be told 410 rather than 404. */
  private readonly spent = new Map<string, number>()
  private readonly listeners = new Set<(info: RelaySessionInfo) => void>()
  private readonly options: Required<Omit<RelayOptions, 'wsOptionsFor'>> & Pick<RelayOptions, 'wsOptionsFor'>

  constructor(options: RelayOptions) {
    this.options = {
      ttlMs: 30_000,
      highWaterMark: 1024 * 1024,
      lowWaterMark: 256 * 1024,
      connectTimeoutMs: 15_000,
      ...options,
    }
  }

  /** Starts listening on 127.0.0.1 on a random port. */
  async start(): Promise<void> {
    if (this.server) return
    const server = http.createServer((_req, res) => {
      res.writeHead(404).end()
    })
    server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    const address = server.address()
    if (!address || typeof address === 'string') throw new Error('relay: no TCP address')
    this.server = server
    this.port = address.port
  }

  /** Registers a console; the URL works once, within ttlMs. */
  register(spec: RelaySessionSpec): RelayRegistration {
    if (!this.server) throw new Error('relay: start() it first')
    const id = crypto.randomBytes(32).toString('base64url')
    const handle = crypto.randomBytes(12).toString('base64url')
    const session: Session = {
      id,
      spec,
      info: {
        handle,
        label: spec.label,
        protocol: spec.protocol,
        state: 'waiting',
        bytesToRenderer: 0,
        bytesFromRenderer: 0,
        bufferedToRenderer: 0,
        timings: [],
      },
      expiry: undefined,
      renderer: undefined,
      close: (reason, by) => this.finish(session, reason, by),
    }
    session.expiry = setTimeout(() => {
      this.finish(session, 'the console link expired before it was opened', 'expired')
    }, this.options.ttlMs)
    session.expiry.unref()
    this.byId.set(id, session)
    this.byHandle.set(handle, session)
    return { url: `ws://127.0.0.1:${this.port}/relay/${id}`, handle, expiresAt: Date.now() + this.options.ttlMs }
  }

  /** The status of a session, by its handle. */
  session(handle: string): RelaySessionInfo | undefined {
    const s = this.byHandle.get(handle)
    return s ? snapshot(s) : undefined
  }

  /** Every session not yet forgotten (closed ones stay for CLOSED_KEPT_MS, or until forget). */
  sessions(): RelaySessionInfo[] {
    return [...this.byHandle.values()].map(snapshot)
  }

  /** Calls fn on every state change; returns the unsubscribe function. */
  onState(fn: (info: RelaySessionInfo) => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  /** Closes one session (both sides), e.g. when its tab closes or the vault locks. */
  close(handle: string, reason = 'closed by Porthole'): void {
    this.byHandle.get(handle)?.close(reason, 'relay')
  }

  /** Closes every session but keeps listening, e.g. when the vault locks. */
  closeAll(reason: string): void {
    for (const s of [...this.byHandle.values()]) s.close(reason, 'relay')
  }

  /** Drops a closed session's status. */
  forget(handle: string): void {
    const s = this.byHandle.get(handle)
    if (s && s.info.state === 'closed') this.byHandle.delete(handle)
  }

  /** Closes every session and stops listening. */
  async stop(): Promise<void> {
    const sessions = [...this.byHandle.values()]
    for (const s of sessions) s.close('Porthole is shutting down the console relay', 'relay')
    const server = this.server
    this.server = undefined
    if (!server) return
    // A renderer that never answers the close frame would hold the server open for ws's 30 s.
    const grace = setTimeout(() => {
      for (const s of sessions) s.renderer?.terminate()
    }, 1000)
    await new Promise<void>((resolve) => server.close(() => resolve()))
    clearTimeout(grace)
  }

  /** The port the relay listens on (0 before start). */
  listeningPort(): number {
    return this.port
  }

  private onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const { log } = this.options
    const match = /^\/relay\/([A-Za-z0-9_-]{43})$/.exec(req.url ?? '')
    if (!match) return refuse(socket, RELAY_REFUSAL.unknown, 'Not Found')
    // Host and Origin guard against other pages and DNS rebinding; the id is the real secret.
    const origin = req.headers.origin
    if (req.headers.host !== `127.0.0.1:${this.port}` || !origin || !this.options.allowedOrigins().includes(origin)) {
      log.warn('console relay: refused a connection from another origin', { origin: origin ?? '(none)' })
      return refuse(socket, RELAY_REFUSAL.origin, 'Forbidden')
    }
    const id = match[1]!
    const session = this.byId.get(id)
    if (!session) {
      const spent = this.spent.has(id)
      return refuse(socket, spent ? RELAY_REFUSAL.spent : RELAY_REFUSAL.unknown, spent ? 'Gone' : 'Not Found')
    }
    this.byId.delete(id)
    this.markSpent(id)
    clearTimeout(session.expiry)
    // ws answers a malformed upgrade itself and never calls back: the session must still end.
    let upgraded = false
    socket.once('close', () => {
      if (!upgraded) this.finish(session, 'the console tab could not connect', 'renderer')
    })
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded = true
      this.connect(session, ws)
    })
  }

  private connect(session: Session, renderer: WebSocket): void {
    const { log } = this.options
    session.renderer = renderer
    const rendererEnd = webSocketEnd(renderer)
    // Errors are followed by 'close', which is where we act on them.
    renderer.on('error', () => undefined)
    // Nothing from the renderer is read until the upstream is ready: the kernel holds it.
    renderer.pause()
    this.setState(session, 'connecting')
    let upstream: Upstream | undefined
    let settled = false
    // Where an attempt is, for the doctor: opening the upstream, then the relay's RFB handshake.
    let phase: 'upstream' | 'handshake' = 'upstream'
    const started = Date.now()
    const passed = (step: ConsoleTiming['step']): void => void session.info.timings.push({ step, ms: Date.now() - started, ok: true })
    session.startedAt = started
    const fail = (reason: string, by: RelaySessionInfo['closedBy'], error?: PortholeError): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      if (upstream) endOf(upstream).close(reason, true)
      rendererEnd.close(reason, by !== 'renderer' && by !== 'relay')
      this.finish(session, reason, by, error, phase)
    }
    session.close = (reason, by) => fail(reason, by)
    renderer.once('close', () => fail('the console tab went away', 'renderer'))
    const timer = setTimeout(() => {
      const reason = 'the console did not answer in time'
      fail(reason, 'upstream', new PortholeError('TIMEOUT', reason))
    }, this.options.connectTimeoutMs)

    const run = async (): Promise<void> => {
      upstream = await openUpstream(session.spec.upstream, {
        wsOptionsFor: this.options.wsOptionsFor,
        timeoutMs: this.options.connectTimeoutMs,
      })
      if (settled) return endOf(upstream).close('the console tab went away')
      passed(upstream.kind === 'tcp' ? 'network' : 'websocket')
      phase = 'handshake'
      let fromUpstream = upstream.takeEarly()
      let fromRenderer: Buffer = Buffer.alloc(0)
      if (session.spec.vncPassword !== undefined && session.spec.protocol === 'rfb') {
        const upIo = ioOf(upstream, fromUpstream)
        const rendererIo = ioOf({ kind: 'ws', ws: renderer, takeEarly: () => Buffer.alloc(0) }, Buffer.alloc(0))
        try {
          await proxyVncAuth(upIo, rendererIo, session.spec.vncPassword)
        } finally {
          fromUpstream = upIo.detach()
          fromRenderer = rendererIo.detach()
        }
        passed('rfb')
      }
      if (settled) return
      settled = true
      clearTimeout(timer)
      const upstreamEnd = endOf(upstream)
      session.close = (reason, by) => {
        upstreamEnd.close(reason)
        rendererEnd.close(reason)
        this.finish(session, reason, by)
      }
      this.setState(session, 'open')
      pipeEnds(rendererEnd, upstreamEnd, {
        highWaterMark: this.options.highWaterMark,
        lowWaterMark: this.options.lowWaterMark,
        onBytes: (direction, n) => {
          if (direction === 'aToB') session.info.bytesFromRenderer += n
          else session.info.bytesToRenderer += n
        },
        describe: (side, closed) => (side === 'b' ? upstreamClosedReason(closed) : closed.reason),
        onClosed: (side, closed) => {
          if (side === 'a') return this.finish(session, 'the console tab closed', 'renderer')
          const reason = upstreamClosedReason(closed)
          this.finish(session, reason, 'upstream', closed.clean ? undefined : new PortholeError('PROVIDER_UNAVAILABLE', reason))
        },
      })
      if (fromUpstream.length > 0) {
        session.info.bytesToRenderer += fromUpstream.length
        rendererEnd.send(fromUpstream, () => undefined)
      }
      if (fromRenderer.length > 0) {
        session.info.bytesFromRenderer += fromRenderer.length
        upstreamEnd.send(fromRenderer, () => undefined)
      }
      renderer.resume()
      resumeUpstream(upstream)
    }
    run().catch((err: unknown) => {
      const message = (err as Error).message
      log.warn('console relay: upstream failed', { label: session.spec.label, error: message })
      const reason = err instanceof RfbHandshakeError ? message : `could not reach the console: ${message}`
      const error =
        err instanceof PortholeError
          ? err
          : err instanceof RfbHandshakeError
            ? new PortholeError(err.code, reason)
            : new PortholeError('PROVIDER_UNAVAILABLE', reason)
      fail(reason, 'upstream', error)
    })
  }

  private setState(session: Session, state: RelayState): void {
    session.info.state = state
    const info = snapshot(session)
    for (const l of this.listeners) l(info)
  }

  private finish(session: Session, reason: string, by: RelaySessionInfo['closedBy'], error?: PortholeError, phase?: FailureFacts['phase']): void {
    if (session.info.state === 'closed') return
    if (error) session.info.error = error.toWire()
    // The doctor looks at what the console side did: a timeout, a refusal, a drop, an unused link.
    if (by === 'upstream' || by === 'expired') {
      const facts: FailureFacts = {
        code: error?.code,
        message: error?.message ?? reason,
        detail: error?.detail,
        phase: by === 'expired' ? 'expired' : session.info.state === 'open' ? 'session' : (phase ?? 'upstream'),
      }
      const diagnosis = diagnose(facts)
      session.info.diagnosis = diagnosis
      const at = session.startedAt === undefined ? 0 : Date.now() - session.startedAt
      session.info.timings.push({ step: diagnosis.step, ms: at, ok: false })
    }
    clearTimeout(session.expiry)
    // A session that ends before its URL was used must not be openable afterwards.
    if (this.byId.delete(session.id)) this.markSpent(session.id)
    const { handle } = session.info
    setTimeout(() => this.forget(handle), CLOSED_KEPT_MS).unref()
    session.info.closeReason = reason
    if (by) session.info.closedBy = by
    this.options.log.info('console relay: session closed', {
      label: session.spec.label,
      by,
      reason,
      bytesToRenderer: session.info.bytesToRenderer,
      bytesFromRenderer: session.info.bytesFromRenderer,
    })
    this.setState(session, 'closed')
  }

  private markSpent(id: string): void {
    const now = Date.now()
    this.spent.set(id, now)
    if (this.spent.size > SPENT_MAX) {
      for (const [k, t] of this.spent) if (now - t > SPENT_KEPT_MS || this.spent.size > SPENT_MAX) this.spent.delete(k)
    }
  }
}

function snapshot(s: Session): RelaySessionInfo {
  return { ...s.info, timings: [...s.info.timings], bufferedToRenderer: s.renderer?.bufferedAmount ?? 0 }
}

function upstreamClosedReason(closed: EndClosed): string {
  return closed.clean ? `the console closed: ${closed.reason}` : `the console connection failed: ${closed.reason}`
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}
