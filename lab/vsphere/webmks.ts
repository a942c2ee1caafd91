// The lab's "ESXi host" for WebMKS consoles (reference vsphere.md §3.2–3.4): its own HTTPS
// listener on 127.0.0.1 with its own self-signed certificate (an ESXi host's, not vCenter's),
// serving `wss://127.0.0.1:<port>/ticket/<id>`. An upgrade must offer the subprotocol `binary`
// (ESXi drops a socket without one) and carry a live WEBMKS ticket from the lab's registry; the
// ticket is consumed by that first upgrade, whatever happens next. The socket then carries
// plain RFB 3.8 with security type None (the ticket was the authentication): it is bridged to
// the VM's console source — a QEMU per VM, started on first use, where QEMU is installed, else
// the built-in RFB server.
import type { IncomingMessage } from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { Duplex } from 'node:stream'
import { ConsoleSources, type ConsoleSourcesOptions } from '../consoles/console-sources'
import { WsBridge } from '../consoles/ws-bridge'
import type { Log } from '../../main/services/log/log'
import { loadOrCreateCertificate, type LabCertificate } from './certificate'
import type { TicketRegistry } from './tickets'

export interface WebmksOptions {
  tickets: TicketRegistry
  /** The VM's display name (QEMU's desktop name), or undefined when there is no such VM. */
  vmName(vmId: string): string | undefined
  /** Where the listener keeps its certificate. */
  certDir: string
  rotateCertificate?: boolean
  /** Console sources to bridge to; by default the listener starts its own under `dataDir`. */
  sources?: ConsoleSources
  /** For the listener's own sources: where QEMU keeps boot images and serial logs, and which backend. */
  dataDir?: string
  backend?: ConsoleSourcesOptions['backend']
  log?: Log
}

export interface WebmksListener {
  port: number
  /** `wss://127.0.0.1:<port>`: the lab's `webmksBase`. */
  base: string
  certificate(): LabCertificate
  /** Serves a new certificate to new connections (the fault knob `rotateWebmksCertificate`). */
  rotateCertificate(): Promise<LabCertificate>
  /** The console sources behind the tickets (tests stop one to see a console drop). */
  sources: ConsoleSources
  /** WEBMKS upgrades accepted so far (each consumed a ticket). */
  accepted(): number
  stop(): Promise<void>
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

/** Starts the WebMKS listener. */
export async function startWebmksListener(options: WebmksOptions): Promise<WebmksListener> {
  let cert = await loadOrCreateCertificate(options.certDir, 'esxi-webmks.lab.local', options.rotateCertificate ?? false)
  const ownSources = !options.sources
  const sources =
    options.sources ??
    new ConsoleSources({
      dataDir: options.dataDir ?? path.join(options.certDir, 'consoles'),
      ...(options.backend ? { backend: options.backend } : {}),
      ...(options.log ? { log: options.log } : {}),
    })
  // The bridge does the subprotocol check and the piping; its own tickets are internal, one per upgrade.
  const bridge = new WsBridge({ requireProtocol: 'binary', ticketTtlMs: 60_000, ...(options.log ? { log: options.log } : {}) })
  let accepted = 0
  const server = https.createServer({ cert: cert.cert, key: cert.key }, (_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('WebMKS consoles only: wss://…/ticket/<id>\n')
  })
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined)
    const m = /^\/ticket\/([0-9a-f]{32})$/.exec(new URL(req.url ?? '/', 'https://127.0.0.1').pathname)
    if (!m) return refuse(socket, 404, 'Not Found')
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim())
    if (!offered.includes('binary')) return refuse(socket, 400, 'Bad Request')
    const record = options.tickets.consume(m[1]!)
    if (!record || record.type !== 'WEBMKS') return refuse(socket, 404, 'Not Found')
    const name = options.vmName(record.vm)
    if (name === undefined) return refuse(socket, 404, 'Not Found')
    accepted++
    sources.open(record.vm, { name }).then(
      (source) => {
        if (socket.destroyed) return
        const inner = bridge.issue({ host: source.host, port: source.vncPort })
        bridge.handleUpgrade(req, socket, head, inner)
      },
      (err: unknown) => {
        options.log?.warn('webmks: console source failed', { vm: record.vm, error: (err as Error).message })
        refuse(socket, 503, 'Service Unavailable')
      },
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  return {
    port,
    base: `wss://127.0.0.1:${port}`,
    certificate: () => cert,
    async rotateCertificate() {
      cert = await loadOrCreateCertificate(options.certDir, 'esxi-webmks.lab.local', true)
      server.setSecureContext({ cert: cert.cert, key: cert.key })
      return cert
    },
    sources,
    accepted: () => accepted,
    async stop() {
      bridge.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      if (ownSources) await sources.closeAll()
    },
  }
}
