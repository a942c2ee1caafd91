// Real certificates and real TLS servers on 127.0.0.1 for the trust store's tests (not used by the app).
import https from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import tls from 'node:tls'
import { generate } from 'selfsigned'
import { WebSocketServer } from 'ws'

export interface KeyAndCert {
  key: string
  cert: string
}

type AltName = { type: 2; value: string } | { type: 7; ip: string }

const LOCAL_NAMES: AltName[] = [
  { type: 2, value: 'localhost' },
  { type: 7, ip: '127.0.0.1' },
]

const DAY = 86_400_000

export interface CertOptions {
  cn?: string
  altNames?: AltName[]
  notBefore?: Date
  notAfter?: Date
  signedBy?: KeyAndCert
}

/** A server certificate: self-signed unless `signedBy` is given. EC keys keep generation fast. */
export async function makeCert(options: CertOptions = {}): Promise<KeyAndCert> {
  const pems = await generate([{ name: 'commonName', value: options.cn ?? 'porthole-test' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: options.notBefore ?? new Date(Date.now() - DAY),
    notAfterDate: options.notAfter ?? new Date(Date.now() + 30 * DAY),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: options.altNames ?? LOCAL_NAMES },
    ],
    ...(options.signedBy !== undefined ? { ca: { key: options.signedBy.key, cert: options.signedBy.cert } } : {}),
  })
  return { key: pems.private, cert: pems.cert }
}

/** A CA that can sign server certificates. */
export async function makeCa(cn = 'Porthole Test CA'): Promise<KeyAndCert> {
  const pems = await generate([{ name: 'commonName', value: cn }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - DAY),
    notAfterDate: new Date(Date.now() + 365 * DAY),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  })
  return { key: pems.private, cert: pems.cert }
}

export const expiredDates = { notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - 30 * DAY) }

/**
 * What reached the server. With TLS 1.3 the client finishes its handshake first: a client that
 * refuses the certificate and hangs up at once leaves the server with a TCP connection that never
 * completes its handshake, so `connections`/`closed` count TCP and `bytes` counts decrypted data.
 */
export interface ServerCounters {
  connections: number
  handshakes: number
  bytes: number
  requests: number
  upgrades: number
  closed: number
}

export interface TestServer {
  port: number
  url: string
  counters: ServerCounters
  /** Serves a new certificate from the next handshake on. */
  rotate(cert: KeyAndCert): void
  close(): Promise<void>
}

function count(server: tls.Server, counters: ServerCounters): void {
  server.on('connection', (socket: Socket) => {
    counters.connections++
    socket.on('close', () => {
      counters.closed++
    })
  })
  server.on('secureConnection', (socket) => {
    counters.handshakes++
    socket.on('data', (chunk: Buffer) => {
      counters.bytes += chunk.length
    })
  })
}

/** An HTTPS server on 127.0.0.1 answering every request with "hello". */
export async function startHttpsServer(cert: KeyAndCert): Promise<TestServer> {
  const counters: ServerCounters = { connections: 0, handshakes: 0, bytes: 0, requests: 0, upgrades: 0, closed: 0 }
  const server = https.createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    counters.requests++
    res.end('hello')
  })
  count(server, counters)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    port,
    url: `https://127.0.0.1:${port}/`,
    counters,
    rotate: (next) => server.setSecureContext({ key: next.key, cert: next.cert }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A WSS echo server on 127.0.0.1. */
export async function startWssServer(cert: KeyAndCert): Promise<TestServer> {
  const counters: ServerCounters = { connections: 0, handshakes: 0, bytes: 0, requests: 0, upgrades: 0, closed: 0 }
  const server = https.createServer({ key: cert.key, cert: cert.cert }, (_req, res) => {
    counters.requests++
    res.statusCode = 426
    res.end()
  })
  server.on('upgrade', () => {
    counters.upgrades++
  })
  count(server, counters)
  const wss = new WebSocketServer({ server })
  wss.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    port,
    url: `wss://127.0.0.1:${port}/ticket/abc`,
    counters,
    rotate: (next) => server.setSecureContext({ key: next.key, cert: next.cert }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** The fingerprint Node itself reports for the server's certificate, read without our code. */
export function nodeFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const fp = socket.getPeerCertificate().fingerprint256
      socket.destroy()
      resolve(fp)
    })
    socket.once('error', reject)
  })
}

/** Polls `check` until it holds or the deadline passes (no sleep-and-hope). */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
