// The lab's console proxies, shaped like nova-novncproxy and nova-serialproxy (reference
// openstack.md §4 and "Read this first" 4, 5): Nova tokens are UUIDs, reusable until their TTL,
// taken from `?token=` or a `token` cookie; a bad token, a bad Origin or a server whose console
// port is gone is accepted with 101 and then dropped without a close frame; offering only a
// subprotocol other than `binary` is refused with 400 before the upgrade. Accepted upgrades
// are bridged (lab/consoles/ws-bridge) to the server's console source.
import crypto from 'node:crypto'
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import https from 'node:https'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import type { ConsoleSources } from '../consoles/console-sources'
import { WsBridge } from '../consoles/ws-bridge'
import type { LabCertificate } from '../vsphere/certificate'
import type { Faults } from './faults'
import type { ConsoleIssuer } from './nova'
import type { Server } from './world'

interface ConsoleToken {
  server: Server
  type: string
  expiresAt: number
}

export interface ConsoleProxiesOptions {
  cert: LabCertificate
  sources: ConsoleSources
  ttlSeconds(): number
  now(): number
  /** The lab's console knobs, read on every token and upgrade (default none). */
  faults?(): Pick<Faults, 'consoleToken' | 'consoleProxyStatus' | 'consoleProxySubprotocol'>
}

export interface ConsoleProxies extends ConsoleIssuer {
  /** https://127.0.0.1:<port> of the noVNC proxy (also serves the spice/mks/spice-direct pages). */
  readonly novncBase: string
  /** wss://127.0.0.1:<port> of the serial proxy. */
  readonly serialBase: string
  /** Live console tokens. */
  readonly size: number
  /** Connections bridged so far, and refused after the upgrade. */
  readonly stats: { bridged: number; dropped: number }
  setCertificate(cert: LabCertificate): void
  close(): Promise<void>
}

function tokenOf(req: IncomingMessage, url: URL): string | undefined {
  const q = url.searchParams.get('token')
  if (q) return q
  const cookie = req.headers.cookie?.split(/;\s*/).find((c) => c.startsWith('token='))
  return cookie?.slice('token='.length) || undefined
}

/** nova-novncproxy's Origin rule: host name equal to the Host header's, scheme equal to the proxy's. */
function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin
  if (origin === undefined) return true
  try {
    const o = new URL(origin)
    const host = new URL(`https://${req.headers.host ?? ''}`).hostname
    return o.protocol === 'https:' && o.hostname === host
  } catch {
    return false
  }
}

function listen(server: https.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

const PAGE = '<!doctype html><title>Porthole lab console proxy</title><p>This is the OpenStack lab console proxy. Connect a WebSocket to /?token=…</p>\n'

/** Starts the noVNC and serial proxies. */
export async function startConsoleProxies(options: ConsoleProxiesOptions): Promise<ConsoleProxies> {
  const tokens = new Map<string, ConsoleToken>()
  const bridge = new WsBridge({ ticketTtlMs: 10_000, faults: () => ({ subprotocol: options.faults?.().consoleProxySubprotocol ?? undefined }) })
  const refuser = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has('binary') ? 'binary' : false) })
  const stats = { bridged: 0, dropped: 0 }
  // A stand-in serial port for sources without one (the built-in RFB server): banner, then echo.
  const echoSockets = new Set<net.Socket>()
  const echo = net.createServer((socket) => {
    echoSockets.add(socket)
    socket.once('close', () => echoSockets.delete(socket))
    socket.on('error', () => socket.destroy())
    socket.write('\r\nPorthole lab serial console\r\nlogin: ')
    socket.pipe(socket)
  })
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()))
  const echoPort = (echo.address() as AddressInfo).port

  const page = (req: IncomingMessage, res: ServerResponse): void => {
    const known = /^\/(vnc_auto\.html|vnc\.html|vnc_lite\.html|spice_auto\.html|mks\.html|nova)?$/.test(new URL(req.url ?? '/', 'https://x').pathname)
    res.writeHead(known ? 200 : 404, { 'Content-Type': 'text/html', 'Content-Length': known ? Buffer.byteLength(PAGE) : 0 })
    res.end(known ? PAGE : '')
  }
  const tls = { cert: options.cert.cert, key: options.cert.key }
  const novnc = https.createServer(tls, page)
  const serial = https.createServer(tls, page)

  const drop = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    stats.dropped++
    refuser.handleUpgrade(req, socket, head, (ws) => ws.terminate())
  }

  const upgrade = (kind: 'vnc' | 'serial') => (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    // Knob: something in front of the proxy (a load balancer, a WAF) refuses the upgrade.
    const refuseStatus = options.faults?.().consoleProxyStatus
    if (refuseStatus != null) {
      socket.end(`HTTP/1.1 ${refuseStatus} ${STATUS_CODES[refuseStatus] ?? 'Refused'}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`)
      return
    }
    const url = new URL(req.url ?? '/', 'https://127.0.0.1')
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean)
    if (offered.length > 0 && !offered.includes('binary')) {
      const text = 'Invalid protocol selected'
      socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\nConnection: close\r\n\r\n${text}`)
      return
    }
    const token = tokenOf(req, url)
    const record = token ? tokens.get(token) : undefined
    const wanted = kind === 'vnc' ? ['novnc'] : ['serial']
    if (!record || record.expiresAt <= options.now() || !wanted.includes(record.type) || !originAllowed(req)) return drop(req, socket, head)
    // validate_console_port: a stopped server has no console port any more.
    if (record.server.vmState !== 'active' && record.server.vmState !== 'paused') return drop(req, socket, head)
    void options.sources.open(record.server.id, { name: record.server.name }).then(
      (source) => {
        const port = kind === 'vnc' ? source.vncPort : (source.serialPort ?? echoPort)
        stats.bridged++
        bridge.handleUpgrade(req, socket, head, bridge.issue({ host: '127.0.0.1', port }))
      },
      () => drop(req, socket, head),
    )
  }
  novnc.on('upgrade', upgrade('vnc'))
  serial.on('upgrade', upgrade('serial'))
  const novncPort = await listen(novnc)
  const serialPort = await listen(serial)
  const novncBase = `https://127.0.0.1:${novncPort}`
  const serialBase = `wss://127.0.0.1:${serialPort}`

  return {
    novncBase,
    serialBase,
    stats,
    get size() {
      return tokens.size
    },
    issue(server, type) {
      const now = options.now()
      for (const [t, r] of tokens) if (r.expiresAt <= now) tokens.delete(t)
      const token = options.faults?.().consoleToken ?? crypto.randomUUID()
      tokens.set(token, { server, type, expiresAt: now + options.ttlSeconds() * 1000 })
      switch (type) {
        case 'novnc':
          return `${novncBase}/vnc_auto.html?path=${encodeURIComponent(`?token=${token}`)}`
        case 'serial':
          return `${serialBase}/?token=${token}`
        case 'spice-html5':
          return `${novncBase}/spice_auto.html?token=${token}`
        case 'webmks':
          return `${novncBase}/mks.html?token=${token}`
        default:
          return `${novncBase}/nova?token=${token}`
      }
    },
    setCertificate(cert) {
      for (const s of [novnc, serial]) s.setSecureContext({ cert: cert.cert, key: cert.key })
    },
    async close() {
      bridge.close()
      refuser.close()
      for (const s of [novnc, serial]) s.closeAllConnections()
      for (const s of echoSockets) s.destroy()
      await Promise.all([novnc, serial, echo].map((s) => new Promise<void>((r) => s.close(() => r()))))
    },
  }
}
