import { beforeEach, describe, expect, it } from 'vitest'
import { PortholeError } from '../../../contract/errors'
import { ProfileInput, ProfilePatch, type ProfileList } from '../../../contract/profiles'
import { memoryLog } from '../log/log'
import { memorySecretStore } from '../vault/secret-store'
import { createConnectionTesters, type ConnectionTesters } from './connection-testers'
import { PROFILES_SECTION, ProfilesSection } from './profile-records'
import { createProfileService, type ProfileService } from './profile-service'

const CANARY = 'canary-Zx81-secret'

const vsphere = ProfileInput.parse({
  kind: 'vsphere',
  name: 'Lab vCenter',
  endpoint: 'https://vc.example.test',
  user: 'administrator@vsphere.local',
  trust: { mode: 'system' },
  secret: CANARY,
})

const openstack = ProfileInput.parse({
  kind: 'openstack',
  name: 'Cloud',
  endpoint: 'https://keystone.example.test:5000/v3',
  user: 'alice',
  trust: { mode: 'pinned' },
  authType: 'password',
  projectName: 'demo',
  region: 'RegionOne',
  secret: 'os-pw',
})

const vnc = ProfileInput.parse({ kind: 'vnc', name: 'Bench', host: '127.0.0.1', port: 5901 })

async function rejection(promise: Promise<unknown> | (() => unknown)): Promise<PortholeError> {
  try {
    await (typeof promise === 'function' ? promise() : promise)
  } catch (err) {
    if (err instanceof PortholeError) return err
    throw err
  }
  throw new Error('expected a rejection')
}

let store: ReturnType<typeof memorySecretStore>
let testers: ConnectionTesters
let changes: ProfileList[]
let secrets: string[]
let service: ProfileService
let clock: number

beforeEach(() => {
  store = memorySecretStore()
  testers = createConnectionTesters()
  changes = []
  secrets = []
  clock = Date.parse('2026-03-01T10:00:00Z')
  service = createProfileService({
    store,
    log: memoryLog(),
    testers,
    onChange: (list) => changes.push(list),
    onSecret: (s) => secrets.push(s),
    now: () => new Date((clock += 1000)),
  })
})

describe('add, get, list', () => {
  it('stores the profile with its secret in the vault section and returns it without', async () => {
    const summary = await service.add(vsphere)
    expect(summary).toMatchObject({ kind: 'vsphere', name: 'Lab vCenter', hasSecret: true })
    expect(summary).not.toHaveProperty('secret')
    expect(summary.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(summary.createdAt).toBe(summary.updatedAt)
    const section = store.read(PROFILES_SECTION, ProfilesSection)
    expect(section?.profiles[0]?.secret).toBe(CANARY)
    expect(JSON.stringify(service.list())).not.toContain(CANARY)
    expect(service.get(summary.id)).toEqual(summary)
  })

  it('gives every profile a random id and keeps the order of creation', async () => {
    const a = await service.add(vsphere)
    const b = await service.add(openstack)
    const c = await service.add(vnc)
    expect(new Set([a.id, b.id, c.id]).size).toBe(3)
    expect(service.list().map((p) => p.name)).toEqual(['Lab vCenter', 'Cloud', 'Bench'])
    expect(c.hasSecret).toBe(false)
  })

  it('refuses a second profile with the same name, whatever its case', async () => {
    await service.add(vsphere)
    const err = await rejection(service.add({ ...vsphere, name: 'lab VCENTER' }))
    expect(err.code).toBe('CONFLICT')
    expect(service.list()).toHaveLength(1)
  })

  it('announces every change with the full list, without secrets', async () => {
    await service.add(vsphere)
    await service.add(vnc)
    expect(changes.map((c) => c.profiles.length)).toEqual([1, 2])
    expect(JSON.stringify(changes)).not.toContain(CANARY)
  })

  it('hands the secrets it holds to the redactor', async () => {
    await service.add(vsphere)
    expect(secrets).toContain(CANARY)
  })

  it('says NOT_FOUND for an unknown id', () => {
    expect(() => service.get('7d0b7c5e-3c1e-4a59-9f3c-2b1d1f6e8a10')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
  })

  it('serializes concurrent adds: none is lost', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => service.add({ ...vnc, name: `vnc ${i}` })))
    expect(service.list()).toHaveLength(20)
  })

  it('passes VAULT_LOCKED through while the vault is locked', async () => {
    await service.add(vsphere)
    store.lock()
    expect(() => service.list()).toThrow(expect.objectContaining({ code: 'VAULT_LOCKED' }))
    expect((await rejection(service.add(vnc))).code).toBe('VAULT_LOCKED')
  })
})

describe('update', () => {
  it('changes the fields given, keeps the secret when none is sent, and bumps updatedAt', async () => {
    const before = await service.add(vsphere)
    const after = await service.update(before.id, ProfilePatch.parse({ kind: 'vsphere', name: 'Renamed', user: 'root' }))
    expect(after).toMatchObject({ name: 'Renamed', user: 'root', endpoint: 'https://vc.example.test', hasSecret: true })
    expect(after.createdAt).toBe(before.createdAt)
    expect(after.updatedAt > before.updatedAt).toBe(true)
    expect(service.profile(before.id).secret).toBe(CANARY)
  })

  it('replaces the secret when a new one is sent, and removes it on clearSecret', async () => {
    const { id } = await service.add(vsphere)
    await service.update(id, ProfilePatch.parse({ kind: 'vsphere', secret: 'new-secret' }))
    expect(service.profile(id).secret).toBe('new-secret')
    const cleared = await service.update(id, ProfilePatch.parse({ kind: 'vsphere', clearSecret: true }))
    expect(cleared.hasSecret).toBe(false)
    expect(service.profile(id).secret).toBeUndefined()
  })

  it('clears optional OpenStack fields with null', async () => {
    const { id } = await service.add(openstack)
    const after = await service.update(id, ProfilePatch.parse({ kind: 'openstack', region: null, interface: 'internal' }))
    expect(after).not.toHaveProperty('region')
    expect(after.kind === 'openstack' && after.interface).toBe('internal')
  })

  it('refuses a change that leaves the profile invalid, and changes nothing', async () => {
    const { id } = await service.add(openstack)
    const err = await rejection(service.update(id, ProfilePatch.parse({ kind: 'openstack', projectName: null })))
    expect(err.code).toBe('INVALID_INPUT')
    expect(err.detail).toMatchObject({ issues: [expect.objectContaining({ path: 'projectName' })] })
    expect(service.get(id)).toMatchObject({ projectName: 'demo' })
  })

  it('refuses to change the kind', async () => {
    const { id } = await service.add(vsphere)
    const err = await rejection(service.update(id, ProfilePatch.parse({ kind: 'zstack', name: 'x' })))
    expect(err.code).toBe('INVALID_INPUT')
    expect(service.get(id).kind).toBe('vsphere')
  })

  it('refuses a name another profile has, but keeps its own', async () => {
    const a = await service.add(vsphere)
    await service.add(vnc)
    expect((await rejection(service.update(a.id, ProfilePatch.parse({ kind: 'vsphere', name: 'bench' })))).code).toBe('CONFLICT')
    await expect(service.update(a.id, ProfilePatch.parse({ kind: 'vsphere', name: 'LAB vcenter' }))).resolves.toMatchObject({
      name: 'LAB vcenter',
    })
  })

  it('says NOT_FOUND for an unknown id', async () => {
    const err = await rejection(service.update('7d0b7c5e-3c1e-4a59-9f3c-2b1d1f6e8a10', ProfilePatch.parse({ kind: 'vnc' })))
    expect(err.code).toBe('NOT_FOUND')
  })
})

describe('duplicate and delete', () => {
  it('copies a profile with its secret under "<name> (copy)", then "(copy) (2)"', async () => {
    const source = await service.add(vsphere)
    const copy = await service.duplicate(source.id)
    expect(copy).toMatchObject({ name: 'Lab vCenter (copy)', hasSecret: true, endpoint: 'https://vc.example.test' })
    expect(copy.id).not.toBe(source.id)
    expect(service.profile(copy.id).secret).toBe(CANARY)
    const again = await service.duplicate(source.id)
    expect(again.name).toBe('Lab vCenter (copy) (2)')
  })

  it('keeps a copy of a 120-character name within the limit', async () => {
    const long = await service.add({ ...vnc, name: 'n'.repeat(120) })
    const copy = await service.duplicate(long.id)
    expect(copy.name.length).toBeLessThanOrEqual(120)
    expect(copy.name.endsWith(' (copy)')).toBe(true)
  })

  it('deletes one profile and tells whoever keeps data for it', async () => {
    const removed: string[] = []
    service = createProfileService({ store, log: memoryLog(), testers, onChange: () => {}, onRemoved: (id) => void removed.push(id) })
    const a = await service.add(vsphere)
    const b = await service.add(vnc)
    await service.remove(a.id)
    expect(service.list().map((p) => p.id)).toEqual([b.id])
    expect(removed).toEqual([a.id])
    expect((await rejection(service.remove(a.id))).code).toBe('NOT_FOUND')
  })
})

describe('test', () => {
  it('answers UNSUPPORTED naming the provider while none is registered', async () => {
    const { id } = await service.add(openstack)
    const err = await rejection(service.test(id, new AbortController().signal))
    expect(err.code).toBe('UNSUPPORTED')
    expect(err.message).toContain('arrives with the OpenStack provider')
  })

  it('hands the full profile to the tester registered for its kind', async () => {
    const { id } = await service.add(vsphere)
    const seen: (string | undefined)[] = []
    testers.register('vsphere', { test: async (p) => (seen.push(p.secret), { message: 'vCenter 8.0 as root' }) })
    const result = await service.test(id, new AbortController().signal)
    expect(result.message).toBe('vCenter 8.0 as root')
    expect(result.durationMs).toBeGreaterThanOrEqual(0)
    expect(seen).toEqual([CANARY])
  })

  it('passes the tester its error, and unregistering brings UNSUPPORTED back', async () => {
    const { id } = await service.add(vsphere)
    const off = testers.register('vsphere', {
      test: async () => {
        throw new PortholeError('AUTH_FAILED', 'Wrong user name or password.')
      },
    })
    expect((await rejection(service.test(id, new AbortController().signal))).code).toBe('AUTH_FAILED')
    off()
    expect((await rejection(service.test(id, new AbortController().signal))).code).toBe('UNSUPPORTED')
  })

  it('fails with TIMEOUT when the tester does not finish in time', async () => {
    service = createProfileService({ store, log: memoryLog(), testers, onChange: () => {}, testTimeoutMs: 50 })
    const { id } = await service.add(vsphere)
    testers.register('vsphere', {
      test: (_p, signal) =>
        new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
    })
    expect((await rejection(service.test(id, new AbortController().signal))).code).toBe('TIMEOUT')
  })
})
