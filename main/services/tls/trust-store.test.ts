import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fetch, request } from 'undici'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { PortholeError } from '../../../contract/errors'
import { TlsUntrustedDetail, type TrustPolicy } from '../../../contract/tls'
import { memoryLog } from '../log/log'
import { memorySecretStore } from '../vault/secret-store'
import {
  expiredDates,
  makeCa,
  makeCert,
  nodeFingerprint,
  startHttpsServer,
  waitFor,
  type KeyAndCert,
  type TestServer,
} from './tls-test-fixtures'
import { portholeErrorOf } from './trust-error'
import { createTrustStore, type TrustStore } from './trust-store'

const PINNED: TrustPolicy = { mode: 'pinned' }
const SYSTEM: TrustPolicy = { mode: 'system' }

let ca: KeyAndCert
let selfSigned: KeyAndCert
let rotated: KeyAndCert
let caLeaf: KeyAndCert
let caLeafOtherHost: KeyAndCert
let caLeafExpired: KeyAndCert
let expiredSelfSigned: KeyAndCert
let dir: string
let caFile: string

beforeAll(async () => {
  ca = await makeCa()
  ;[selfSigned, rotated, caLeaf, caLeafOtherHost, caLeafExpired, expiredSelfSigned] = await Promise.all([
    makeCert({ cn: 'esx-01.lab' }),
    makeCert({ cn: 'esx-01.lab (renewed)' }),
    makeCert({ cn: 'localhost', signedBy: ca }),
    makeCert({ cn: 'elsewhere.example', altNames: [{ type: 2, value: 'elsewhere.example' }], signedBy: ca }),
    makeCert({ cn: 'localhost', signedBy: ca, ...expiredDates }),
    makeCert({ cn: 'old-esx', ...expiredDates }),
  ])
  dir = await mkdtemp(path.join(tmpdir(), 'porthole-tls-'))
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
  const s = await startHttpsServer(cert)
  cleanups.push(() => s.close())
  return s
}

function store(options: Parameters<typeof createTrustStore>[2] = {}) {
  const secrets = memorySecretStore()
  const log = memoryLog()
  const trust = createTrustStore(secrets, log, options)
  cleanups.push(() => trust.dispose())
  return { secrets, log, trust }
}

async function get(trust: TrustStore, policy: TrustPolicy, url: string, profileId = 'p1'): Promise<string> {
  const res = await request(url, { dispatcher: trust.dispatcherFor(profileId, policy) })
  return res.body.text()
}

/** The PortholeError a request failed with (the test fails if it succeeded). */
async function failure(promise: Promise<unknown>): Promise<PortholeError> {
  try {
    await promise
  } catch (err) {
    const pe = portholeErrorOf(err)
    if (pe === undefined) throw err
    return pe
  }
  throw new Error('expected the request to fail')
}

function untrusted(err: PortholeError): TlsUntrustedDetail {
  expect(err.code).toBe('TLS_UNTRUSTED')
  return TlsUntrustedDetail.parse(err.detail)
}

describe('pinned mode over undici', () => {
  it('refuses an unknown certificate before any request byte, then trusts it once the user pins it', async () => {
    const s = await server(selfSigned)
    const { trust } = store()
    const err = await failure(get(trust, PINNED, s.url))
    const detail = untrusted(err)
    expect(detail).toMatchObject({ host: '127.0.0.1', port: s.port, reason: 'unknown', trustable: true, subject: 'CN=esx-01.lab' })
    await waitFor(() => s.counters.closed >= 1, 'the server to see the refused socket close')
    expect(s.counters.connections).toBe(1)
    expect(s.counters.bytes).toBe(0)
    expect(s.counters.requests).toBe(0)
    expect(detail.fingerprint256).toBe(await nodeFingerprint(s.port))
    expect(detail.issuer).toBe('CN=esx-01.lab')
    expect(Date.parse(detail.validTo)).toBeGreaterThan(Date.now())

    await trust.trust('p1', '127.0.0.1', s.port, detail.fingerprint256.toLowerCase())
    expect(await get(trust, PINNED, s.url)).toBe('hello')
    expect(s.counters.requests).toBe(1)
    // The counter does see bytes when a request is sent, so the zero above means something.
    expect(s.counters.bytes).toBeGreaterThan(0)
    expect(trust.pins('p1')).toEqual([
      expect.objectContaining({ host: '127.0.0.1', port: s.port, fingerprint256: detail.fingerprint256, subject: 'CN=esx-01.lab' }),
    ])
    // Pins belong to one profile.
    expect(untrusted(await failure(get(trust, PINNED, s.url, 'p2'))).reason).toBe('unknown')
  })

  it('refuses a rotated certificate as changed, shows both fingerprints, and sends nothing', async () => {
    const s = await server(selfSigned)
    const { trust } = store()
    const first = untrusted(await failure(get(trust, PINNED, s.url)))
    await trust.trust('p1', '127.0.0.1', s.port, first.fingerprint256)
    expect(await request(s.url, { dispatcher: trust.dispatcherFor('p1', PINNED), reset: true }).then((r) => r.body.text())).toBe('hello')
    await waitFor(() => s.counters.closed >= 2, 'the server to close the first connections')

    s.rotate(rotated)
    const before = { ...s.counters }
    const changed = untrusted(await failure(get(trust, PINNED, s.url)))
    expect(changed).toMatchObject({ reason: 'changed', trustable: true, pinnedFingerprint256: first.fingerprint256 })
    expect(changed.fingerprint256).toBe(await nodeFingerprint(s.port))
    expect(changed.fingerprint256).not.toBe(first.fingerprint256)
    await waitFor(() => s.counters.closed >= before.closed + 2, 'the refused socket to close')
    expect(s.counters.requests).toBe(before.requests)
    expect(s.counters.bytes).toBe(before.bytes)

    // Never silently re-trusted: replacing needs the explicit flag.
    const conflict = await failure(trust.trust('p1', '127.0.0.1', s.port, changed.fingerprint256))
    expect(conflict.code).toBe('CONFLICT')
    expect(untrusted(await failure(get(trust, PINNED, s.url))).reason).toBe('changed')
    await trust.trust('p1', '127.0.0.1', s.port, changed.fingerprint256, { replace: true })
    expect(await get(trust, PINNED, s.url)).toBe('hello')
    expect(trust.pins('p1').map((p) => p.fingerprint256)).toEqual([changed.fingerprint256])
  })

  it('pins only a fingerprint that host:port has just presented', async () => {
    const s = await server(selfSigned)
    const other = await server(rotated)
    const { trust } = store()
    const otherFp = await nodeFingerprint(other.port)
    expect((await failure(trust.trust('p1', '127.0.0.1', s.port, otherFp))).code).toBe('NOT_FOUND')
    const seen = untrusted(await failure(get(trust, PINNED, other.url)))
    // Seen at the other port: not a reason to pin it for this one.
    expect((await failure(trust.trust('p1', '127.0.0.1', s.port, seen.fingerprint256))).code).toBe('NOT_FOUND')
    expect((await failure(trust.trust('p2', '127.0.0.1', other.port, seen.fingerprint256))).code).toBe('NOT_FOUND')
    expect(trust.pins('p1')).toEqual([])
  })

  it('forgetting a pin retires pooled connections: the next request asks again', async () => {
    const s = await server(selfSigned)
    const { trust } = store()
    const d = untrusted(await failure(get(trust, PINNED, s.url)))
    await trust.trust('p1', '127.0.0.1', s.port, d.fingerprint256)
    const dispatcher = trust.dispatcherFor('p1', PINNED)
    expect(await get(trust, PINNED, s.url)).toBe('hello')
    expect(await trust.forget('p1', '127.0.0.1', s.port)).toBe(true)
    expect(trust.dispatcherFor('p1', PINNED)).toBe(dispatcher)
    expect(untrusted(await failure(get(trust, PINNED, s.url))).reason).toBe('unknown')
    expect(await trust.forget('p1', '127.0.0.1', s.port)).toBe(false)
  })

  it('accepts a pinned certificate that has since expired, and asks about an expired one as unknown', async () => {
    const s = await server(expiredSelfSigned)
    const { trust } = store()
    const d = untrusted(await failure(get(trust, PINNED, s.url)))
    expect(d).toMatchObject({ reason: 'unknown', trustable: true })
    expect(Date.parse(d.validTo)).toBeLessThan(Date.now())
    await trust.trust('p1', '127.0.0.1', s.port, d.fingerprint256)
    expect(await get(trust, PINNED, s.url)).toBe('hello')
  })

  it('probe shows the certificate and makes it trustable without a failed request', async () => {
    const s = await server(selfSigned)
    const { trust } = store()
    const probe = await trust.probe('p1', s.url)
    expect(probe).toMatchObject({ host: '127.0.0.1', port: s.port, verdict: { ok: false, reason: 'unknown' } })
    expect(probe.certificate.fingerprint256).toBe(await nodeFingerprint(s.port))
    await trust.trust('p1', '127.0.0.1', s.port, probe.certificate.fingerprint256)
    expect((await trust.probe('p1', s.url)).verdict).toEqual({ ok: true, via: 'pin' })
    expect(s.counters.bytes).toBe(0)
  })

  it('removePins drops every pin of a profile', async () => {
    const s = await server(selfSigned)
    const { trust } = store()
    const d = untrusted(await failure(get(trust, PINNED, s.url)))
    await trust.trust('p1', '127.0.0.1', s.port, d.fingerprint256)
    const old = trust.dispatcherFor('p1', PINNED)
    await trust.removePins('p1')
    expect(trust.pins('p1')).toEqual([])
    expect(trust.dispatcherFor('p1', PINNED)).not.toBe(old)
    expect(untrusted(await failure(get(trust, PINNED, s.url))).reason).toBe('unknown')
  })
})

describe('system mode', () => {
  it('refuses a self-signed certificate as unknown; a pin of exactly it is then accepted', async () => {
    const s = await server(selfSigned)
    const { trust } = store()
    const d = untrusted(await failure(get(trust, SYSTEM, s.url)))
    expect(d).toMatchObject({ reason: 'unknown', trustable: true, verifyError: 'DEPTH_ZERO_SELF_SIGNED_CERT' })
    expect(s.counters.requests).toBe(0)
    await trust.trust('p1', '127.0.0.1', s.port, d.fingerprint256)
    const ok = await request(s.url, { dispatcher: trust.dispatcherFor('p1', SYSTEM), reset: true })
    expect(await ok.body.text()).toBe('hello')
    await waitFor(() => s.counters.closed >= 2, 'the server to close both connections')
    s.rotate(rotated)
    const changed = untrusted(await failure(get(trust, SYSTEM, s.url)))
    expect(changed).toMatchObject({ reason: 'changed', pinnedFingerprint256: d.fingerprint256 })
  })

  it('refuses an expired self-signed certificate even with nothing pinned, and it is not trustable', async () => {
    const s = await server(expiredSelfSigned)
    const { trust } = store()
    expect(untrusted(await failure(get(trust, SYSTEM, s.url)))).toMatchObject({ reason: 'expired', trustable: false })
  })

  it('verifies against the system CA list with the hostname', async () => {
    const good = await server(caLeaf)
    const wrongHost = await server(caLeafOtherHost)
    const { trust } = store({ systemCa: () => [ca.cert] })
    expect(await get(trust, SYSTEM, good.url)).toBe('hello')
    expect(await get(trust, SYSTEM, `https://localhost:${good.port}/`)).toBe('hello')
    const d = untrusted(await failure(get(trust, SYSTEM, wrongHost.url)))
    expect(d).toMatchObject({ reason: 'hostname-mismatch', trustable: false, subject: 'CN=elsewhere.example', issuer: 'CN=Porthole Test CA' })
    expect(wrongHost.counters.requests).toBe(0)
  })

  it('uses fetch too: the refusal is the cause of fetch’s TypeError', async () => {
    const s = await server(selfSigned)
    const { trust } = store()
    let caught: unknown
    try {
      await fetch(s.url, { dispatcher: trust.dispatcherFor('p1', SYSTEM) })
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(TypeError)
    expect(portholeErrorOf(caught)?.code).toBe('TLS_UNTRUSTED')
  })
})

describe('ca-file mode', () => {
  const policy = (file: string): TrustPolicy => ({ mode: 'ca-file', caFile: file })

  it('accepts a leaf the CA signed and refuses a wrong hostname, an expired leaf and a stranger', async () => {
    const good = await server(caLeaf)
    const wrongHost = await server(caLeafOtherHost)
    const expired = await server(caLeafExpired)
    const stranger = await server(selfSigned)
    const { trust } = store()
    expect(await get(trust, policy(caFile), good.url)).toBe('hello')
    expect(untrusted(await failure(get(trust, policy(caFile), wrongHost.url)))).toMatchObject({ reason: 'hostname-mismatch', trustable: false })
    expect(untrusted(await failure(get(trust, policy(caFile), expired.url)))).toMatchObject({ reason: 'expired', trustable: false })
    const d = untrusted(await failure(get(trust, policy(caFile), stranger.url)))
    expect(d).toMatchObject({ reason: 'ca-file', trustable: false })
    // What a pin cannot fix cannot be pinned.
    expect((await failure(trust.trust('p1', '127.0.0.1', stranger.port, d.fingerprint256))).code).toBe('NOT_FOUND')
    const withCa = store({ systemCa: () => [ca.cert] }).trust
    const mismatch = untrusted(await failure(get(withCa, SYSTEM, wrongHost.url)))
    expect(mismatch.reason).toBe('hostname-mismatch')
    expect((await failure(withCa.trust('p1', '127.0.0.1', wrongHost.port, mismatch.fingerprint256))).code).toBe('NOT_FOUND')
    expect(wrongHost.counters.requests + expired.counters.requests + stranger.counters.requests).toBe(0)
  })

  it('reads the CA file again for each connection: an edited file counts at once', async () => {
    const s = await server(caLeaf)
    const { trust } = store()
    const edited = path.join(dir, 'edited.pem')
    await writeFile(edited, selfSigned.cert)
    expect(untrusted(await failure(get(trust, policy(edited), s.url)))).toMatchObject({ reason: 'ca-file' })
    await writeFile(edited, ca.cert)
    expect(await get(trust, policy(edited), s.url)).toBe('hello')
  })

  it('reports a missing or empty CA file as INVALID_INPUT without connecting', async () => {
    const s = await server(caLeaf)
    const { trust } = store()
    const missing = await failure(get(trust, policy(path.join(dir, 'nope.pem')), s.url))
    expect(missing.code).toBe('INVALID_INPUT')
    expect(missing.detail).toMatchObject({ problem: 'ca-file-unreadable', cause: 'ENOENT' })
    const empty = path.join(dir, 'empty.pem')
    await writeFile(empty, 'not a certificate\n')
    expect((await failure(get(trust, policy(empty), s.url))).detail).toMatchObject({ problem: 'ca-file-empty' })
    expect(s.counters.connections).toBe(0)
  })
})

describe('vault', () => {
  it('refuses to connect while the vault is locked, and works again after unlock', async () => {
    const s = await server(selfSigned)
    const { trust, secrets } = store()
    const d = untrusted(await failure(get(trust, PINNED, s.url)))
    await trust.trust('p1', '127.0.0.1', s.port, d.fingerprint256)
    expect(await get(trust, PINNED, s.url)).toBe('hello')
    const connections = s.counters.connections
    secrets.lock()
    expect((await failure(get(trust, PINNED, s.url))).code).toBe('VAULT_LOCKED')
    expect((await failure(get(trust, SYSTEM, s.url))).code).toBe('VAULT_LOCKED')
    expect((await failure(trust.trust('p1', '127.0.0.1', s.port, d.fingerprint256))).code).toBe('VAULT_LOCKED')
    expect(() => trust.pins('p1')).toThrow(expect.objectContaining({ code: 'VAULT_LOCKED' }))
    expect(s.counters.connections).toBe(connections)
    secrets.unlock()
    expect(await get(trust, PINNED, s.url)).toBe('hello')
  })

  it('keeps pins in the vault section tls.pins, readable by a new store', async () => {
    const s = await server(selfSigned)
    const { trust, secrets } = store()
    const d = untrusted(await failure(get(trust, PINNED, s.url)))
    await trust.trust('p1', '127.0.0.1', s.port, d.fingerprint256)
    const again = createTrustStore(secrets, memoryLog())
    cleanups.push(() => again.dispose())
    expect(await get(again, PINNED, s.url)).toBe('hello')
  })
})
