// Profiles end to end through the real host, vault and WebSocket transport: what the
// renderer can do with profiles, and that no secret ever reaches it, the log, or the disk
// unencrypted, in any encoding.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PortholeError } from '../../contract/errors'
import type { ProfileList, ProfileSummary } from '../../contract/profiles'
import { canaryLeaks } from '../../main/services/profiles/canary'
import { MASTER_PASSWORD, startProfilesHarness, until, type ProfilesHarness } from './profiles-harness'

const CANARY = 'CANARY-wire-5b2e-first-secret'
const CANARY_2 = 'CANARY-wire-91c4-second-secret'

let h: ProfilesHarness
let vc: ProfileSummary

beforeAll(async () => {
  h = await startProfilesHarness()
})
afterAll(async () => {
  await h?.close()
})

describe('profiles over the wire', () => {
  it('adds a profile and returns it without its secret', async () => {
    vc = await h.call('profiles.add', {
      kind: 'vsphere',
      name: 'Lab vCenter',
      endpoint: 'https://vc.example.test',
      user: 'administrator@vsphere.local',
      trust: { mode: 'system' },
      secret: CANARY,
    })
    expect(vc).toMatchObject({ kind: 'vsphere', name: 'Lab vCenter', hasSecret: true })
    expect(Object.keys(vc)).not.toContain('secret')
    await until('profiles.changed', () => h.events.some((e) => e.name === 'profiles.changed'))
  })

  it('lists and gets it', async () => {
    const list = await h.call('profiles.list', {})
    expect(list.profiles.map((p) => p.id)).toEqual([vc.id])
    expect(await h.call('profiles.get', { id: vc.id })).toEqual(vc)
  })

  it('edits without sending the old secret back, and the secret is kept', async () => {
    const edited = await h.call('profiles.update', { id: vc.id, patch: { kind: 'vsphere', name: 'Lab VC' } })
    expect(edited).toMatchObject({ name: 'Lab VC', hasSecret: true })
    expect(h.host.profiles.service.profile(vc.id).secret).toBe(CANARY)
    await h.call('profiles.update', { id: vc.id, patch: { kind: 'vsphere', secret: CANARY_2 } })
    expect(h.host.profiles.service.profile(vc.id).secret).toBe(CANARY_2)
  })

  it('refuses an empty secret and an unknown field with INVALID_INPUT', async () => {
    expect((await h.fail('profiles.update', { id: vc.id, patch: { kind: 'vsphere', secret: '' } })).code).toBe('INVALID_INPUT')
    const extra = { id: vc.id, patch: { kind: 'vsphere', password: 'x' } } as unknown as Parameters<typeof h.fail<'profiles.update'>>[1]
    expect((await h.fail('profiles.update', extra)).code).toBe('INVALID_INPUT')
  })

  it('duplicates with the secret copied in main', async () => {
    const copy = await h.call('profiles.duplicate', { id: vc.id })
    expect(copy).toMatchObject({ name: 'Lab VC (copy)', hasSecret: true })
    expect(h.host.profiles.service.profile(copy.id).secret).toBe(CANARY_2)
  })

  it('tests a connection with the provider registered for its kind, and a replacement tester wins', async () => {
    // The real vSphere provider is registered by the host: the profile's host does not resolve.
    const before = await h.fail('profiles.test', { id: vc.id })
    expect(before).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', message: expect.stringContaining('vc.example.test') })
    const off = h.host.profiles.testers.register('vsphere', {
      async test(profile) {
        if (profile.secret !== CANARY_2) throw new PortholeError('AUTH_FAILED', 'Wrong password.')
        return { message: `vCenter 8.0 as ${profile.fields.kind === 'vsphere' ? profile.fields.user : '?'}` }
      },
    })
    try {
      const result = await h.call('profiles.test', { id: vc.id })
      expect(result.message).toBe('vCenter 8.0 as administrator@vsphere.local')
    } finally {
      off()
    }
  })

  it('deletes', async () => {
    const copy = (await h.call('profiles.list', {})).profiles.find((p) => p.name === 'Lab VC (copy)')!
    expect(await h.call('profiles.delete', { id: copy.id })).toEqual({ id: copy.id })
    expect((await h.fail('profiles.get', { id: copy.id })).code).toBe('NOT_FOUND')
    const last = h.events.filter((e) => e.name === 'profiles.changed').at(-1)?.payload as ProfileList
    expect(last.profiles.map((p) => p.id)).toEqual([vc.id])
  })

  it('says VAULT_LOCKED while the vault is locked, forgets import previews, and works again after unlock', async () => {
    const text = 'clouds:\n  c:\n    auth: {auth_url: "https://k.example.test/v3", username: u, password: CANARY-wire-preview-pw, project_name: p}\n'
    const preview = await h.call('profiles.importPreview', { source: 'clouds-yaml-text', text })
    expect(preview.items).toHaveLength(1)
    await h.call('vault.lock', {})
    expect((await h.fail('profiles.list', {})).code).toBe('VAULT_LOCKED')
    expect((await h.fail('profiles.importPreview', { source: 'environment' })).code).toBe('VAULT_LOCKED')
    await h.call('vault.unlock', { password: MASTER_PASSWORD })
    expect((await h.call('profiles.list', {})).profiles).toHaveLength(1)
    // The preview held a secret: it went with the lock.
    expect((await h.fail('profiles.importApply', { previewId: preview.previewId, decisions: { 'item-1': 'add' } })).code).toBe('NOT_FOUND')
  })

  it('never let a secret reach the renderer, the log or the disk unencrypted, in any encoding', async () => {
    await h.host.vault.flush()
    expect(h.frames.length).toBeGreaterThan(10)
    const wire = h.frames.join('\n')
    const logs = h.log.lines.join('\n')
    const disk = h.dataBytes()
    expect(disk.length).toBeGreaterThan(100)
    for (const secret of [CANARY, CANARY_2, 'CANARY-wire-preview-pw']) {
      expect(canaryLeaks(wire, secret), 'wire').toEqual([])
      expect(canaryLeaks(logs, secret), 'log').toEqual([])
      expect(canaryLeaks(disk, secret), 'disk').toEqual([])
    }
  })
})
