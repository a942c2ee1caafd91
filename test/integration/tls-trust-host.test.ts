// The TLS trust flow end to end through the real host, vault and WebSocket transport, as the UI
// drives it: a connection test meets an unknown certificate (TLS_UNTRUSTED with the certificate
// in `detail`, and the password never sent), the user trusts it (tls.trust), the test passes;
// the pins go with their profile; nothing connects while the vault is locked.
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProfileSummary } from '../../contract/profiles'
import { TlsUntrustedDetail } from '../../contract/tls'
import { canaryLeaks } from '../../main/services/profiles/canary'
import { makeCert, nodeFingerprint, startHttpsServer, type TestServer } from '../../main/services/tls/tls-test-fixtures'
import { portholeErrorOf } from '../../main/services/tls/trust-error'
import { MASTER_PASSWORD, startProfilesHarness, type ProfilesHarness } from './profiles-harness'

const CANARY = 'CANARY-tls-3d9a-vcenter-password'

let h: ProfilesHarness
let server: TestServer
let vc: ProfileSummary
let unregister: () => void

beforeAll(async () => {
  h = await startProfilesHarness()
  server = await startHttpsServer(await makeCert({ cn: 'vc.lab' }))
  // A stand-in for the vSphere provider's tester: it logs in with Basic auth over the trust store.
  unregister = h.host.profiles.testers.register('vsphere', {
    async test(profile) {
      const { fields } = profile
      if (fields.kind !== 'vsphere') throw new Error('a vSphere tester got another kind')
      const res = await request(`${fields.endpoint}/api/session`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${fields.user}:${profile.secret ?? ''}`).toString('base64')}` },
        dispatcher: h.host.trust.dispatcherFor(profile.id, fields.trust),
      })
      await res.body.text()
      return { message: `HTTP ${res.statusCode}` }
    },
  })
  vc = await h.call('profiles.add', {
    kind: 'vsphere',
    name: 'Lab vCenter',
    endpoint: `https://127.0.0.1:${server.port}`,
    user: 'administrator@vsphere.local',
    trust: { mode: 'pinned' },
    secret: CANARY,
  })
})

afterAll(async () => {
  unregister?.()
  await server?.close()
  await h?.close()
})

describe('TLS trust through the host', () => {
  let detail: TlsUntrustedDetail

  it('a first connection is refused with the certificate for the prompt, before the password is sent', async () => {
    const error = await h.fail('profiles.test', { id: vc.id })
    expect(error.code).toBe('TLS_UNTRUSTED')
    detail = TlsUntrustedDetail.parse(error.detail)
    expect(detail).toMatchObject({ host: '127.0.0.1', port: server.port, reason: 'unknown', trustable: true, subject: 'CN=vc.lab' })
    expect(server.counters.requests).toBe(0)
    expect(server.counters.bytes).toBe(0)
    expect(detail.fingerprint256).toBe(await nodeFingerprint(server.port))
  })

  it('after tls.trust the same test passes, and the pin is listed', async () => {
    expect(await h.call('tls.trust', { profileId: vc.id, host: detail.host, port: detail.port, fingerprint256: detail.fingerprint256 })).toEqual({ ok: true })
    expect(await h.call('profiles.test', { id: vc.id })).toMatchObject({ message: 'HTTP 200' })
    const { pins } = await h.call('tls.pins', { profileId: vc.id })
    expect(pins).toEqual([expect.objectContaining({ host: '127.0.0.1', port: server.port, fingerprint256: detail.fingerprint256 })])
  })

  it('nothing connects while the vault is locked', async () => {
    const before = server.counters.connections
    await h.call('vault.lock', {})
    expect((await h.fail('tls.pins', { profileId: vc.id })).code).toBe('VAULT_LOCKED')
    // A provider that still holds its dispatcher (a request racing the lock) gets VAULT_LOCKED too.
    const dispatcher = h.host.trust.dispatcherFor(vc.id, { mode: 'pinned' })
    const locked = await request(`https://127.0.0.1:${server.port}/`, { dispatcher }).then(
      () => undefined,
      (err: unknown) => portholeErrorOf(err)?.code,
    )
    expect(locked).toBe('VAULT_LOCKED')
    expect(server.counters.connections).toBe(before)
    await h.call('vault.unlock', { password: MASTER_PASSWORD })
    expect(await h.call('profiles.test', { id: vc.id })).toMatchObject({ message: 'HTTP 200' })
  })

  it('deleting the profile deletes its pins', async () => {
    await h.call('profiles.delete', { id: vc.id })
    expect(await h.call('tls.pins', { profileId: vc.id })).toEqual({ pins: [] })
  })

  it('the password reached neither the renderer nor the log', () => {
    expect(canaryLeaks(h.frames.join('\n'), CANARY)).toEqual([])
    expect(canaryLeaks(h.log.lines.join('\n'), CANARY)).toEqual([])
    expect(h.log.lines.some((l) => l.includes('tls: certificate refused'))).toBe(true)
  })
})
