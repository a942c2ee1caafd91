import { request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { serve } from '../../../contract/serve'
import { tlsCalls } from '../../../contract/tls'
import { memoryLog } from '../log/log'
import { memorySecretStore } from '../vault/secret-store'
import { makeCert, startHttpsServer, type TestServer } from './tls-test-fixtures'
import { portholeErrorOf } from './trust-error'
import { tlsHandlers } from './tls-handlers'
import { createTrustStore } from './trust-store'

const ctx = { transport: 'websocket' as const, signal: new AbortController().signal }
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function setup(): Promise<{ s: TestServer; dispatch: ReturnType<typeof serve>; fingerprint: () => Promise<string> }> {
  const s = await startHttpsServer(await makeCert({ cn: 'esx-03.lab' }))
  const trust = createTrustStore(memorySecretStore(), memoryLog())
  cleanups.push(() => s.close(), () => trust.dispose())
  const dispatch = serve(tlsCalls, tlsHandlers(trust), memoryLog())
  const fingerprint = async (): Promise<string> => {
    try {
      await request(s.url, { dispatcher: trust.dispatcherFor('p1', { mode: 'pinned' }) })
    } catch (err) {
      const detail = portholeErrorOf(err)?.detail as { fingerprint256: string }
      return detail.fingerprint256
    }
    return 'trusted'
  }
  return { s, dispatch, fingerprint }
}

describe('tls.* calls', () => {
  it('trust (any case), list and forget a pin over the contract', async () => {
    const { s, dispatch, fingerprint } = await setup()
    const fp = await fingerprint()
    const trusted = await dispatch('tls.trust', { profileId: 'p1', host: '127.0.0.1', port: s.port, fingerprint256: fp.toLowerCase() }, ctx)
    expect(trusted).toEqual({ ok: true, value: { ok: true } })
    expect(await fingerprint()).toBe('trusted')
    const pins = await dispatch('tls.pins', { profileId: 'p1' }, ctx)
    expect(pins).toMatchObject({ ok: true, value: { pins: [{ host: '127.0.0.1', port: s.port, fingerprint256: fp, subject: 'CN=esx-03.lab' }] } })
    expect(await dispatch('tls.forget', { profileId: 'p1', host: '127.0.0.1', port: s.port }, ctx)).toEqual({ ok: true, value: { removed: true } })
    expect(await fingerprint()).toBe(fp)
  })

  it('refuses malformed fingerprints and fingerprints nobody presented', async () => {
    const { s, dispatch } = await setup()
    const bad = await dispatch('tls.trust', { profileId: 'p1', host: '127.0.0.1', port: s.port, fingerprint256: 'AB:CD' }, ctx)
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    const unseen = await dispatch('tls.trust', { profileId: 'p1', host: '127.0.0.1', port: s.port, fingerprint256: Array(32).fill('AB').join(':') }, ctx)
    expect(unseen).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})
