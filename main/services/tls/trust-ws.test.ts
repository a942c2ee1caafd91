import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import https from 'node:https'
import net, { type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { PortholeError } from '../../../contract/errors'
import { TlsUntrustedDetail, type TrustPolicy } from '../../../contract/tls'
import { memoryLog } from '../log/log'
import { memorySecretStore } from '../vault/secret-store'
import { makeCa, makeCert, nodeFingerprint, startWssServer, waitFor, type KeyAndCert, type TestServer } from './tls-test-fixtures'
import { createTrustStore, type TrustStore } from './trust-store'

const PINNED: TrustPolicy = { mode: 'pinned' }

let ca: KeyAndCert
let selfSigned: KeyAndCert
let rotated: KeyAndCert
let caLeaf: KeyAndCert
let caLeafOtherHost: KeyAndCert
let dir: string
let caFile: string

beforeAll(async () => {
  ca = await makeCa()
  ;[selfSigned, rotated, caLeaf, caLeafOtherHost] = await Promise.all([
    makeCert({ cn: 'esx-02.lab' }),
    makeCert({ cn: 'esx-02.lab (renewed)' }),
    makeCert({ cn: 'localhost', signedBy: ca }),
    makeCert({ cn: 'elsewhere.example', altNames: [{ type: 2, value: 'elsewhere.example' }], signedBy: ca }),
  ])
  dir = await mkdtemp(path.join(tmpdir(), 'porthole-wss-'))
  caFile = path.join(dir, 'ca.pem')
  await writeFile(caFile, ca.cert)
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function server(cert: KeyAndCert): Promise<TestServer> {
  const s = await startWssServer(cert)
  cleanups.push(() => s.close())
  return s
}

function store() {
  const secrets = memorySecretStore()
  const trust = createTrustStore(secrets, memoryLog())
  cleanups.push(() => trust.dispose())
  return { secrets, trust }
}

/** Opens a WebSocket with the trust store's options; resolves to the echo of "ping", or the error. */
function echo(trust: TrustStore, policy: TrustPolicy, url: string, profileId = 'p1'): Promise<string | Error> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { ...trust.wsOptionsFor(profileId, policy, url), handshakeTimeout: 5_000 })
    ws.once('open', () => ws.send('ping'))
    ws.once('message', (data) => {
      resolve(String(data))
      ws.close()
    })
    ws.once('error', (err) => resolve(err))
  })
}

function untrusted(result: string | Error): TlsUntrustedDetail {
  expect(result).toBeInstanceOf(PortholeError)
  expect((result as PortholeError).code).toBe('TLS_UNTRUSTED')
  return TlsUntrustedDetail.parse((result as PortholeError).detail)
}

describe('wss through ws', () => {
  it('refuses an unknown certificate before the upgrade request, then connects once pinned', async () => {
    const s = await server(selfSigned)
    const { trust } = store()
    const d = untrusted(await echo(trust, PINNED, s.url))
    expect(d).toMatchObject({ host: '127.0.0.1', port: s.port, reason: 'unknown', subject: 'CN=esx-02.lab' })
    await waitFor(() => s.counters.closed >= 1, 'the refused socket to close')
    expect(s.counters).toMatchObject({ connections: 1, bytes: 0, upgrades: 0, requests: 0 })
    expect(d.fingerprint256).toBe(await nodeFingerprint(s.port))

    await trust.trust('p1', '127.0.0.1', s.port, d.fingerprint256)
    expect(await echo(trust, PINNED, s.url)).toBe('ping')
    expect(s.counters.upgrades).toBe(1)
    expect(s.counters.bytes).toBeGreaterThan(0)
  })

  it('refuses a rotated certificate as changed with both fingerprints, and sends no upgrade', async () => {
    const s = await server(selfSigned)
    const { trust } = store()
    const first = untrusted(await echo(trust, PINNED, s.url))
    await trust.trust('p1', '127.0.0.1', s.port, first.fingerprint256)
    expect(await echo(trust, PINNED, s.url)).toBe('ping')
    await waitFor(() => s.counters.closed === s.counters.connections, 'earlier sockets to close')
    s.rotate(rotated)
    const before = { ...s.counters }
    const changed = untrusted(await echo(trust, PINNED, s.url))
    expect(changed).toMatchObject({ reason: 'changed', pinnedFingerprint256: first.fingerprint256 })
    expect(changed.fingerprint256).not.toBe(first.fingerprint256)
    await waitFor(() => s.counters.closed >= before.connections + 1, 'the refused socket to close')
    expect(s.counters.upgrades).toBe(before.upgrades)
    expect(s.counters.bytes).toBe(before.bytes)
  })

  it('system mode refuses a self-signed server as unknown', async () => {
    const s = await server(selfSigned)
    const { trust } = store()
    expect(untrusted(await echo(trust, { mode: 'system' }, s.url))).toMatchObject({ reason: 'unknown', trustable: true })
    expect(s.counters.upgrades).toBe(0)
  })

  it('ca-file mode accepts the CA’s leaf and refuses a wrong hostname', async () => {
    const good = await server(caLeaf)
    const wrong = await server(caLeafOtherHost)
    const { trust } = store()
    const policy: TrustPolicy = { mode: 'ca-file', caFile }
    expect(await echo(trust, policy, good.url)).toBe('ping')
    expect(untrusted(await echo(trust, policy, wrong.url))).toMatchObject({ reason: 'hostname-mismatch', trustable: false })
    expect(wrong.counters.upgrades).toBe(0)
  })

  it('refuses while the vault is locked without dialling', async () => {
    const s = await server(selfSigned)
    const { trust, secrets } = store()
    secrets.lock()
    const result = await echo(trust, PINNED, s.url)
    expect(result).toBeInstanceOf(PortholeError)
    expect((result as PortholeError).code).toBe('VAULT_LOCKED')
    expect(s.counters.connections).toBe(0)
  })

  it('options a caller sets before ours cannot switch verification off', async () => {
    const s = await server(selfSigned)
    const { trust } = store()
    const insecure = new https.Agent({ rejectUnauthorized: false })
    const result = await new Promise<string | Error>((resolve) => {
      const ws = new WebSocket(s.url, {
        agent: insecure,
        rejectUnauthorized: false,
        checkServerIdentity: () => true,
        ...trust.wsOptionsFor('p1', PINNED, s.url),
      })
      ws.once('open', () => resolve('opened'))
      ws.once('error', (err) => resolve(err))
    })
    insecure.destroy()
    expect(untrusted(result).reason).toBe('unknown')
    expect(s.counters.upgrades).toBe(0)
  })

  it('a redirect is judged for the host:port it leads to', async () => {
    const target = await server(rotated)
    const { trust } = store()
    // A trusted front that redirects the upgrade to a server nobody trusted.
    const front = https.createServer({ key: selfSigned.key, cert: selfSigned.cert })
    front.on('upgrade', (_req, socket) => {
      socket.end(`HTTP/1.1 302 Found\r\nLocation: ${target.url}\r\nContent-Length: 0\r\n\r\n`)
    })
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise<void>((resolve) => { front.closeAllConnections(); front.close(() => resolve()) }))
    const frontUrl = `wss://127.0.0.1:${(front.address() as AddressInfo).port}/ticket/x`
    const d = untrusted(await echo(trust, PINNED, frontUrl))
    await trust.trust('p1', '127.0.0.1', d.port, d.fingerprint256)
    const viaRedirect = await new Promise<string | Error>((resolve) => {
      const ws = new WebSocket(frontUrl, { followRedirects: true, ...trust.wsOptionsFor('p1', PINNED, frontUrl) })
      ws.once('open', () => resolve('opened'))
      ws.once('error', (err) => resolve(err))
    })
    expect(untrusted(viaRedirect)).toMatchObject({ port: target.port, reason: 'unknown' })
    expect(target.counters.upgrades).toBe(0)
  })

  it('gives up on a server that never completes the handshake', async () => {
    const silent = net.createServer(() => undefined)
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const sockets = new Set<net.Socket>()
    silent.on('connection', (sock) => sockets.add(sock))
    cleanups.push(() => new Promise<void>((resolve) => { for (const sock of sockets) sock.destroy(); silent.close(() => resolve()) }))
    const trust = createTrustStore(memorySecretStore(), memoryLog(), { connectTimeoutMs: 300 })
    cleanups.push(() => trust.dispose())
    const url = `wss://127.0.0.1:${(silent.address() as AddressInfo).port}/`
    const result = await echo(trust, PINNED, url)
    expect((result as PortholeError).code).toBe('TIMEOUT')
  })

  it('plain ws:// gets no options; other schemes are refused', () => {
    const { trust } = store()
    expect(trust.wsOptionsFor('p1', PINNED, 'ws://127.0.0.1:1/')).toEqual({})
    expect(() => trust.wsOptionsFor('p1', PINNED, 'ftp://127.0.0.1:1/')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
  })
})
