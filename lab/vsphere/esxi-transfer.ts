// The lab's "ESXi host" for guest file transfers (reference §6.5, §6.6; seed 002): its own HTTPS
// listener on 127.0.0.1 with its own self-signed certificate (not vCenter's), serving the
// `/guestFile?id=…&token=…` URLs that `…/guest/filesystem?action=create` hands out.
//
// URL shape: vSphere returns `https://*/guestFile?…` when the file is served by the host that
// was called; the client puts that host (and its port) in place of `*`. The lab's ESXi listener
// shares the host name with vCenter (127.0.0.1) but not the port, so its URLs carry the port:
// `https://*:<esxiPort>/guestFile?…`; a client substitutes the host it called and keeps the
// port the URL names. With the `transferHost: 'address'` knob the URL names the listener
// outright (`https://127.0.0.1:<esxiPort>/…`), as vCenter does when it names the VM's host.
//
// Rules (reference §6.6): valid `transferTtlSeconds` (600) from issue; one GET at a time; no
// longer valid once a GET has started sending the file; invalid when the VM leaves POWERED_ON
// or restarts — also during a transfer, whose connection is then cut.
import crypto from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { loadOrCreateCertificate, type LabCertificate } from './certificate'
import { readContent, type FileContent } from './guest-file-content'
import type { Vm } from './inventory'
import type { LabState } from './state'

interface TransferRecord {
  id: string
  token: string
  vm: Vm
  /** The boot the URL belongs to: a restart (reset, power cycle) invalidates it. */
  bootedAt: number
  guestPath: string
  content: FileContent
  expiresAt: number
  state: 'fresh' | 'sending' | 'used'
}

/** How often a running transfer checks that its VM is still up. */
const WATCH_MS = 50
/** Bytes written per step when not throttled. */
const CHUNK = 1024 * 1024

const registries = new WeakMap<LabState, TransferRegistry>()

/** The transfer registry of a lab (its ESXi listener is running). */
export function transfersOf(state: LabState): TransferRegistry {
  const registry = registries.get(state)
  if (!registry) throw new Error('The lab has no ESXi transfer listener.')
  return registry
}

export class TransferRegistry {
  private readonly live = new Map<string, TransferRecord>()
  /** Transfers whose bytes are flowing now (tests and /lab/state). */
  active = 0
  /** Port of the ESXi listener, set once it listens. */
  port = 0

  constructor(private readonly state: LabState) {
    registries.set(state, this)
  }

  /** A new download URL for one guest file. */
  issue(vm: Vm, guestPath: string, content: FileContent): string {
    this.sweep()
    const now = this.state.now()
    const record: TransferRecord = {
      id: String(crypto.randomInt(1, 2 ** 31)),
      token: crypto.randomBytes(20).toString('hex'),
      vm,
      bootedAt: vm.bootedAt,
      guestPath,
      content,
      expiresAt: now + this.state.faults.transferTtlSeconds * 1000,
      state: 'fresh',
    }
    this.live.set(record.id, record)
    const host = this.state.faults.transferHost === '*' ? '*' : '127.0.0.1'
    return `https://${host}:${this.port}/guestFile?id=${record.id}&token=${record.token}`
  }

  get size(): number {
    return this.live.size
  }

  /** Whether the VM is still in the boot the URL was made for. */
  vmUp(record: TransferRecord): boolean {
    return record.vm.power === 'POWERED_ON' && record.vm.bootedAt === record.bootedAt
  }

  /** The record for a GET, or why there is none (status and text). */
  claim(id: string | null, token: string | null): TransferRecord | { status: number; text: string } {
    const record = id === null ? undefined : this.live.get(id)
    if (!record || token === null || !safeEqual(record.token, token)) return { status: 404, text: 'No such transfer.' }
    if (record.state === 'sending') return { status: 409, text: 'A GET of this URL is already in progress.' }
    if (record.expiresAt <= this.state.now()) {
      this.live.delete(record.id)
      return { status: 404, text: 'The transfer URL has expired.' }
    }
    if (!this.vmUp(record)) {
      this.live.delete(record.id)
      return { status: 404, text: 'The transfer URL is no longer valid: the virtual machine is not running.' }
    }
    record.state = 'sending'
    return record
  }

  /** The URL is spent once its GET began sending the file. */
  finish(record: TransferRecord): void {
    record.state = 'used'
    this.live.delete(record.id)
  }

  private sweep(): void {
    const now = this.state.now()
    for (const [id, r] of this.live) if (r.expiresAt <= now && r.state !== 'sending') this.live.delete(id)
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && crypto.timingSafeEqual(x, y)
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': String(Buffer.byteLength(text)) })
  res.end(text)
}

/** Streams one file with backpressure, the rate knob and the cut knob; stops when the VM goes down. */
async function stream(registry: TransferRegistry, state: LabState, record: TransferRecord, res: ServerResponse): Promise<void> {
  const { size } = record.content
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(size),
    'Content-Disposition': 'attachment',
  })
  let closed = false
  res.once('close', () => (closed = true))
  const cut = (): void => {
    closed = true
    res.destroy()
  }
  // Power off mid-transfer: the connection is cut, as the reference says the transfer is aborted.
  const watch = setInterval(() => {
    if (!registry.vmUp(record)) cut()
  }, WATCH_MS)
  registry.active++
  try {
    const started = Date.now()
    let sent = 0
    while (sent < size && !closed) {
      const { transferBytesPerSecond: rate, transferCutAfterBytes: cutAfter } = state.faults
      if (!registry.vmUp(record)) return cut()
      let step = rate > 0 ? Math.max(1024, Math.min(CHUNK, Math.floor(rate / 20))) : CHUNK
      if (cutAfter > 0) step = Math.min(step, cutAfter - sent)
      if (step <= 0) {
        // Let what was written reach the client, then drop the connection mid-body.
        await new Promise<void>((resolve) => res.write('', () => resolve()))
        return cut()
      }
      const chunk = readContent(record.content, sent, step)
      sent += chunk.length
      if (!res.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            res.off('drain', done)
            res.off('close', done)
            resolve()
          }
          res.on('drain', done)
          res.on('close', done)
        })
      }
      if (rate > 0) {
        const due = started + (sent / rate) * 1000
        const wait = due - Date.now()
        if (wait > 0) await sleep(wait)
      }
    }
    if (!closed) res.end()
  } finally {
    clearInterval(watch)
    registry.active--
  }
}

function handler(registry: TransferRegistry, state: LabState) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1')
    if (url.pathname !== '/guestFile') return sendText(res, 404, 'Not found.')
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET')
      return sendText(res, 405, 'Downloads are GET only (uploads are not in the lab).')
    }
    const claimed = registry.claim(url.searchParams.get('id'), url.searchParams.get('token'))
    if (!('content' in claimed)) return sendText(res, claimed.status, claimed.text)
    registry.finish(claimed)
    void stream(registry, state, claimed, res).catch(() => res.destroy())
  }
}

export interface EsxiListener {
  port: number
  server: https.Server
  registry: TransferRegistry
  certificate(): LabCertificate
  /** New certificate for new connections. */
  rotateCertificate(): Promise<void>
  stop(): Promise<void>
}

/** Starts the ESXi transfer listener on 127.0.0.1 with its own certificate (kept in `certDir`). */
export async function startEsxiListener(state: LabState, certDir: string, rotate = false): Promise<EsxiListener> {
  let cert = await loadOrCreateCertificate(certDir, 'esxi-01.lab.local', rotate)
  const registry = new TransferRegistry(state)
  const server = https.createServer({ cert: cert.cert, key: cert.key, keepAliveTimeout: 5_000 }, handler(registry, state))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  registry.port = (server.address() as AddressInfo).port
  return {
    port: registry.port,
    server,
    registry,
    certificate: () => cert,
    async rotateCertificate() {
      cert = await loadOrCreateCertificate(certDir, 'esxi-01.lab.local', true)
      server.setSecureContext({ cert: cert.cert, key: cert.key })
    },
    async stop() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
