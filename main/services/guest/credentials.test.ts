import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { PortholeError } from '../../../contract/errors'
import { memoryLog } from '../log/log'
import { memorySecretStore } from '../vault/secret-store'
import { createGuestCredentials, GUEST_CREDENTIALS_SECTION, vmKey } from './credentials'

const vm = { connectionId: 'conn-1', id: 'vm-1001' }
const other = { connectionId: 'conn-2', id: 'vm-1001' }
const section = z.object({ entries: z.record(z.string(), z.object({ type: z.string(), user: z.string(), secret: z.string() })) })

function setup() {
  const store = memorySecretStore()
  const secrets: string[] = []
  const service = createGuestCredentials({ store, log: memoryLog(), onSecret: (s) => secrets.push(s) })
  const saved = () => store.read(GUEST_CREDENTIALS_SECTION, section)?.entries ?? {}
  return { store, service, secrets, saved }
}

const refuse = async (): Promise<never> => {
  throw new PortholeError('GUEST_AUTH_FAILED', 'Failed to authenticate with the guest operating system using the supplied credentials.')
}

describe('guest credentials', () => {
  it('asks (reason missing) until credentials are given; status never carries the secret', async () => {
    const { service } = setup()
    await expect(service.use(vm, async () => 'x')).rejects.toMatchObject({ code: 'GUEST_AUTH_FAILED', detail: { reason: 'missing' } })
    const status = await service.set({ vm, type: 'password', user: 'root', password: 'pw-secret', remember: false })
    expect(status).toEqual({ known: true, remembered: false, type: 'password', user: 'root' })
    expect(JSON.stringify(service.status(vm))).not.toContain('pw-secret')
    expect(await service.use(vm, async (c, user) => `${c.username}:${c.password}:${user}`)).toBe('root:pw-secret:root')
    // Per VM and connection: the same VM id elsewhere has none.
    expect(service.status(other).known).toBe(false)
  })

  it('remembers only after a call worked, and a refusal drops them (also from the vault) with reason rejected', async () => {
    const { service, saved, secrets } = setup()
    await service.set({ vm, type: 'password', user: 'root', password: 'typo', remember: true })
    expect(saved()).toEqual({})
    await expect(service.use(vm, refuse)).rejects.toMatchObject({ code: 'GUEST_AUTH_FAILED', detail: { reason: 'rejected' } })
    expect(saved()).toEqual({})
    expect(service.status(vm).known).toBe(false)

    await service.set({ vm, type: 'password', user: 'root', password: 'right', remember: true })
    await service.use(vm, async () => 1)
    expect(saved()[vmKey(vm)]).toMatchObject({ type: 'password', user: 'root', secret: 'right' })
    expect(service.status(vm)).toEqual({ known: true, remembered: true, type: 'password', user: 'root' })
    expect(secrets).toContain('right')

    // The guest's password changed: the saved copy goes.
    await expect(service.use(vm, refuse)).rejects.toMatchObject({ detail: { reason: 'rejected' } })
    expect(saved()).toEqual({})
  })

  it('loads remembered credentials after a lock, and forgets them on lock in memory', async () => {
    const { store, service } = setup()
    await service.set({ vm, type: 'saml', samlToken: '<saml:Assertion/>', remember: true })
    await service.use(vm, async () => 1)
    store.lock()
    store.unlock()
    const fresh = createGuestCredentials({ store, log: memoryLog() })
    expect(fresh.status(vm)).toEqual({ known: true, remembered: true, type: 'saml', user: '' })
    expect(await fresh.use(vm, async (c) => c.samlToken)).toBe('<saml:Assertion/>')
  })

  it('"do not remember" removes a saved copy; forget and forgetConnection clear session and vault', async () => {
    const { service, saved } = setup()
    await service.set({ vm, type: 'password', user: 'root', password: 'a', remember: true })
    await service.use(vm, async () => 1)
    await service.set({ vm, type: 'password', user: 'demo', password: 'b', remember: false })
    expect(saved()).toEqual({})
    expect(service.status(vm)).toMatchObject({ known: true, remembered: false, user: 'demo' })

    await service.set({ vm: other, type: 'password', user: 'root', password: 'c', remember: true })
    await service.use(other, async () => 1)
    expect(Object.keys(saved())).toEqual([vmKey(other)])
    await service.forgetConnection('conn-2')
    expect(saved()).toEqual({})
    expect(service.status(other).known).toBe(false)
    expect((await service.forget(vm)).known).toBe(false)
  })

  it('a late refusal of old credentials does not drop new ones given meanwhile', async () => {
    const { service } = setup()
    await service.set({ vm, type: 'password', user: 'root', password: 'old', remember: false })
    let fail!: () => void
    const slow = service.use(vm, () => new Promise<never>((_, reject) => (fail = () => reject(new PortholeError('GUEST_AUTH_FAILED', 'no')))))
    await service.set({ vm, type: 'password', user: 'root', password: 'new', remember: false })
    fail()
    await expect(slow).rejects.toMatchObject({ detail: { reason: 'rejected' } })
    expect(await service.use(vm, async (c) => c.password)).toBe('new')
  })

  it('passes a hint for VMs main knows about (the demo lab), and only for those', () => {
    const service = createGuestCredentials({ store: memorySecretStore(), log: memoryLog(), hint: (ref) => (ref.connectionId === 'conn-1' ? 'demo: root' : undefined) })
    expect(service.status(vm)).toEqual({ known: false, remembered: false, hint: 'demo: root' })
    expect(service.status(other)).toEqual({ known: false, remembered: false })
  })

  it('refuses new credentials while the vault is locked', async () => {
    const { store, service } = setup()
    store.lock()
    await expect(service.set({ vm, type: 'password', user: 'root', password: 'x', remember: false })).rejects.toMatchObject({ code: 'VAULT_LOCKED' })
  })
})
